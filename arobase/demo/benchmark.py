"""Benchmark data at national scale: `arobase generate_benchmark_data --scale N`.

At scale N, over the whole national reference (every commune and EPCI, loaded by
`import_territories`):
- the palmarès of the 27 editions 2000–2026: about 25 000 × N labels, histories that
  start some year and go on most years with levels moving by one @ (about 5 400
  territories at N=1, most communes at N=10);
- 50 000 × N published action sheets with their services, and 5 000 × N local actors;
- the 2027 edition in deliberation: 300 × N submitted dossiers, two reviews each and
  the jury's decisions (not yet published), one demo correspondent per candidate.

It is the demo's own generators (demo/labels.py, demo/actions.py, demo/season.py,
demo/evaluation.py) at a larger size: deterministic (fixed seeds; the dates of actions
and of the season are relative to the day it runs), flagged as demo everywhere, written
with bulk inserts in one transaction, the data version bumped once. A re-run replaces the
previous benchmark data, and the data of `arobase demo` too (one demo data set at a
time); real labels, actions and dossiers are never touched.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from arobase.accounts.models import Attachment, DemoAccount
from arobase.actions.models import Action, Actor
from arobase.core import data_version
from arobase.dossiers.models import Dossier
from arobase.evaluation.models import Decision, Review
from arobase.labels import season
from arobase.labels.models import Edition, Label, Mention, Prize
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

from . import labels as label_demo
from . import season as season_demo

FIRST_YEAR, LAST_YEAR = 2000, 2026
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)  # 27 editions, all published; 2027 is the season's
MAX_SCALE = 20
TINY = 100  # --tiny divides the base sizes by this (tests, CI)
BATCH = 5_000
CORRESPONDENT = "correspondant.{code}@demo.arobase.fr"


@dataclass(frozen=True)
class Sizes:
    labels: int
    actions: int
    dossiers: int


BASE = Sizes(labels=25_000, actions=50_000, dossiers=300)


class MissingTerritories(RuntimeError):
    pass


def sizes(scale, tiny=False):
    """What scale N asks for: the base sizes × N (÷ TINY with `tiny`)."""
    divisor = TINY if tiny else 1
    return Sizes(*(max(1, value * scale // divisor) for value in (BASE.labels, BASE.actions, BASE.dossiers)))


def palmares_size(labels):
    """The `size` of demo/labels.generate_palmares that makes about `labels` labels over
    YEARS: its participants target is, on average, 35 + 28 a year until 2006, then 280."""
    per_size = sum(35 + 28 * (year - 2000) if year < 2007 else 280 for year in YEARS)
    return labels / per_size


def generate(scale, tiny=False, progress=None, today=None):
    """Replace the demo data with benchmark data at `scale`; returns the counts (a dict)."""
    progress = progress or (lambda message: None)
    wanted = sizes(scale, tiny)
    check_reference()
    with transaction.atomic():
        progress(f"palmarès des éditions {FIRST_YEAR} à {LAST_YEAR}")
        _palmares(wanted.labels)
        _clear_other_seasons()
        summary = season_demo.load(
            season.DELIBERATION, today=today, actions=wanted.actions, dossiers=wanted.dossiers, pending=0, progress=progress,
        )
        progress("un correspondant de démonstration par candidat")
        _correspondents(summary["year"])
        data_version.bump()  # bulk writes send no signal: public pages must refresh, once
    if connection.vendor == "postgresql":
        progress("statistiques du planificateur (ANALYZE)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts(summary["year"])


def check_reference():
    kinds = set(Territory.objects.filter(kind__in=[territory_rules.COMMUNE, territory_rules.EPCI]).values_list("kind", flat=True).distinct())
    towns = Territory.objects.filter(code__in=[season_demo.MADELEINE, season_demo.LUNEL], kind=territory_rules.COMMUNE).count()
    if kinds != {territory_rules.COMMUNE, territory_rules.EPCI} or towns < 2:
        raise MissingTerritories(
            "Référentiel des territoires absent ou incomplet (communes, intercommunalités) : "
            "lancez d'abord « arobase import_territories »."
        )


def _palmares(labels):
    """The 27 editions, published, and the generated palmarès in place of the demo's."""
    existing = set(Edition.objects.filter(year__in=YEARS).values_list("year", flat=True))
    for year in YEARS:
        if year not in existing:
            Edition.objects.create(year=year)
    Edition.objects.filter(year__in=YEARS).exclude(phase=season.PUBLIE).update(phase=season.PUBLIE)
    label_demo._clear_generated()
    generated = label_demo.generate_palmares(
        settings.TEN_MIN_FIVE_AROBASES, years=YEARS, size=palmares_size(labels), min_population=0,
    )
    mentions = {m.slug: m for m in Mention.objects.all()}
    prizes = {p.slug: p for p in Prize.objects.all()}
    label_demo._write_generated(generated, mentions, prizes, batch_size=BATCH)


def _clear_other_seasons():
    """Demo dossiers of other editions than the season's (an earlier `arobase demo`):
    their published labels went with the demo labels; the dossiers go too."""
    Dossier.objects.filter(is_demo=True, edition_id__lte=LAST_YEAR).delete()


def _correspondents(year):
    """One demo correspondent per candidate of `year` (all with the demo password,
    hashed once), in place of the previous ones."""
    User.objects.filter(username__startswith="correspondant.", username__endswith="@demo.arobase.fr", demo_account__isnull=False).delete()
    territories = list(
        Territory.objects.filter(dossiers__edition_id=year, dossiers__is_demo=True).order_by("code").values_list("pk", "code")
    )
    password = make_password(season_demo.PASSWORD)
    users = User.objects.bulk_create(
        [User(username=(email := CORRESPONDENT.format(code=code.lower())), email=email, password=password, first_name="Correspondant",
              last_name=code, is_active=True) for _, code in territories],
        batch_size=BATCH,
    )
    DemoAccount.objects.bulk_create([DemoAccount(user=user) for user in users], batch_size=BATCH)
    now = timezone.now()
    Attachment.objects.bulk_create(
        [Attachment(user=user, territory_id=pk, status=Attachment.APPROVED, function="correspondant numérique", decided_at=now)
         for user, (pk, _) in zip(users, territories)],
        batch_size=BATCH,
    )


def counts(year):
    labels = Label.objects.filter(is_demo=True, edition_id__in=YEARS)
    dossiers = Dossier.objects.filter(edition_id=year, is_demo=True)
    return {
        "editions": Edition.objects.filter(year__in=YEARS, labels__is_demo=True).distinct().count(),
        "labels": labels.count(),
        "territories": labels.values("territory_id").distinct().count(),
        "actions": Action.objects.filter(is_demo=True).count(),
        "services": Action.services.through.objects.filter(action__is_demo=True).count(),
        "actors": Actor.objects.filter(is_demo=True).count(),
        "year": year,
        "dossiers": dossiers.count(),
        "reviews": Review.objects.filter(dossier__in=dossiers, submitted_at__isnull=False).count(),
        "decisions": Decision.objects.filter(dossier__in=dossiers).count(),
        "accounts": DemoAccount.objects.count(),
    }


def number_fr(number):
    """25 000, as written in French."""
    return f"{number:,}".replace(",", "\u202f")


class Clock:
    """Progress lines with the time elapsed since the start."""

    def __init__(self, write):
        self.write, self.started = write, time.monotonic()

    def __call__(self, message):
        self.write(f"[{time.monotonic() - self.started:6.1f} s] {message}…")

    @property
    def elapsed(self):
        return time.monotonic() - self.started

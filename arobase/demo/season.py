"""The candidate's side of the demo: accounts, action sheets, and the open edition.

Deterministic (a fixed random seed), flagged as demo, idempotent: a second run
replaces what the first one made and touches nothing else.
"""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from arobase.accounts import roles
from arobase.accounts.models import Attachment, DemoAccount, Role
from arobase.actions import rules as action_rules
from arobase.actions.models import Action
from arobase.dossiers.models import Dossier, Question
from arobase.labels import season
from arobase.labels.models import Edition, Label
from arobase.referential import loading as referential
from arobase.territories.models import Territory

from . import actions as atlaas_demo
from . import evaluation as evaluation_demo
from .errors import SeasonNotReady

PASSWORD = "arobase-demo"
MADELEINE, LUNEL = "59368", "34145"
ACCOUNTS = [
    # e-mail, first name, last name, role, territory codes
    ("correspondant@demo.arobase.fr", "Camille", "Martin", None, [MADELEINE, LUNEL]),
    ("acteur@demo.arobase.fr", "Sami", "Benali", Role.LOCAL_ACTOR, [MADELEINE]),
    ("evaluateur@demo.arobase.fr", "Claire", "Dupont", Role.EVALUATOR, []),
    ("jury@demo.arobase.fr", "Hélène", "Moreau", Role.JURY, []),
    ("equipe@demo.arobase.fr", "Julien", "Petit", Role.STAFF, []),
    ("conseil@demo.arobase.fr", "Nadia", "Lefèvre", Role.CONSEIL, []),
]
QUESTIONS = [
    ("", "Quelle est la stratégie numérique de la collectivité, en quelques lignes ?", True),
    ("", "Qui porte la politique numérique (élu·e, service, budget) ?", True),
    ("village", "Comment le village mutualise-t-il ses outils avec l'intercommunalité ?", False),
    ("ville", "Comment les habitants sont-ils associés aux projets numériques ?", False),
    ("territoire", "Quels services numériques l'intercommunalité rend-elle à ses communes ?", False),
]
DEMO_TERRITORIES = 70


@transaction.atomic
def load(phase=season.CANDIDATURES, today=None, actions=20_000, dossiers=None, pending=0.4, progress=None):
    """Set up the edition after the latest published one in `phase`, with demo accounts,
    about `actions` action sheets and La Madeleine's draft dossier. Returns a summary dict.
    From `instruction` on, `dossiers` submitted dossiers (default: the season demo's 40),
    `pending` as in evaluation_demo.load; `progress(message)` hears of each long step."""
    progress = progress or (lambda message: None)
    dossiers = evaluation_demo.DOSSIERS if dossiers is None else dossiers

    if phase not in season.PHASES:
        raise SeasonNotReady(f"Phase inconnue : « {phase} ». Choisissez parmi : {', '.join(season.PHASES)}.")
    today = today or timezone.localdate()
    latest = Edition.objects.filter(phase=season.PUBLIE, labels__isnull=False).order_by("-year").values_list("year", flat=True).first()
    year = (latest or today.year) + 1
    edition, _ = Edition.objects.get_or_create(year=year)
    evaluation_demo.reset(edition)
    edition.phase = phase
    if phase == season.CANDIDATURES:
        edition.opening_date, edition.closing_date = today - timedelta(days=200), today + timedelta(days=30)
    else:
        edition.opening_date, edition.closing_date = today + timedelta(days=30), today + timedelta(days=240)
    edition.save()
    if not referential.Axe.objects.filter(edition=edition).exists():
        referential.load(year)
    if not Question.objects.filter(edition=edition).exists():
        Question.objects.bulk_create(
            Question(edition=edition, category=c, text=t, required=r, position=i) for i, (c, t, r) in enumerate(QUESTIONS)
        )
    users = _accounts()
    progress("fiches actions et acteurs locaux")
    action_count, actor_count = _actions(year, users["correspondant@demo.arobase.fr"], actions)
    _season_dossiers(edition, users["correspondant@demo.arobase.fr"])
    summary = {"year": year, "phase": phase, "accounts": [a[0] for a in ACCOUNTS], "actions": action_count, "actors": actor_count, "dossiers": 0}
    if season.PHASES.index(phase) > season.PHASES.index(season.CANDIDATURES):
        progress(f"dossiers de l'édition {year}, avis et décisions")
        summary["dossiers"] = evaluation_demo.load(
            edition, phase, _demo_territories(max(DEMO_TERRITORIES, dossiers)), users["correspondant@demo.arobase.fr"], today,
            count=dossiers, pending=pending,
        )
        summary["accounts"] += [email for email, *_ in evaluation_demo.EXTRA_EVALUATORS]
    return summary


def _accounts():
    users = {}
    territories = {t.code: t for t in Territory.objects.filter(code__in=[MADELEINE, LUNEL], kind="commune")}
    for email, first, last, role, codes in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=email, defaults={"email": email, "first_name": first, "last_name": last, "is_active": True},
        )
        user.set_password(PASSWORD)
        if role == Role.STAFF:
            user.is_staff = user.is_superuser = True
        user.save()
        DemoAccount.objects.get_or_create(user=user)
        if role == Role.LOCAL_ACTOR:
            roles.grant(user, role, territory=territories[MADELEINE], organisation="Association Les Clés du numérique")
        elif role:
            roles.grant(user, role)
        if role is None:
            for code in codes:
                roles.attach_directly(user, territories[code], None, verb="rattachement de démonstration")
        users[email] = user
    return users


def _demo_territories(limit=DEMO_TERRITORIES):
    """The seed towns first, then the labelled territories of the latest year, best first."""
    latest = Label.objects.order_by("-edition_id").values_list("edition_id", flat=True).first()
    labels = (
        Label.objects.filter(edition_id=latest).select_related("territory")
        .order_by("-arobases", "territory__code")[:limit]
    ) if latest else []
    chosen = {label.territory: label.arobases for label in labels}
    for territory in Territory.objects.filter(code__in=[MADELEINE, LUNEL], kind="commune"):
        chosen.setdefault(territory, 5)
    seeds = (MADELEINE, LUNEL)
    return sorted(chosen.items(), key=lambda item: (item[0].code not in seeds, item[0].code))


def _actions(year, author, target):
    """The Atlaas demo: about `target` published actions and their local actors over
    every labelled territory (more for more @), the seed towns first."""
    services = list(referential.services_of(referential.resolve_year(year)))
    latest = {}
    for territory_id, arobases in Label.objects.order_by("territory_id", "edition_id").values_list("territory_id", "arobases"):
        latest[territory_id] = arobases
    seeds = [t for t in Territory.objects.filter(code__in=[MADELEINE, LUNEL], kind="commune").order_by("code")]
    others = Territory.objects.filter(pk__in=latest).exclude(pk__in=[t.pk for t in seeds]).order_by("code")
    territories = [(t, 5) for t in seeds] + [(t, latest[t.pk]) for t in others]
    actions, actors = atlaas_demo.load(services, territories, target, author, seeds=[t.pk for t in seeds])
    return actions, actors


def _season_dossiers(edition, correspondent):
    """La Madeleine's draft dossier for the open edition (and no other demo dossier)."""
    madeleine = Territory.objects.get(code=MADELEINE, kind="commune")
    Dossier.objects.filter(edition=edition).filter(Q(is_demo=True) | Q(territory=madeleine)).delete()
    dossier = Dossier.objects.create(edition=edition, territory=madeleine, is_demo=True)
    dossier.actions.set(Action.objects.filter(territory=madeleine, is_demo=True).exclude(status=action_rules.DONE, ended__lt=timezone.localdate() - timedelta(days=700))[:3])
    if not Attachment.objects.filter(user=correspondent, territory=madeleine, status=Attachment.APPROVED).exists():
        raise SeasonNotReady("Le compte correspondant de démonstration n'est pas rattaché à La Madeleine.")

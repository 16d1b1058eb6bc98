"""Demo data: the real facts of the seed articles, then a generated national palmarès.

The seed facts (shared/seeds/, DOMAIN.md) are stored as real labels. The generated
palmarès is deterministic (a fixed random seed), flagged `is_demo` on every label, and
never touches a territory or year that has a real label. Re-running gives the same data.
"""

import itertools
import random
from datetime import date

from django.db import transaction

from arobase.core import data_version
from arobase.labels import rules
from arobase.labels.models import Edition, Label, Mention, Prize
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

from .errors import MissingReferenceData

TEN = rules.TEN


def _years(first, last, arobases, mentions=(), prizes_by_year=None):
    return [(year, arobases, tuple(mentions), tuple((prizes_by_year or {}).get(year, ()))) for year in range(first, last + 1)]


# (year, arobases, mentions, prizes) per INSEE code, as the articles tell them.
SEED_LABELS = {
    "59368": _years(2010, 2010, 1) + _years(2011, 2013, 3) + _years(2014, 2014, 4)
    + _years(2015, 2024, 5, prizes_by_year={2022: [TEN]}),  # La Madeleine
    "78356": _years(2013, 2013, 2) + _years(2018, 2018, 4, mentions=["numerique-educatif"]),  # Magny-les-Hameaux
    "78440": _years(2021, 2022, 5),  # Les Mureaux
    "34145": _years(2022, 2022, 3) + _years(2023, 2023, 4),  # Lunel
    "08480": _years(2017, 2018, 1) + _years(2019, 2020, 3) + _years(2021, 2021, 4) + _years(2022, 2024, 5),  # Villers-Semeuse
    "08003": _years(2024, 2024, 3),  # Aiglemont
    "08488": _years(2024, 2024, 2),  # Vivier-au-Court
}

SEED_EDITIONS = {
    2018: {"ceremony_date": date(2018, 2, 8), "ceremony_place": "Paris, Palais de la Porte Dorée"},
    2022: {"opening_date": date(2021, 3, 4), "closing_date": date(2021, 11, 12),
           "ceremony_date": date(2022, 2, 3), "ceremony_place": "Paris"},
    2023: {"ceremony_date": date(2023, 2, 2), "ceremony_place": "Albi", "participants": 257},
    2024: {"ceremony_date": date(2024, 2, 8), "ceremony_place": "Paris", "participants": 241},
}

DEMO_YEARS = range(2000, 2026)
RANDOM_SEED = 1999
FIRST_LEVEL_WEIGHTS = {1: 30, 2: 30, 3: 25, 4: 10, 5: 5}


@transaction.atomic
def load_demo(min_five_arobases):
    """Load seeds and the generated palmarès; returns (seed labels, demo labels)."""
    territories = {t.code: t for t in Territory.objects.filter(code__in=SEED_LABELS, kind=territory_rules.COMMUNE)}
    if len(territories) < len(SEED_LABELS):
        raise MissingReferenceData("Référentiel des territoires absent : lancez d'abord « arobase import_territories ».")
    years = {year for history in SEED_LABELS.values() for year, *_ in history} | set(DEMO_YEARS) | set(SEED_EDITIONS)
    for year in sorted(years):
        Edition.objects.update_or_create(year=year, defaults=SEED_EDITIONS.get(year, {}))
    mentions = {m.slug: m for m in Mention.objects.all()}
    prizes = {p.slug: p for p in Prize.objects.all()}

    seed_count = 0
    for code, history in SEED_LABELS.items():
        for year, arobases, mention_slugs, prize_slugs in history:
            label, _ = Label.objects.update_or_create(
                territory=territories[code], edition_id=year,
                defaults={"arobases": arobases, "hors_concours": False, "is_demo": False},
            )
            label.mentions.set([mentions[s] for s in mention_slugs])
            label.prizes.set([prizes[s] for s in prize_slugs])
            seed_count += 1

    _clear_generated()
    generated = generate_palmares(min_five_arobases)
    _write_generated(generated, mentions, prizes)
    data_version.bump(data_version.PALMARES)  # bulk writes send no signal: public pages must refresh
    return seed_count, len(generated)


def _clear_generated():
    """Delete the previous generated labels in a few statements. `delete()` would send
    a signal per label (6 000 data-version bumps, tens of seconds on a re-run); the
    caller bumps the version once."""
    from arobase.evaluation.models import Decision

    generated = Label.objects.filter(is_demo=True)
    Decision.objects.filter(label__in=generated.values("pk")).update(label=None)
    for through in (Label.mentions.through, Label.prizes.through):
        through.objects.filter(label__in=generated.values("pk")).delete()
    generated._raw_delete(generated.db)


def _candidates(min_population=1000):
    """Communes of `min_population` inhabitants or more and all EPCI, in a stable order."""
    return list(
        Territory.objects.filter(kind__in=[territory_rules.COMMUNE, territory_rules.EPCI])
        .exclude(kind=territory_rules.COMMUNE, population__lt=min_population)
        .exclude(code__in=SEED_LABELS)
        .order_by("code")
        .values_list("pk", "kind", "population")
    )


def generate_palmares(min_five_arobases, years=DEMO_YEARS, size=1, min_population=1000):
    """Histories that evolve: most stay, many climb a level, a few leave or fall back.
    `size` multiplies the participants of every year (the benchmark data's scale);
    communes under `min_population` inhabitants never take part.

    Returns {(territory_pk, year): (arobases or None, mentions, prizes)}.
    """
    rng = random.Random(RANDOM_SEED)
    candidates = _candidates(min_population)
    # Mostly communes, as in the real palmarès; larger towns take part more often.
    weights = [min(population or 0, 200_000) ** 0.5 * (0.15 if kind == territory_rules.EPCI else 1) for _, kind, population in candidates]
    cumulated = list(itertools.accumulate(weights))  # once, not on every draw: same draws, 1 000× less work
    taken = set(Label.objects.real().values_list("territory_id", "edition_id"))
    mention_slugs = sorted(Mention.objects.values_list("slug", flat=True))

    level, history, labels = {}, {}, {}
    for year in years:
        staying = [pk for pk in level if rng.random() < 0.8]
        level = {pk: _next_level(rng, level[pk]) for pk in staying}
        target = min(round(participants_target(rng, year) * size), len(candidates) // 2)  # drawing the last few would never end
        while len(level) < target:
            pk = rng.choices(candidates, cum_weights=cumulated)[0][0]
            if pk not in level:
                level[pk] = rng.choices(list(FIRST_LEVEL_WEIGHTS), weights=FIRST_LEVEL_WEIGHTS.values())[0]
        for pk, arobases in sorted(level.items()):
            if (pk, year) in taken:
                continue
            facts = history.setdefault(pk, [])
            hors_concours = arobases == 5 and rng.random() < 0.01
            mentions = (rng.choice(mention_slugs),) if arobases >= 3 and rng.random() < 0.08 else ()
            fact = rules.LabelFact(year, None if hors_concours else arobases, hors_concours)
            facts.append(fact)
            prizes = ()
            if year >= 2021 and not rules.ten_valid_in(facts, year - 1):
                eligible, _ = rules.ten_eligibility(facts, year, min_five_arobases)
                if eligible and rng.random() < 0.3:
                    prizes = (TEN,)
                    facts[-1] = rules.LabelFact(year, arobases, False, frozenset(prizes))
            labels[(pk, year)] = (fact.arobases, mentions, prizes)
    return labels


def participants_target(rng, year):
    """The label's real growth: a few dozen towns in 2000, about 200 by 2007, then 200 to 360."""
    if year < 2007:
        return 35 + (year - 2000) * 28 + rng.randint(-5, 5)
    return rng.randint(210, 350)


def _next_level(rng, arobases):
    roll = rng.random()
    if roll < 0.3:
        return min(arobases + 1, 5)
    if roll < 0.35:
        return max(arobases - 1, 1)
    return arobases


def _write_generated(generated, mentions, prizes, batch_size=None):
    created = Label.objects.bulk_create([
        Label(territory_id=pk, edition_id=year, arobases=arobases, hors_concours=arobases is None, is_demo=True)
        for (pk, year), (arobases, _, _) in sorted(generated.items())
    ], batch_size=batch_size)
    details = [generated[(label.territory_id, label.year)] for label in created]
    Label.mentions.through.objects.bulk_create([
        Label.mentions.through(label_id=label.pk, mention_id=mentions[slug].pk)
        for label, (_, slugs, _) in zip(created, details) for slug in slugs
    ], batch_size=batch_size)
    Label.prizes.through.objects.bulk_create([
        Label.prizes.through(label_id=label.pk, prize_id=prizes[slug].pk)
        for label, (_, _, slugs) in zip(created, details) for slug in slugs
    ], batch_size=batch_size)

"""Read-side of labels: what the pages and the API show, each in a constant number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum

from arobase.core import data_version, figures
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory, category_condition

from . import rules
from .models import Edition, Label

LEVELS = range(1, 6)


def history(territory):
    """A territory's labels by year, mentions and prizes prefetched (3 queries)."""
    return list(territory.labels.order_by("edition_id").prefetch_related("mentions", "prizes"))


def facts(labels):
    return [label.fact() for label in labels]


def distribution_columns():
    """Aggregates counting labels per level; hors concours is in none of them."""
    columns = {f"n{level}": Count("labels", filter=Q(labels__arobases=level)) for level in LEVELS}
    columns["label_count"] = Count("labels")
    columns["demo_count"] = Count("labels", filter=Q(labels__is_demo=True))
    return columns


@dataclass
class EditionFigures:
    edition: Edition
    label_count: int
    demo_count: int
    distribution: dict

    @property
    def participants(self):
        """The recorded figure, else the number of labels (CONTRACT §3)."""
        return self.edition.participants if self.edition.participants is not None else self.label_count


def edition_figures(year=None):
    """Every edition (or one) with its counts, newest first, in one query."""
    editions = Edition.objects.annotate(**distribution_columns()).order_by("-year")
    if year is not None:
        editions = editions.filter(year=year)
    return [
        EditionFigures(e, e.label_count, e.demo_count, {str(level): getattr(e, f"n{level}") for level in LEVELS})
        for e in editions
    ]


@dataclass
class PalmaresFilters:
    region: str = ""
    departement: str = ""
    category: str = ""
    arobases: str = ""
    mention: str = ""

    LEVELS = ("1", "2", "3", "4", "5", rules.HORS_CONCOURS)
    CATEGORIES = (territory_rules.VILLAGE, territory_rules.VILLE, territory_rules.TERRITOIRE)

    @classmethod
    def from_query(cls, params):
        """Filters from a query string; a value outside its choices is dropped, never an error."""
        values = {name: params.get(name, "").strip()[:40] for name in cls.__dataclass_fields__}
        if values["arobases"] not in cls.LEVELS:
            values["arobases"] = ""
        if values["category"] not in cls.CATEGORIES:
            values["category"] = ""
        return cls(**values)

    def as_query(self):
        return {k: v for k, v in self.__dict__.items() if v}


def palmares(year, filters=None):
    """The labels of one year, best first, filtered; territory and its place joined."""
    labels = (
        Label.objects.filter(edition_id=year)
        .select_related("territory", "territory__departement", "territory__region")
        .prefetch_related("mentions", "prizes")
        .order_by("hors_concours", "-arobases", "territory__name", "territory__code")
    )
    filters = filters or PalmaresFilters()
    if filters.region:
        labels = labels.filter(territory__region__code=filters.region)
    if filters.departement:
        labels = labels.filter(territory__departement__code=filters.departement)
    if filters.category:
        labels = labels.filter(category_condition(filters.category, "territory__"))
    if filters.arobases == rules.HORS_CONCOURS:
        labels = labels.filter(hors_concours=True)
    elif filters.arobases:
        labels = labels.filter(arobases=filters.arobases)
    if filters.mention:
        labels = labels.filter(mentions__slug=filters.mention)
    return labels


class PalmaresRows:
    """A palmarès as plain rows for the API, a slice at a time: three queries whatever
    the page's size (the labels, their mentions, their prizes), and no model instance
    built, which was most of the answer's time with a thousand labels."""

    FIELDS = ("pk", "arobases", "hors_concours", "is_demo", "territory__code", "territory__name", "territory__kind",
              "territory__population")

    def __init__(self, labels):
        self.labels = labels.prefetch_related(None).values_list(*self.FIELDS, named=True)

    def count(self):
        return self.labels.count()

    def __getitem__(self, index):
        rows = list(self.labels[index])
        ids = [row.pk for row in rows]
        mentions, prizes = defaultdict(list), defaultdict(list)
        for label_id, slug in Label.mentions.through.objects.filter(label_id__in=ids).values_list("label_id", "mention__slug"):
            mentions[label_id].append(slug)
        for label_id, slug in Label.prizes.through.objects.filter(label_id__in=ids).values_list("label_id", "prize__slug"):
            prizes[label_id].append(slug)
        threshold = settings.VILLAGE_THRESHOLD
        return [{
            "code": row.territory__code, "name": row.territory__name,
            "category": territory_rules.category(row.territory__kind, row.territory__population, threshold),
            "arobases": row.arobases, "hors_concours": row.hors_concours,
            "mentions": sorted(mentions[row.pk]), "prizes": sorted(prizes[row.pk]), "demo": row.is_demo,
        } for row in rows]


def covered_communes(labels):
    """Communes covered by labels: the labelled communes and the members of labelled EPCI."""
    # EXISTS, not `IN (…) OR IN (…)`: PostgreSQL plans the latter as a scan of the labels
    # for every commune (seconds with 6 000 labels); EXISTS probes the index.
    return Territory.objects.filter(kind=territory_rules.COMMUNE).filter(
        Exists(labels.filter(territory_id=OuterRef("pk"))) | Exists(labels.filter(territory_id=OuterRef("epci_id")))
    )


def network_figures():
    """The home page's figures, computed from the data (2 queries)."""
    counts = Label.objects.aggregate(
        territories=Count("territory", distinct=True),
        labels=Count("id"),
        demo=Count("id", filter=Q(is_demo=True)),
    )
    population = covered_communes(Label.objects.all()).aggregate(total=Sum("population"))["total"] or 0
    return {**counts, "inhabitants": population}


HISTORY_FIGURE, NETWORK_FIGURE = "labels:history", "labels:network"


def _history_data():
    return {
        "editions": [{"year": f.edition.year, "participants": f.edition.participants, "label_count": f.label_count,
                      "demo_count": f.demo_count, "distribution": f.distribution} for f in edition_figures()],
        "population": population_covered_by_edition(),
    }


def register_figures():
    """The statistics' history, stored per version (core/figures.py): at ten times the
    demo's data, aggregating every label for each cold render costs a second of SQL."""
    figures.register(HISTORY_FIGURE, (data_version.PALMARES, data_version.TERRITORIES), _history_data)
    figures.register(NETWORK_FIGURE, (data_version.PALMARES, data_version.TERRITORIES), network_figures)


def stored_network_figures():
    """network_figures(), from the stored figure (the home page's counts)."""
    return figures.get(NETWORK_FIGURE)


def stored_history():
    """(edition_figures() of every edition, newest first; population_covered_by_edition()),
    from the stored figure. Each edition carries its year and participants only."""
    data = figures.get(HISTORY_FIGURE)
    editions = [EditionFigures(Edition(year=row["year"], participants=row["participants"]), row["label_count"], row["demo_count"],
                               row["distribution"]) for row in data["editions"]]
    return editions, {int(year): total for year, total in data["population"].items()}


def population_covered_by_edition():
    """{year: inhabitants} of the communes covered each year, each commune counted once.

    A commune is covered by its own label or by its EPCI's; one SQL query for all years.
    Two plain joins and a UNION (which drops the communes covered twice), not one join
    ON … OR …: that one can only be a nested loop, planned well only with fresh table
    statistics (right after an import, 60 s instead of 0.1 s on PostgreSQL).
    """
    territory = Territory._meta.db_table
    label = Label._meta.db_table
    sql = f"""
        SELECT edition_id, SUM(population) FROM (
            SELECT l.edition_id, c.id, c.population
            FROM {territory} c JOIN {label} l ON l.territory_id = c.id WHERE c.kind = %s
            UNION
            SELECT l.edition_id, c.id, c.population
            FROM {territory} c JOIN {label} l ON l.territory_id = c.epci_id WHERE c.kind = %s
        ) covered GROUP BY edition_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [territory_rules.COMMUNE, territory_rules.COMMUNE])
        return {year: int(total or 0) for year, total in cursor.fetchall()}


def counts_by(year, field):
    """Labels of a year grouped by a territory field, with the distribution."""
    columns = {f"n{level}": Count("id", filter=Q(arobases=level)) for level in LEVELS}
    return (
        Label.objects.filter(edition_id=year)
        .values(field)
        .annotate(total=Count("id"), **columns)
        .order_by(field)
    )


def counts_by_category(year):
    threshold = settings.VILLAGE_THRESHOLD
    groups = {
        territory_rules.VILLAGE: Q(territory__kind=territory_rules.COMMUNE, territory__population__lt=threshold),
        territory_rules.VILLE: Q(territory__kind=territory_rules.COMMUNE, territory__population__gte=threshold),
        territory_rules.TERRITOIRE: Q(territory__kind=territory_rules.EPCI),
    }
    columns = {}
    for category, condition in groups.items():
        columns[f"{category}_total"] = Count("id", filter=condition)
        for level in LEVELS:
            columns[f"{category}_{level}"] = Count("id", filter=condition & Q(arobases=level))
    row = Label.objects.filter(edition_id=year).aggregate(**columns)
    return [
        {"category": category, "total": row[f"{category}_total"], **{f"n{level}": row[f"{category}_{level}"] for level in LEVELS}}
        for category in groups
    ]


def latest_year():
    return Label.objects.order_by("-edition_id").values_list("edition_id", flat=True).first()


def territory_summary(labels):
    """Derived facts of a history for the profile: the contract's summary and more."""
    label_facts = facts(labels)
    latest = labels[-1] if labels else None
    current_streak = rules.streak(label_facts)
    return {
        **rules.summary(label_facts),
        "latest": latest,
        "streak_sentence": rules.streak_sentence(current_streak),
        "first_year": rules.first_label_year(label_facts),
        "progression": rules.progression(label_facts, latest.year) if latest else None,
        "ten_valid_now": latest is not None and rules.ten_valid_in(label_facts, latest.year),
    }


def ten_holders(year):
    """Territories whose Territoire d'excellence numérique is valid in `year` (awarded in
    year − 2 … year), latest award first; one query."""
    first_valid_award = year - rules.TEN_VALIDITY_YEARS + 1
    awards = (
        Label.objects.filter(prizes__slug=rules.TEN, edition_id__gte=first_valid_award, edition_id__lte=year)
        .select_related("territory").order_by("-edition_id", "territory__name")
    )
    holders = {}
    for label in awards:
        holders.setdefault(label.territory_id, label)
    return list(holders.values())


def labelled_by_region(year):
    """[(région, labels that year)] for every région, alphabetical; two queries."""
    counts = dict(Label.objects.filter(edition_id=year).values_list("territory__region").annotate(n=Count("id")).values_list("territory__region", "n"))
    return [(region, counts.get(region.pk, 0)) for region in Territory.objects.filter(kind=territory_rules.REGION).order_by("name")]

"""Conflicts of interest between the people of the season and the candidates.

A person is in conflict with a candidate when they declared it, or when they are attached
(correspondent or local actor) to the candidate, to the EPCI or département containing it,
to a commune it contains, or, when the edition's switch is on, to any territory of the
same département. Having reviewed the same territory last year is only a warning.
Staff may lift a person's conflicts with one candidate, with a reason.
"""

from collections import defaultdict
from dataclasses import dataclass

from arobase.territories import rules as territory_rules

DECLARED = "declare"
SAME_TERRITORY = "meme-territoire"
CONTAINING_EPCI = "epci"
CONTAINING_DEPARTEMENT = "departement"
MEMBER_COMMUNE = "commune-membre"
SAME_DEPARTEMENT = "meme-departement"
REVIEWED_LAST_YEAR = "deja-evalue"

LABELS = {
    DECLARED: "conflit déclaré par la personne",
    SAME_TERRITORY: "rattachée au territoire candidat",
    CONTAINING_EPCI: "rattachée à l'intercommunalité du candidat",
    CONTAINING_DEPARTEMENT: "rattachée au département du candidat",
    MEMBER_COMMUNE: "rattachée à une commune du territoire candidat",
    SAME_DEPARTEMENT: "rattachée à un territoire du même département",
    REVIEWED_LAST_YEAR: "a évalué ce territoire l'an dernier (avertissement)",
}
WARNINGS = frozenset({REVIEWED_LAST_YEAR})


@dataclass(frozen=True)
class Place:
    """A territory's place in the hierarchy (départements are their own département)."""

    pk: int
    kind: str
    departement_id: int | None = None
    epci_id: int | None = None


def detect(attached, candidate, same_departement=False):
    """The conflict kinds between a person attached to the places `attached` and the
    candidate place, in a stable order."""
    kinds = set()
    for place in attached:
        if place.pk == candidate.pk:
            kinds.add(SAME_TERRITORY)
        elif candidate.kind == territory_rules.COMMUNE and place.pk == candidate.epci_id:
            kinds.add(CONTAINING_EPCI)
        elif place.kind == territory_rules.DEPARTEMENT and place.pk == candidate.departement_id:
            kinds.add(CONTAINING_DEPARTEMENT)
        elif place.kind == territory_rules.COMMUNE and (
            (candidate.kind == territory_rules.EPCI and place.epci_id == candidate.pk)
            or (candidate.kind == territory_rules.DEPARTEMENT and place.departement_id == candidate.pk)
        ):
            kinds.add(MEMBER_COMMUNE)
        elif same_departement and place.departement_id and place.departement_id == candidate.departement_id:
            kinds.add(SAME_DEPARTEMENT)
    return sorted(kinds)


@dataclass
class Conflict:
    kind: str
    overridden: str = ""  # the staff's reason when lifted

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def is_warning(self):
        return self.kind in WARNINGS


def blocking(conflicts):
    """Whether these conflicts keep the person away from the dossier."""
    return any(not c.is_warning and not c.overridden for c in conflicts)


def conflict_map(edition, user_ids, territories):
    """{(user id, territory id): [Conflict]} for these people and candidates, in a
    constant number of queries."""
    from arobase.accounts.models import Attachment, Role

    from .models import Declaration, Override, Review

    user_ids = list(set(user_ids))
    fields = ("pk", "kind", "departement_id", "epci_id")
    attached = defaultdict(set)
    rows = Attachment.objects.filter(user_id__in=user_ids, status__in=[Attachment.APPROVED, Attachment.PENDING]).values_list(
        "user_id", *(f"territory__{f}" for f in fields)
    )
    rows = list(rows) + list(Role.objects.filter(user_id__in=user_ids, territory__isnull=False).values_list(
        "user_id", *(f"territory__{f}" for f in fields)
    ))
    for user_id, *place in rows:
        attached[user_id].add(Place(*place))
    declared = set(Declaration.objects.filter(edition=edition, user_id__in=user_ids).values_list("user_id", "territory_id"))
    overrides = dict(((u, t), r) for u, t, r in Override.objects.filter(edition=edition, user_id__in=user_ids).values_list("user_id", "territory_id", "reason"))
    last_year = set(Review.objects.filter(dossier__edition_id=edition.year - 1, evaluator_id__in=user_ids).values_list("evaluator_id", "dossier__territory_id"))
    places = [t if isinstance(t, Place) else Place(t.pk, t.kind, t.departement_id, t.epci_id) for t in territories]
    result = {}
    for user_id in user_ids:
        for candidate in places:
            kinds = detect(attached[user_id], candidate, edition.same_departement_conflicts)
            if (user_id, candidate.pk) in declared:
                kinds.insert(0, DECLARED)
            if (user_id, candidate.pk) in last_year:
                kinds.append(REVIEWED_LAST_YEAR)
            reason = overrides.get((user_id, candidate.pk), "")
            result[(user_id, candidate.pk)] = [Conflict(k, reason if k not in WARNINGS else "") for k in kinds]
    return result


def conflicts_of(edition, user, territory):
    return conflict_map(edition, [user.pk], [territory])[(user.pk, territory.pk)]


def is_conflicted(edition, user, territory):
    return blocking(conflicts_of(edition, user, territory))

"""The jury's decisions: pending and invisible until publication, every change audited."""

from django.conf import settings
from django.db import transaction

from arobase.core.numbers import parse_ids
from arobase.journal.records import record
from arobase.labels import phase_rules
from arobase.labels import rules as label_rules
from arobase.labels.models import Label

from . import conflicts, reviewing, text
from .models import Decision

TEN_REASONS = {
    label_rules.NOT_LABELLED: "pas de label cette année",
    label_rules.NOT_FIVE_AROBASES: "il faut 5 @ cette année",
    label_rules.TOO_FEW_FIVE_AROBASES: "il faut au moins {n} labels 5 @, cette année comprise",
}


class DecisionError(Exception):
    """A refused decision; str() is the French reason."""


def history(territory_ids):
    """{territory id: [LabelFact]} of published labels, in one query (plus prefetch)."""
    facts = {}
    for label in Label.objects.filter(territory_id__in=territory_ids).prefetch_related("mentions", "prizes").order_by("edition_id"):
        facts.setdefault(label.territory_id, []).append(label.fact())
    return facts


def ten_eligibility(past, year, arobases):
    """(eligible, French reason) if the jury gives `arobases` this year."""
    facts = [f for f in past if f.year != year] + [label_rules.LabelFact(year, arobases)]
    eligible, reason = label_rules.ten_eligibility(facts, year, settings.TEN_MIN_FIVE_AROBASES)
    text = TEN_REASONS.get(reason, "").format(n=settings.TEN_MIN_FIVE_AROBASES)
    return eligible, ("éligible : " + f"{sum(1 for f in facts if f.arobases == 5)} labels 5 @" if eligible else "non éligible : " + text)


def snapshot(decision):
    if decision is None or decision.pk is None:
        return None
    return {
        "arobases": decision.arobases, "hors_concours": decision.hors_concours, "ten": decision.ten,
        "mentions": sorted(m.slug for m in decision.mentions.all()), "motivation": decision.rationale,
    }


def parse(data, mention_ids):
    hors_concours = data.get("hors_concours") == "on"
    level = (data.get("arobases") or "").strip()
    if hors_concours:
        arobases = None
    elif level in {"1", "2", "3", "4", "5"}:
        arobases = int(level)
    else:
        raise DecisionError("Choisissez de 1 à 5 @ (tout dossier complet reçoit au moins 1 @), ou hors concours.")
    mentions = [pk for pk in parse_ids(data.getlist("mentions")) if pk in mention_ids]
    return arobases, hors_concours, mentions, data.get("ten") == "on", text.clean(data.get("rationale"), 5000)


def decide(dossier, by, data, suggested, past):
    """Record or change the jury's decision on a submitted dossier."""
    edition = dossier.edition
    if not phase_rules.allows(edition, "can_decide"):
        raise DecisionError("Le jury ne peut pas décider dans la phase actuelle de l'édition.")
    if conflicts.is_conflicted(edition, by, dossier.territory):
        raise DecisionError("Vous avez un conflit d'intérêts avec ce candidat : vous ne prenez pas part à la décision.")
    mention_ids = {m.pk for m in reviewing.offered_mentions(edition)}
    arobases, hors_concours, mentions, ten, rationale = parse(data, mention_ids)
    if ten:
        eligible, reason = ten_eligibility(past, edition.year, arobases)
        if not eligible:
            raise DecisionError(f"Le prix Territoire d'excellence numérique ne peut pas être attribué : {reason}.")
    if suggested is not None and (hors_concours or arobases != suggested) and not rationale:
        raise DecisionError(f"La décision s'écarte du niveau suggéré ({suggested} @) : motivez-la.")
    with transaction.atomic():
        decision = Decision.objects.select_for_update().filter(dossier=dossier).first()
        before = snapshot(decision)
        decision = decision or Decision(dossier=dossier)
        decision.arobases, decision.hors_concours, decision.ten = arobases, hors_concours, ten
        decision.rationale, decision.suggested, decision.decided_by = rationale, suggested, by
        decision.save()
        decision.mentions.set(mentions)
        after = snapshot(decision)
        if before != after:
            record(by, "décision modifiée" if before else "décision prise", edition=edition, territory=dossier.territory, subject="décision", before=before, after=after)
    return decision

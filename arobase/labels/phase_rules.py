"""What each phase of an edition allows (CONTRACT §9): switches that staff set per
edition in the admin, with defaults. Every app asks `allows` before acting; moving
from one phase to the next is the season's business (evaluation.phases)."""

from . import season
from .models import PhaseRule

SWITCHES = ("can_submit", "can_review", "can_see_reviews", "can_decide", "can_publish", "can_appeal")
DEFAULT_SWITCHES = {
    season.PREPARATION: set(),
    season.CANDIDATURES: {"can_submit"},
    season.INSTRUCTION: set(),
    season.EVALUATION: {"can_review", "can_see_reviews"},
    season.DELIBERATION: {"can_see_reviews", "can_decide", "can_publish"},
    season.PUBLIE: {"can_appeal"},
}


def rules_of(edition):
    """{phase: PhaseRule} for the edition, created with the defaults the first time."""
    existing = {rule.phase: rule for rule in PhaseRule.objects.filter(edition=edition)}
    missing = [
        PhaseRule(edition=edition, phase=phase, **{name: name in DEFAULT_SWITCHES[phase] for name in SWITCHES})
        for phase in season.PHASES if phase not in existing
    ]
    if missing:
        PhaseRule.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {rule.phase: rule for rule in PhaseRule.objects.filter(edition=edition)}
    return existing


def allows(edition, switch):
    """Whether the edition's current phase allows `switch` (one of SWITCHES)."""
    rule = PhaseRule.objects.filter(edition=edition, phase=edition.phase).values_list(switch, flat=True).first()
    return switch in DEFAULT_SWITCHES[edition.phase] if rule is None else rule


def next_phase(phase):
    index = season.PHASES.index(phase)
    return season.PHASES[index + 1] if index + 1 < len(season.PHASES) else None


def create_phase_rules(sender, instance, created, raw=False, **kwargs):
    """A new edition gets its phases' default switches at once, so that no page has to."""
    if created and not raw:
        rules_of(instance)

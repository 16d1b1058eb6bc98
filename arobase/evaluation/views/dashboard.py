"""The staff's dashboard of an edition (/gestion/<year>/): the phase and what blocks
the next one, memberships, dossiers, pending attachments and action sheets."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from arobase.accounts.models import Attachment
from arobase.actions import rules as action_rules
from arobase.actions.models import Action
from arobase.dossiers import rules
from arobase.dossiers.models import Dossier, Membership
from arobase.labels import phase_rules, season

from .. import phases
from .access import season_edition


@login_required
def dashboard(request, year):
    edition = season_edition(request, year, "edition.manage")
    following = phase_rules.next_phase(edition.phase)
    rules_by_phase = phase_rules.rules_of(edition)
    memberships = Membership.objects.filter(edition=edition).select_related("territory").order_by("invoice_sequence")
    dossiers = Dossier.objects.filter(edition=edition).select_related("territory").annotate(action_count=Count("actions")).order_by("territory__name")
    membership_counts = dict(memberships.values_list("status").annotate(n=Count("pk")).order_by())
    dossier_counts = dict(dossiers.values_list("state").annotate(n=Count("pk", distinct=True)).order_by())
    context = {
        "edition": edition,
        "memberships": memberships,
        "dossiers": dossiers,
        "membership_counts": [(label, membership_counts.get(key, 0)) for key, label in rules.MEMBERSHIP_STATUS_CHOICES],
        "dossier_counts": [(label, dossier_counts.get(key, 0)) for key, label in rules.DOSSIER_STATE_CHOICES],
        "pending_attachments": Attachment.objects.filter(status=Attachment.PENDING).select_related("user", "territory").order_by("requested_at"),
        "phases": [(key, label, rules_by_phase.get(key)) for key, label in season.PHASE_CHOICES], "next_phase": following,
        "next_phase_label": dict(season.PHASE_CHOICES).get(following, ""),
        "phase_blockers": phases.blockers(edition, timezone.now()) if following else [],
        "pending_actions": Action.objects.filter(state=action_rules.PROPOSED).select_related("territory", "author").order_by("created_at"),
    }
    return render(request, "evaluation/gestion.html", context)

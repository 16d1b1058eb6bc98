"""The staff's dashboard of an edition (/gestion/<year>/), with CSV exports."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from rules import test_rule

from arobase.accounts.models import Attachment
from arobase.actions import rules as action_rules
from arobase.actions.models import Action
from arobase.labels.models import Edition

from . import rules
from .models import Dossier, Membership


def team_edition(request, year):
    if not test_rule("edition.manage", request.user):
        raise PermissionDenied
    return get_object_or_404(Edition, year=year)


@login_required
def dashboard(request, year):
    from arobase.evaluation import phases
    from arobase.labels import season
    from django.utils import timezone

    edition = phases.apply_schedule(team_edition(request, year), timezone.now())
    following = phases.next_phase(edition.phase)
    rules_by_phase = phases.rules_of(edition)
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
    return render(request, "dossiers/gestion.html", context)


class Echo:
    def write(self, value):
        return value


def csv_response(name, header, rows):
    writer = csv.writer(Echo())
    lines = (writer.writerow([safe_cell(v) for v in row]) for row in [header, *rows])
    response = StreamingHttpResponse(("\ufeff" if i == 0 else "") + line for i, line in enumerate(lines))
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def safe_cell(value):
    """A cell a spreadsheet would read as a formula stays text (CONTRACT §7)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def memberships_csv(request, year):
    edition = team_edition(request, year)
    rows = (
        (m.invoice_number, m.territory.code, m.territory.name, m.population, m.fee, m.get_status_display(),
         m.issued_on, m.due_on, m.paid_on or "", m.payment_reference, m.waiver_reason)
        for m in Membership.objects.filter(edition=edition).select_related("territory").order_by("invoice_sequence").iterator()
    )
    header = ["facture", "code", "nom", "population", "cotisation", "statut", "emise_le", "echeance", "payee_le", "reference", "motif_exoneration"]
    return csv_response(f"adhesions-{edition.year}.csv", header, rows)


@login_required
def dossiers_csv(request, year):
    edition = team_edition(request, year)
    rows = (
        (d.territory.code, d.territory.name, d.territory.category or "", d.get_state_display(), d.action_count,
         d.submitted_at.isoformat() if d.submitted_at else "", d.reopen_reason)
        for d in Dossier.objects.filter(edition=edition).select_related("territory").annotate(action_count=Count("actions")).order_by("territory__name")
    )
    header = ["code", "nom", "categorie", "etat", "actions", "depose_le", "motif_reouverture"]
    return csv_response(f"dossiers-{edition.year}.csv", header, rows)

"""The staff's CSV exports of an edition's memberships and dossiers (/gestion/<year>/…)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from rules import test_rule

from arobase.core.csv_files import csv_download
from arobase.labels.models import Edition

from .models import Dossier, Membership


def team_edition(request, year):
    if not test_rule("edition.manage", request.user):
        raise PermissionDenied
    return get_object_or_404(Edition, year=year)


@login_required
def memberships_csv(request, year):
    edition = team_edition(request, year)
    rows = (
        (m.invoice_number, m.territory.code, m.territory.name, m.population, m.fee, m.get_status_display(),
         m.issued_on, m.due_on, m.paid_on or "", m.payment_reference, m.waiver_reason)
        for m in Membership.objects.filter(edition=edition).select_related("territory").order_by("invoice_sequence").iterator()
    )
    header = ["facture", "code", "nom", "population", "cotisation", "statut", "emise_le", "echeance", "payee_le", "reference", "motif_exoneration"]
    return csv_download(f"adhesions-{edition.year}.csv", header, rows)


@login_required
def dossiers_csv(request, year):
    edition = team_edition(request, year)
    rows = (
        (d.territory.code, d.territory.name, d.territory.category or "", d.get_state_display(), d.action_count,
         d.submitted_at.isoformat() if d.submitted_at else "", d.reopen_reason)
        for d in Dossier.objects.filter(edition=edition).select_related("territory").annotate(action_count=Count("actions")).order_by("territory__name")
    )
    header = ["code", "nom", "categorie", "etat", "actions", "depose_le", "motif_reouverture"]
    return csv_download(f"dossiers-{edition.year}.csv", header, rows)

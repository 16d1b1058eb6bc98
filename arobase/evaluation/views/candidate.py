"""The candidate's side of the season: the certificate and the appeal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules import test_rule

from arobase.accounts.permissions import territory_for
from arobase.dossiers import pdf
from arobase.dossiers.models import Dossier
from arobase.labels.models import Label

from .. import appeals


@login_required
def certificate(request, code, year):
    """The laureate's certificate, once the edition is published."""
    territory = territory_for(request, code)
    label = Label.objects.filter(territory=territory, edition_id=year, edition__phase="publie").select_related("edition").prefetch_related("mentions", "prizes").first()
    dossier = Dossier.objects.filter(territory=territory, edition_id=year).select_related("territory").first()
    if label is None or dossier is None or not test_rule("season.certificate", request.user, dossier):
        raise Http404("Aucun label publié pour cette édition.")
    return pdf.response("evaluation/certificate_pdf.html", {"label": label, "territory": territory}, f"certificat-{year}-{territory.code}.pdf")


@login_required
@require_POST
def file_appeal(request, code, year):
    territory = territory_for(request, code)
    dossier = Dossier.objects.filter(territory=territory, edition_id=year).select_related("edition", "territory").first()
    if dossier is None or not test_rule("season.appeal", request.user, dossier):
        raise Http404("Aucun dossier pour cette édition.")
    try:
        appeals.file(dossier, request.user, request.POST.get("reason"), timezone.now())
    except appeals.AppealError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, "Recours déposé : un évaluateur qui n'a pas examiné votre dossier va le réexaminer, puis le jury tranchera.")
    return redirect("dossiers:dossier", code, year)

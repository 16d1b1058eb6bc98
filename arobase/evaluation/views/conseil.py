"""The Conseil d'Orientation's preparation of an edition (/conseil/<year>/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from rules import test_rule

from arobase.labels import rules as label_rules
from arobase.labels import season
from arobase.labels.models import Edition

from .. import preparation


@login_required
def prepare_page(request, year):
    if not test_rule("season.prepare", request.user):
        raise PermissionDenied
    if year not in label_rules.valid_years(timezone.localdate().year):
        raise Http404("Année hors des éditions possibles.")
    edition = Edition.objects.filter(pk=year).first()
    if request.method == "POST":
        try:
            if request.POST.get("operation") == "freeze":
                preparation.freeze(edition or Edition.objects.create(year=year, phase=season.PREPARATION), request.user, timezone.now())
                messages.success(request, f"La préparation de l'édition {year} est figée.")
            else:
                source, copied = preparation.prepare(year, request.user)
                messages.success(request, f"Copié depuis {source} : {', '.join(copied) or 'rien (tout existait déjà)'}.")
        except preparation.PreparationError as problem:
            messages.error(request, str(problem))
        return redirect("evaluation:prepare", year)
    source = preparation.source_year(year)
    context = {
        "year": year, "edition": edition, "source": source,
        "diff": preparation.diff(source, year) if source and edition else [],
    }
    return render(request, "evaluation/prepare.html", context)

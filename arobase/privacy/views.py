"""« Mon compte »: what the platform holds about me, taking it out, and leaving."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import consent, erasure, export
from .forms import DeletionForm, WithdrawalForm


@login_required
def account(request):
    user = request.user
    return render(request, "privacy/account.html", {
        "role_names": export.roles(user),
        "attachments": export.attachments(user),
        "listings": consent.listings(user),
    })


@login_required
def download(request):
    """Everything about me: JSON by default, a ZIP with my files on ?format=zip."""
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "zip":
        response = HttpResponse(export.as_zip(request.user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="mes-donnees-arobase-{stamp}.zip"'
    else:
        response = HttpResponse(export.as_json(export.member_data(request.user)), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mes-donnees-arobase-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete(request):
    user = request.user
    refusal = erasure.refusal(user)
    orphaned = erasure.orphaned_dossiers(user)
    form = DeletionForm(request.POST or None, user=user, warned=bool(orphaned))
    context = {"form": form, "refusal": refusal, "orphaned": orphaned}
    if request.method != "POST":
        return render(request, "privacy/delete.html", context)
    if refusal:
        return render(request, "privacy/delete.html", context, status=403)
    if not form.is_valid():
        return render(request, "privacy/delete.html", context, status=400)
    erasure.erase(user)
    logout(request)
    messages.success(request, "Votre compte a été supprimé et vos données personnelles effacées. Merci d'avoir participé au label.")
    return redirect("public:home")


@login_required
@require_POST
def withdraw_consent(request):
    form = WithdrawalForm(request.POST)
    withdrawn = form.is_valid() and consent.withdraw(request.user, form.cleaned_data["kind"], form.cleaned_data["listing"])
    if not withdrawn:
        return render(request, "privacy/withdraw_failed.html", status=400)
    messages.success(request, f"Vos coordonnées ne sont plus montrées sur la fiche « {withdrawn} ».")
    return redirect("privacy:account")

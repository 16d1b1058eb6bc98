"""A territory's membership and dossier, for its correspondents (CONTRACT §8)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules import test_rule

from arobase.accounts import emails
from arobase.accounts.permissions import territory_for
from arobase.actions import rules as action_rules
from arobase.actions.models import Action
from arobase.core.numbers import parse_ids
from arobase.labels.models import Edition

from . import filing, page_extras, pdf, receipts, rules
from . import membership as memberships
from .models import Dossier, Membership


def edition_or_404(year):
    return get_object_or_404(Edition, year=year)


@login_required
def membership_page(request, code, year):
    territory = territory_for(request, code)
    edition = edition_or_404(year)
    current = Membership.objects.filter(edition=edition, territory=territory).first()
    if request.method == "POST":
        if not test_rule("membership.join", request.user, territory):
            raise PermissionDenied
        try:
            current = memberships.join(edition, territory, request.user)
        except memberships.MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Adhésion enregistrée : facture {current.invoice_number} de {current.fee} €.")
        return redirect("dossiers:membership", code=territory.code, year=edition.year)
    context = {
        "territory": territory, "edition": edition, "membership": current,
        "fee": edition.fee_for(territory), "payment_form": PaymentForm(),
        "can_record": test_rule("membership.record_payment", request.user, territory),
    }
    return render(request, "dossiers/membership.html", context)


class PaymentForm(forms.Form):
    decision = forms.ChoiceField(label="Enregistrer", choices=[("payment", "un paiement"), ("waiver", "une exonération")], widget=forms.RadioSelect, initial="payment")
    paid_on = forms.DateField(label="Date du paiement", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label="Référence (virement, mandat…)", max_length=100, required=False)
    reason = forms.CharField(label="Motif de l'exonération", max_length=2000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "payment" and not (data.get("paid_on") and data.get("reference", "").strip()):
            raise forms.ValidationError("Pour un paiement, indiquez sa date et sa référence.")
        if data.get("decision") == "payment" and data.get("paid_on") and data["paid_on"] > timezone.localdate():
            raise forms.ValidationError("La date du paiement ne peut pas être dans le futur.")
        if data.get("decision") == "waiver" and not data.get("reason", "").strip():
            raise forms.ValidationError("Pour une exonération, indiquez son motif.")
        return data


@login_required
@require_POST
def record_payment(request, code, year):
    territory = territory_for(request, code)
    if not test_rule("membership.record_payment", request.user, territory):
        raise PermissionDenied
    current = get_object_or_404(Membership, edition_id=year, territory=territory)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
    elif form.cleaned_data["decision"] == "payment":
        memberships.record_payment(current, request.user, form.cleaned_data["paid_on"], form.cleaned_data["reference"].strip())
        messages.success(request, f"Paiement de la facture {current.invoice_number} enregistré.")
    else:
        memberships.record_waiver(current, request.user, form.cleaned_data["reason"].strip())
        messages.success(request, f"Exonération de la facture {current.invoice_number} enregistrée.")
    return redirect("dossiers:membership", code=territory.code, year=year)


@login_required
def invoice_pdf(request, code, year):
    territory = territory_for(request, code)
    current = Membership.objects.filter(edition_id=year, territory=territory).select_related("edition", "territory").first()
    if current is None or not test_rule("membership.view", request.user, current):
        raise Http404("Aucune adhésion pour cette édition.")
    return pdf.response("dossiers/invoice_pdf.html", {
        "membership": current, "territory": territory,
        "amount_words": rules.amount_in_words(current.fee),
    }, f"{current.invoice_number}.pdf")


def _dossier_context(request, territory, edition, dossier):
    now = timezone.now()
    candidates = list(
        Action.objects.filter(territory=territory).exclude(state__in=[action_rules.PROPOSED, action_rules.REFUSED])
        .prefetch_related("services__usage__enjeu").order_by("-updated_at")
    )
    chosen_ids = set(dossier.actions.values_list("pk", flat=True)) if dossier.pk else set()
    chosen = [a for a in candidates if a.pk in chosen_ids]
    reasons = filing.eligibility(candidates, edition, now)
    questions = filing.questions_for(edition, territory)
    current_membership = Membership.objects.filter(edition=edition, territory=territory).first()
    return {
        "territory": territory, "edition": edition, "dossier": dossier,
        "candidates": [(a, a.pk in chosen_ids, reasons[a.pk]) for a in candidates],
        "questions": [(q, dossier.answers.get(str(q.pk), "")) for q in questions],
        "mosaic": filing.mosaic(edition, chosen),
        "blocking": [] if dossier.is_frozen else filing.checklist(dossier, chosen, questions, current_membership, now),
        "membership": current_membership,
        "window_refusal": filing.window_refusal(dossier, now),
        "can_edit": test_rule("dossier.edit", request.user, territory) and not dossier.is_frozen and not filing.window_refusal(dossier, now),
        "can_reopen": test_rule("dossier.reopen", request.user, territory) and dossier.is_frozen,
        **page_extras.context(request, edition, dossier, now),
    }


@login_required
def dossier_page(request, code, year):
    territory = territory_for(request, code)
    edition = edition_or_404(year)
    dossier = Dossier.objects.filter(edition=edition, territory=territory).first() or Dossier(edition=edition, territory=territory)
    if request.method == "POST":
        return _update_dossier(request, territory, edition, dossier)
    return render(request, "dossiers/dossier.html", _dossier_context(request, territory, edition, dossier))


def _update_dossier(request, territory, edition, dossier):
    if not test_rule("dossier.edit", request.user, territory):
        raise PermissionDenied
    now = timezone.now()
    back = redirect("dossiers:dossier", code=territory.code, year=edition.year)
    try:
        if dossier.pk is None:
            dossier = filing.dossier_for(edition, territory)
        filing.ensure_editable(dossier, now)
        if request.POST.get("submit") == "1":
            dossier = filing.submit(dossier, request.user, now)
            if receipts.send(dossier, request.build_absolute_uri("/")):
                messages.success(request, "Dossier déposé. Un accusé de réception avec le résumé en PDF a été envoyé aux correspondants.")
            else:
                messages.success(request, "Dossier déposé.")
                messages.warning(request, "L'accusé de réception n'a pas pu être envoyé pour l'instant : il le sera automatiquement "
                                          "dans les prochaines minutes. Le résumé en PDF est déjà téléchargeable sur cette page.")
            return back
        ids = parse_ids(request.POST.getlist("actions"))
        with transaction.atomic():
            # Read again under the row's lock: a submission that happened since this
            # request read the dossier is refused here, not overwritten with a draft; and
            # the chosen actions and the answers are written together or not at all.
            dossier = Dossier.objects.select_for_update().select_related("edition", "territory").get(pk=dossier.pk)
            filing.ensure_editable(dossier, now)
            allowed = Action.objects.filter(territory=territory, pk__in=ids).exclude(state__in=[action_rules.PROPOSED, action_rules.REFUSED])
            dossier.actions.set(allowed)
            answers = {}
            for question in filing.questions_for(edition, territory):
                value = request.POST.get(f"question-{question.pk}", "").replace("\x00", "")[:5000]
                answers[str(question.pk)] = value
            dossier.answers = answers
            dossier.save()
        messages.success(request, "Dossier enregistré.")
    except filing.FilingError as error:
        messages.error(request, str(error))
    return back


@login_required
def dossier_summary_pdf(request, code, year):
    territory = territory_for(request, code)
    dossier = Dossier.objects.filter(edition_id=year, territory=territory).select_related("edition", "territory").first()
    if dossier is None:
        raise Http404("Aucun dossier pour cette édition.")
    return pdf.response("dossiers/receipt_pdf.html", receipts.summary_context(dossier), receipts.file_name(dossier))


@login_required
@require_POST
def reopen(request, code, year):
    territory = territory_for(request, code)
    if not test_rule("dossier.reopen", request.user, territory):
        raise PermissionDenied
    dossier = get_object_or_404(Dossier.objects.select_related("edition", "territory"), edition_id=year, territory=territory)
    try:
        filing.reopen(dossier, request.user, request.POST.get("reason", "").replace("\x00", "")[:2000])
    except filing.FilingError as error:
        messages.error(request, str(error))
    else:
        from arobase.accounts.models import Attachment

        recipients = list(Attachment.objects.filter(territory=territory, status=Attachment.APPROVED).values_list("user__email", flat=True))
        told = bool(recipients) and emails.send("dossier_reopened", recipients, {
            "dossier": dossier, "link": request.build_absolute_uri(reverse("dossiers:dossier", args=[territory.code, year])),
        })
        if told:
            messages.success(request, "Dossier rouvert ; les correspondants sont prévenus par e-mail.")
        elif recipients:
            messages.warning(request, "Dossier rouvert, mais l'e-mail aux correspondants n'a pas pu partir (serveur de messagerie) : "
                                      "prévenez-les autrement.")
        else:
            messages.warning(request, "Dossier rouvert. Aucun correspondant n'est rattaché à ce territoire : personne n'a été prévenu.")
    return redirect("dossiers:dossier", code=territory.code, year=year)

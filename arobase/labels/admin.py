"""Staff tools: editions, catalogue, labels, and the palmarès import with a preview."""

import hashlib
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from arobase.core.admin_fields import SafeFieldsAdmin

from . import rules, season
from .models import Edition, Label, Mention, PendingImport, PhaseRule, Prize
from .palmares_csv.applying import apply_plan
from .palmares_csv.planning import plan_import

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SIGNING_SALT = "arobase.palmares-import"
PENDING_LIFETIME = timedelta(days=1)


@admin.register(Edition)
class EditionAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    """The phase is the season's: it changes only through /gestion/<year>/, which checks
    what blocks the next phase and journals the move. A new edition starts either in
    preparation (a season to come) or published (a past one, recorded for history)."""

    list_display = ["year", "number", "phase", "closing_date", "ceremony_date", "ceremony_place", "participants"]
    list_filter = ["phase"]
    ordering = ["-year"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "phase"] if obj is not None else super().get_readonly_fields(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "phase":
            kwargs["choices"] = [(key, label) for key, label in season.PHASE_CHOICES if key in (season.PREPARATION, season.PUBLIE)]
            kwargs["help_text"] = "Ensuite, la phase change depuis le tableau de bord de l'édition (/gestion/<année>/)."
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Mention)
class MentionAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "first_year", "last_year", "green_arobase"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Prize)
class PrizeAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "slug"]


class LabelForm(forms.ModelForm):
    class Meta:
        model = Label
        fields = ["territory", "edition", "arobases", "hors_concours", "mentions", "prizes", "is_demo"]

    def clean(self):
        data = super().clean()
        if data.get("hors_concours") and data.get("arobases"):
            raise ValidationError("Un label hors concours n'a pas d'arobases.")
        if not data.get("hors_concours") and not data.get("arobases"):
            raise ValidationError("Indiquez de 1 à 5 arobases, ou cochez « hors concours ».")
        if data.get("arobases") and not 1 <= data["arobases"] <= 5:
            self.add_error("arobases", "De 1 à 5 arobases.")
        prizes = data.get("prizes") or []
        territory, edition = data.get("territory"), data.get("edition")
        if any(p.slug == rules.TEN for p in prizes) and territory and edition:
            self._check_ten(territory, edition.year, data)
        return data

    def _check_ten(self, territory, year, data):
        """The jury may award the TEN prize only to an eligible territory (CONTRACT §3)."""
        others = [label.fact() for label in territory.labels.exclude(pk=self.instance.pk).prefetch_related("prizes", "mentions")]
        this = rules.LabelFact(year, data.get("arobases"), bool(data.get("hors_concours")))
        eligible, reason = rules.ten_eligibility(others + [this], year, settings.TEN_MIN_FIVE_AROBASES)
        if not eligible:
            why = {
                rules.NOT_FIVE_AROBASES: "le label de l'année doit être de 5 @",
                rules.TOO_FEW_FIVE_AROBASES: f"il faut au moins {settings.TEN_MIN_FIVE_AROBASES} labels 5 @, cette année comprise",
            }.get(reason, reason)
            self.add_error("prizes", f"Territoire d'excellence numérique impossible : {why}.")


class PalmaresUploadForm(forms.Form):
    file = forms.FileField(label="Fichier CSV du palmarès", help_text="UTF-8, séparé par des virgules ou des points-virgules ; 5 Mo au plus.")
    replace = forms.BooleanField(label="Remplacer les labels déjà enregistrés qui diffèrent", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError("Le fichier doit être un CSV (extension .csv).")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("Fichier trop volumineux : 5 Mo au plus.")
        content = upload.read()
        if b"\x00" in content:
            raise ValidationError("Ce fichier n'est pas un fichier texte CSV.")
        return content


@admin.register(Label)
class LabelAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    form = LabelForm
    list_display = ["territory", "edition", "arobases", "hors_concours", "is_demo"]
    list_filter = ["edition", "arobases", "hors_concours", "is_demo", "mentions"]
    search_fields = ["territory__search_name", "territory__code"]
    raw_id_fields = ["territory"]
    list_select_related = ["territory"]
    change_list_template = "admin/labels/label/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="labels_label_import"),
        ] + super().get_urls()

    def import_view(self, request):
        """Upload → preview of what will change → confirm. Nothing is written before confirm."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "Importer un palmarès"}
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        form = PalmaresUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            content, replace = form.cleaned_data["file"], form.cleaned_data["replace"]
            plan = plan_import(content, replace=replace)
            PendingImport.objects.filter(uploaded_at__lt=timezone.now() - PENDING_LIFETIME).delete()
            pending = PendingImport.objects.create(
                content=content, sha256=hashlib.sha256(content).hexdigest(), replace=replace,
                file_name=request.FILES["file"].name[:255], uploaded_by=request.user,
            ) if plan.ok else None
            payload = signing.dumps({"id": str(pending.pk), "sha256": pending.sha256}, salt=SIGNING_SALT) if pending else ""
            context.update({"plan": plan, "payload": payload, "replace": replace, "file_name": request.FILES["file"].name})
            return TemplateResponse(request, "admin/labels/label/import_preview.html", context)
        context["form"] = form
        return TemplateResponse(request, "admin/labels/label/import_form.html", context)

    def _confirm(self, request):
        """Only a signed reference travels: the file stays on the server since its preview.
        The preview is locked and the plan made again inside the write transaction: two
        confirmations of one preview, or a label stored since the preview, end in a
        message and nothing written."""
        try:
            data = signing.loads(request.POST.get("payload", ""), salt=SIGNING_SALT, max_age=PENDING_LIFETIME)
            reference = {"pk": data["id"], "sha256": data["sha256"], "uploaded_by": request.user}
            PendingImport.objects.filter(**reference).exists()  # a malformed id fails here, not in the transaction
        except (signing.BadSignature, KeyError, ValueError, ValidationError):
            messages.error(request, "Aperçu expiré ou altéré : déposez le fichier à nouveau.")
            return redirect("admin:labels_label_import")
        try:
            with transaction.atomic():
                pending = PendingImport.objects.select_for_update().filter(**reference).first()
                if pending is None:
                    messages.error(request, "Aperçu expiré ou altéré : déposez le fichier à nouveau (un aperçu déjà confirmé n'est jamais importé une seconde fois).")
                    return redirect("admin:labels_label_import")
                plan = plan_import(bytes(pending.content), replace=pending.replace)
                if not plan.ok:  # the database changed since the preview
                    messages.error(request, "Le palmarès a changé depuis l'aperçu : déposez le fichier à nouveau. " + " ; ".join(plan.errors[:5]))
                    return redirect("admin:labels_label_import")
                apply_plan(plan)
                pending.delete()
        except IntegrityError:
            messages.error(request, "Un label a été enregistré pendant l'import : rien n'a été écrit. Déposez le fichier à nouveau pour en voir l'aperçu.")
            return redirect("admin:labels_label_import")
        messages.success(
            request,
            f"Palmarès importé : {plan.created_count} label(s) créé(s), {plan.replaced_count} remplacé(s), {plan.unchanged_count} déjà à jour.",
        )
        return redirect(reverse("admin:labels_label_changelist"))


@admin.register(PhaseRule)
class PhaseRuleAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["edition", "phase", "starts_on", "ends_on", "can_submit", "can_review", "can_see_reviews", "can_decide", "can_publish", "can_appeal"]
    list_filter = ["edition", "phase"]
    list_editable = ["can_submit", "can_review", "can_see_reviews", "can_decide", "can_publish", "can_appeal"]

    def has_add_permission(self, request):
        return False  # created with their defaults for every edition

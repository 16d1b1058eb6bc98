"""Memberships (adhésions) with their invoices, and the yearly dossiers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arobase.actions.models import Action
from arobase.labels.models import Edition
from arobase.territories.models import Territory

from . import rules


class InvoiceCounter(models.Model):
    """The last invoice number given in an edition: locked while a number is taken,
    so numbers have no gap and no duplicate, whatever the concurrency."""

    edition = models.OneToOneField(Edition, primary_key=True, on_delete=models.CASCADE)
    last = models.PositiveIntegerField(default=0)


class Membership(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("édition"))
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("territoire"))
    fee = models.DecimalField(_("cotisation (€)"), max_digits=9, decimal_places=2)
    population = models.PositiveIntegerField(_("population retenue"))
    population_vintage = models.PositiveSmallIntegerField(_("millésime de la population"))
    invoice_sequence = models.PositiveIntegerField(_("rang de la facture"))
    invoice_number = models.CharField(_("numéro de facture"), max_length=20, unique=True)
    issued_on = models.DateField(_("émise le"))
    due_on = models.DateField(_("échéance"))
    status = models.CharField(_("statut"), max_length=10, choices=rules.MEMBERSHIP_STATUS_CHOICES, default=rules.DUE)
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    payment_reference = models.CharField(_("référence du paiement"), max_length=100, blank=True)
    waiver_reason = models.TextField(_("motif de l'exonération"), blank=True)
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["-edition_id", "invoice_sequence"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "territory"], name="membership_once_per_edition"),
            models.UniqueConstraint(fields=["edition", "invoice_sequence"], name="invoice_sequence_per_edition"),
        ]

    def __str__(self):
        return f"{self.invoice_number} {self.territory.name}"

    @property
    def is_settled(self):
        return self.status in (rules.PAID, rules.WAIVED)


class Question(models.Model):
    """A question of an edition's questionnaire, for one category or for all."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="questions", verbose_name=_("édition"))
    category = models.CharField(_("catégorie"), max_length=10, blank=True, choices=rules.CATEGORY_CHOICES, help_text=_("Vide : pour toutes les catégories."))
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("aide"), max_length=300, blank=True)
    required = models.BooleanField(_("obligatoire"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("question")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Dossier(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("édition"))
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("territoire"))
    state = models.CharField(_("état"), max_length=10, choices=rules.DOSSIER_STATE_CHOICES, default=rules.DRAFT, db_index=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="dossiers", verbose_name=_("actions"))
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    snapshot = models.JSONField(_("actions telles que déposées"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    receipt_sent_at = models.DateTimeField(_("accusé de réception envoyé le"), null=True, blank=True, editable=False)
    reopened_at = models.DateTimeField(_("rouvert le"), null=True, blank=True)
    reopen_reason = models.TextField(_("motif de la réouverture"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [models.UniqueConstraint(fields=["edition", "territory"], name="dossier_once_per_edition")]

    def __str__(self):
        return f"{self.territory.name} {self.edition_id}"

    @property
    def is_frozen(self):
        return self.state == rules.SUBMITTED

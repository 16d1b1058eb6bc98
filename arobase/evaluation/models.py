"""The association's side of an edition: phases, grid, reviews, conflicts, decisions,
the outbox of notifications, appeals, and the audit log that traces them all."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arobase.dossiers.models import Dossier
from arobase.labels.models import Edition, Label, Mention
from arobase.referential.models import Axe, Enjeu
from arobase.territories.models import Territory

USER = settings.AUTH_USER_MODEL


class Criterion(models.Model):
    """A criterion of an edition's grid; the grid is copied forward every year."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("édition"))
    name = models.CharField(_("critère"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("note maximale"), default=4, help_text=_("Les notes vont de 0 à cette valeur."))
    required = models.BooleanField(_("obligatoire"), default=True)
    axes = models.ManyToManyField(Axe, blank=True, related_name="+", verbose_name=_("limité aux axes"))
    enjeux = models.ManyToManyField(Enjeu, blank=True, related_name="+", verbose_name=_("limité aux enjeux"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("grille d'évaluation")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One evaluator's assignment to one dossier, and the review they write for it.
    `purpose` tells a first evaluation from the re-examination of an appeal."""

    EVALUATION, APPEAL = "evaluation", "recours"
    PURPOSE_CHOICES = [(EVALUATION, _("évaluation")), (APPEAL, _("réexamen d'un recours"))]

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("dossier"))
    evaluator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("évaluateur"))
    purpose = models.CharField(_("objet"), max_length=10, choices=PURPOSE_CHOICES, default=EVALUATION)
    assigned_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("affecté le"), auto_now_add=True)
    scores = models.JSONField(_("notes"), default=dict, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    proposed_arobases = models.PositiveSmallIntegerField(_("@ proposées"), null=True, blank=True)
    proposed_mentions = models.ManyToManyField(Mention, blank=True, related_name="+", verbose_name=_("mentions proposées"))
    score = models.FloatField(_("note pondérée (sur 100)"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("avis d'évaluation")
        verbose_name_plural = _("avis d'évaluation")
        ordering = ["dossier__territory__name", "assigned_at"]
        constraints = [models.UniqueConstraint(fields=["dossier", "evaluator", "purpose"], name="review_once_per_evaluator")]

    def __str__(self):
        return f"{self.dossier} — {self.evaluator.get_full_name() or self.evaluator.email}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Declaration(models.Model):
    """A conflict of interest declared by the person themselves."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="conflict_declarations")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+", verbose_name=_("territoire"))
    reason = models.CharField(_("motif"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflit déclaré")
        verbose_name_plural = _("conflits déclarés")
        constraints = [models.UniqueConstraint(fields=["edition", "user", "territory"], name="declaration_once")]


class Override(models.Model):
    """Staff lift the conflicts of one person with one candidate, with a reason."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("motif"), max_length=300)
    by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("levée de conflit")
        verbose_name_plural = _("levées de conflit")
        constraints = [models.UniqueConstraint(fields=["edition", "user", "territory"], name="override_once")]


class Decision(models.Model):
    """The jury's decision on a dossier: pending, and invisible to the public, until the
    edition is published (CONTRACT §9); publication turns it into a Label."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="decision")
    arobases = models.PositiveSmallIntegerField(_("@ attribuées"), null=True, blank=True)
    hors_concours = models.BooleanField(_("hors concours"), default=False)
    mentions = models.ManyToManyField(Mention, blank=True, related_name="+", verbose_name=_("mentions"))
    ten = models.BooleanField(_("prix Territoire d'excellence numérique"), default=False)
    suggested = models.PositiveSmallIntegerField(_("niveau suggéré"), null=True, blank=True)
    rationale = models.TextField(_("motivation"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    label = models.OneToOneField(Label, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision")

    class Meta:
        verbose_name = _("décision du jury")
        verbose_name_plural = _("décisions du jury")


class JuryNote(models.Model):
    """A line of the jury's discussion of a dossier (hidden from conflicted members)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="jury_notes")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("note"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]


class OutboxMessage(models.Model):
    """A notification e-mail waiting for staff's review, released by them, then sent once
    by `arobase send_outbox` (cron): `key` makes a second queueing a no-op, and a message
    is claimed, with the time, before it is sent."""

    PENDING, RELEASED, SENDING, SENT, FAILED = "attente", "valide", "envoi", "envoye", "echec"
    STATUS_CHOICES = [(PENDING, _("à relire")), (RELEASED, _("validé, en file d'envoi")), (SENDING, _("en cours d'envoi")),
                      (SENT, _("envoyé")), (FAILED, _("échec"))]

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="outbox")
    key = models.CharField(max_length=200, unique=True)
    template = models.CharField(_("modèle"), max_length=60)
    to = models.EmailField(_("destinataire"))
    territory = models.ForeignKey(Territory, null=True, on_delete=models.SET_NULL, related_name="+")
    context = models.JSONField(default=dict)
    status = models.CharField(_("statut"), max_length=8, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message à envoyer")
        verbose_name_plural = _("messages à envoyer")
        ordering = ["pk"]


class Appeal(models.Model):
    """A candidate's appeal against the published decision, re-examined by an evaluator
    without conflict, then decided by the jury."""

    FILED, EXAMINED, DECIDED = "depose", "examine", "decide"
    STATE_CHOICES = [(FILED, _("déposé")), (EXAMINED, _("réexaminé")), (DECIDED, _("tranché"))]

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="appeal")
    filed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("motif du recours"))
    state = models.CharField(_("état"), max_length=8, choices=STATE_CHOICES, default=FILED)
    outcome = models.TextField(_("décision sur le recours"), blank=True)
    arobases_before = models.PositiveSmallIntegerField(null=True, blank=True)
    arobases_after = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recours")
        verbose_name_plural = _("recours")

    @property
    def changed_label(self):
        return self.state == self.DECIDED and self.arobases_after != self.arobases_before

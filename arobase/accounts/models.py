from django.conf import settings
from django.db import models


class FailedLogin(models.Model):
    """One failed login attempt: what the throttle counts, shared by every worker."""

    username = models.CharField(max_length=254, db_index=True)  # normalised: see throttle.normalise
    address = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "échec de connexion"
        verbose_name_plural = "échecs de connexion"


class Role(models.Model):
    """A role held by a user, other than correspondent (see Attachment)."""

    STAFF, EVALUATOR, JURY, CONSEIL, LOCAL_ACTOR = "staff", "evaluateur", "jury", "conseil", "acteur"
    KIND_CHOICES = [
        (STAFF, "équipe de l'association"),
        (EVALUATOR, "évaluateur"),
        (JURY, "membre du jury"),
        (CONSEIL, "membre du Conseil d'Orientation"),
        (LOCAL_ACTOR, "acteur local"),
    ]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField("rôle", max_length=12, choices=KIND_CHOICES)
    territory = models.ForeignKey(
        "territories.Territory", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name="territoire", help_text="Pour un acteur local : le territoire où il agit.",
    )
    organisation = models.CharField("organisation", max_length=200, blank=True)
    granted_at = models.DateTimeField("attribué le", auto_now_add=True)

    class Meta:
        verbose_name = "rôle"
        verbose_name_plural = "rôles"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="role_once_per_user")]

    def __str__(self):
        return f"{self.user} : {self.get_kind_display()}"


class Attachment(models.Model):
    """A user's link to a territory as its correspondent: asked, then decided by staff,
    or created from a correspondent's invitation."""

    PENDING, APPROVED, REFUSED, ENDED = "attente", "approuve", "refuse", "termine"
    STATUS_CHOICES = [
        (PENDING, "en attente"),
        (APPROVED, "approuvé"),
        (REFUSED, "refusé"),
        (ENDED, "terminé"),
    ]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attachments")
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE, related_name="attachments", verbose_name="territoire")
    status = models.CharField("statut", max_length=10, choices=STATUS_CHOICES, default=PENDING)
    function = models.CharField("fonction", max_length=200, blank=True, help_text="Ex. : chargé de mission numérique, adjoint au maire")
    message = models.TextField("message", blank=True, max_length=2000)
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    reason = models.TextField("motif", blank=True, max_length=2000)

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "territory"], condition=models.Q(status__in=["attente", "approuve"]),
                name="attachment_one_open_per_user_and_territory",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.territory} ({self.get_status_display()})"


class Invitation(models.Model):
    """A correspondent invites someone by e-mail to share the territory's space."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField("adresse e-mail")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation"


class DemoAccount(models.Model):
    """Marks an account created by `arobase demo` (check --deploy warns while any exists)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="demo_account")

    class Meta:
        verbose_name = "compte de démonstration"

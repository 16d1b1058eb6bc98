from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """Who did what, when, from what to what. The territory's name is copied at write
    time and the links are nulled, never cascaded: deleting a territory, an edition or
    an account leaves the history readable."""

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("par"))
    # Whether a person acted (the account may be gone since) or the platform itself (cron, calendar).
    by_member = models.BooleanField(_("par un membre"), default=False)
    territory = models.ForeignKey("territories.Territory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("territoire"))
    territory_name = models.CharField(_("nom du territoire"), max_length=200, blank=True)
    edition = models.ForeignKey("labels.Edition", null=True, blank=True, on_delete=models.SET_NULL, related_name="journal", verbose_name=_("édition"))
    subject = models.CharField(_("objet"), max_length=60, blank=True)
    verb = models.CharField(_("action"), max_length=300)
    detail = models.TextField(_("détail"), blank=True)
    before = models.JSONField(_("avant"), null=True, blank=True)
    after = models.JSONField(_("après"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["edition", "-at"], name="journal_edition_at")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} : {self.verb}"

    @property
    def actor_label(self):
        if self.actor is not None:
            return self.actor.email
        return _("ancien membre") if self.by_member else _("automatique")

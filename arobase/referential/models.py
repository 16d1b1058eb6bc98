"""The national referential, axe > enjeu > usage > service, one version per edition.

Slugs are stable from one edition to the next: copying the referential forward keeps
them, so that an action's service is recognised in every later edition.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from arobase.labels.models import Edition, slug_starts_with_a_letter


class Node(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, validators=[slug_starts_with_a_letter])
    name = models.CharField(_("nom"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Axe(Node):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="axes", verbose_name=_("édition"))

    class Meta(Node.Meta):
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        constraints = [models.UniqueConstraint(fields=["edition", "slug"], name="axe_slug_per_edition")]


class Enjeu(Node):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+", verbose_name=_("édition"))
    axe = models.ForeignKey(Axe, on_delete=models.CASCADE, related_name="enjeux", verbose_name=_("axe"))

    class Meta(Node.Meta):
        verbose_name = _("enjeu")
        verbose_name_plural = _("enjeux")
        constraints = [models.UniqueConstraint(fields=["edition", "slug"], name="enjeu_slug_per_edition")]


class Usage(Node):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+", verbose_name=_("édition"))
    enjeu = models.ForeignKey(Enjeu, on_delete=models.CASCADE, related_name="usages", verbose_name=_("enjeu"))

    class Meta(Node.Meta):
        verbose_name = _("usage")
        verbose_name_plural = _("usages")
        constraints = [models.UniqueConstraint(fields=["edition", "slug"], name="usage_slug_per_edition")]


class Service(Node):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+", verbose_name=_("édition"))
    usage = models.ForeignKey(Usage, on_delete=models.CASCADE, related_name="services", verbose_name=_("usage"))

    class Meta(Node.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [models.UniqueConstraint(fields=["edition", "slug"], name="service_slug_per_edition")]

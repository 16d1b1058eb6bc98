from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import rules


def category_condition(category, prefix=""):
    """A Q selecting the territories of a category (village, ville, territoire); `prefix`
    is the path to the territory ("territory__" from a label or an action)."""
    threshold = settings.VILLAGE_THRESHOLD
    if category == rules.TERRITOIRE:
        return models.Q(**{f"{prefix}kind": rules.EPCI})
    if category == rules.VILLAGE:
        return models.Q(**{f"{prefix}kind": rules.COMMUNE, f"{prefix}population__lt": threshold})
    if category == rules.VILLE:
        return models.Q(**{f"{prefix}kind": rules.COMMUNE, f"{prefix}population__gte": threshold})
    raise ValueError(f"Unknown category: {category}")


class TerritoryQuerySet(models.QuerySet):
    def outside_regions(self):
        """Communes, EPCI and départements: what /territoires/<code>/ may show."""
        return self.exclude(kind=rules.REGION)

    def search(self, query):
        """Match a name, code or postal code; rank exact code, exact name, prefix, population."""
        key = rules.search_key(query)
        code = query.strip().upper()
        if not key:
            return self.none()
        matches = (
            models.Q(code=code)
            | models.Q(search_name__contains=key)
            | models.Q(postal_codes__contains=key)
        )
        rank = models.Case(
            models.When(code=code, then=0),
            models.When(search_name=key, then=1),
            models.When(search_name__startswith=key, then=2),
            default=3,
        )
        return (
            self.filter(matches)
            .annotate(rank=rank)
            .order_by("rank", models.F("population").desc(nulls_last=True), "name", "code")
        )


class Territory(models.Model):
    """A commune, an EPCI, a département or a région of the national reference."""

    KIND_CHOICES = [
        (rules.COMMUNE, _("commune")),
        (rules.EPCI, _("intercommunalité")),
        (rules.DEPARTEMENT, _("département")),
        (rules.REGION, _("région")),
    ]

    kind = models.CharField(_("type"), max_length=12, choices=KIND_CHOICES)
    code = models.CharField(_("code"), max_length=9)
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    population = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    postal_codes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    departement = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to={"kind": rules.DEPARTEMENT}, verbose_name=_("département"),
    )
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to={"kind": rules.REGION}, verbose_name=_("région"),
    )
    epci = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
        limit_choices_to={"kind": rules.EPCI}, verbose_name=_("intercommunalité"),
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code"),
        ]
        indexes = [models.Index(fields=["code"]), models.Index(fields=["kind", "-population"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_name = rules.search_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.kind == rules.REGION:
            return reverse("public:region", args=[self.code])
        return reverse("public:territory", args=[self.code])

    @property
    def category(self):
        return rules.category(self.kind, self.population, settings.VILLAGE_THRESHOLD)

    @property
    def postal_code_list(self):
        return self.postal_codes.split()

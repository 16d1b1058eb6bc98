import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arobase.territories.models import Territory

from . import rules, season


class Edition(models.Model):
    """One yearly edition of the label; its primary key is the label year."""

    year = models.PositiveSmallIntegerField(_("année du label"), primary_key=True)
    opening_date = models.DateField(_("ouverture des candidatures"), null=True, blank=True)
    closing_date = models.DateField(_("clôture des dossiers"), null=True, blank=True)
    jury_date = models.DateField(_("réunion du jury"), null=True, blank=True)
    ceremony_date = models.DateField(_("cérémonie"), null=True, blank=True)
    ceremony_place = models.CharField(_("lieu de la cérémonie"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(
        _("participants"), null=True, blank=True,
        help_text=_("Nombre de collectivités participantes annoncé ; à défaut, le nombre de labels."),
    )
    phase = models.CharField(
        _("phase"), max_length=12, choices=season.PHASE_CHOICES, default=season.PUBLIE,
        help_text=_("Avant « publié », aucune décision de l'édition n'est publique."),
    )
    # Membership terms (CONTRACT §2): the association sets them for each edition.
    fee_rate = models.DecimalField(_("cotisation par habitant (€)"), max_digits=6, decimal_places=4, default=season.DEFAULT_FEE_RATE)
    fee_min = models.DecimalField(_("cotisation minimale (€)"), max_digits=9, decimal_places=2, default=season.DEFAULT_FEE_MIN)
    fee_max = models.DecimalField(_("cotisation maximale (€)"), max_digits=9, decimal_places=2, default=season.DEFAULT_FEE_MAX)
    filing_requires_payment = models.BooleanField(
        _("dépôt réservé aux adhésions réglées"), default=False,
        help_text=_("Si coché, un dossier ne peut être déposé que si l'adhésion est payée ou exonérée."),
    )
    payment_days = models.PositiveSmallIntegerField(_("délai de paiement (jours)"), default=30)
    # The season (issue « évaluation, jury, publication »).
    same_departement_conflicts = models.BooleanField(
        _("conflit d'intérêts pour tout le département"), default=False,
        help_text=_("Si coché, une personne rattachée à un territoire d'un département est en conflit avec tous les candidats de ce département."),
    )
    appeal_days = models.PositiveSmallIntegerField(_("délai de recours (jours)"), default=30)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)
    mentions = models.ManyToManyField("Mention", blank=True, related_name="editions", verbose_name=_("mentions ouvertes"))
    frozen_at = models.DateTimeField(
        _("préparation figée le"), null=True, blank=True, editable=False,
        help_text=_("Le Conseil d'Orientation a validé le référentiel, la grille, le questionnaire et les mentions."),
    )

    class Meta:
        verbose_name = _("édition")
        verbose_name_plural = _("éditions")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=rules.FIRST_YEAR), name="edition_year_from_2000")]

    def __str__(self):
        return _("Édition %(number)s (label %(year)s)") % {"number": self.number, "year": self.year}

    @property
    def number(self):
        return rules.edition_number(self.year)

    @property
    def is_published(self):
        return self.phase == season.PUBLIE

    @property
    def opens(self):
        return season.opening_moment(self.opening_date)

    @property
    def closes(self):
        return season.closing_moment(self.closing_date)

    def fee_for(self, territory):
        from arobase.territories.rules import membership_fee

        return membership_fee(territory.kind, territory.population, self.fee_rate, self.fee_min, self.fee_max)


# A slug starts with a letter: "-A1" or "=1" would be read as a formula by a spreadsheet.
slug_starts_with_a_letter = RegexValidator(
    r"^[a-z][a-z0-9-]*\Z",
    _("L'identifiant commence par une lettre minuscule, suivie de lettres minuscules, de chiffres ou de tirets (ex. : democratie-locale)."),
)


class Mention(models.Model):
    """A thematic mention of the catalogue; the Conseil d'Orientation extends it."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True, validators=[slug_starts_with_a_letter])
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("première année"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("dernière année"), null=True, blank=True)
    green_arobase = models.BooleanField(_("@ verte sur le panneau"), default=False)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Prize(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True, validators=[slug_starts_with_a_letter])
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("prix")
        verbose_name_plural = _("prix")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LabelQuerySet(models.QuerySet):
    def real(self):
        return self.filter(is_demo=False)

    def with_details(self):
        return self.select_related("territory").prefetch_related("mentions", "prizes")


class Label(models.Model):
    """A territory's label for one year: 1 to 5 @, or hors concours."""

    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="labels", verbose_name=_("territoire"))
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="labels", verbose_name=_("édition"))
    arobases = models.PositiveSmallIntegerField(_("arobases"), null=True, blank=True)
    hors_concours = models.BooleanField(_("hors concours"), default=False)
    mentions = models.ManyToManyField(Mention, blank=True, related_name="labels", verbose_name=_("mentions"))
    prizes = models.ManyToManyField(Prize, blank=True, related_name="labels", verbose_name=_("prix"))
    is_demo = models.BooleanField(
        _("donnée de démonstration"), default=False,
        help_text=_("Générée par « arobase demo » : jamais présentée comme réelle, exclue des données ouvertes."),
    )
    note = models.CharField(_("note publique"), max_length=500, blank=True, help_text=_("Par exemple : label modifié après recours."))

    objects = LabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["-edition_id", "territory__name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "edition"], name="label_one_per_territory_and_year"),
            models.CheckConstraint(
                condition=(Q(hors_concours=True, arobases__isnull=True) | Q(hors_concours=False, arobases__isnull=False, arobases__gte=1, arobases__lte=5)),
                name="label_arobases_1_to_5_or_hors_concours",
            ),
        ]
        indexes = [models.Index(fields=["edition", "arobases"])]

    def __str__(self):
        level = _("hors concours") if self.hors_concours else f"{self.arobases} @"
        return f"{self.territory.name} {self.year} : {level}"

    @property
    def year(self):
        return self.edition_id

    @property
    def edition_number(self):
        return rules.edition_number(self.year)

    # Slug sets for the rules; they read the prefetched relations.
    @property
    def prize_slugs(self):
        return frozenset(prize.slug for prize in self.prizes.all())

    @property
    def mention_slugs(self):
        return frozenset(mention.slug for mention in self.mentions.all())

    @property
    def green_arobase(self):
        return any(mention.green_arobase for mention in self.mentions.all())

    def fact(self):
        return rules.LabelFact(self.year, self.arobases, self.hors_concours, self.prize_slugs, self.mention_slugs)



class PendingImport(models.Model):
    """A palmarès file between its preview and its confirmation, kept on the server so
    that the confirmation carries only a signed reference (a file in the form would
    exceed the request size limit). Deleted once confirmed, or after a day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    replace = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import de palmarès en attente")


class PhaseRule(models.Model):
    """What may be done during one phase of one edition: dates and switches that staff
    set in the admin; defaults come from phase_rules.DEFAULT_SWITCHES."""

    edition = models.ForeignKey("Edition", on_delete=models.CASCADE, related_name="phase_rules", verbose_name=_("édition"))
    phase = models.CharField(_("phase"), max_length=12, choices=season.PHASE_CHOICES)
    starts_on = models.DateField(_("début prévu"), null=True, blank=True)
    ends_on = models.DateField(_("fin prévue"), null=True, blank=True)
    can_submit = models.BooleanField(_("les candidats déposent"), default=False)
    can_review = models.BooleanField(_("les évaluateurs notent"), default=False)
    can_see_reviews = models.BooleanField(
        _("les évaluateurs voient les autres avis"), default=False,
        help_text=_("Seulement après avoir soumis leur propre avis, et jamais en cas de conflit d'intérêts."),
    )
    can_decide = models.BooleanField(_("le jury décide"), default=False)
    can_publish = models.BooleanField(_("l'équipe publie"), default=False)
    can_appeal = models.BooleanField(_("les candidats font un recours"), default=False)

    class Meta:
        verbose_name = _("règle de phase")
        verbose_name_plural = _("règles de phase")
        constraints = [models.UniqueConstraint(fields=["edition", "phase"], name="phase_rule_once_per_edition")]

    def __str__(self):
        return f"{self.edition_id} — {self.get_phase_display()}"

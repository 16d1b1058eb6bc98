"""Action sheets (« fiches d'initiatives »): what a territory did, typed by services."""

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from arobase.referential.models import Service
from arobase.territories.models import Territory

from . import rules, search


class Actor(models.Model):
    """A local actor of the digital life of a territory: an association, a public digital
    space, a provider… Name and description are public; e-mail and phone only for
    logged-in members, and only with the actor's consent."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=rules.ACTOR_KIND_CHOICES, default=rules.ASSOCIATION, db_index=True)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="actors", verbose_name=_("territoire"))
    description = models.TextField(_("présentation"), blank=True, max_length=3000)
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    consent = models.BooleanField(_("accepte que ses coordonnées soient montrées aux membres connectés"), default=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    search_document = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("acteur local")
        verbose_name_plural = _("acteurs locaux")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:actor", args=[self.slug])

    def save(self, *args, **kwargs):
        self.search_document = self.searchable_text()
        super().save(*args, **kwargs)

    def searchable_text(self):
        return search.document(self.name, self.get_kind_display(), self.description, self.territory.name if self.territory_id else "")


class ActionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=rules.PUBLISHED)


class Action(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="actions", verbose_name=_("territoire"))
    title = models.CharField(_("titre"), max_length=200)
    subtitle = models.CharField(_("sous-titre"), max_length=300, blank=True)
    summary = models.TextField(_("synthèse"), max_length=2000, help_text=_("En quelques phrases : ce que l'action apporte aux habitants."))
    done = models.TextField(_("ce qui a été fait"), blank=True, max_length=20000, help_text=_("Markdown : **gras**, listes avec « - », liens."))
    tools = models.TextField(_("outils"), blank=True, max_length=5000)
    providers = models.TextField(_("prestataires"), blank=True, max_length=5000)
    results = models.TextField(_("résultats"), blank=True, max_length=10000)
    recommendations = models.TextField(_("recommandations"), blank=True, max_length=10000)
    links = models.TextField(_("liens"), blank=True, max_length=5000, help_text=_("Une adresse web (https://…) par ligne."))
    status = models.CharField(_("avancement"), max_length=10, choices=rules.STATUS_CHOICES, default=rules.ONGOING)
    started = models.DateField(_("date de début"), null=True, blank=True)
    ended = models.DateField(_("date de fin"), null=True, blank=True)
    services = models.ManyToManyField(Service, related_name="actions", verbose_name=_("services"))
    actors = models.ManyToManyField(Actor, related_name="actions", blank=True, verbose_name=_("acteurs locaux"))
    place_name = models.CharField(_("lieu"), max_length=200, blank=True, help_text=_("Laissez vide si l'action concerne toute la collectivité."))
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=rules.STATE_CHOICES, default=rules.DRAFT, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("auteur"))
    moderation_reason = models.TextField(_("motif du refus"), blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking: see editing.py
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    search_document = models.TextField(blank=True, default="", editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["territory", "state"]), models.Index(fields=["state", "started"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:action", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remembers the stored state: withdrawing a published action changes public pages
        (see publicity.py), saving a draft does not."""
        instance = super().from_db(db, field_names, values)
        instance._stored_state = instance.__dict__.get("state")
        return instance

    def save(self, *args, **kwargs):
        self.search_document = self.searchable_text()
        super().save(*args, **kwargs)
        self._stored_state = self.state

    def searchable_text(self, service_names=None, territory_name=None):
        """The search document; services are read from the database unless given."""
        if service_names is None:
            service_names = list(self.services.values_list("name", flat=True)) if self.pk else []
        if territory_name is None:
            territory_name = self.territory.name if self.territory_id else ""
        return search.document(self.title, self.subtitle, self.summary, self.done, self.results, self.tools,
                               self.providers, self.place_name, territory_name, *service_names)

    @property
    def is_published(self):
        return self.state == rules.PUBLISHED

    @property
    def point(self):
        """The action's place, else the territory's point."""
        if self.lat is not None and self.lon is not None:
            return self.lat, self.lon
        return self.territory.lat, self.territory.lon

    @property
    def link_list(self):
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Person(models.Model):
    """Someone involved in an action. Name and role are public; e-mail and phone only
    with their consent, and only to logged-in members."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(_("rôle"), max_length=200, blank=True)
    elected = models.BooleanField(_("élu(e)"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    consent = models.BooleanField(_("accepte que ses coordonnées soient montrées aux membres connectés"), default=False)

    class Meta:
        verbose_name = _("personne")
        ordering = ["pk"]

    def __str__(self):
        return self.name


def image_path(instance, filename):
    return f"actions/{instance.action_id}/{filename}"


class Image(models.Model):
    """An image, re-encoded on upload (no EXIF metadata), with a thumbnail."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(upload_to=image_path)
    thumbnail = models.ImageField(upload_to=image_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField(_("description de l'image"), max_length=300, help_text=_("Ce que montre l'image, pour qui ne la voit pas."))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        ordering = ["pk"]


@receiver(m2m_changed, sender=Action.services.through)
def _services_changed(sender, instance, action, reverse, **kwargs):
    """The search document names the services: refresh it when they change."""
    if action.startswith("post_") and not reverse:
        Action.objects.filter(pk=instance.pk).update(search_document=instance.searchable_text())

"""The directory of local actors, filtered, each with its published actions counted: one
query for the site's directory (/acteurs/) and the API's (/api/v1/actors)."""

from django.db.models import Count, Q

from . import rules, search
from .models import Action, Actor


def published_count():
    return Count("actions", filter=Q(actions__state=rules.PUBLISHED))


def actors(q="", kind="", territory="", service=""):
    """Actors of this kind, territory (its code) and service (the slug of a service of
    one of their published actions), best match for `q` first, else by name; each with
    `published_actions`."""
    found = Actor.objects.select_related("territory")
    if kind:
        found = found.filter(kind=kind)
    if territory:
        found = found.filter(territory__code=territory)
    if service:
        found = found.filter(pk__in=Action.actors.through.objects.filter(
            action__state=rules.PUBLISHED, action__services__slug=service).values("actor_id"))
    found = found.annotate(published_actions=published_count())
    if q and q.strip():
        return search.ACTORS.ranked(found, q)
    return found.order_by("name", "pk")

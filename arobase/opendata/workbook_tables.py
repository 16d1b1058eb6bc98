"""The tables only the workbook has: places, local actors, services, and the links of
actions to services and actors."""

from arobase.actions import rules as action_rules
from arobase.referential import loading
from arobase.territories.models import Territory

from .reading import actors, keyset_chunks, published_actions, url_parts

LINK_CHUNK_SIZE = 5000  # two small columns a row


def place_chunks(demo=False):
    """Territories holding published actions, as schema.PLACE_FIELDS."""
    places = Territory.objects.filter(pk__in=published_actions(demo).values("territory_id")).select_related("departement", "region")
    for chunk in keyset_chunks(places, ("code", "pk"), lambda t: (t.code, t.pk)):
        yield [
            [t.code, t.name, t.kind, t.category, t.population, t.departement.code if t.departement else None,
             t.region.code if t.region else None, t.lat, t.lon]
            for t in chunk
        ]


def actor_chunks(demo=False, base_url=""):
    """Local actors as schema.ACTOR_FIELDS: public fields only, never their e-mail or phone."""
    prefix, suffix = url_parts("public:actor", "marqueur-d-acteur")
    rows = actors(demo).values_list("slug", "name", "kind", "territory__code", "territory__name", "website", "description", "is_demo", named=True)
    for chunk in keyset_chunks(rows, ("slug",), lambda actor: (actor.slug,)):
        yield [
            [a.slug, a.name, a.kind, a.territory__code, a.territory__name, a.website, a.description,
             f"{base_url}{prefix}{a.slug}{suffix}", a.is_demo]
            for a in chunk
        ]


def link_chunks(through, target, demo=False):
    """(action id, slug) rows of a relation of the published actions, by action."""
    links = through.objects.filter(action__state=action_rules.PUBLISHED)
    if not demo:
        links = links.filter(action__is_demo=False)
    # (action, target) is unique: the order of the relation's own unique index.
    rows = links.values_list("action_id", f"{target}_id", f"{target}__slug")
    for chunk in keyset_chunks(rows, ("action_id", f"{target}_id"), lambda row: row[:2], size=LINK_CHUNK_SIZE):
        yield [[action_id, slug] for action_id, _, slug in chunk]


def service_rows():
    """The services of the latest referential, with their usage, enjeu and axe."""
    year = loading.latest_year()
    if year is None:
        return []
    return [
        [year, s.slug, s.name, s.description, s.usage.slug, s.usage.name, s.usage.enjeu.slug, s.usage.enjeu.name,
         s.usage.enjeu.axe.slug, s.usage.enjeu.axe.name]
        for s in loading.services_of(year)
    ]


def service_count():
    year = loading.latest_year()
    return loading.services_of(year).count() if year else 0

"""The actions table: each published action as the API shows it (`action_dict`), and
as a row of actions.csv (`action_row`), for the whole file or for one action's sheet.

Read as plain values, three queries a chunk: model instances and their prefetches cost
ten times as much for the 30 000 actions of the country.
"""

from arobase.actions.models import Action
from arobase.labels.palmares_csv.columns import SEPARATOR

from .reading import URL_LANGUAGE, grouped, keyset_chunks, published_actions, url_parts

ACTION_VALUES = (
    "pk", "title", "subtitle", "summary", "status", "started", "ended", "published_at", "updated_at", "is_demo",
    "lat", "lon", "territory__code", "territory__name", "territory__lat", "territory__lon",
)


def action_chunks(demo=False, base_url=""):
    """Chunks of published actions, by id, each the same dict as the API's
    `action_out` (a test checks it, action by action), its `url` absolute."""
    return action_chunks_of(published_actions(demo), base_url)


def action_chunks_of(actions, base_url, language=URL_LANGUAGE):
    """Chunks of action dicts of the queryset `actions`, their URLs in `language`."""
    url_prefix, url_suffix = url_parts("public:action", 987654321, language)
    for chunk in keyset_chunks(actions.values_list(*ACTION_VALUES, named=True), ("pk",), lambda action: (action.pk,)):
        ids = [action.pk for action in chunk]
        services = grouped(Action.services.through.objects.filter(action_id__in=ids).order_by("action_id", "service_id").values_list(
            "action_id", "service__slug", "service__usage__slug", "service__usage__enjeu__slug", "service__usage__enjeu__axe__slug"))
        actors = grouped(Action.actors.through.objects.filter(action_id__in=ids).order_by("action_id", "actor__name", "actor_id").values_list(
            "action_id", "actor__slug", "actor__name"))
        yield [
            action_dict(action, services.get(action.pk, []), actors.get(action.pk, []), f"{base_url}{url_prefix}{action.pk}{url_suffix}")
            for action in chunk
        ]


def action_dict(action, services, actors, url):
    """An action (a row of ACTION_VALUES), its [slug, usage, enjeu, axe] services and
    [slug, name] actors, as the API shows it; its place, else its territory's."""
    lat, lon = action.lat, action.lon
    if lat is None or lon is None:
        lat, lon = action.territory__lat, action.territory__lon
    return {
        "id": action.pk,
        "title": action.title,
        "subtitle": action.subtitle,
        "summary": action.summary,
        "status": action.status,
        "started": action.started,
        "ended": action.ended,
        "published": action.published_at.date() if action.published_at else None,
        "updated": action.updated_at,
        "territory": {"code": action.territory__code, "name": action.territory__name},
        "services": [slug for slug, _, _, _ in services],
        "usages": list(dict.fromkeys(usage for _, usage, _, _ in services)),
        "enjeux": list(dict.fromkeys(enjeu for _, _, enjeu, _ in services)),
        "axes": list(dict.fromkeys(axe for _, _, _, axe in services)),
        "lat": lat,
        "lon": lon,
        "actors": [{"slug": slug, "name": name} for slug, name in actors],
        "url": url,
        "demo": action.is_demo,
    }


def action_row(out):
    """An action (as `action_dict` gives it) as schema.ACTION_FIELDS."""
    return [
        out["id"], out["title"], out["subtitle"], out["summary"], out["status"], out["started"], out["ended"],
        out["published"], out["updated"], out["territory"]["code"], out["territory"]["name"],
        SEPARATOR.join(out["services"]), SEPARATOR.join(out["usages"]), SEPARATOR.join(out["enjeux"]), SEPARATOR.join(out["axes"]),
        out["lat"], out["lon"], SEPARATOR.join(actor["slug"] for actor in out["actors"]), out["url"], out["demo"],
    ]


def action_count(demo=False):
    return published_actions(demo).count()


def geojson_feature(out):
    """RFC 7946: a Point [longitude, latitude] in WGS84, or no geometry; the properties
    are the action's public fields, named as in the API."""
    lat, lon = out["lat"], out["lon"]
    geometry = None
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        geometry = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    properties = {name: value for name, value in out.items() if name not in ("lat", "lon")}
    return {"type": "Feature", "id": out["id"], "geometry": geometry, "properties": properties}

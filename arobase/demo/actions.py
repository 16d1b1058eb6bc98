"""Demo actions and local actors at national scale (Atlaas).

About 20 000 published action sheets over the demo's labelled territories, more and
richer for territories holding more @, with services of the referential, statuses, dates
over ten years, places, and about one local actor per ten actions. Deterministic (a fixed
random seed), flagged `is_demo`, written with bulk inserts.
"""

import random
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from arobase.actions import rules
from arobase.actions.models import Action, Actor, Image, Person

RANDOM_SEED = 2027
ACTIONS_PER_ACTOR = 10
SEED_ACTIONS = 8
# Relative number of actions of a territory by its current @ (None: no label).
WEIGHT_BY_LEVEL = {None: 1, 1: 2, 2: 3, 3: 5, 4: 8, 5: 12}
PLACES = [
    "Médiathèque", "Mairie", "École élémentaire Jules-Ferry", "Espace France Services", "Maison des associations",
    "Collège Jean-Moulin", "Salle polyvalente", "Tiers-lieu numérique", "Centre social", "Office de tourisme",
]
ASSOCIATION_NAMES = [
    "Les Clés du numérique", "Connexions solidaires", "Le Fil numérique", "Numérique pour tous",
    "Les Bidouilleurs", "Atelier du libre", "Génération connectée", "Les Petits Débrouillards",
]
PROVIDERS = [
    "Numéria", "Cités Connectées", "Libre Commune", "Data Territoires", "Openville", "Agora Logiciels",
    "Mairie Facile", "Territoire Cloud", "Webcité", "Civilab",
]
PEOPLE = ["Marie Durand", "Karim Haddad", "Sophie Laurent", "Paul Garnier", "Inès Moreau", "Thomas Roux", "Léa Fontaine"]
TOOLS = ["logiciel libre", "tablettes", "plateforme en ligne", "application mobile", "capteurs", "visioconférence", "SIG open source"]
BENEFITS = [
    "simplifie les démarches des habitants", "rapproche les élus des citoyens", "réduit la consommation d'énergie",
    "ouvre les données publiques", "forme les seniors au numérique", "équipe les écoles", "soutient le commerce local",
]


def load(services, territories, target, author=None, seeds=()):
    """Replace the demo actions and actors: about `target` actions over `territories`,
    a list of (territory, current @ or None); `seeds` (territory ids) get a few each
    whatever the target. Returns (actions, actors)."""
    _clear()
    if not services or not territories or target <= 0:
        return 0, 0
    rng = random.Random(RANDOM_SEED)
    counts = _allocate(territories, target, set(seeds))
    actors = _actors(rng, [(t, n) for (t, _), n in zip(territories, counts) if n], max(1, target // ACTIONS_PER_ACTOR))
    by_territory = {}
    providers = [a for a in actors if a.kind == rules.PROVIDER]
    for actor in actors:
        by_territory.setdefault(actor.territory_id, []).append(actor)

    today = timezone.localdate()
    now = timezone.now()
    made, picked_services, picked_actors = [], [], []
    for (territory, level), count in zip(territories, counts):
        if not count:
            continue
        richness = level or 0
        for service in rng.sample(services, min(count, len(services))) + rng.choices(services, k=max(0, count - len(services))):
            status = rng.choice([rules.DONE, rules.DONE, rules.ONGOING, rules.PLANNED])
            started = today - timedelta(days=rng.randint(30, 3650))
            ended = min(today, started + timedelta(days=rng.randint(60, 900))) if status == rules.DONE else None
            if status == rules.PLANNED:
                started = today + timedelta(days=rng.randint(10, 200))
            place = rng.choice(PLACES) if rng.random() < 0.4 else ""
            lat = lon = None
            if place and territory.lat is not None:
                lat, lon = territory.lat + rng.uniform(-0.01, 0.01), territory.lon + rng.uniform(-0.01, 0.01)
            benefit = rng.choice(BENEFITS)
            action = Action(
                territory=territory, title=service.name,
                subtitle=f"{territory.name} — {service.usage.enjeu.name.lower()}",
                summary=f"{(service.description or service.name).rstrip('.')}. Ce projet {benefit}. Mis en place par {territory.name}.",
                done="\n".join(f"- {step}" for step in rng.sample(
                    ["Étude des besoins avec les habitants", "Choix d'un prestataire", "Formation des agents",
                     "Mise en service", "Communication auprès des habitants", f"Bilan après {rng.randint(3, 18)} mois"],
                    k=2 + min(richness, 4))),
                tools=", ".join(rng.sample(TOOLS, k=1 + richness // 2)),
                results=f"{rng.randint(50, 5000)} utilisations par mois." if status != rules.PLANNED else "",
                status=status, started=started, ended=ended, state=rules.PUBLISHED, place_name=place,
                lat=lat, lon=lon, published_at=now - timedelta(days=rng.randint(0, 3650), minutes=rng.randint(0, 1440)),
                author=author, is_demo=True,
            )
            action.search_document = action.searchable_text([service.name], territory.name)
            local = by_territory.get(territory.pk, [])
            chosen = rng.sample(local, k=min(len(local), rng.randint(0, 2)))
            if providers and rng.random() < 0.3:
                chosen.append(rng.choice(providers))
            made.append(action)
            picked_services.append(service)
            picked_actors.append(chosen)
    Action.objects.bulk_create(made, batch_size=2000)
    Action.services.through.objects.bulk_create(
        (Action.services.through(action_id=a.pk, service_id=s.pk) for a, s in zip(made, picked_services)), batch_size=5000,
    )
    Action.actors.through.objects.bulk_create(
        (Action.actors.through(action_id=a.pk, actor_id=actor.pk) for a, chosen in zip(made, picked_actors) for actor in set(chosen)),
        batch_size=5000,
    )
    Person.objects.bulk_create(
        (Person(action=a, name=rng.choice(PEOPLE), role="chef de projet", consent=False) for a in made[::3]), batch_size=5000,
    )
    if connection.vendor == "postgresql":  # fresh statistics, or the planner ignores the search index
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE actions_action, actions_actor, actions_action_services, actions_action_actors")
    return len(made), len(actors)


def _clear():
    """Delete the previous demo actions and actors in a few statements. `delete()` would
    send a signal per row (20 000 data-version bumps, half a minute); the caller bumps
    the version once. Images hold files, so they go through the ORM."""
    from arobase.core import data_version

    actions = Action.objects.filter(is_demo=True)
    Image.objects.filter(action__in=actions).delete()
    for through in (Action.services.through, Action.actors.through, Action.dossiers.through):
        through.objects.filter(action_id__in=actions.values("pk")).delete()
    Action.actors.through.objects.filter(actor__is_demo=True).delete()
    people = Person.objects.filter(action__in=actions.values("pk"))
    people._raw_delete(people.db)
    actions._raw_delete(actions.db)
    actors = Actor.objects.filter(is_demo=True)
    actors._raw_delete(actors.db)
    data_version.bump(data_version.ATLAAS)


def _allocate(territories, target, seeds):
    """Actions per territory, proportional to WEIGHT_BY_LEVEL and adding up to `target`
    (largest remainders); the seed towns get at least SEED_ACTIONS each."""
    reserved = {t.pk: SEED_ACTIONS for t, _ in territories if t.pk in seeds}
    weights = [0 if t.pk in reserved else WEIGHT_BY_LEVEL.get(level, 1) for t, level in territories]
    share = max(0, target - sum(reserved.values())) / (sum(weights) or 1)
    exact = [w * share for w in weights]
    counts = [int(x) for x in exact]
    missing = max(0, target - sum(reserved.values())) - sum(counts)
    for index in sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))[:missing]:
        counts[index] += 1
    return [reserved.get(t.pk, count) for (t, _), count in zip(territories, counts)]


def _actors(rng, territories, count):
    """`count` local actors: associations, public digital spaces, schools and libraries
    in the territories, a list of (territory, its number of actions) (more actors where
    there are more actions), and a few providers."""
    places = [t for t, _ in territories]
    weights = [n for _, n in territories]
    made, slugs = [], set()
    for index in range(count):
        territory = places[index] if index < min(len(places), count // 2) else rng.choices(places, weights=weights)[0]
        roll = rng.random()
        if index % 20 == 0:
            kind, name = rules.PROVIDER, f"{PROVIDERS[(index // 20) % len(PROVIDERS)]} {territory.name}"
        elif roll < 0.45:
            kind, name = rules.ASSOCIATION, f"{rng.choice(ASSOCIATION_NAMES)} de {territory.name}"
        elif roll < 0.75:
            kind, name = rules.PUBLIC_SPACE, f"Espace public numérique de {territory.name}"
        elif roll < 0.95:
            kind, name = rules.SCHOOL, f"Médiathèque de {territory.name}"
        else:
            kind, name = rules.OTHER, f"Fablab de {territory.name}"
        slug = base = slugify(name)[:70]
        suffix = 2
        while slug in slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slugs.add(slug)
        consent = rng.random() < 0.5
        actor = Actor(
            slug=slug, name=name, kind=kind, territory=territory, is_demo=True, consent=consent,
            description=f"{name} accompagne les habitants et la collectivité dans leurs projets numériques.",
            website=f"https://{slug}.example.org/", email=f"contact@{slug}.example.org",
            phone=f"01 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            lat=territory.lat, lon=territory.lon,
        )
        actor.search_document = actor.searchable_text()
        made.append(actor)
    return Actor.objects.bulk_create(made, batch_size=2000)


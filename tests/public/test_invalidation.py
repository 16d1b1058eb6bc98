"""Invalidation follows what a page shows (core/data_version.py, core/page_cache.py).

Every public page and API answer below is rendered once (cold), then a change is made
the way users make it; the next request is served from the cache ("hit") unless the
page shows what changed, and its ETag moves exactly where its content does.
"""

import pytest
from django.contrib.auth.models import User

from arobase.accounts import roles
from arobase.actions import rules as action_rules
from arobase.actions.models import Action, Actor, Person
from arobase.dossiers.models import Dossier, Membership
from arobase.labels.models import Edition, Label
from arobase.referential.models import Service
from arobase.territories.models import Territory

pytestmark = pytest.mark.django_db

CACHE = "X-Arobase-Cache"


def published_action():
    return Action.objects.published().filter(territory__code="59368").order_by("pk").first() or Action.objects.published().order_by("pk").first()


def pages():
    action = published_action()
    actor = Actor.objects.order_by("pk").first()
    return {
        "home": "/",
        "profile": f"/territoires/{action.territory.code}/",
        "palmares": "/palmares/2024/",
        "statistics": "/statistiques/",
        "region": "/regions/32/",
        "referential": "/referentiel/",
        "atlaas": "/atlaas/",
        "actors": "/acteurs/",
        "actor": f"/acteurs/{actor.slug}/",
        "action": f"/actions/{action.pk}/",
        "legal": "/mentions-legales/",
        "api_palmares": "/api/v1/editions/2024/palmares",
        "api_editions": "/api/v1/editions",
        "api_actions": "/api/v1/actions",
        "api_referential": "/api/v1/referential",
        "api_territory": "/api/v1/territories/59368",
    }


def snapshot(client, urls):
    answers = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        answers[name] = (response[CACHE], response["ETag"])
    return answers


def after_change(client, change):
    """{page: (hit or miss, whether its ETag moved)} for the request right after `change`."""
    urls = pages()
    before = snapshot(client, urls)
    assert all(state == "hit" for state, _ in snapshot(client, urls).values())
    change()
    after = snapshot(client, urls)
    return {name: (after[name][0], after[name][1] != before[name][1]) for name in urls}


def cold(answers):
    return {name for name, (state, _) in answers.items() if state == "miss"}


def moved(answers):
    return {name for name, (_, changed) in answers.items() if changed}


def test_a_published_action_edit_leaves_the_palmares_warm(client, demo):
    action = published_action()

    def edit():
        action.title = "Un titre tout neuf pour l'Atlaas"
        action.save()

    answers = after_change(client, edit)
    assert {"action", "atlaas", "api_actions", "home", "profile"} <= cold(answers)
    assert {"palmares", "statistics", "region", "referential", "legal", "api_palmares", "api_editions", "api_referential"}.isdisjoint(cold(answers))
    assert "action" in moved(answers) and "palmares" not in moved(answers)


def test_drafts_proposals_and_their_people_change_no_public_page(client, demo):
    territory = Territory.objects.get(code="59368", kind="commune")
    services = list(Service.objects.order_by("pk")[:2])

    def write_drafts():
        draft = Action.objects.create(territory=territory, title="Brouillon", summary="Pas encore public.")
        draft.services.set(services)
        Person.objects.create(action=draft, name="Camille")
        draft.title = "Brouillon relu"
        draft.save()
        Action.objects.create(territory=territory, title="Proposition", summary="À relire.", state=action_rules.PROPOSED)
        draft.delete()

    answers = after_change(client, write_drafts)
    assert cold(answers) == set() and moved(answers) == set()


def test_what_is_not_public_changes_no_public_page(client, demo):
    territory = Territory.objects.get(code="59368", kind="commune")
    edition = Edition.objects.order_by("-year").first()

    def season_writes():
        user = User.objects.create_user("nouveau@example.fr", "nouveau@example.fr", "mot-de-passe-tres-long")
        roles.attach_directly(user, territory, None)
        dossier, _ = Dossier.objects.get_or_create(edition=edition, territory=territory)
        dossier.answers = {"strategie": "Une stratégie."}
        dossier.save()
        Membership.objects.filter(territory=territory).update(status="payee")

    answers = after_change(client, season_writes)
    assert cold(answers) == set() and moved(answers) == set()


def test_withdrawing_a_published_action_makes_atlaas_cold(client, demo):
    action = published_action()

    def withdraw():
        stored = Action.objects.get(pk=action.pk)
        stored.state = action_rules.DRAFT
        stored.save()

    urls = pages()
    snapshot(client, urls)
    withdraw()
    assert client.get(urls["action"]).status_code == 404
    assert client.get(urls["atlaas"])[CACHE] == "miss"
    assert client.get(urls["palmares"])[CACHE] == "hit"


def test_a_label_change_leaves_atlaas_pages_of_actions_and_actors_warm(client, demo):
    def relabel():
        label = Label.objects.filter(edition=2024).order_by("pk").first()
        label.arobases = 1 if label.arobases != 1 else 2
        label.save()

    answers = after_change(client, relabel)
    assert {"palmares", "statistics", "api_palmares", "home"} <= cold(answers)
    assert {"action", "actor", "actors", "referential", "legal", "api_referential"}.isdisjoint(cold(answers))
    assert {"palmares", "api_palmares"} <= moved(answers)


def test_a_territory_change_renders_the_pages_that_name_territories(client, demo):
    def rename():
        territory = Territory.objects.get(code="59368", kind="commune")
        territory.name = "La Madeleine-sur-Deûle"
        territory.save()

    answers = after_change(client, rename)
    assert {"palmares", "api_territory", "home", "action", "actors"} <= cold(answers)
    assert {"referential", "legal", "api_referential", "api_editions"}.isdisjoint(cold(answers))
    assert {"api_territory"} <= moved(answers)


def test_a_referential_change_renders_the_referential_and_atlaas_only(client, demo):
    def rename():
        service = Service.objects.order_by("-edition_id", "pk").first()
        service.name = service.name + " (nouveau nom)"
        service.save()

    answers = after_change(client, rename)
    assert {"referential", "api_referential", "atlaas", "api_actions"} <= cold(answers)
    assert {"palmares", "statistics", "region", "actors", "legal", "api_palmares", "api_editions"}.isdisjoint(cold(answers))
    assert {"referential", "api_referential"} <= moved(answers)

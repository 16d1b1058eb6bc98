"""Queries per private page do not grow with the number of actions, memberships or dossiers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arobase.actions import rules as action_rules
from arobase.actions.models import Action
from arobase.dossiers import membership
from arobase.dossiers.models import Dossier
from arobase.territories.models import Territory


def add_actions(world, count):
    made = Action.objects.bulk_create(
        Action(territory=world.madeleine, title=f"Action {i}", summary="s", status=action_rules.ONGOING, state=action_rules.PUBLISHED)
        for i in range(count)
    )
    through = Action.services.through
    through.objects.bulk_create(through(action_id=a.pk, service_id=s.pk) for a in made for s in world.services[:2])
    return made


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [
    "/espace/",
    "/espace/59368/",
    "/espace/59368/actions/",
    "/espace/59368/dossier/2027/",
    "/espace/59368/adhesion/2027/",
    "/gestion/2027/",
])
def test_private_pages_queries_do_not_grow(world, client, url):
    user = world.staff if url.startswith("/gestion/") else world.correspondent
    client.force_login(user)
    made = add_actions(world, 3)
    dossier = Dossier.objects.create(edition=world.edition, territory=world.madeleine)
    dossier.actions.set(made)
    membership.join(world.edition, world.madeleine, world.correspondent)
    small = count_queries(client, url)
    more = add_actions(world, 30)
    dossier.actions.add(*more)
    for town in Territory.objects.filter(kind="commune", population__gt=20000).order_by("code")[:10]:
        membership.join(world.edition, town, world.staff)
        Dossier.objects.create(edition=world.edition, territory=town)
    assert count_queries(client, url) == small


def test_public_action_page_queries(world, client, django_assert_max_num_queries):
    (action,) = add_actions(world, 1)
    with django_assert_max_num_queries(12):  # with its actors, the territory's @ and the same services nearby
        client.get(f"/actions/{action.pk}/")

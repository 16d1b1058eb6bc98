"""Every URL of CONTRACT §8, role by role: nobody sees another territory's data."""

import pytest
from django.utils import timezone

from arobase.actions import rules as action_rules
from arobase.actions.models import Action
from arobase.dossiers import membership
from arobase.dossiers.models import Dossier

ROLES = ["correspondent", "other", "staff", "evaluator", "jury", "conseil", "actor", "stranger"]


@pytest.fixture
def madeleine_data(world):
    """La Madeleine's membership, draft dossier and draft action."""
    membership.join(world.edition, world.madeleine, world.correspondent)
    Dossier.objects.create(edition=world.edition, territory=world.madeleine)
    draft = Action.objects.create(territory=world.madeleine, title="Brouillon secret", summary="Pas encore public", author=world.correspondent)
    draft.services.set(world.services[:1])
    return draft


SPACE_URLS = [
    "/espace/59368/",
    "/espace/59368/adhesion/2027/",
    "/espace/59368/adhesion/2027/facture.pdf",
    "/espace/59368/actions/",
    "/espace/59368/actions/{draft}/",
    "/espace/59368/dossier/2027/",
]
ALLOWED = {
    "/espace/59368/actions/": {"correspondent", "staff", "actor"},  # the actor sees only their proposals
}


@pytest.mark.parametrize("url", SPACE_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_territory_space_only_for_its_correspondents_and_staff(client, world, madeleine_data, url, role):
    client.force_login(getattr(world, role))
    response = client.get(url.format(draft=madeleine_data.pk))
    allowed = ALLOWED.get(url, {"correspondent", "staff"})
    if role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 404  # the territory's space is hidden from who is not attached
        assert b"Brouillon secret" not in response.content and b"FA-2027" not in response.content


def test_local_actor_does_not_see_the_territorys_drafts(client, world, madeleine_data):
    client.force_login(world.actor)
    response = client.get("/espace/59368/actions/")
    assert b"Brouillon secret" not in response.content


@pytest.mark.parametrize("url", SPACE_URLS + ["/espace/", "/evaluation/2027/", "/gestion/2027/"])
def test_anonymous_visitors_are_sent_to_login(client, world, madeleine_data, url):
    url = url.format(draft=madeleine_data.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={url}"


@pytest.mark.parametrize("role", ROLES)
def test_staff_dashboard_only_for_staff(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get("/gestion/2027/").status_code == (200 if role == "staff" else 403)
    assert client.get("/gestion/2027/dossiers.csv").status_code == (200 if role == "staff" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_evaluation_space_for_evaluators_jury_and_staff(client, world, role):
    client.force_login(getattr(world, role))
    expected = 200 if role in ("evaluator", "jury", "staff") else 403
    assert client.get("/evaluation/2027/").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_can_change_the_dossier_or_the_action(client, world, madeleine_data, role):
    """POSTs from every other role change nothing."""
    if role in ("correspondent",):
        return
    client.force_login(getattr(world, role))
    client.post("/espace/59368/dossier/2027/", {"actions": [madeleine_data.pk], "submit": "1"})
    client.post(f"/espace/59368/actions/{madeleine_data.pk}/", {"title": "Piraté", "summary": "x", "status": "en-cours", "services": [world.services[0].pk]})
    client.post(f"/espace/59368/actions/{madeleine_data.pk}/etat/", {"decision": "publish"})
    dossier = Dossier.objects.get(territory=world.madeleine)
    madeleine_data.refresh_from_db()
    assert dossier.state == "brouillon" and not dossier.actions.exists()
    assert madeleine_data.title == "Brouillon secret"
    if role != "staff":  # staff may publish, as moderators
        assert madeleine_data.state == action_rules.DRAFT


def test_unpublished_action_is_not_public(client, world, madeleine_data):
    assert client.get(f"/actions/{madeleine_data.pk}/").status_code == 404
    madeleine_data.state, madeleine_data.published_at = action_rules.PUBLISHED, timezone.now()
    madeleine_data.save()
    assert client.get(f"/actions/{madeleine_data.pk}/").status_code == 200

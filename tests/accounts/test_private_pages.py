"""What a member is shown is theirs: no browser or shared cache keeps it."""

import pytest


@pytest.mark.parametrize("path", ["/espace/", "/espace/59368/", "/", "/palmares/", "/gestion/2027/"])
def test_pages_seen_logged_in_are_never_stored(world, login, path):
    user = world.staff if path.startswith("/gestion/") else world.correspondent
    response = login(user).get(path)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives


def test_anonymous_public_pages_stay_cacheable(world, client):
    response = client.get("/palmares/")
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]

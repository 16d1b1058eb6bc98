"""Odd input on every form of the spaces: NUL bytes, Unicode digits, huge numbers,
overlong text. Always a clear answer, never a 500, nothing half-written."""

import pytest

from arobase.dossiers import membership
from arobase.dossiers.models import Dossier

ODD = ["\x00", "１２", "9" * 40, "x" * 100_000, "-1", "<script>", "‮"]


@pytest.fixture
def setup(world):
    membership.join(world.edition, world.madeleine, world.correspondent)
    Dossier.objects.create(edition=world.edition, territory=world.madeleine)
    from arobase.accounts import roles
    from ..conftest import make_user

    return roles.request_attachment(make_user("x@example.fr"), world.lunel)


POSTS = [
    ("correspondent", "/espace/rattachement/", ["territory", "function", "message"]),
    ("correspondent", "/espace/59368/inviter/", ["email"]),
    ("correspondent", "/espace/59368/dossier/2027/", ["actions", "question-1", "submit"]),
    ("correspondent", "/espace/59368/actions/nouvelle/", ["title", "summary", "status", "started", "ended", "lat", "lon", "services", "people-TOTAL_FORMS"]),
    ("staff", "/espace/59368/adhesion/2027/paiement/", ["decision", "paid_on", "reference", "reason"]),
    ("staff", "/espace/59368/dossier/2027/rouvrir/", ["reason"]),
    ("staff", "/espace/rattachement/{attachment}/decision/", ["decision", "reason", "back"]),
    (None, "/compte/inscription/", ["email", "first_name", "last_name", "password1", "password2"]),
    (None, "/compte/connexion/", ["username", "password", "next"]),
    (None, "/compte/mot-de-passe/", ["email"]),
]


@pytest.mark.parametrize("role, url, fields", POSTS)
@pytest.mark.parametrize("value", ODD, ids=["nul", "unicode-digits", "huge", "overlong", "negative", "script", "bidi"])
def test_odd_values_never_fail(client, world, setup, role, url, fields, value):
    if role:
        client.force_login(getattr(world, role))
    data = {field: value for field in fields}
    if "decision" in data and "reason" in data and "paid_on" not in data:
        data["decision"] = "refuse"
    response = client.post(url.format(attachment=setup.pk), data)
    assert response.status_code < 500

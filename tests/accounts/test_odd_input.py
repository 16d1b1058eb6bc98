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


# (role, url, fields, answer): 200 when the form comes back with its errors; else the
# page the user is sent to, and whether it shows an error message (None: the value is a
# fair answer there, and the page says what was done).
FORM = (200, None, "error")
POSTS = [
    ("correspondent", "/espace/rattachement/", ["territory", "function", "message"], FORM),
    ("correspondent", "/espace/59368/inviter/", ["email"], (302, "/espace/59368/", "error")),
    # No such action nor question, and `submit` is not "1": the draft is saved as it was.
    ("correspondent", "/espace/59368/dossier/2027/", ["actions", "question-1", "submit"], (302, "/espace/59368/dossier/2027/", None)),
    ("correspondent", "/espace/59368/actions/nouvelle/", ["title", "summary", "status", "started", "ended", "lat", "lon", "services", "people-TOTAL_FORMS"], FORM),
    ("staff", "/espace/59368/adhesion/2027/paiement/", ["decision", "paid_on", "reference", "reason"], (302, "/espace/59368/adhesion/2027/", "error")),
    ("staff", "/espace/59368/dossier/2027/rouvrir/", ["reason"], (302, "/espace/59368/dossier/2027/", "error")),
    # A refusal's reason: any text, but not an empty one (NUL stripped) nor one over 2 000 characters.
    ("staff", "/espace/rattachement/{attachment}/decision/", ["decision", "reason", "back"],
     lambda value: (302, "/espace/", "error" if value in ("\x00", "x" * 100_000) else None)),
    (None, "/compte/inscription/", ["email", "first_name", "last_name", "password1", "password2"], FORM),
    (None, "/compte/connexion/", ["username", "password", "next"], FORM),
    (None, "/compte/mot-de-passe/", ["email"], FORM),
]


@pytest.mark.parametrize("role, url, fields, answer", POSTS)
@pytest.mark.parametrize("value", ODD, ids=["nul", "unicode-digits", "huge", "overlong", "negative", "script", "bidi"])
def test_odd_values_never_fail(client, world, setup, role, url, fields, answer, value):
    if role:
        client.force_login(getattr(world, role))
    data = {field: value for field in fields}
    if "decision" in data and "reason" in data and "paid_on" not in data:
        data["decision"] = "refuse"
    response = client.post(url.format(attachment=setup.pk), data)
    status, location, error = answer(value) if callable(answer) else answer
    assert response.status_code == status
    if status == 200:
        assert response.context["form"].errors  # the form comes back and says what is wrong
    else:
        assert response["Location"] == location
        shown = client.get(location).content.decode()
        assert ('class="message message-error"' in shown) == (error is not None)

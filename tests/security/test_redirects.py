"""Open redirects: every view that takes a place to go next never sends anyone off-site.

- `next` of the login page (GET for a logged-in visitor, POST for the login itself), of
  the logout, of the admin's login and logout;
- `back` of the staff's decision on an attachment request;
- the language switch: a plain link to the same page in the other language, built from
  the requested path (so a path such as //evil.example/ must not become a link to
  evil.example);
- the page after an invitation and the e-mail verification;
- Django's slash-appending redirect and the admin's "view on site".

A Location or a link is on-site when a browser would read it as this host: after
turning backslashes into slashes and dropping tabs and line breaks, as browsers do.
"""

import re
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.test import Client

from tests.security.conftest import client_as

HOST = "testserver"
HOSTILE = [
    "//evil.example", "///evil.example", "////evil.example/x", "https://evil.example", "http://evil.example/espace/",
    "https:evil.example", "https:/evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\\/evil.example",
    "//evil.example@testserver", "https://testserver@evil.example", "https://testserver.evil.example/",
    "javascript:alert(1)", "JavaScript:alert(document.domain)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "\t//evil.example", "/\t/evil.example", "/\n/evil.example", " //evil.example", "%2F%2Fevil.example", "/%2F/evil.example",
    "%5C%5Cevil.example", "https%3A%2F%2Fevil.example", "//evil%2Eexample", "//évil.example", "//evil.example%00", "ftp://evil.example",
]


def browser_view(location):
    """How a browser reads a Location or an href (WHATWG URL parsing, roughly)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00 ").replace("\\", "/")
    return urlsplit(cleaned)


def assert_on_site(location, where):
    seen = browser_view(location)
    assert seen.scheme in ("", "http", "https"), f"{where}: redirects to {location!r} (scheme {seen.scheme!r})"
    assert seen.netloc in ("", HOST), f"{where}: redirects off-site to {location!r}"
    assert not (seen.scheme and not seen.netloc), f"{where}: {location!r}"


@pytest.fixture
def password_user(sec):
    """A real password login (force_login skips the form that reads `next`)."""
    user = sec.users["stranger"]
    user.set_password("mot-de-passe-tres-long")
    user.save()
    return user


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_redirects_off_site(sec, isolated, password_user, target):
    response = Client().post("/compte/connexion/?next=" + quote(target, safe=""), {
        "username": password_user.email, "password": "mot-de-passe-tres-long", "next": target})
    assert response.status_code == 302, f"login with next={target!r}: {response.status_code}"
    assert_on_site(response["Location"], f"login with next={target!r}")
    # Already logged in: the login page sends the visitor on at once.
    response = client_as(sec, "correspondent").get("/compte/connexion/", {"next": target})
    assert response.status_code == 302
    assert_on_site(response["Location"], f"login page (logged in) with next={target!r}")


@pytest.mark.parametrize("target", HOSTILE)
def test_logout_never_redirects_off_site(sec, isolated, target):
    response = client_as(sec, "correspondent").post("/compte/deconnexion/?next=" + quote(target, safe=""), {"next": target})
    assert response.status_code == 302
    assert_on_site(response["Location"], f"logout with next={target!r}")


@pytest.mark.parametrize("target", HOSTILE[::3])
def test_the_admin_login_and_logout_never_redirect_off_site(sec, isolated, password_user, target):
    staff = sec.users["staff"]
    staff.set_password("mot-de-passe-tres-long")
    staff.save()
    response = Client().post("/admin/login/?next=" + quote(target, safe=""), {
        "username": staff.email, "password": "mot-de-passe-tres-long", "next": target})
    assert response.status_code == 302
    assert_on_site(response["Location"], f"admin login with next={target!r}")
    response = client_as(sec, "staff").post("/admin/logout/", {"next": target})
    if response.status_code == 302:
        assert_on_site(response["Location"], f"admin logout with next={target!r}")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("back", ["//evil.example", "https://evil.example/gestion/", "/gestion/..//evil.example", "/gestion/\\..\\\\evil.example",
                                  "/gestion/%2F%2Fevil.example", "javascript:alert(1)//gestion/"])
def test_the_attachment_decision_goes_back_only_to_the_dashboard(sec, isolated, back):
    response = client_as(sec, "staff").post(f"/espace/rattachement/{sec.attachment.pk}/decision/", {"decision": "approve", "back": back})
    assert response.status_code == 302
    assert_on_site(response["Location"], f"attachment decision with back={back!r}")
    assert browser_view(response["Location"]).path.startswith(("/gestion/", "/espace/"))


ODD_PATHS = ["//evil.example/", "//evil.example/territoires/", "///evil.example/palmares/", "//evil.example/compte/connexion/",
             "/\\evil.example/", "//evil.example/en/", "/en//evil.example/territoires/"]


def links(html):
    return re.findall(r'<(?:a|link)\b[^>]*\bhref="([^"]*)"', html)


@pytest.mark.parametrize("path", ODD_PATHS)
def test_the_language_switch_stays_on_site(sec, isolated, path):
    """The page for a path that starts with two slashes (a 404) offers its English (or
    French) version: that link must not read as another host."""
    for role in ("anonymous", "correspondent"):
        response = client_as(sec, role).get("/", PATH_INFO=path)
        assert response.status_code == 404, f"{path}: {response.status_code}"
        html = response.content.decode()
        assert re.search(r'<a href="[^"]*" hreflang="(en|fr)"', html), f"the page for {path!r} offers no other language"
        for href in links(html):
            assert_on_site(href.replace("&amp;", "&"), f"link on the page for {path!r} as {role}")


@pytest.mark.parametrize("path", ["/territoires/", "/palmares/?annee=2024", "/en/statistiques/", "/territoires/59368/"])
def test_the_language_switch_links_to_the_same_page(sec, isolated, path):
    html = client_as(sec, "anonymous").get(path).content.decode()
    other = re.search(r'<a href="([^"]*)" hreflang="(en|fr)"', html)
    assert other, path
    expected = path[3:] if path.startswith("/en/") else "/en" + path
    assert other.group(1).replace("&amp;", "&") == expected


@pytest.mark.parametrize("path", ["//evil.example", "/\\evil.example", "//evil.example/espace", "/espace//evil.example"])
def test_slash_appending_never_redirects_off_site(sec, isolated, path):
    response = client_as(sec, "anonymous").get("/", PATH_INFO=path)
    # No slash is appended to these paths at all: a 404, not a redirect anywhere.
    assert response.status_code == 404, f"GET {path!r}: {response.status_code} {response.get('Location')}"


def test_the_invitation_and_the_verification_lead_back_on_site(sec, isolated):
    """An anonymous invitee is sent to log in with next=the invitation, then verified
    accounts go to the page remembered in the session: both on this site."""
    url = f"/compte/invitation/{sec.invitation_token}/"
    page = Client().get(url).content.decode()
    hrefs = [href.replace("&amp;", "&") for href in links(page)]
    for href in hrefs:
        assert_on_site(href, "invitation page")
    login = [href for href in hrefs if href.startswith("/compte/connexion/?next=")]
    assert login and unquote(login[0].split("=", 1)[1]) == url
    # The login page keeps that `next`, on this site.
    response = client_as(sec, "stranger").get(login[0])
    assert response.status_code == 302 and response["Location"] == url


def test_view_on_site_goes_to_the_objects_own_page(sec, isolated):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(sec.actor_row)
    response = client_as(sec, "staff").get(f"/admin/r/{content_type.pk}/{sec.actor_row.pk}/")
    assert response.status_code == 302
    assert_on_site(response["Location"], "view on site")
    assert browser_view(response["Location"]).path == sec.actor_row.get_absolute_url()

"""Failed logins are throttled per account and per client address (issue 6, item 5),
through the admin's login page as an attacker would use it."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.test import Client

from arobase.accounts.models import FailedLogin

pytestmark = pytest.mark.django_db
URL = "/admin/login/?next=/admin/"
PASSWORD = "le-bon-mot-de-passe-2026"
THROTTLED = "Trop de tentatives de connexion échouées"


@pytest.fixture
def staff():
    return User.objects.create_user("delegation", password=PASSWORD, is_staff=True, is_superuser=True)


def login(client, username, password, address="203.0.113.7", **headers):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_right_password_works(client, staff):
    assert logged_in(login(client, "delegation", PASSWORD))


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, staff, caplog):
    for _ in range(30):
        login(client, "delegation", "devine")
    with caplog.at_level(logging.WARNING, logger="arobase.security"):
        response = login(client, "delegation", PASSWORD)
    assert not logged_in(response)
    assert THROTTLED in response.content.decode() and "Réessayez dans 15 minutes" in response.content.decode()
    assert "delegation" in caplog.text and "203.0.113.7" in caplog.text and PASSWORD not in caplog.text


def test_the_lock_starts_at_the_fifth_failure(client, staff):
    for _ in range(4):
        assert THROTTLED not in login(client, "delegation", "devine").content.decode()
    assert THROTTLED in login(client, "delegation", "devine").content.decode()


def test_the_account_lock_holds_from_another_address(client, staff):
    for _ in range(5):
        login(client, "delegation", "devine", address="198.51.100.1")
    assert not logged_in(login(client, "delegation", PASSWORD, address="198.51.100.2"))


def test_an_address_is_locked_whatever_the_accounts(client, staff):
    for i in range(20):  # 20 accounts, one guess each: no account reaches its own limit
        login(client, f"compte{i}", "devine")
    response = login(client, "delegation", PASSWORD)
    assert not logged_in(response) and THROTTLED in response.content.decode()
    assert logged_in(login(client, "delegation", PASSWORD, address="192.0.2.99"))  # another address may


def test_unknown_accounts_get_the_same_message(client):
    for _ in range(5):
        response = login(client, "personne", "devine")
    assert THROTTLED in response.content.decode()


def test_the_lock_ends_when_the_failures_age_out(client, staff):
    for _ in range(5):
        login(client, "delegation", "devine")
    assert not logged_in(login(client, "delegation", PASSWORD))
    for failure in FailedLogin.objects.all():
        failure.at -= timedelta(minutes=16)
        failure.save()
    assert logged_in(login(client, "delegation", PASSWORD))


def test_a_success_clears_the_accounts_failures(client, staff):
    for _ in range(4):
        login(client, "delegation", "devine")
    assert logged_in(login(client, "delegation", PASSWORD))
    client.logout()
    assert THROTTLED not in login(client, "delegation", "devine").content.decode()


def test_usernames_are_counted_without_case(client, staff):
    for name in ("Delegation", "DELEGATION", " delegation", "delegation", "DeLeGaTiOn"):
        login(client, name, "devine")
    assert THROTTLED in login(client, "delegation", PASSWORD).content.decode()


def test_a_forged_forwarded_address_does_not_help_without_a_proxy(client, staff):
    for i in range(5):
        login(client, "delegation", "devine", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    assert not logged_in(login(client, "delegation", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9"))
    assert set(FailedLogin.objects.values_list("address", flat=True)) == {"203.0.113.7"}


def test_behind_a_proxy_the_client_is_the_forwarded_address(client, staff, settings):
    settings.TRUSTED_PROXIES = 1
    for i in range(20):
        login(client, f"compte{i}", "devine", address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"forged, 198.51.100.{i}")
    assert logged_in(login(client, "delegation", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.50"))
    assert FailedLogin.objects.filter(address="198.51.100.3").count() == 1


def test_a_burst_of_simultaneous_guesses_gets_no_more_than_the_limit(client, staff, monkeypatch):
    """Several workers at once: each guess arrives while the previous ones are still
    having their password checked, so none of them is a recorded failure yet."""
    checked = []
    check_password = User.check_password

    def another_guess_arrives_meanwhile(user, password):
        checked.append(password)
        if len(checked) < 10:
            login(Client(), "delegation", f"devine{len(checked)}")
        return check_password(user, password)

    monkeypatch.setattr(User, "check_password", another_guess_arrives_meanwhile)
    login(client, "delegation", "devine0")
    assert len(checked) == 5
    assert FailedLogin.objects.count() == 5  # the refused guesses leave no row: the lock is not prolonged


def test_an_ipv6_client_is_one_address_for_its_whole_network(client, staff):
    """A single IPv6 subscriber holds at least a /64: one address each guess must not help."""
    for i in range(20):
        login(client, f"compte{i}", "devine", address=f"2001:db8:1:2::{i + 1:x}")
    assert not logged_in(login(client, "delegation", PASSWORD, address="2001:db8:1:2:ffff:ffff:ffff:fffe"))
    assert logged_in(login(client, "delegation", PASSWORD, address="2001:db8:1:3::1"))


def test_an_ipv4_client_seen_through_an_ipv6_socket_is_the_same_address(client, staff):
    for i in range(10):
        login(client, f"compte{i}", "devine", address="203.0.113.7")
        login(client, f"autre{i}", "devine", address="::ffff:203.0.113.7")
    assert not logged_in(login(client, "delegation", PASSWORD, address="203.0.113.7"))


def test_the_log_line_cannot_be_forged_through_the_username(client, caplog):
    forged = "x\nConnexion réussie : compte « delegation »"
    for _ in range(5):
        login(client, forged, "devine")
    with caplog.at_level(logging.WARNING, logger="arobase.security"):
        login(client, forged, "devine")
    assert caplog.records and all("\n" not in record.getMessage() for record in caplog.records)


def test_authentication_without_a_request_is_throttled_too(client, staff):
    """The backend is the one door: code that authenticates without a request (scripts,
    Client.login) meets the account's lock as well."""
    for _ in range(5):
        login(client, "delegation", "devine")
    assert authenticate(username="delegation", password=PASSWORD) is None


def test_the_owner_of_a_locked_account_gets_back_in_by_the_email_path(client):
    """Five wrong passwords by someone else lock the owner out too; the lock says the way
    back, and the reset link from the owner's mailbox works during it, ends it, and logs in."""
    import re as regex

    from django.core import mail

    owner = User.objects.create_user("elue@example.fr", email="elue@example.fr", password=PASSWORD)
    for _ in range(5):
        client.post("/compte/connexion/", {"username": "elue@example.fr", "password": "devine"}, REMOTE_ADDR="198.51.100.9")
    locked = client.post("/compte/connexion/", {"username": "elue@example.fr", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    page = locked.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert THROTTLED in page and "« Mot de passe oublié » vous envoie par e-mail un lien qui fonctionne pendant ce blocage" in page
    client.post("/compte/mot-de-passe/", {"email": "elue@example.fr"})
    link = regex.search(r"https?://\S+/compte/mot-de-passe/\S+/", mail.outbox[-1].body).group(0)
    form_page = client.get(link, follow=True)
    new_password = "un-nouveau-mot-de-passe-2026"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302 and response["Location"] == "/espace/"
    assert client.get("/espace/").status_code == 200  # logged in by the reset
    client.logout()
    assert client.post("/compte/connexion/", {"username": "elue@example.fr", "password": new_password}).status_code == 302  # the lock is over
    owner.refresh_from_db()
    assert owner.check_password(new_password)

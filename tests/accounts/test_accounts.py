"""Sign-up with e-mail verification, login with ?next=, logout, password reset, roles."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from arobase.accounts import roles, verification
from arobase.accounts.models import Attachment, Role
from arobase.journal.models import Entry

from ..conftest import make_user

PASSWORD = "un-mot-de-passe-solide-2027"


def sign_up(client, email="Nouvelle.Elue@Example.fr"):
    return client.post("/compte/inscription/", {
        "email": email, "first_name": "Léa", "last_name": "Roux", "password1": PASSWORD, "password2": PASSWORD,
    })


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.mark.django_db
def test_sign_up_verify_then_log_in(client):
    response = sign_up(client)
    assert response.status_code == 200 and "Vérifiez votre adresse" in response.content.decode().replace("&#x27;", "'")
    user = User.objects.get(username="nouvelle.elue@example.fr")
    assert not user.is_active
    # Not before verification.
    response = client.post("/compte/connexion/", {"username": "nouvelle.elue@example.fr", "password": PASSWORD})
    assert "cliquez d'abord sur le lien" in response.content.decode().replace("&#x27;", "'")
    (message,) = mail.outbox
    assert message.to == ["nouvelle.elue@example.fr"]
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = link_in(message)
    assert link.startswith("http://testserver/compte/verification/")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/espace/"
    assert User.objects.get(pk=user.pk).is_active
    # A second click says so instead of failing.
    client.logout()
    assert client.get(link).status_code == 302
    response = client.post("/compte/connexion/", {"username": "NOUVELLE.ELUE@example.fr ", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_up_errors_are_clear(client):
    make_user("deja@example.fr")
    response = client.post("/compte/inscription/", {"email": "DEJA@example.fr", "first_name": "A", "last_name": "B", "password1": "court", "password2": "autre"})
    text = response.content.decode().replace("&#x27;", "'")
    assert "Un compte existe déjà" in text
    assert "pas identiques" in text
    response = client.post("/compte/inscription/", {"email": "neuf@example.fr", "first_name": "A", "last_name": "B", "password1": "12345678901234", "password2": "12345678901234"})
    assert "entièrement numérique" in response.content.decode().replace("&#x27;", "'") or "numeric" in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.filter(username="neuf@example.fr").exists()


@pytest.mark.django_db
def test_forged_verification_link(client):
    sign_up(client)
    user = User.objects.get(username="nouvelle.elue@example.fr")
    assert client.get("/compte/verification/MQ/forged-token/").status_code == 400
    assert client.get("/compte/verification/%00/x/").status_code == 400
    assert not User.objects.get(pk=user.pk).is_active


@pytest.mark.django_db
@pytest.mark.parametrize("next_url, expected", [
    ("/espace/59368/", "/espace/59368/"),
    ("https://evil.example/steal", "/espace/"),
    ("//evil.example/", "/espace/"),
    ("/\\evil.example", "/espace/"),
])
def test_login_next_stays_on_this_site(client, next_url, expected):
    make_user("a@example.fr", password=PASSWORD)
    response = client.post(f"/compte/connexion/?next={next_url}", {"username": "a@example.fr", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response["Location"] == expected


@pytest.mark.django_db
def test_logout_is_post_only(client):
    user = make_user("a@example.fr")
    client.force_login(user)
    assert client.get("/compte/deconnexion/").status_code == 405
    assert client.post("/compte/deconnexion/").status_code == 302
    assert client.get("/espace/").status_code == 302


@pytest.mark.django_db
def test_password_reset_by_email(client):
    make_user("a@example.fr", password="ancien-mot-de-passe-long")
    client.post("/compte/mot-de-passe/", {"email": "a@example.fr"})
    (message,) = mail.outbox
    assert message.alternatives and "mot de passe" in message.subject
    link = link_in(message)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert client.login(username="a@example.fr", password=PASSWORD)


@pytest.mark.django_db
def test_login_is_throttled_with_a_clear_message(client, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    make_user("a@example.fr", password=PASSWORD)
    for _ in range(2):
        client.post("/compte/connexion/", {"username": "a@example.fr", "password": "faux"})
    response = client.post("/compte/connexion/", {"username": "a@example.fr", "password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode().replace("&#x27;", "'") or "réessayez" in response.content.decode().replace("&#x27;", "'")


def test_jury_and_correspondent_exclude_each_other(world, client):
    with pytest.raises(roles.RoleConflict, match="jury ne peut pas être correspondant"):
        roles.request_attachment(world.jury, world.madeleine)
    with pytest.raises(roles.RoleConflict, match="correspondant d'une collectivité ne peut pas être membre du jury"):
        roles.grant(world.correspondent, Role.JURY)
    # Through the pages too.
    client.force_login(world.jury)
    response = client.post("/espace/rattachement/", {"territory": "59368", "function": "élu"})
    assert "jury ne peut pas être correspondant" in response.content.decode().replace("&#x27;", "'")
    assert not Attachment.objects.filter(user=world.jury).exists()


def test_attachment_request_approved_by_staff(world, client):
    newcomer = make_user("new@example.fr")
    client.force_login(newcomer)
    response = client.get("/espace/rattachement/?q=La Madeleine")
    assert "59368" in response.content.decode().replace("&#x27;", "'")
    response = client.post("/espace/rattachement/", {"territory": "59368", "function": "chargée de mission"})
    assert response.status_code == 302
    attachment = Attachment.objects.get(user=newcomer)
    assert attachment.status == Attachment.PENDING
    # A second request is refused clearly.
    response = client.post("/espace/rattachement/", {"territory": "59368", "function": "x"})
    assert "déjà en attente" in response.content.decode().replace("&#x27;", "'")
    # Unknown or non-commune codes.
    response = client.post("/espace/rattachement/", {"territory": "59", "function": "x"})
    assert "Aucune commune" in response.content.decode().replace("&#x27;", "'")
    assert client.get("/espace/59368/").status_code == 404  # not before approval
    # Only staff decide.
    assert client.post(f"/espace/rattachement/{attachment.pk}/decision/", {"decision": "approve"}).status_code == 403
    client.force_login(world.staff)
    response = client.get("/gestion/2027/")
    assert "new@example.fr" in response.content.decode().replace("&#x27;", "'")
    client.post(f"/espace/rattachement/{attachment.pk}/decision/", {"decision": "approve", "back": "/gestion/2027/"})
    attachment.refresh_from_db()
    assert attachment.status == Attachment.APPROVED and attachment.decided_by == world.staff
    assert "acceptée" in mail.outbox[-1].body
    assert Entry.objects.filter(verb="rattachement approuvé", actor=world.staff, territory=world.madeleine).exists()
    client.force_login(newcomer)
    assert client.get("/espace/59368/").status_code == 200


def test_refusal_needs_a_reason(world, client):
    newcomer = make_user("new@example.fr")
    attachment = roles.request_attachment(newcomer, world.lunel)
    client.force_login(world.staff)
    client.post(f"/espace/rattachement/{attachment.pk}/decision/", {"decision": "refuse", "reason": "  "})
    attachment.refresh_from_db()
    assert attachment.status == Attachment.PENDING
    client.post(f"/espace/rattachement/{attachment.pk}/decision/", {"decision": "refuse", "reason": "Personne inconnue de la mairie"})
    attachment.refresh_from_db()
    assert attachment.status == Attachment.REFUSED
    assert "Personne inconnue de la mairie" in mail.outbox[-1].body


def test_invitation_by_a_correspondent(world, client):
    client.force_login(world.correspondent)
    client.post("/espace/59368/inviter/", {"email": "Collegue@Example.fr"})
    (message,) = mail.outbox
    link = link_in(message)
    colleague = make_user("collegue@example.fr")
    client.force_login(world.stranger)
    assert client.get(link).status_code == 403  # another account: refused
    client.force_login(colleague)
    assert client.get(link).status_code == 200
    client.post(link)
    assert Attachment.objects.filter(user=colleague, territory=world.madeleine, status=Attachment.APPROVED).exists()
    assert client.get(link).status_code == 400  # used once
    assert client.get("/compte/invitation/forged/").status_code == 400
    # Somebody else's territory: no invitations.
    client.force_login(world.other)
    assert client.post("/espace/59368/inviter/", {"email": "x@example.fr"}).status_code == 404


def test_an_invitation_that_could_not_leave_is_not_claimed_nor_kept(world, client, settings):
    from arobase.accounts.models import Invitation

    settings.EMAIL_BACKEND = "tests.support.mail.FailingBackend"
    client.force_login(world.correspondent)
    response = client.post("/espace/59368/inviter/", {"email": "collegue@example.fr"}, follow=True)
    page = response.content.decode().replace("&#x27;", "'")
    assert "L'invitation à collegue@example.fr n'a pas pu partir" in page and "Invitation envoyée" not in page
    assert not Invitation.objects.exists()
    assert not Entry.objects.filter(verb="invitation envoyée").exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/espace/59368/inviter/", {"email": "collegue@example.fr"}, follow=True)
    assert "Invitation envoyée à collegue@example.fr" in response.content.decode()
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_mail_server_down_loses_nothing(client, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    response = sign_up(client, "panne@example.fr")
    assert response.status_code == 200
    assert User.objects.filter(username="panne@example.fr").exists()
    assert "non envoyé" in caplog.text


@pytest.mark.django_db
def test_signing_up_again_never_takes_over_the_waiting_account(client):
    """Someone signs up with another's address before it is verified: nothing of the
    account changes, and the owner's first link activates the owner's account."""
    sign_up(client, "cible@example.fr")
    first_link = link_in(mail.outbox[-1])
    client.post("/compte/inscription/", {"email": "cible@example.fr", "first_name": "Pirate", "last_name": "Pirate",
                                          "password1": "un-autre-mot-de-passe-2026", "password2": "un-autre-mot-de-passe-2026"})
    user = User.objects.get(username="cible@example.fr")
    assert (user.first_name, user.last_name) == ("Léa", "Roux") and user.check_password(PASSWORD)
    assert not user.check_password("un-autre-mot-de-passe-2026")
    assert client.get(first_link).status_code == 302 and User.objects.get(pk=user.pk).is_active
    assert all("Pirate" not in m.body and "Léa" not in m.body for m in mail.outbox)  # no sender-chosen text in the e-mail


@pytest.mark.django_db
def test_a_sign_up_whose_email_failed_is_told_so_and_asks_a_new_link(client, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.FailingBackend"
    page = sign_up(client, "panne@example.fr").content.decode().replace("&#x27;", "'")
    assert "n'a pas pu partir" in page and "Recevoir un nouveau lien d'activation" in page
    assert User.objects.filter(username="panne@example.fr", is_active=False).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = client.post("/compte/verification/nouveau-lien/", {"email": "panne@example.fr"}).content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["panne@example.fr"]
    assert client.get(link_in(mail.outbox[0])).status_code == 302 and User.objects.get(username="panne@example.fr").is_active
    # Asking for an address that has no account answers the same, and sends nothing.
    client.logout()
    assert "Si cette adresse attend son activation" in client.post("/compte/verification/nouveau-lien/", {"email": "personne@example.fr"}).content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_signing_up_again_before_verification_sends_a_new_link(client):
    sign_up(client, "oubli@example.fr")
    too_soon = sign_up(client, "oubli@example.fr").content.decode()
    assert "il y a moins de dix minutes" in too_soon and len(mail.outbox) == 1  # no flood of someone's mailbox
    Entry.objects.filter(verb=verification.VERB).update(at=timezone.now() - verification.RESEND_INTERVAL - timedelta(seconds=1))
    sign_up(client, "oubli@example.fr")
    assert User.objects.filter(username="oubli@example.fr").count() == 1
    assert len(mail.outbox) == 2
    assert client.get(link_in(mail.outbox[-1])).status_code == 302
    assert User.objects.get(username="oubli@example.fr").is_active
    client.logout()
    response = sign_up(client, "oubli@example.fr")
    assert "Un compte existe déjà" in response.content.decode()


@pytest.mark.django_db
def test_an_invitation_dies_with_its_inviters_right_to_invite(world, client):
    from arobase.accounts import tokens
    from arobase.accounts.models import Invitation

    invitation = Invitation.objects.create(territory=world.madeleine, email=world.stranger.email, invited_by=world.correspondent)
    link = f"/compte/invitation/{tokens.invitation_token(invitation)}/"
    Attachment.objects.filter(user=world.correspondent, territory=world.madeleine).delete()  # no longer a correspondent
    client.force_login(world.stranger)
    page = client.get(link)
    assert page.status_code == 400 and "n'est plus correspondante" in page.content.decode().replace("&#x27;", "'")
    assert client.post(link).status_code == 400
    assert not Attachment.objects.filter(user=world.stranger, territory=world.madeleine).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["correspondent", "staff"])
def test_correspondents_and_staff_see_and_cancel_pending_invitations(world, client, who):
    from arobase.accounts import tokens
    from arobase.accounts.models import Invitation

    invitation = Invitation.objects.create(territory=world.madeleine, email="invitee@example.fr", invited_by=world.correspondent)
    client.force_login(getattr(world, who))
    space = client.get("/espace/59368/").content.decode().replace("&#x27;", "'")
    assert "Invitations en attente" in space and "invitee@example.fr" in space
    client.post(f"/espace/59368/invitations/{invitation.pk}/annuler/")
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert Entry.objects.filter(verb="invitation annulée", actor=getattr(world, who), detail="invitee@example.fr").exists()
    client.force_login(world.stranger)
    assert client.get(f"/compte/invitation/{tokens.invitation_token(invitation)}/").status_code == 400
    # The other territory's correspondent sees none of it and cancels nothing.
    other = Invitation.objects.create(territory=world.madeleine, email="deux@example.fr", invited_by=world.correspondent)
    client.force_login(world.other)
    assert client.post(f"/espace/59368/invitations/{other.pk}/annuler/").status_code == 404
    assert Invitation.objects.filter(pk=other.pk).exists()

"""« Mes données » (RGPD art. 15, 17, 20): each member takes out everything held about
them, withdraws their consent to show their contact details, and deletes their account
without tearing holes in the label's records."""

import html
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import User

from arobase.accounts import roles
from arobase.accounts.models import Attachment, Invitation, Role
from arobase.actions import rules as action_rules
from arobase.actions.models import Action, Actor, Person
from arobase.dossiers import membership
from arobase.dossiers.models import Dossier, Membership
from arobase.evaluation.models import Decision, JuryNote, OutboxMessage, Review
from arobase.journal.models import Entry
from tests.conftest import make_user

PASSWORD = "mot-de-passe-tres-long"


def published_action(w, author, title="Wifi public dans les parcs"):
    action = Action.objects.create(territory=w.madeleine, title=title, summary="Des bornes dans trois parcs.",
                                   state=action_rules.PUBLISHED, author=author)
    action.services.set(w.services[:1])
    return action


def text(response):
    return html.unescape(response.content.decode())


def exported(client):
    response = client.get("/compte/donnees/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


@pytest.mark.parametrize("url", ["/compte/", "/compte/donnees/", "/compte/suppression/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/?next=")


def test_a_correspondent_downloads_everything_about_them_and_nothing_about_others(world, login):
    action = published_action(world, world.correspondent)
    published_action(world, world.other, title="Action de Lunel écrite par un autre")
    Person.objects.create(action=action, name="Camille Martin", role="cheffe de projet", email="CORR@example.fr", phone="0102030405", consent=True)
    Invitation.objects.create(territory=world.madeleine, email="collegue@example.fr", invited_by=world.correspondent)

    data = exported(login(world.correspondent))

    assert data["compte"]["adresse_email"] == "corr@example.fr" and data["compte"]["prenom"] == "Camille"
    assert [a["territoire"] for a in data["rattachements"]] == ["59368"]
    assert data["invitations"]["envoyees"][0]["adresse_email"] == "collegue@example.fr"
    assert [a["titre"] for a in data["actions"]] == ["Wifi public dans les parcs"]
    assert data["coordonnees_publiees"]["personnes"][0]["telephone"] == "0102030405"
    assert any(e["action"] == "rattachement par invitation" for e in data["journal"])
    text = json.dumps(data)
    assert "autre@example.fr" not in text and "écrite par un autre" not in text


def test_evaluators_and_jurors_find_their_reviews_decisions_notes_and_the_journal_naming_them(world, login):
    dossier = Dossier.objects.create(edition=world.edition, territory=world.madeleine)
    Review.objects.create(dossier=dossier, evaluator=world.evaluator, comment="Stratégie claire, usages solides.", proposed_arobases=4)
    Decision.objects.create(dossier=dossier, arobases=4, rationale="Progression nette depuis 2024.", decided_by=world.jury)
    JuryNote.objects.create(dossier=dossier, author=world.jury, text="À suivre pour la mention.")

    evaluator = exported(login(world.evaluator))
    assert evaluator["avis_d_evaluation"][0]["commentaire"] == "Stratégie claire, usages solides."
    assert [r["role"] for r in evaluator["roles"]] == ["évaluateur"]
    assert evaluator["decisions_du_jury"] == [] and evaluator["notes_du_jury"] == []

    jury = exported(login(world.jury))
    assert jury["decisions_du_jury"][0]["motivation"] == "Progression nette depuis 2024."
    assert jury["notes_du_jury"][0]["note"] == "À suivre pour la mention."
    # The staff granted the role: an entry by someone else, that names the juror.
    roles.grant(world.jury, Role.EVALUATOR, by=world.staff)
    jury = exported(login(world.jury))
    assert any(e["action"].startswith("rôle accordé") and not e["par_moi"] for e in jury["journal"])


def test_the_zip_holds_the_json_and_the_images_of_the_members_actions(world, login, settings, tmp_path):
    from django.core.files.base import ContentFile

    from arobase.actions.models import Image

    settings.MEDIA_ROOT = tmp_path
    action = published_action(world, world.correspondent)
    image = Image(action=action, alt="Une borne", width=1, height=1)
    image.file.save("borne.jpg", ContentFile(b"\xff\xd8jpeg"), save=False)
    image.thumbnail.save("borne-mini.jpg", ContentFile(b"\xff\xd8mini"), save=False)
    image.save()

    response = login(world.correspondent).get("/compte/donnees/?format=zip")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "mes-donnees.json" in names
    assert archive.read(f"fichiers/actions/{action.pk}/borne.jpg") == b"\xff\xd8jpeg"
    assert json.loads(archive.read("mes-donnees.json"))["compte"]["adresse_email"] == "corr@example.fr"


def test_the_export_costs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    for number in range(12):
        published_action(world, world.correspondent, title=f"Action {number}")
    client = login(world.correspondent)
    with django_assert_max_num_queries(25):
        exported(client)


def test_a_wrong_password_deletes_nothing(world, login):
    client = login(world.correspondent)
    response = client.post("/compte/suppression/", {"password": "pas-le-bon", "understood": "on"})
    assert response.status_code == 400
    assert "Ce mot de passe n'est pas le bon" in text(response)
    world.correspondent.refresh_from_db()
    assert world.correspondent.email == "corr@example.fr" and world.correspondent.is_active
    assert client.get("/espace/").status_code == 200


def test_deleting_my_account_erases_me_and_keeps_the_labels_records(world, login, client):
    action = published_action(world, world.correspondent)
    Person.objects.create(action=action, name="Camille", email="corr@example.fr", phone="0102030405", consent=True)
    Invitation.objects.create(territory=world.madeleine, email="collegue@example.fr", invited_by=world.correspondent)
    roles.attach_directly(make_user("second@example.fr"), world.madeleine, None)  # not the last correspondent
    fee = membership.join(world.edition, world.madeleine, world.correspondent)
    OutboxMessage.objects.create(edition=world.edition, key="k1", template="x", to="corr@example.fr", context={"name": "Camille"})
    pk = world.correspondent.pk

    page = login(world.correspondent).get("/compte/suppression/")
    assert "dernier correspondant" not in text(page)
    response = client.post("/compte/suppression/", {"password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/"
    assert "Votre compte a été supprimé" in text(client.get("/"))
    assert client.get("/espace/").status_code == 302  # logged out
    gone = User.objects.get(pk=pk)
    assert (gone.email, gone.get_full_name(), gone.is_active, gone.has_usable_password()) == ("", "Ancien membre", False, False)
    assert not client.login(username="corr@example.fr", password=PASSWORD)
    # The published action stays, its author now a former member; the contact details go.
    assert client.get(f"/actions/{action.pk}/").status_code == 200
    assert Action.objects.get(pk=action.pk).author.get_full_name() == "Ancien membre"
    assert Person.objects.get(action=action).email == "" and not Person.objects.get(action=action).consent
    # The journal keeps the events, without the name or the address.
    assert Entry.objects.filter(verb__startswith="adhésion 2027", territory=world.madeleine, actor=None, by_member=True).exists()
    assert not Entry.objects.filter(actor_id=pk).exists()
    everything = " ".join(f"{e.verb} {e.detail} {e.before} {e.after}" for e in Entry.objects.all())
    assert "corr@example.fr" not in everything.lower() and "camille" not in everything.lower()
    assert Entry.objects.filter(verb="compte supprimé à la demande de son titulaire", by_member=True).exists()
    # The invoice stays, the territory its party; attachments, roles, pending invitations and messages go.
    assert Membership.objects.filter(pk=fee.pk, territory=world.madeleine).exists()
    assert not Attachment.objects.filter(user_id=pk, status=Attachment.APPROVED).exists()
    assert not Invitation.objects.filter(email="collegue@example.fr").exists()
    assert not OutboxMessage.objects.filter(to__iexact="corr@example.fr").exists()


def test_the_address_is_free_again_after_deletion(world, login, client):
    login(world.stranger).post("/compte/suppression/", {"password": PASSWORD})
    response = client.post("/compte/inscription/", {
        "email": "inconnu@example.fr", "first_name": "Nouvel", "last_name": "Inscrit",
        "password1": "une-autre-phrase-2027", "password2": "une-autre-phrase-2027",
    })
    assert response.status_code == 200 and "Vérifiez votre adresse" in text(response)
    assert User.objects.filter(email="inconnu@example.fr", first_name="Nouvel").exists()


def test_the_last_correspondent_of_a_running_dossier_is_warned_and_must_acknowledge(world, login):
    Dossier.objects.create(edition=world.edition, territory=world.madeleine)
    client = login(world.correspondent)

    page = text(client.get("/compte/suppression/"))
    assert "vous êtes le dernier correspondant" in page and "La Madeleine (59368) : dossier 2027 en cours" in page

    refused = client.post("/compte/suppression/", {"password": PASSWORD})
    assert refused.status_code == 400 and "Cochez cette case" in text(refused)
    assert User.objects.get(pk=world.correspondent.pk).is_active

    assert client.post("/compte/suppression/", {"password": PASSWORD, "understood": "on"}).status_code == 302
    assert not User.objects.get(pk=world.correspondent.pk).is_active


def test_the_only_superuser_cannot_delete_themselves_but_one_of_two_can(world, login):
    boss = User.objects.create_superuser("chef@example.fr", "chef@example.fr", PASSWORD)
    client = login(boss)
    assert "seul super-administrateur" in text(client.get("/compte/suppression/"))
    response = client.post("/compte/suppression/", {"password": PASSWORD})
    assert response.status_code == 403 and "seul super-administrateur" in text(response)
    assert User.objects.get(pk=boss.pk).is_superuser

    User.objects.create_superuser("adjoint@example.fr", "adjoint@example.fr", PASSWORD)
    assert client.post("/compte/suppression/", {"password": PASSWORD}).status_code == 302
    boss.refresh_from_db()
    assert not boss.is_superuser and not boss.is_active


def test_a_deleted_evaluators_reviews_stay_signed_by_a_former_member(world, login):
    dossier = Dossier.objects.create(edition=world.edition, territory=world.lunel)
    review = Review.objects.create(dossier=dossier, evaluator=world.evaluator, comment="Bon dossier.")
    login(world.evaluator).post("/compte/suppression/", {"password": PASSWORD})
    review.refresh_from_db()
    assert review.comment == "Bon dossier." and review.evaluator.get_full_name() == "Ancien membre"
    assert not Role.objects.filter(user=world.evaluator).exists()


def test_a_local_actor_withdrawing_consent_loses_the_public_contact_details_at_once(world, login):
    from django.test import Client

    listing = Actor.objects.create(slug="fablab-madeleine", name="Fablab de La Madeleine", territory=world.madeleine,
                                   email="acteur@example.fr", phone="03 20 00 00 00", consent=True)
    reader = Client()
    reader.force_login(world.other)  # a network member: sees contact details given with consent
    assert "03 20 00 00 00" in text(reader.get("/acteurs/fablab-madeleine/"))

    client = login(world.actor)
    page = text(client.get("/compte/"))
    assert "Fablab de La Madeleine" in page and "Retirer mon accord" in page
    response = client.post("/compte/coordonnees/retrait/", {"kind": "acteur", "listing": listing.pk})

    assert response.status_code == 302 and response["Location"] == "/compte/"
    assert "03 20 00 00 00" not in text(reader.get("/acteurs/fablab-madeleine/"))
    assert "coordonnées masquées" in text(client.get("/compte/"))


def test_nobody_withdraws_the_consent_of_someone_else(world, login):
    listing = Actor.objects.create(slug="cyber-base", name="Cyber-base", territory=world.madeleine,
                                   email="quelquun@example.fr", phone="0600000000", consent=True)
    for listing_id in [str(listing.pk), "٣", "9" * 5000, "-1", ""]:
        response = login(world.actor).post("/compte/coordonnees/retrait/", {"kind": "acteur", "listing": listing_id})
        assert response.status_code == 400 and "rien n'a été changé" in text(response)
    assert Actor.objects.get(pk=listing.pk).consent


def test_the_legal_notice_links_to_each_right_in_both_languages(client, db):
    french = text(client.get("/mentions-legales/"))
    assert '<a href="/compte/donnees/">Télécharger mes données</a>' in french
    assert '<a href="/compte/suppression/">Supprimer mon compte</a>' in french
    english = text(client.get("/en/mentions-legales/"))
    assert '<a href="/en/compte/donnees/">Download my data</a>' in english and "Your rights" in english

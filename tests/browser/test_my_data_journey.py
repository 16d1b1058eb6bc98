"""Journey: a member signs up, finds « Mon compte et mes données » from their space,
downloads their data, then deletes their account with their password; the address can
no longer log in."""

import json
import re
from pathlib import Path

from django.core import mail
from playwright.sync_api import expect

EMAIL = "depart.volontaire@example.fr"
PASSWORD = "une-phrase-de-passe-depart"


def test_a_member_takes_their_data_and_leaves(site_url, page):
    page.goto(site_url + "/compte/inscription/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Départ")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    message = next(m for m in reversed(mail.outbox) if EMAIL in m.to)
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")

    page.get_by_role("link", name="Mon compte et mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte et mes données")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["compte"]["adresse_email"] == EMAIL and data["compte"]["nom"] == "Départ"
    assert data["journal"][0]["action"] == "inscription"

    page.get_by_role("link", name="Supprimer mon compte…").click()
    page.get_by_label("Votre mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce mot de passe n'est pas le bon")
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("status")).to_contain_text("Votre compte a été supprimé")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()

    page.goto(site_url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("main")).to_contain_text("Adresse e-mail ou mot de passe incorrect")

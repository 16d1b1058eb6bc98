"""Journey: a new correspondent signs up, verifies the address from the outbox, asks to
be attached to a town, the staff approve, then the correspondent joins, downloads the
invoice, writes two actions with services, submits the dossier and gets the receipt."""

import re

from django.core import mail
from playwright.sync_api import expect


EMAIL = "nouvelle.correspondante@example.fr"
PASSWORD = "une-phrase-de-passe-2027"


def test_new_correspondent_files_a_dossier(site_url, browser, page):
    # No database query from the test's thread: on SQLite, its open transaction would
    # lock out the live server's writes. The open edition comes from the public API.
    editions = page.request.get(site_url + "/api/v1/editions").json()["results"]
    year = next(e["year"] for e in editions if e["phase"] == "candidatures")

    # Sign up, then verify the address with the link of the e-mail.
    page.goto(site_url + "/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Garnier")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")
    message = next(m for m in reversed(mail.outbox) if EMAIL in m.to)
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")

    # Ask to be attached to the town, found by its name.
    page.get_by_role("link", name="Demander à être correspondant d'une collectivité").click()
    page.get_by_label("Nom, code INSEE ou code postal").fill("Villers-Semeuse")
    page.get_by_role("main").get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="choisir").first.click()
    code = page.get_by_label("Code du territoire").input_value()
    assert re.fullmatch(r"08\d{3}", code)  # Villers-Semeuse, Ardennes
    page.get_by_label("Votre fonction").fill("Chargée de mission numérique")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("status")).to_contain_text("transmise à l'équipe")

    # The staff approve from their dashboard.
    staff = browser.new_context(locale="fr-FR").new_page()
    staff.goto(site_url + "/compte/connexion/")
    staff.get_by_label("Adresse e-mail").fill("equipe@demo.arobase.fr")
    staff.get_by_label("Mot de passe").fill("arobase-demo")
    staff.get_by_role("button", name="Se connecter").click()
    staff.goto(f"{site_url}/gestion/{year}/")
    staff.get_by_role("button", name=f"Approuver la demande de {EMAIL}").click()
    expect(staff.get_by_role("status")).to_contain_text("approuvé")
    staff.context.close()

    # Join for the open edition and download the invoice.
    page.goto(site_url + "/espace/")
    page.get_by_role("link", name=f"adhésion {year}").click()
    page.get_by_role("button", name=re.compile(f"Adhérer pour {year}")).click()
    expect(page.get_by_role("status")).to_contain_text(f"FA-{year}-")
    invoice = page.request.get(site_url + page.get_by_role("link", name="Télécharger la facture (PDF)").get_attribute("href"))
    assert invoice.ok and invoice.headers["content-type"] == "application/pdf" and invoice.body().startswith(b"%PDF")

    # Write two actions, each with services.
    for title, service in [("Wifi dans les lieux publics", "Wi-Fi public"), ("Portail famille en ligne", "Portail famille")]:
        page.goto(f"{site_url}/espace/{code}/actions/nouvelle/")
        page.get_by_label(re.compile(r"^Titre")).fill(title)
        page.get_by_label("Synthèse").fill(f"{title} pour tous les habitants.")
        page.get_by_role("group", name="Services du référentiel").get_by_label(service, exact=True).check()
        page.get_by_label("Avancement").select_option(label="en cours")
        page.get_by_label("Date de début").fill("2025-09-01")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status")).to_contain_text("brouillon")

    # Choose them, answer the questionnaire, submit.
    page.goto(f"{site_url}/espace/{code}/dossier/{year}/")
    page.get_by_label("Wifi dans les lieux publics").check()
    page.get_by_label("Portail famille en ligne").check()
    for question in page.locator("textarea[name^=question-]").all():
        question.fill("Une politique numérique portée par le maire et le service informatique.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Rien : le dossier peut être déposé.")).to_be_visible()
    page.get_by_role("button", name=f"Déposer le dossier {year}").click()
    expect(page.get_by_role("status")).to_contain_text("Dossier déposé")
    expect(page.get_by_role("heading", name="Actions déposées (2)")).to_be_visible()
    receipt = next(m for m in reversed(mail.outbox) if EMAIL in m.to and "accusé de réception" in m.subject)
    assert receipt.attachments[0][1].startswith(b"%PDF")

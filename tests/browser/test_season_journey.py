"""Journey: the whole season of an edition. Staff close the candidatures (the deadline,
moved in the admin) and assign the evaluators, every evaluator scores and submits, staff
open the deliberation, the jury decides every dossier, staff publish and send the
messages, and the public profile of La Madeleine shows the new label and its sign; the
year's palmarès says when it will be published, then shows the laureates.

Set-up: the demo's next edition in `instruction` (12 submitted dossiers instead of 40,
the grid, seven evaluators), put back in `candidatures` with a deadline still ahead;
everything else goes through the browser. The whole browser suite shares one database:
the default demo is put back at the end, whatever happens.
"""

import io
import re
import threading
import zlib
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils.timezone import localdate
from playwright.sync_api import expect

from arobase.demo import evaluation as evaluation_demo
from tests.browser.images import assert_image_loaded

PASSWORD = "arobase-demo"
MADELEINE = "59368"
DOSSIERS = 6
EVALUATORS = ["evaluateur@demo.arobase.fr"] + [f"evaluateur{n}@demo.arobase.fr" for n in range(2, 8)]


def committed(function):
    """Run `function` in a thread of its own, so that its writes are committed at once.

    The test's own connection sits in the transaction pytest-django opens around each
    test: writing there would hide the data from the live server and, on SQLite, lock it
    out. A new thread has its own connection, in autocommit. Call this only while no
    request is in flight (the live server writes nothing then)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def load_demo(season=None):
    out = io.StringIO()
    call_command("demo", *(["--season", season] if season else []), verbosity=0, stdout=out)
    return int(re.search(r"Édition (\d{4}) en phase", out.getvalue()).group(1))


def reopen_candidatures(year):
    """The demo's `instruction`, one step back: candidatures still open for a few days,
    so that staff close them (the demo has no phase with submitted dossiers before)."""
    from arobase.labels.models import Edition

    Edition.objects.filter(year=year).update(phase="candidatures", closing_date=localdate() + timedelta(days=5))


def restore_default_demo(year):
    """The default demo again: the next edition taking candidatures, La Madeleine's draft.
    The labels this test published go first: otherwise the demo would take the published
    edition for the latest one and open the year after."""
    from arobase.labels.models import Label

    Label.objects.filter(edition_id=year).delete()
    load_demo()


def log_in(browser, site_url, email, width=1280, height=800):
    page = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(15_000)
    page.goto(site_url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_have_count(0)
    return page


def visitor(browser):
    """A new anonymous visitor: public pages may come from the browser's cache for a minute
    (Cache-Control max-age), so one who saw a page before publication might see it again."""
    page = browser.new_context(locale="fr-FR").new_page()
    page.set_default_timeout(15_000)
    return page


def quality(name):
    """A stable share in [0, 1] per candidate; La Madeleine is excellent."""
    return 1.0 if name == "La Madeleine" else (zlib.crc32(name.encode()) % 101) / 100


def to_do(page, rows_selector, state):
    """(name, href) of the table rows still in `state`, read once."""
    return page.locator(rows_selector).filter(has_text=state).get_by_role("link").evaluate_all(
        "links => links.map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )


FILL_REVIEW = """(form, [share, level, comment]) => {
    for (const input of form.querySelectorAll("input[name^=score-]")) input.value = Math.round(input.max * (0.25 + 0.75 * share));
    form.querySelector("#proposed").value = String(level);
    form.querySelector("#comment").value = comment;
}"""


def review_all(browser, site_url, year, email, by_hand=False, screenshot=None):
    """The evaluator scores and submits every review of their space; returns how many.
    By hand: field by field, as a person types; else the form is filled by a script
    (still submitted with its button)."""
    page = log_in(browser, site_url, email, *((390, 844) if screenshot else ()))
    page.goto(f"{site_url}/evaluation/{year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Évaluation de l'édition {year}")
    reviews = to_do(page, "table tbody tr", "à faire")
    for index, (name, href) in enumerate(reviews):
        page.goto(site_url + href)
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Évaluation : {name}")
        if screenshot and index == 0:
            page.screenshot(path=screenshot, full_page=True)
        share, comment = quality(name), f"{name} : une politique numérique cohérente, à suivre."
        if by_hand:
            for score in page.locator("input[name^=score-]").all():
                score.fill(str(round(int(score.get_attribute("max")) * (0.25 + 0.75 * share))))
            page.get_by_label("Nombre d'@ proposé").select_option(label=f"{1 + round(4 * share)} @")
            page.get_by_label("Commentaire pour le jury").fill(comment)
        else:  # the same form, filled in one go: two dozen reviews must stay quick
            page.locator("form:has(#comment)").evaluate(FILL_REVIEW, [share, 1 + round(4 * share), comment])
        page.get_by_role("button", name="Soumettre l'avis (définitif)").click()
        expect(page.get_by_role("status")).to_contain_text("Avis soumis")
        expect(page.get_by_text(re.compile(r"^Avis soumis le "))).to_be_visible()
    page.goto(f"{site_url}/evaluation/{year}/")
    expect(page.locator("table tbody tr").filter(has_text="à faire")).to_have_count(0)
    page.context.close()
    return len(reviews)


def advance(staff, site_url, year, phase):
    staff.goto(f"{site_url}/gestion/{year}/")
    staff.get_by_label(f"Je confirme le passage en phase « {phase} »").check()
    staff.get_by_role("button", name=f"Passer en phase « {phase} »").click()
    expect(staff.get_by_role("status")).to_contain_text(f"L'édition est passée en phase « {phase} »")


def test_a_season_from_closing_to_the_public_sign(site_url, browser, page, monkeypatch):
    # A smaller season than the demo's 40 dossiers: each review and decision is a few
    # page loads, and 12 dossiers walk the same road (La Madeleine and Lunel first).
    monkeypatch.setattr(evaluation_demo, "DOSSIERS", DOSSIERS)
    year = committed(lambda: load_demo("instruction"))
    try:
        committed(lambda: reopen_candidatures(year))
        walk_the_season(site_url, browser, page, year)
    finally:
        committed(lambda: restore_default_demo(year))


def walk_the_season(site_url, browser, page, year):
    # Nothing of the edition is public yet: its palmarès says when it will be.
    page.goto(f"{site_url}/palmares/{year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Palmarès {year}")
    expect(page.get_by_text("sera publié lors de la cérémonie du")).to_be_visible()
    page.goto(f"{site_url}/territoires/{MADELEINE}/")
    expect(page.locator(".level-now")).to_contain_text("Label 2024")

    # Staff close the candidatures: the deadline moves to yesterday, then the edition
    # passes by itself into instruction.
    staff = log_in(browser, site_url, "equipe@demo.arobase.fr")
    staff.goto(f"{site_url}/gestion/{year}/")
    expect(staff.locator("#phase [aria-current=step]")).to_contain_text("candidatures")
    expect(staff.locator("#phase")).to_contain_text("avancez la date de clôture pour les clore plus tôt")
    staff.goto(f"{site_url}/admin/labels/edition/{year}/change/")
    staff.get_by_label("Clôture des dossiers").fill(f"{localdate() - timedelta(days=1):%d/%m/%Y}")
    staff.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(staff.locator(".messagelist")).to_contain_text("modifié avec succès")
    staff.goto(f"{site_url}/gestion/{year}/")
    expect(staff.locator("#phase [aria-current=step]")).to_contain_text("instruction")
    expect(staff.locator("#phase")).to_contain_text("ont moins de 2 évaluateurs")
    staff.get_by_role("link", name="Évaluateurs et affectations").click()
    staff.get_by_role("button", name=re.compile("^Compléter automatiquement")).click()
    expect(staff.get_by_role("status")).to_contain_text("affectation(s) ajoutée(s)")
    expect(staff.get_by_text("(incomplet)")).to_have_count(0)
    advance(staff, site_url, year, "évaluation")

    # Every evaluator scores their dossiers (the demo one on a phone, screenshot taken).
    reviewed = review_all(browser, site_url, year, EVALUATORS[0], by_hand=True, screenshot="/tmp/season-review-390.png")
    reviewed += sum(review_all(browser, site_url, year, email) for email in EVALUATORS[1:])
    assert reviewed >= 2 * DOSSIERS  # 2 evaluators per dossier

    # Staff open the deliberation: no review is left.
    staff.goto(f"{site_url}/gestion/{year}/")
    expect(staff.locator("#phase")).not_to_contain_text("avis ne sont pas soumis")
    advance(staff, site_url, year, "délibération")

    # The jury decides every dossier: the suggestion is preselected; a departure needs a motivation.
    jury = log_in(browser, site_url, "jury@demo.arobase.fr")
    jury.goto(f"{site_url}/evaluation/{year}/")
    jury.get_by_role("link", name="Délibération du jury").click()
    expect(jury.get_by_role("heading", level=1)).to_have_text(f"Délibération du jury — édition {year}")
    pending = to_do(jury, "table tbody tr", "à décider")
    assert DOSSIERS <= len(pending) <= reviewed // 2 and any(name == "La Madeleine" for name, _ in pending)
    for name, href in pending:
        jury.goto(site_url + href)
        expect(jury.get_by_role("heading", level=1)).to_contain_text(f"{name} (")
        if name == "La Madeleine":
            jury.get_by_label("Nombre d'@").select_option(label="5 @")
        jury.get_by_role("button", name="Enregistrer la décision").click()
        expect(jury.get_by_role("status").or_(jury.get_by_role("alert"))).to_be_visible()
        if jury.get_by_role("alert").filter(has_text="motivez-la").count():
            jury.get_by_label(re.compile("^Motivation")).fill("Le jury retient le niveau des réalisations.")
            jury.get_by_role("button", name="Enregistrer la décision").click()
        expect(jury.get_by_role("status")).to_contain_text(f"Décision enregistrée pour {name}")
    expect(jury.get_by_text(f"{len(pending)} décision(s) sur {len(pending)} dossier(s)")).to_be_visible()
    expect(jury.locator("table tbody tr").filter(has_text="La Madeleine")).to_contain_text("5 @")
    jury.screenshot(path="/tmp/season-deliberation-1280.png", full_page=True)
    jury.context.close()

    # Still nothing public before the ceremony (a new visitor: browsers keep public pages a minute).
    page = visitor(browser)
    page.goto(f"{site_url}/territoires/{MADELEINE}/")
    expect(page.locator(".level-now")).to_contain_text("Label 2024")
    page.context.close()

    # Staff publish, then send the messages to the laureates.
    staff.goto(f"{site_url}/gestion/{year}/")
    staff.get_by_role("link", name="Publier l'édition (page de publication)").click()
    staff.get_by_label(re.compile("^Je confirme la publication")).check()
    staff.get_by_role("button", name=f"Publier l'édition {year}").click()
    expect(staff.get_by_role("status")).to_contain_text(f"Édition publiée : {len(pending)} labels, ")
    expect(staff.get_by_role("status")).to_contain_text("pages publiques prêtes")
    staff.get_by_role("button", name=re.compile("^Valider l'envoi de")).click()
    expect(staff.get_by_role("status")).to_contain_text("message(s) validé(s) : ils partent au prochain envoi automatique")
    staff.context.close()
    committed(lambda: call_command("send_outbox", stdout=io.StringIO()))  # what cron runs every few minutes
    news = next(m for m in mail.outbox if m.subject == f"Label {year} : résultat pour La Madeleine")
    assert news.to == ["correspondant@demo.arobase.fr"] and "obtient le label 5 @" in news.body

    # The public side: the palmarès of the year, La Madeleine's new label and its sign.
    page = visitor(browser)
    page.goto(f"{site_url}/palmares/{year}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Palmarès {year}")
    expect(page.locator("table.palmares tbody tr").filter(has_text="La Madeleine")).to_have_count(1)
    page.goto(f"{site_url}/territoires/{MADELEINE}/")
    expect(page.locator(".level-now")).to_have_text(re.compile(rf"^Label {year} : @+ 5 @"))
    sign = page.get_by_role("img", name=f"Panneau « Ville Internet », label {year} : 5 @")
    expect(sign).to_be_visible()
    assert_image_loaded(page, sign)  # the SVG really loaded
    svg = page.request.get(site_url + sign.get_attribute("src"))
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert f"5 arobases, label {year}" in svg.text() and f">{year}</text>" in svg.text()
    page.context.close()

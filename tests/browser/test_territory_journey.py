"""Journey: from the home page, search a town and open its profile."""

from playwright.sync_api import expect


def test_search_a_town_and_open_its_profile(site_url, page):
    page.goto(site_url + "/")
    expect(page).to_have_title("Accueil · Arobase")
    page.get_by_label("Trouver une commune, une intercommunalité ou un département").fill("marcq en baroeul")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("pour « marcq en baroeul »")
    results = page.locator("ol.results > li")
    expect(results.first).to_contain_text("Marcq-en-Barœul")
    results.first.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Marcq-en-Barœul")
    expect(page.locator("dl.facts")).to_contain_text("Ville Internet")
    expect(page.locator("dl.facts")).to_contain_text("Métropole Européenne de Lille")
    page.get_by_role("link", name="Métropole Européenne de Lille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Métropole Européenne de Lille")
    expect(page.get_by_role("table", name="Communes membres de l'intercommunalité")).to_contain_text("La Madeleine")


def test_skip_link_is_the_first_stop_of_the_keyboard(site_url, page):
    page.goto(site_url + "/territoires/59368/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

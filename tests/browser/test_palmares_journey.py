"""Journey: open the 2024 palmarès, filter by région, open a profile, see the streak and the sign."""

from playwright.sync_api import expect

from tests.browser.images import assert_image_loaded


def test_palmares_filter_profile_streak_and_sign(site_url, page):
    page.goto(site_url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Palmarès").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Palmarès du label")
    page.get_by_role("link", name="2024", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Palmarès 2024")

    page.get_by_label("Région").select_option(label="Hauts-de-France")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(f"{site_url}/palmares/2024/?region=32&departement=&category=&arobases=&mention=")
    expect(page.get_by_role("heading", level=2, name="(filtré)")).to_be_visible()
    rows = page.locator("table.palmares tbody tr")
    expect(rows.filter(has_text="La Madeleine")).to_have_count(1)
    expect(rows.filter(has_text="Villers-Semeuse")).to_have_count(0)  # Grand Est

    rows.filter(has_text="La Madeleine").get_by_role("link", name="La Madeleine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La Madeleine")
    expect(page.locator(".streak")).to_have_text("5 @ pour la 10e année consécutive")
    expect(page.locator(".prize")).to_contain_text("Territoire d'excellence numérique 2022–2024")
    sign = page.get_by_role("img", name="Panneau « Ville Internet », label 2024 : 5 @")
    expect(sign).to_be_visible()
    assert_image_loaded(page, sign)  # the SVG really loaded
    expect(page.locator("#label-history tbody tr")).to_have_count(15)

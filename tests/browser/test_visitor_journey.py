"""Journey: a visitor reads how the label works, computes a town's fee, then goes by
région to a labelled town's profile."""

import re

from playwright.sync_api import expect


def test_read_the_label_compute_a_fee_and_go_by_region(site_url, page):
    page.goto(site_url + "/")
    expect(page.get_by_role("heading", level=2, name=re.compile("Les lauréats 5 @ du palmarès"))).to_be_visible()
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Le label").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le label Territoires, Villes et Villages Internet")

    page.get_by_label("Calculer la cotisation d'une collectivité").fill("Lunel")
    page.get_by_role("button", name="Calculer").click()
    page.get_by_role("link", name="Lunel", exact=True).click()
    expect(page.locator(".fee")).to_contain_text(re.compile(r"Cotisation \d{4} : 1\s\d{3},\d{2}\s€"))

    page.get_by_role("link", name="Accueil").first.click()
    page.get_by_role("link", name="Hauts-de-France").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hauts-de-France")
    town = page.locator("main ul").first.get_by_role("link").first
    name = town.inner_text()
    town.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".level-now")).to_contain_text("Label 2025")

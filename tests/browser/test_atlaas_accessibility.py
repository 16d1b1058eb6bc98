"""axe-core (WCAG 2.1 A and AA rules) on the Atlaas pages: the map with its markers
drawn (desktop and phone widths), the actors' directory, an actor's profile, an action."""

import re

import pytest
from playwright.sync_api import expect

from .test_accessibility import AXE

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def new_page(browser, width, height):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture(params=[(1366, 900)], ids=["desktop"])
def axe_page(browser, request):
    width, height = request.param
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def violations(page):
    """Serious and critical violations: (rule, help, first selectors, first message)."""
    page.evaluate(AXE)
    result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES)
    return [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]][:3], v["nodes"][0]["failureSummary"])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def open_atlaas(page, site_url, query=""):
    page.goto(site_url + "/atlaas/" + query)
    expect(page.locator("#atlaas-map")).to_have_attribute("data-ready", "1")  # markers drawn


def test_atlaas(site_url, axe_page):
    open_atlaas(axe_page, site_url)
    assert violations(axe_page) == []


def test_atlaas_filtered(site_url, axe_page):
    open_atlaas(axe_page, site_url, "?status=realisee&page=2")
    assert violations(axe_page) == []


def test_atlaas_with_a_bad_filter(site_url, axe_page):
    axe_page.goto(site_url + "/atlaas/?year=abcd")
    expect(axe_page.get_by_role("alert")).to_contain_text("year")
    assert violations(axe_page) == []


def test_actor_directory(site_url, axe_page):
    axe_page.goto(site_url + "/acteurs/")
    expect(axe_page.get_by_role("heading", level=1)).to_have_text("Acteurs locaux du numérique")
    assert violations(axe_page) == []


def test_an_actor(site_url, axe_page):
    axe_page.goto(site_url + "/acteurs/")
    axe_page.locator("main ul.results > li a").first.click()
    axe_page.wait_for_url(re.compile(r"/acteurs/[\w-]+/$"))
    if axe_page.locator("#actor-map").count():
        expect(axe_page.locator("#actor-map .leaflet-interactive").first).to_be_attached()
    assert violations(axe_page) == []


def test_an_action(site_url, axe_page):
    open_atlaas(axe_page, site_url)
    axe_page.locator("ol.action-results > li a").first.click()
    axe_page.wait_for_url(re.compile(r"/actions/\d+/$"))
    assert violations(axe_page) == []


def test_atlaas_on_a_phone(site_url, browser):
    context, page = new_page(browser, 390, 844)
    try:
        open_atlaas(page, site_url)
        assert violations(page) == []
    finally:
        context.close()

"""axe-core (WCAG 2.1 A and AA rules) finds no violation on any public page, at desktop
and mobile widths. axe-core is vendored for the tests only (tests/browser/vendor)."""

from pathlib import Path

import pytest

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PAGES = [
    "/", "/territoires/?q=saint", "/territoires/59368/", "/territoires/200093201/", "/territoires/59/", "/regions/32/",
    "/palmares/", "/palmares/2024/", "/palmares/2024/?region=32&arobases=5", "/statistiques/", "/le-label/",
    "/le-label/?q=lunel", "/le-label/?code=34145", "/mentions-legales/", "/accessibilite/", "/territoires/nowhere/",
    "/en/", "/en/territoires/59368/",
]


@pytest.fixture(params=[(1366, 900), (390, 844)], ids=["desktop", "mobile"])
def axe_page(browser, request):
    width, height = request.param
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violation(site_url, axe_page, path):
    axe_page.goto(site_url + path)
    axe_page.evaluate(AXE)
    result = axe_page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    violations = [(v["id"], v["help"], [node["target"] for node in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], violations


def test_a_level_never_wraps_on_mobile(site_url, axe_page):
    axe_page.goto(site_url + "/territoires/59368/")
    heights = axe_page.eval_on_selector_all("#label-history .level", "levels => levels.map(l => l.getBoundingClientRect().height)")
    line = axe_page.eval_on_selector("#label-history .level", "l => parseFloat(getComputedStyle(l).lineHeight)")
    assert len(heights) == 15 and max(heights) < 1.5 * line


PUBLIC_ACCOUNT_PAGES = ["/compte/connexion/", "/compte/inscription/", "/compte/mot-de-passe/", "/referentiel/", "/palmares/2026/"]
# (account, path): the spaces as their users see them (demo accounts, CONTRACT §8).
PRIVATE_PAGES = [
    ("correspondant", "/espace/"),
    ("correspondant", "/espace/59368/"),
    ("correspondant", "/espace/59368/actions/"),
    ("correspondant", "/espace/59368/actions/nouvelle/"),
    ("correspondant", "/espace/59368/adhesion/2026/"),
    ("correspondant", "/espace/59368/dossier/2026/"),
    ("correspondant", "/espace/rattachement/?q=lunel"),
    ("equipe", "/gestion/2026/"),
    ("evaluateur", "/evaluation/2026/"),
]


def assert_no_violation(page):
    page.evaluate(AXE)
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    violations = [(v["id"], v["help"], [node["target"] for node in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], violations


@pytest.mark.parametrize("path", PUBLIC_ACCOUNT_PAGES)
def test_no_accessibility_violation_on_account_pages(site_url, axe_page, path):
    axe_page.goto(site_url + path)
    assert_no_violation(axe_page)


@pytest.mark.parametrize("account, path", PRIVATE_PAGES)
def test_no_accessibility_violation_in_the_spaces(site_url, axe_page, account, path):
    axe_page.goto(site_url + "/compte/connexion/")
    axe_page.get_by_label("Adresse e-mail").fill(f"{account}@demo.arobase.fr")
    axe_page.get_by_label("Mot de passe").fill("arobase-demo")
    axe_page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    axe_page.wait_for_url("**/espace/")
    axe_page.goto(site_url + path)
    assert_no_violation(axe_page)

"""Journey on Atlaas: filter the map by an enjeu, the URL changes, reload keeps the filter,
the list shows the same count as the map, open an action, go to its territory.

The list is rendered by the server (`#atlaas-count[data-count]`); the map asks the
aggregate API with the same filters and writes the sum of its counts into
`#atlaas-map-count[data-total]` once drawn (`#atlaas-map[data-ready="1"]`).
"""

import re

import pytest
from playwright.sync_api import expect

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
ENJEU = "democratie-locale"  # an enjeu of the national referential (arobase/referential/data)


@pytest.fixture
def desktop(browser):
    context = browser.new_context(locale="fr-FR", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def counts(page):
    """(the list's count, the map's total), once the map has drawn its counts."""
    expect(page.locator("#atlaas-map")).to_have_attribute("data-ready", "1")
    expect(page.locator("#atlaas-map-count")).to_have_attribute("data-total", re.compile(r"^\d+$"))
    listed = int(page.locator("#atlaas-count").get_attribute("data-count"))
    mapped = int(page.locator("#atlaas-map-count").get_attribute("data-total"))
    return listed, mapped


def test_filter_by_an_enjeu_then_open_an_action_and_its_territory(site_url, desktop):
    page = desktop
    page.goto(site_url + "/atlaas/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Atlaas")
    everything, on_map = counts(page)
    assert everything > 0 and on_map == everything
    assert page.locator("#atlaas-map-count").get_attribute("data-level") == "region"
    expect(page.locator("#atlaas-map-count")).to_contain_text("Sur la carte :")

    # Filter by an enjeu: the form is a GET, so the filter lands in the URL.
    enjeux = page.locator("#f-enjeu option").evaluate_all("options => options.map(o => o.value).filter(Boolean)")
    assert ENJEU in enjeux
    page.get_by_label("Enjeu").select_option(ENJEU)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(rf"[?&]enjeu={ENJEU}(&|$)"))
    filtered, on_map = counts(page)
    assert 0 < filtered < everything, (filtered, everything)
    assert on_map == filtered
    expect(page.locator("#atlaas-list-title")).to_contain_text("(filtrées)")
    expect(page.get_by_label("Enjeu")).to_have_value(ENJEU)
    assert page.locator("ol.action-results > li").count() == min(filtered, 20)

    # Reload: the same filter, the same counts.
    page.reload()
    expect(page.get_by_label("Enjeu")).to_have_value(ENJEU)
    assert counts(page) == (filtered, filtered)

    # Back to the unfiltered page, then forward again.
    page.go_back()
    expect(page).to_have_url(site_url + "/atlaas/")
    assert counts(page) == (everything, everything)
    page.go_forward()
    page.wait_for_url(re.compile(rf"[?&]enjeu={ENJEU}(&|$)"))
    assert counts(page) == (filtered, filtered)

    # Open the first action of the list.
    enjeu_name = page.locator("#f-enjeu option:checked").inner_text().strip()
    first = page.locator("ol.action-results > li").first
    title = first.get_by_role("link").inner_text().strip()
    territory = first.locator("div").first.inner_text().split(" · ")[0].strip()
    first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/actions/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    breadcrumb = page.get_by_role("navigation", name="Fil d’Ariane")
    expect(breadcrumb.get_by_role("link", name="Atlaas", exact=True)).to_have_attribute("href", "/atlaas/")
    expect(breadcrumb.locator("[aria-current=page]")).to_have_text(title)
    # The action's services are listed under their enjeu, the one filtered on among them.
    expect(page.locator("main")).to_contain_text(f" › {enjeu_name} › ")

    # Its territory: the first link of the paragraph under the title.
    link = page.locator("main h1 ~ p:not(.lead)").first.get_by_role("link").first
    expect(link).to_have_text(territory)
    link.click()
    page.wait_for_url(re.compile(r"/territoires/[0-9AB]+/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text(territory)
    actions = page.locator("section[aria-labelledby=actions-title] ul.results > li")
    shown = actions.count()
    total = page.locator("#actions-title small").inner_text().strip("()")
    assert shown == min(int(total), 20), (shown, total)  # the profile shows the latest 20
    if int(total) <= 20:
        expect(actions.get_by_role("link", name=title, exact=True)).to_have_count(1)

    # From the profile back to the map, filtered on the territory.
    page.get_by_role("link", name=f"Voir les actions de {territory} sur la carte Atlaas").click()
    page.wait_for_url(re.compile(rf"/atlaas/\?territory={code}$"))
    assert counts(page) == (int(total), int(total))
    expect(page.locator("#f-territory")).to_have_value(code)
    if int(total) <= 20:
        assert page.locator("ol.action-results > li").count() == int(total)
        expect(page.locator("ol.action-results").get_by_role("link", name=title, exact=True)).to_have_count(1)


def test_going_back_shows_the_filters_of_the_list(site_url, desktop):
    page = desktop
    page.goto(site_url + "/atlaas/")
    everything, _ = counts(page)
    page.get_by_label("Enjeu").select_option(ENJEU)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(rf"[?&]enjeu={ENJEU}(&|$)"))
    page.go_back()
    expect(page).to_have_url(site_url + "/atlaas/")
    assert counts(page) == (everything, everything)
    expect(page.get_by_label("Enjeu")).to_have_value("", timeout=1_000)


def test_an_action_page_is_titled_by_the_action(site_url, desktop):
    page = desktop
    page.goto(site_url + "/atlaas/")
    link = page.locator("ol.action-results > li a").first
    title = link.inner_text().strip()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page).to_have_title(f"{title} · Arobase", timeout=1_000)


def focus_the_first_marker(page):
    """The map takes the focus, then Tab reaches the first marker (Leaflet's keyboard option);
    returns (marker, its title, the région's name, its count)."""
    page.locator("#atlaas-map").focus()
    page.keyboard.press("Tab")
    marker = page.locator("#atlaas-map .leaflet-marker-icon.atlaas-count:focus")
    expect(marker).to_have_count(1)
    label = marker.get_attribute("title")
    match = re.fullmatch(r"(.+) : (\d+) actions?", label)
    assert match, label
    return marker, label, match.group(1), int(match.group(2))


def assert_on_the_list_of(page, label, name, count):
    expect(page.locator("#f-region option:checked")).to_have_text(name)
    assert counts(page) == (count, count)
    markers = page.locator("#atlaas-map .leaflet-marker-icon.atlaas-count")
    expect(markers).to_have_count(1)  # the map now shows that one région
    expect(markers.first).to_have_attribute("title", label)


def test_a_region_marker_opens_the_list_of_that_region(site_url, desktop):
    page = desktop
    page.goto(site_url + "/atlaas/")
    everything, _ = counts(page)
    assert page.locator("#atlaas-map .leaflet-marker-icon.atlaas-count").count() > 1
    marker, label, name, count = focus_the_first_marker(page)
    assert 0 < count < everything
    marker.click()
    page.wait_for_url(re.compile(r"/atlaas/\?(.*&)?region=[0-9AB]+"))
    assert_on_the_list_of(page, label, name, count)


def test_a_region_marker_opens_the_list_of_that_region_with_the_keyboard(site_url, desktop):
    page = desktop
    page.goto(site_url + "/atlaas/")
    counts(page)
    marker, label, name, count = focus_the_first_marker(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/atlaas/\?(.*&)?region=[0-9AB]+"), timeout=2_000)
    assert_on_the_list_of(page, label, name, count)


def test_nothing_is_wider_than_a_phone(site_url, phone):
    page = phone
    page.goto(site_url + "/atlaas/")
    counts(page)
    too_wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.leaflet-container'))
        .map(e => e.id || e.tagName)""")
    assert too_wide == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_list_comes_before_the_map_on_a_phone(site_url, phone):
    page = phone
    page.goto(site_url + "/atlaas/")
    counts(page)
    list_first = page.evaluate(
        """() => !!(document.querySelector('.atlaas-list').compareDocumentPosition(document.getElementById('atlaas-map'))
                 & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    assert list_first, "la carte précède la liste dans le DOM"
    list_box = page.locator(".atlaas-list").bounding_box()
    map_box = page.locator("#atlaas-map").bounding_box()
    assert list_box["y"] < map_box["y"], ("la carte est affichée au-dessus de la liste", list_box, map_box)
    expect(page.locator("ol.action-results > li").first).to_be_visible()


def test_filtering_works_with_the_keyboard_only_on_a_phone(site_url, phone):
    page = phone
    page.goto(site_url + "/atlaas/")
    everything, _ = counts(page)
    select = page.locator("#f-enjeu")
    select.focus()
    page.keyboard.press("ArrowDown")  # a closed select changes its value with the arrows
    chosen = select.input_value()
    assert chosen, "la flèche n'a pas choisi d'enjeu"
    button = page.get_by_role("button", name="Filtrer")
    for _ in range(20):
        if button.evaluate("b => b === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"[?&]enjeu={chosen}(&|$)"))
    expect(select).to_have_value(chosen)
    filtered, on_map = counts(page)
    assert on_map == filtered and filtered < everything
    expect(page.locator("#atlaas-list-title")).to_contain_text("(filtrées)")


def test_an_actor_map_shows_action_titles_as_text_never_as_markup(site_url, desktop):
    """A title typed by a member reaches Leaflet's tooltip as text: the page's points are
    rewritten on the way to hold markup, and the tooltip shows it as characters."""
    import json

    from arobase.actions.models import Actor

    slug = next(a.slug for a in Actor.objects.filter(actions__state="publiee", actions__territory__lat__isnull=False).distinct()[:20])
    hostile = '<img src="x" id="injected" onerror="document.title=\'pwned\'">'

    def with_hostile_titles(route):
        body = route.fetch().text()
        start = body.index('<script id="actor-points" type="application/json">') + len('<script id="actor-points" type="application/json">')
        end = body.index("</script>", start)
        points = [{**point, "title": hostile} for point in json.loads(body[start:end])]
        escaped = json.dumps(points).replace("<", "\\u003C").replace(">", "\\u003E")
        route.fulfill(body=body[:start] + escaped + body[end:], content_type="text/html; charset=utf-8")

    desktop.route(re.compile(rf".*/acteurs/{slug}/$"), with_hostile_titles)
    desktop.goto(f"{site_url}/acteurs/{slug}/")
    desktop.locator("#actor-map path.leaflet-interactive").first.hover()
    expect(desktop.locator(".leaflet-tooltip")).to_have_text(hostile)
    assert desktop.locator("#injected").count() == 0 and desktop.title() != "pwned"

"""axe-core finds no WCAG 2.1 AA violation on the season's pages, filled with the demo's
deliberation (40 dossiers, reviews, pending decisions), at desktop and mobile widths."""

import io

import pytest
from django.core.management import call_command

from .test_accessibility import assert_no_violation

# account → the paths it sees; {dossier} is a submitted dossier's id, {review} one of the evaluator's.
SEASON_PAGES = {
    "equipe": ["/compte/", "/compte/suppression/", "/gestion/{year}/", "/gestion/{year}/evaluateurs/", "/gestion/{year}/conflits/", "/gestion/{year}/publication/", "/gestion/{year}/journal/"],
    "conseil": ["/conseil/{year}/"],
    "evaluateur": ["/evaluation/{year}/", "/evaluation/{year}/dossiers/{review}/"],
    "jury": ["/compte/", "/compte/suppression/", "/evaluation/{year}/deliberation/", "/evaluation/{year}/deliberation/{dossier}/"],
}
WIDTHS = [(1366, 900), (390, 844)]


@pytest.fixture(scope="module")
def deliberation(site_url):
    from arobase.dossiers.models import Dossier
    from arobase.evaluation.models import Review
    from arobase.labels.models import Edition

    # The candidate journey's test may have filed a real dossier: the demo never evaluates one.
    Dossier.objects.filter(is_demo=False).exclude(edition__phase="publie").delete()
    call_command("demo", "--season", "deliberation", stdout=io.StringIO())
    edition = Edition.objects.get(phase="deliberation")
    ids = {
        "year": edition.year,
        "dossier": Dossier.objects.filter(edition=edition, state="depose").order_by("pk").values_list("pk", flat=True).first(),
        "review": Review.objects.filter(dossier__edition=edition, evaluator__username="evaluateur@demo.arobase.fr").order_by("pk").values_list("dossier_id", flat=True).first(),
    }
    yield ids
    call_command("demo", stdout=io.StringIO())  # the other browser tests expect the default demo


@pytest.mark.parametrize("account", SEASON_PAGES)
def test_no_accessibility_violation_in_the_season(site_url, deliberation, browser, account):
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.goto(site_url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(f"{account}@demo.arobase.fr")
    page.get_by_label("Mot de passe").fill("arobase-demo")
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")
    for path in SEASON_PAGES[account]:
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(site_url + path.format(**deliberation))
            assert response.status == 200, path
            assert_no_violation(page)
    context.close()

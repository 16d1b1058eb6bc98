"""The Conseil d'Orientation prepares the next edition (copy, diff, freeze), and every
season URL answers each role as it should."""

import pytest
from django.utils import timezone

from arobase.dossiers.models import Question
from arobase.evaluation.models import Criterion
from arobase.labels.models import Edition
from arobase.referential import loading
from arobase.referential.models import Axe, Service


def test_the_conseil_copies_edits_reviews_the_diff_and_freezes(season, login):
    # The previous edition, 2026, holds what 2027 will start from.
    loading.copy_forward(2027, 2026)
    previous = Edition.objects.get(year=2026)
    Criterion.objects.filter(edition=season.edition).update(edition=previous)
    Question.objects.create(edition=previous, text="Quelle stratégie ?", required=True)
    previous.mentions.add(season.mention)
    Axe.objects.filter(edition=season.edition).delete()
    client = login(season.conseil)
    url = "/conseil/2027/"
    response = client.post(url, {"operation": "copy"}, follow=True)
    assert "Copié depuis 2026 : référentiel, grille, questionnaire, mentions" in response.content.decode()
    following = Edition.objects.get(year=2027)
    assert Axe.objects.filter(edition=following).count() == Axe.objects.filter(edition=previous).count() == 4
    assert list(following.criteria.values_list("name", flat=True)) == ["Stratégie", "Services", "Sobriété"]
    assert following.mentions.get() == season.mention
    # Edit: a criterion reweighted, a service added, a question removed.
    Criterion.objects.filter(edition=following, name="Stratégie").update(weight=3)
    service = Service.objects.filter(edition=following).first()
    Service.objects.create(edition=following, usage=service.usage, slug="nouveau-service", name="Nouveau service")
    Question.objects.filter(edition=following).delete()
    page = client.get(url).content.decode()
    assert "<ins>service nouveau-service : Nouveau service</ins>" in page
    assert "Stratégie : <del>poids 2" in page and "<ins>poids 3" in page
    assert "<del>toutes catégories : Quelle stratégie ? : obligatoire</del>" in page
    client.post(url, {"operation": "freeze", "confirm": "on"})
    following.refresh_from_db()
    assert following.frozen_at
    response = client.post(url, {"operation": "copy"}, follow=True)
    assert "figée" in response.content.decode()


@pytest.mark.parametrize("operation", ["copy", "freeze"])
def test_an_edition_created_by_the_conseil_starts_in_preparation(season, login, operation):
    """Not « publié » (the default of the editions the palmarès import creates): the
    new edition takes no candidatures and shows nothing until the season moves it."""
    year = next(y for y in range(timezone.localdate().year + 1, 2000, -1) if not Edition.objects.filter(year__in=[y, y - 1]).exists())
    Criterion.objects.create(edition=Edition.objects.create(year=year - 1), name="Stratégie")  # a past edition, to copy from
    login(season.conseil).post(f"/conseil/{year}/", {"operation": operation})
    assert Edition.objects.get(year=year).phase == "preparation"
    assert login(season.conseil).get(f"/api/v1/editions/{year}/palmares").status_code != 200


def test_a_frozen_grid_is_read_only_in_the_admin(season, login):
    from django.utils import timezone

    Edition.objects.filter(pk=season.edition.pk).update(frozen_at=timezone.now())
    criterion = season.criteria[0]
    client = login(season.conseil)
    client.post(f"/admin/evaluation/criterion/{criterion.pk}/change/", {"name": "Changé", "weight": 9, "scale_max": 4, "position": 0, "edition": season.edition.pk})
    criterion.refresh_from_db()
    assert criterion.name == "Stratégie"


def season_urls(world):
    year = world.edition.year
    dossier = world.dossiers["59368"]
    return {
        "staff": [f"/gestion/{year}/evaluateurs/", f"/gestion/{year}/conflits/", f"/gestion/{year}/publication/", f"/gestion/{year}/journal/"],
        "jury": [f"/evaluation/{year}/deliberation/", f"/evaluation/{year}/deliberation/{dossier.pk}/", f"/evaluation/{year}/deliberation/proces-verbal.pdf"],
        "evaluators": [f"/evaluation/{year}/"],
        "conseil": [f"/conseil/{year}/"],
    }


ALLOWED = {
    "staff": {"staff"},
    "jury": {"staff", "jury"},
    "evaluators": {"staff", "jury", "evaluator"},
    "conseil": {"staff", "conseil"},
}


@pytest.mark.parametrize("role", ["staff", "evaluator", "jury", "conseil", "correspondent", "actor", "stranger"])
def test_each_role_reaches_only_its_season_pages(season, login, role):
    client = login(getattr(season, role))
    for group, urls in season_urls(season).items():
        for url in urls:
            status = client.get(url).status_code
            if role in ALLOWED[group]:
                assert status == 200, (url, status)
            else:
                assert status == 403, (url, status)  # a season page: refused, not hidden


def test_anonymous_visitors_are_sent_to_the_login_page(season, client):
    for urls in season_urls(season).values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/?next=")


def test_nothing_new_is_attached_to_a_frozen_edition_in_the_admin(season, login):
    from django.utils import timezone

    from arobase.referential.models import Usage

    client = login(season.staff)
    client.post("/admin/evaluation/criterion/add/", {"edition": season.edition.pk, "name": "Ajouté", "weight": 1, "scale_max": 4, "position": 9})
    assert Criterion.objects.filter(name="Ajouté").exists()  # the staff role works in the admin
    Edition.objects.filter(pk=season.edition.pk).update(frozen_at=timezone.now())
    client.post("/admin/evaluation/criterion/add/", {"edition": season.edition.pk, "name": "Nouveau", "weight": 1, "scale_max": 4, "position": 9})
    assert not Criterion.objects.filter(name="Nouveau").exists()
    usage = Usage.objects.filter(edition=season.edition).first()
    client.post("/admin/referential/service/add/", {"usage": usage.pk, "slug": "ajout", "name": "Ajout", "position": 0})
    assert not Service.objects.filter(slug="ajout").exists()
    client.post("/admin/dossiers/question/add/", {"edition": season.edition.pk, "text": "Ajoutée ?", "position": 0, "category": ""})
    assert not Question.objects.filter(text="Ajoutée ?").exists()
    # Not frozen: the same form works.
    Edition.objects.filter(pk=season.edition.pk).update(frozen_at=None)
    client.post("/admin/dossiers/question/add/", {"edition": season.edition.pk, "text": "Ajoutée ?", "position": 0, "category": ""})
    assert Question.objects.filter(text="Ajoutée ?").exists()

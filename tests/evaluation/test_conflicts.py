"""Conflicts of interest on the real hierarchy (La Madeleine is a commune of the
Métropole Européenne de Lille, in the Nord), their override, and what they hide."""

import pytest

from arobase.accounts.models import Role
from arobase.evaluation import assignment, conflicts
from arobase.evaluation.models import Declaration, Override, Review
from arobase.journal.models import Entry
from arobase.territories.models import Territory

from .conftest import assign_all, move_to, submit_review


def territory(code, kind="commune"):
    return Territory.objects.get(code=code, kind=kind)


def kinds_for(season, attached_code, attached_kind="commune", candidate=None):
    person = season.evaluator3
    Role.objects.create(user=person, kind=Role.LOCAL_ACTOR, territory=territory(attached_code, attached_kind))
    found = conflicts.conflicts_of(season.edition, person, candidate or season.madeleine)
    return [c.kind for c in found]


def test_attached_to_the_candidate_itself(season):
    assert kinds_for(season, "59368") == ["meme-territoire"]


def test_attached_to_the_epci_containing_the_candidate(season):
    assert kinds_for(season, "200093201", "epci") == ["epci"]


def test_attached_to_the_departement_containing_the_candidate(season):
    assert kinds_for(season, "59", "departement") == ["departement"]


def test_attached_to_a_commune_of_the_candidate_epci(season):
    lille_metropole = territory("200093201", "epci")
    assert kinds_for(season, "59005", candidate=lille_metropole) == ["commune-membre"]


def test_same_departement_only_when_the_edition_says_so(season):
    assert kinds_for(season, "59001") == []  # Abancourt: Nord, another EPCI
    season.edition.same_departement_conflicts = True
    season.edition.save()
    assert [c.kind for c in conflicts.conflicts_of(season.edition, season.evaluator3, season.madeleine)] == ["meme-departement"]


def test_another_departement_is_no_conflict(season):
    season.edition.same_departement_conflicts = True
    season.edition.save()
    assert kinds_for(season, "34145") == []  # Lunel, Hérault


def test_a_pending_attachment_request_is_already_a_conflict(season):
    from arobase.accounts import roles

    roles.request_attachment(season.evaluator3, season.madeleine)
    assert conflicts.is_conflicted(season.edition, season.evaluator3, season.madeleine)


def test_having_reviewed_it_last_year_is_only_a_warning(season):
    from arobase.dossiers.models import Dossier
    from arobase.labels.models import Edition

    last_year = Edition.objects.create(year=2026, phase="publie")
    old = Dossier.objects.create(edition=last_year, territory=season.madeleine, state="depose")
    Review.objects.create(dossier=old, evaluator=season.evaluator3)
    found = conflicts.conflicts_of(season.edition, season.evaluator3, season.madeleine)
    assert [c.kind for c in found] == ["deja-evalue"] and found[0].is_warning
    assert not conflicts.blocking(found)
    assignment.assign(season.dossiers["59368"], season.evaluator3, season.staff)


def test_a_conflicted_evaluator_cannot_be_assigned_until_staff_lift_it_with_a_reason(season, login):
    Declaration.objects.create(edition=season.edition, user=season.evaluator3, territory=season.madeleine, reason="Mon frère est maire")
    dossier = season.dossiers["59368"]
    client = login(season.staff)
    response = client.post(f"/gestion/{season.edition.year}/evaluateurs/", {"operation": "assign", "evaluator": season.evaluator3.pk, "dossiers": [dossier.pk]}, follow=True)
    assert "conflit d'intérêts avec La Madeleine : conflit déclaré" in response.content.decode().replace("&#x27;", "'")
    assert not Review.objects.filter(evaluator=season.evaluator3).exists()
    # An override needs a reason.
    client.post(f"/gestion/{season.edition.year}/conflits/", {"user": season.evaluator3.pk, "territory": season.madeleine.pk, "reason": ""})
    assert not Override.objects.exists()
    client.post(f"/gestion/{season.edition.year}/conflits/", {"user": season.evaluator3.pk, "territory": season.madeleine.pk, "reason": "Lien lointain, vérifié"})
    assert Entry.objects.filter(subject="conflit", verb__contains="conflit levé").exists()
    client.post(f"/gestion/{season.edition.year}/evaluateurs/", {"operation": "assign", "evaluator": season.evaluator3.pk, "dossiers": [dossier.pk]})
    assert Review.objects.filter(evaluator=season.evaluator3, dossier=dossier).exists()


@pytest.mark.parametrize("role", ["evaluator", "jury", "correspondent", "conseil"])
def test_only_staff_lift_a_conflict(season, login, role):
    Declaration.objects.create(edition=season.edition, user=season.evaluator3, territory=season.madeleine, reason="Lien")
    response = login(getattr(season, role)).post(f"/gestion/{season.edition.year}/conflits/", {"user": season.evaluator3.pk, "territory": season.madeleine.pk, "reason": "je lève"})
    assert response.status_code == 403
    assert not Override.objects.exists()


def test_the_conflicts_page_shows_declared_and_detected_ones(season, login):
    Declaration.objects.create(edition=season.edition, user=season.evaluator3, territory=season.madeleine, reason="Lien")
    Role.objects.create(user=season.evaluator2, kind=Role.LOCAL_ACTOR, territory=territory("200093201", "epci"))
    page = login(season.staff).get(f"/gestion/{season.edition.year}/conflits/").content.decode().replace("&#x27;", "'")
    assert "conflit déclaré par la personne" in page
    assert "rattachée à l'intercommunalité du candidat" in page


def test_declaring_a_conflict_after_assignment_hides_the_dossier_and_its_reviews(season, login):
    assign_all(season)
    move_to(season, "evaluation")
    dossier = season.dossiers["59368"]
    client = login(season.evaluator2)
    assert submit_review(client, season, dossier, [4, 4, 4], 5, comment="Avis confidentiel de Marc").status_code == 302
    client = login(season.evaluator)
    client.post(f"/evaluation/{season.edition.year}/conflit/", {"territory": season.madeleine.pk, "reason": "J'y ai travaillé"})
    assert client.get(f"/evaluation/{season.edition.year}/dossiers/{dossier.pk}/").status_code == 404
    assert Entry.objects.filter(subject="conflit", actor=season.evaluator).exists()


def test_a_conflicted_jury_member_sees_neither_reviews_nor_discussion(season, login):
    assign_all(season)
    move_to(season, "evaluation")
    dossier = season.dossiers["59368"]
    for evaluator in (season.evaluator, season.evaluator2):
        assert submit_review(login(evaluator), season, dossier, [3, 3, 3], 4, comment="Commentaire secret").status_code == 302
    for evaluator in (season.evaluator, season.evaluator2):
        submit_review(login(evaluator), season, season.dossiers["34145"], [2, 2, 2], 3)
    move_to(season, "deliberation")
    staff = login(season.staff)
    staff.post(f"/evaluation/{season.edition.year}/deliberation/{dossier.pk}/", {"note": "Débat : dossier exemplaire"})
    Declaration.objects.create(edition=season.edition, user=season.jury, territory=season.madeleine, reason="Ancien élu")
    client = login(season.jury)
    page = client.get(f"/evaluation/{season.edition.year}/deliberation/{dossier.pk}/").content.decode()
    assert "Conflit d" in page
    assert "Commentaire secret" not in page and "dossier exemplaire" not in page
    listing = client.get(f"/evaluation/{season.edition.year}/deliberation/").content.decode()
    assert "vous ne prenez pas part à ce dossier" in listing
    response = client.post(f"/evaluation/{season.edition.year}/deliberation/{dossier.pk}/", {"arobases": "4"})
    from arobase.evaluation.models import Decision

    assert not Decision.objects.filter(dossier=dossier).exists() and response.status_code == 200


def test_conflict_map_costs_a_constant_number_of_queries(season, django_assert_max_num_queries):
    people = [season.evaluator.pk, season.evaluator2.pk, season.evaluator3.pk, season.jury.pk]
    candidates = list(Territory.objects.filter(kind="commune", departement__code="59")[:200])
    with django_assert_max_num_queries(5):
        found = conflicts.conflict_map(season.edition, people, candidates)
    assert len(found) == len(people) * len(candidates)

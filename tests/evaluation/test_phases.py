"""Phases as data: switches, what blocks the next phase, transitions by staff only,
the automatic closing of candidatures at the deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from arobase.evaluation import phases
from arobase.journal.models import Entry
from arobase.labels import phase_rules
from arobase.labels.models import PhaseRule

from .conftest import assign_all, move_to, submit_review


def test_each_phase_gets_its_default_switches(world):
    rules = phase_rules.rules_of(world.edition)
    assert set(rules) == {"preparation", "candidatures", "instruction", "evaluation", "deliberation", "publie"}
    assert rules["candidatures"].can_submit and not rules["candidatures"].can_review
    assert rules["evaluation"].can_review and not rules["evaluation"].can_decide
    assert rules["deliberation"].can_decide and rules["deliberation"].can_publish
    assert rules["publie"].can_appeal and not rules["publie"].can_decide


def test_switching_submission_off_stops_filing(world, login):
    phase_rules.rules_of(world.edition)
    PhaseRule.objects.filter(edition=world.edition, phase="candidatures").update(can_submit=False)
    page = login(world.correspondent).get(f"/espace/59368/dossier/{world.edition.year}/")
    assert "suspendu le dépôt" in page.content.decode()


def test_candidatures_close_by_themselves_after_the_deadline(world, login):
    world.edition.closing_date = timezone.localdate() - timedelta(days=1)
    world.edition.save()
    login(world.staff).get(f"/gestion/{world.edition.year}/")
    world.edition.refresh_from_db()
    assert world.edition.phase == "instruction"
    entry = Entry.objects.get(edition=world.edition, subject="phase")
    assert entry.actor is None and "automatiquement" in entry.verb
    assert entry.before == {"phase": "candidatures"} and entry.after == {"phase": "instruction"}


def test_candidatures_stay_open_before_the_deadline(world, login):
    page = login(world.staff).get(f"/gestion/{world.edition.year}/").content.decode()
    world.edition.refresh_from_db()
    assert world.edition.phase == "candidatures"
    assert "avancez la date de clôture" in page


def test_evaluation_needs_a_grid_and_two_evaluators_per_dossier(season, login):
    from arobase.evaluation.models import Criterion

    Criterion.objects.filter(edition=season.edition).delete()
    reasons = phases.blockers(season.edition, timezone.now())
    assert any("grille" in r for r in reasons)
    assert any("2 dossier(s) ont moins de 2 évaluateurs" in r for r in reasons)
    response = login(season.staff).post(f"/gestion/{season.edition.year}/phase/", {"from": "instruction", "confirm": "on"}, follow=True)
    assert "Passage refusé" in response.content.decode()
    season.edition.refresh_from_db()
    assert season.edition.phase == "instruction"


def test_staff_moves_the_edition_forward_and_it_is_logged(season, login):
    assign_all(season)
    response = login(season.staff).post(f"/gestion/{season.edition.year}/phase/", {"from": "instruction", "confirm": "on"}, follow=True)
    assert "passée en phase « évaluation »" in response.content.decode()
    season.edition.refresh_from_db()
    assert season.edition.phase == "evaluation"
    assert Entry.objects.filter(edition=season.edition, subject="phase", actor=season.staff).exists()


def test_moving_on_needs_the_confirmation(season, login):
    assign_all(season)
    response = login(season.staff).post(f"/gestion/{season.edition.year}/phase/", {"from": "instruction"}, follow=True)
    assert "Cochez la case de confirmation" in response.content.decode()
    season.edition.refresh_from_db()
    assert season.edition.phase == "instruction"


def test_a_stale_form_does_not_skip_a_phase(season, login):
    assign_all(season)
    login(season.staff).post(f"/gestion/{season.edition.year}/phase/", {"from": "candidatures", "confirm": "on"})
    season.edition.refresh_from_db()
    assert season.edition.phase == "instruction"


def test_deliberation_waits_for_every_review(season, client):
    assign_all(season)
    move_to(season, "evaluation")
    assert phases.blockers(season.edition, timezone.now()) == ["4 avis ne sont pas soumis."]
    for evaluator in (season.evaluator, season.evaluator2):
        client.force_login(evaluator)
        for dossier in season.dossiers.values():
            assert submit_review(client, season, dossier, [3, 3, 2], 3).status_code == 302
    assert phases.blockers(season.edition, timezone.now()) == []


@pytest.mark.parametrize("role", ["correspondent", "evaluator", "jury", "conseil", "actor", "stranger"])
def test_only_staff_move_the_phase(season, login, role):
    assign_all(season)
    response = login(getattr(season, role)).post(f"/gestion/{season.edition.year}/phase/", {"from": "instruction", "confirm": "on"})
    assert response.status_code == 403
    season.edition.refresh_from_db()
    assert season.edition.phase == "instruction"


def test_the_dashboard_lists_what_blocks_the_next_phase(season, login):
    page = login(season.staff).get(f"/gestion/{season.edition.year}/").content.decode()
    assert "Pour passer en phase « évaluation », il reste" in page
    assert "2 dossier(s) ont moins de 2 évaluateurs." in page


def test_the_season_command_closes_candidatures_for_cron(world):
    import io

    from django.core.management import call_command

    world.edition.closing_date = timezone.localdate() - timedelta(days=1)
    world.edition.save()
    out = io.StringIO()
    call_command("season", stdout=out)
    world.edition.refresh_from_db()
    assert world.edition.phase == "instruction" and "candidatures closes" in out.getvalue()


def switch_off(edition, phase, name):
    phase_rules.rules_of(edition)
    PhaseRule.objects.filter(edition=edition, phase=phase).update(**{name: False})


def test_the_review_switch_stops_scoring(season, login):
    assign_all(season)
    move_to(season, "evaluation")
    switch_off(season.edition, "evaluation", "can_review")
    response = submit_review(login(season.evaluator), season, season.dossiers["59368"], [3, 3, 3], 4)
    assert "phase d&#x27;évaluation est close" in response.content.decode()


def deliberation_ready(season, login):
    assign_all(season)
    move_to(season, "evaluation")
    for evaluator in (season.evaluator, season.evaluator2):
        for dossier in season.dossiers.values():
            submit_review(login(evaluator), season, dossier, [3, 3, 3], 3)
    move_to(season, "deliberation")


def test_the_decide_switch_stops_the_jury(season, login):
    from arobase.evaluation.models import Decision

    deliberation_ready(season, login)
    switch_off(season.edition, "deliberation", "can_decide")
    response = login(season.jury).post(f"/evaluation/{season.edition.year}/deliberation/{season.dossiers['59368'].pk}/", {"arobases": "3"})
    assert "ne peut pas décider" in response.content.decode() and not Decision.objects.exists()


def test_the_publish_switch_stops_publication(season, login):
    from arobase.evaluation import deliberation

    deliberation_ready(season, login)
    for dossier in season.dossiers.values():
        from django.http import QueryDict

        deliberation.decide(dossier, season.jury, QueryDict("arobases=3&rationale=ok"), None, [])
    switch_off(season.edition, "deliberation", "can_publish")
    response = login(season.staff).post(f"/gestion/{season.edition.year}/phase/", {"from": "deliberation", "confirm": "on"}, follow=True)
    assert "depuis la phase de délibération" in response.content.decode()
    season.edition.refresh_from_db()
    assert season.edition.phase == "deliberation"


def test_the_appeal_switch_closes_appeals(season, login):
    from arobase.evaluation import appeals
    from arobase.labels.models import Label

    season.edition.phase = "publie"
    season.edition.published_at = timezone.now()
    season.edition.save()
    Label.objects.create(edition=season.edition, territory=season.madeleine, arobases=3)
    dossier = season.dossiers["59368"]
    assert appeals.refusal(dossier, timezone.now()) is None
    switch_off(season.edition, "publie", "can_appeal")
    assert appeals.refusal(dossier, timezone.now()) == "Les recours ne sont pas ouverts pour cette édition."

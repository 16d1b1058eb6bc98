"""`arobase generate_benchmark_data --scale N`, at the reduced sizes of `--tiny` (the
base sizes ÷ 100): sizes proportional to N, deterministic, replaced by a re-run, all
flagged as demo; bad scales and a missing reference refused before anything is written."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, ManagementUtility, call_command

from arobase.actions.models import Action, Actor
from arobase.demo import benchmark as benchmarkdata
from arobase.dossiers.models import Dossier
from arobase.evaluation.models import Decision, Review
from arobase.labels.models import Edition, Label
from arobase.territories.models import Territory

pytestmark = pytest.mark.django_db


def generate(scale):
    out = io.StringIO()
    call_command("generate_benchmark_data", "--scale", str(scale), "--tiny", stdout=out)
    return out.getvalue()


def counts():
    return {
        "labels": Label.objects.count(),
        "actions": Action.objects.count(),
        "actors": Actor.objects.count(),
        "dossiers": Dossier.objects.count(),
        "reviews": Review.objects.count(),
        "decisions": Decision.objects.count(),
        "users": User.objects.count(),
    }


def snapshot():
    """Every generated row by its key fields (no database ids, no timestamps)."""
    labels = sorted(Label.objects.values_list("territory__code", "territory__kind", "edition_id", "arobases", "hors_concours", "is_demo"))
    label_links = sorted(
        [(code, year, "mention", slug) for code, year, slug in Label.mentions.through.objects.values_list("label__territory__code", "label__edition_id", "mention__slug")]
        + [(code, year, "prize", slug) for code, year, slug in Label.prizes.through.objects.values_list("label__territory__code", "label__edition_id", "prize__slug")]
    )
    actions = sorted(Action.objects.values_list(
        "territory__code", "title", "subtitle", "summary", "done", "tools", "results", "status", "started", "ended", "state",
        "place_name", "lat", "lon", "search_document", "is_demo",
    ))
    services = sorted(Action.services.through.objects.values_list("action__territory__code", "action__summary", "service__slug"))
    actors = sorted(Actor.objects.values_list("slug", "name", "kind", "territory__code", "consent", "phone", "is_demo"))
    action_actors = sorted(Action.actors.through.objects.values_list("action__territory__code", "action__summary", "actor__slug"))
    dossiers = sorted(Dossier.objects.values_list("edition_id", "territory__code", "state", "is_demo"))
    dossier_actions = sorted(Dossier.actions.through.objects.values_list("dossier__territory__code", "action__summary"))
    reviews = sorted(
        (review.dossier.territory.code, review.evaluator.username, review.proposed_arobases, review.comment,
         tuple(sorted((criterion.position, review.scores[str(criterion.pk)]) for criterion in review.dossier.edition.criteria.all())))
        for review in Review.objects.select_related("dossier__territory", "dossier__edition", "evaluator")
    )
    decisions = sorted(Decision.objects.values_list("dossier__territory__code", "arobases", "suggested", "rationale", "label"))
    users = sorted(User.objects.values_list("username", "is_staff"))
    return labels, label_links, actions, services, actors, action_actors, dossiers, dossier_actions, reviews, decisions, users


def test_sizes_multiply_by_the_scale():
    assert benchmarkdata.sizes(1) == benchmarkdata.Sizes(labels=25_000, actions=50_000, dossiers=300)
    assert benchmarkdata.sizes(10) == benchmarkdata.Sizes(labels=250_000, actions=500_000, dossiers=3_000)
    assert benchmarkdata.sizes(2, tiny=True) == benchmarkdata.Sizes(labels=500, actions=1_000, dossiers=6)


def test_scale_multiplies_the_data_deterministically_and_a_rerun_replaces_it():
    output = generate(1)
    assert "27 éditions publiées (2000–2026)" in output and "500 fiches actions publiées" in output
    one, first = counts(), snapshot()
    assert 200 <= one["labels"] <= 300  # about 25 000 ÷ 100
    assert (one["actions"], one["actors"], one["dossiers"]) == (500, 50, 3)
    assert one["reviews"] == 3 * settings.EVALUATORS_PER_DOSSIER and one["decisions"] == 3
    assert set(Label.objects.values_list("edition_id", flat=True)) == set(range(2000, 2027))  # 27 editions, each with labels
    assert set(Edition.objects.filter(year__lte=2026, labels__isnull=False).values_list("phase", flat=True)) == {"publie"}
    assert Label.objects.values("territory").distinct().count() < one["labels"] / 2  # histories, not one-off labels
    edition = Edition.objects.get(year=2027)
    assert edition.phase == "deliberation" and set(Dossier.objects.values_list("edition_id", flat=True)) == {2027}
    assert not Review.objects.filter(submitted_at=None).exists()
    assert not Decision.objects.filter(label__isnull=False).exists()  # decided, not yet published

    generate(2)
    two = counts()
    assert 1.8 <= two["labels"] / one["labels"] <= 2.2
    assert (two["actions"], two["actors"], two["dossiers"], two["decisions"]) == (1_000, 100, 6, 6)
    assert two["reviews"] == 2 * one["reviews"]
    assert two["users"] == one["users"] + 3  # one more demo correspondent per extra candidate

    generate(1)  # replaces scale 2 with exactly the first data
    assert counts() == one
    assert snapshot() == first


def test_everything_generated_is_flagged_as_demo_and_real_labels_are_kept():
    generate(1)
    assert not Label.objects.filter(is_demo=False).exists()
    assert not Action.objects.filter(is_demo=False).exists()
    assert not Actor.objects.filter(is_demo=False).exists()
    assert not Dossier.objects.filter(is_demo=False).exists()
    assert not User.objects.filter(demo_account__isnull=True).exists()
    candidate = Dossier.objects.first().territory
    assert User.objects.filter(username=f"correspondant.{candidate.code.lower()}@demo.arobase.fr",
                               attachments__territory=candidate, attachments__status="approuve").exists()

    real = Label.objects.filter(edition_id=2020).order_by("territory__code").first()
    Label.objects.filter(pk=real.pk).update(is_demo=False, arobases=real.arobases % 5 + 1)  # as if imported
    generate(1)
    assert Label.objects.filter(is_demo=False).count() == 1
    assert Label.objects.get(pk=real.pk).arobases == real.arobases % 5 + 1


@pytest.mark.parametrize("value", ["0", "-1", "21", "abc", "１", "1.5", str(10**30)])
def test_bad_scales_are_refused_before_anything_is_written(value, capsys):
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["arobase", "generate_benchmark_data", "--scale", value, "--tiny"]).execute()
    assert exit.value.code != 0
    assert "l'échelle est un nombre entier de 1 à 20" in capsys.readouterr().err
    assert not Label.objects.exists() and not Action.objects.exists() and not Dossier.objects.exists()
    with pytest.raises(CommandError, match="de 1 à 20"):
        call_command("generate_benchmark_data", f"--scale={value}", stdout=io.StringIO())


def test_missing_territories_reference_is_a_clear_error():
    Territory.objects.filter(code__in=["59368", "34145"], kind="commune").delete()  # deleting all 36 000 takes minutes
    with pytest.raises(CommandError, match="import_territories"):
        generate(1)
    assert not Label.objects.exists() and not Action.objects.exists() and not Edition.objects.exists()

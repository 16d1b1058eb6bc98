"""`arobase demo` fills Atlaas: actions and local actors, deterministic and flagged."""

import io
from collections import defaultdict
from statistics import mean

import pytest
from django.core.management import CommandError, call_command

from arobase.actions import search
from arobase.actions.models import Action, Actor
from arobase.labels.models import Label


def load(actions):
    out = io.StringIO()
    call_command("demo", "--actions", str(actions), stdout=out)
    return out.getvalue()


def snapshot():
    return sorted(Action.objects.values_list("territory__code", "title", "status", "started", "place_name"))


def test_demo_actions_and_actors(db):
    output = load(400)
    assert "400 fiches actions de démonstration publiées, 40 acteurs locaux." in output
    actions = Action.objects.all()
    assert actions.count() == 400 and not actions.exclude(is_demo=True, state="publiee").exists()
    assert Actor.objects.count() == 40 and not Actor.objects.exclude(is_demo=True).exists()
    assert not actions.filter(services=None).exists()
    assert actions.filter(territory__code="59368").count() >= 8  # the seed town of the demo accounts
    # More actions, and richer sheets, for territories holding more @.
    latest = dict(Label.objects.order_by("territory_id", "edition_id").values_list("territory_id", "arobases"))
    per_territory = defaultdict(int)
    for territory_id in actions.values_list("territory_id", flat=True):
        per_territory[territory_id] += 1
    by_level = defaultdict(list)
    for territory_id, level in latest.items():
        by_level[level].append(per_territory[territory_id])
    assert mean(by_level[5]) > mean(by_level[3]) >= mean(by_level[1])
    assert actions.exclude(started=None).dates("started", "year").count() >= 8  # ten years of history
    assert set(actions.values_list("status", flat=True)) == {"prevue", "en-cours", "realisee"}
    assert Action.actors.through.objects.count() > 0
    # Searchable at once, though written in bulk.
    sample = actions.first()
    assert sample in search.ACTIONS.filter(Action.objects.all(), sample.title)

    first = snapshot()
    load(400)
    assert snapshot() == first and Action.objects.count() == 400  # deterministic, replaced not added


def test_demo_refuses_a_bad_size(db):
    for value in ("-1", "١٠٠", "1e9", "abc", "999999999"):
        with pytest.raises(CommandError):
            call_command("demo", "--actions", value, stdout=io.StringIO(), stderr=io.StringIO())

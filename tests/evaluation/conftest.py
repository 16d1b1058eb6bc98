"""A season under way: edition 2027 closed, La Madeleine and Lunel submitted, a grid,
two more evaluators, and helpers to move the edition along its phases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user


@pytest.fixture
def season(world):
    from arobase.accounts import roles
    from arobase.accounts.models import Role
    from arobase.dossiers.models import Dossier
    from arobase.evaluation.models import Criterion
    from arobase.labels import phase_rules
    from arobase.labels.models import Mention

    edition = world.edition
    edition.closing_date = timezone.localdate() - timedelta(days=1)
    edition.phase = "instruction"
    edition.save()
    phase_rules.rules_of(edition)
    now = timezone.now()
    world.dossiers = {}
    for territory, author in ((world.madeleine, world.correspondent), (world.lunel, world.other)):
        world.dossiers[territory.code] = Dossier.objects.create(
            edition=edition, territory=territory, state="depose", submitted_at=now, submitted_by=author,
            snapshot=[{"id": 1, "title": f"Conseil municipal en ligne à {territory.name}", "summary": "Diffusion des séances.",
                       "status": "realisee", "services": [{"slug": "x", "name": "Diffusion", "enjeu": "democratie-locale"}]}],
        )
    world.criteria = [
        Criterion.objects.create(edition=edition, name="Stratégie", weight=2, scale_max=4, required=True, position=0),
        Criterion.objects.create(edition=edition, name="Services", weight=1, scale_max=4, required=True, position=1),
        Criterion.objects.create(edition=edition, name="Sobriété", weight=1, scale_max=4, required=False, position=2),
    ]
    world.evaluator2 = make_user("eval2@example.fr", first_name="Marc")
    world.evaluator3 = make_user("eval3@example.fr", first_name="Inès")
    roles.grant(world.evaluator2, Role.EVALUATOR)
    roles.grant(world.evaluator3, Role.EVALUATOR)
    world.mention, _ = Mention.objects.get_or_create(slug="democratie-locale", defaults={"name": "Démocratie locale"})
    return world


def assign_all(world):
    """Evaluator and evaluator2 on both dossiers (no conflicts in the fixture)."""
    from arobase.evaluation import assignment

    for dossier in world.dossiers.values():
        for evaluator in (world.evaluator, world.evaluator2):
            assignment.assign(dossier, evaluator, world.staff)


def submit_review(client, world, dossier, scores, level, comment="Dossier solide."):
    data = {f"score-{c.pk}": str(s) for c, s in zip(world.criteria, scores)}
    data.update({"proposed_arobases": str(level), "comment": comment, "submit": "1"})
    return client.post(f"/evaluation/{world.edition.year}/dossiers/{dossier.pk}/", data)


def move_to(world, phase):
    from arobase.evaluation import phases

    world.edition.refresh_from_db()
    while world.edition.phase != phase:
        phases.advance(world.edition, world.staff, timezone.now())

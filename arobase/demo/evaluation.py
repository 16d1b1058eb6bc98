"""The season's demo (CONTRACT §9): from `instruction` on, about 40 submitted dossiers;
from `evaluation`, a grid, evaluators assigned and reviews with realistic
disagreement; in `deliberation`, pending jury decisions; in `publie`, the labels.

Deterministic (a fixed seed); the dossiers are flagged as demo and replaced on each run.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from arobase.accounts import roles
from arobase.accounts.models import DemoAccount, Role
from arobase.actions import rules as action_rules
from arobase.actions.models import Action
from arobase.dossiers import filing
from arobase.dossiers import rules as dossier_rules
from arobase.dossiers.models import Dossier
from arobase.evaluation import assignment, phases, publication, reviewing
from arobase.evaluation.models import Criterion, Decision, OutboxMessage, Review
from arobase.journal.models import Entry
from arobase.journal.records import record
from arobase.labels import phase_rules, season
from arobase.labels.models import Label, Mention, PhaseRule

from .errors import SeasonNotReady

SEED = 2026
DOSSIERS = 40
GRID = [
    ("Stratégie et gouvernance du numérique", "Vision, portage politique, moyens.", 3, 4, True),
    ("Services aux habitants", "Démarches, information, accessibilité des services en ligne.", 3, 4, True),
    ("Inclusion et médiation", "Accompagnement des publics éloignés du numérique.", 2, 4, True),
    ("Participation citoyenne", "Concertation, données ouvertes, transparence.", 2, 4, True),
    ("Sobriété et environnement", "Numérique responsable, réemploi, sobriété.", 1, 4, False),
]
EXTRA_EVALUATORS = [
    ("evaluateur2@demo.arobase.fr", "Marc", "Roussel"), ("evaluateur3@demo.arobase.fr", "Inès", "Fabre"),
    ("evaluateur4@demo.arobase.fr", "Yann", "Le Goff"), ("evaluateur5@demo.arobase.fr", "Léa", "Marchand"),
    ("evaluateur6@demo.arobase.fr", "Thomas", "Girard"), ("evaluateur7@demo.arobase.fr", "Aïcha", "Diallo"),
]
COMMENTS = [
    "Politique cohérente, des services utiles ; la médiation reste à structurer.",
    "Beaucoup d'actions, mais peu de résultats mesurés. Le portage politique est clair.",
    "Dossier solide : stratégie écrite, budget identifié, habitants associés.",
    "Des actions récentes et prometteuses ; à confirmer l'an prochain.",
    "Effort remarquable pour une collectivité de cette taille.",
]


def reset(edition):
    """Remove what an earlier season demo made for this edition."""
    Label.objects.filter(edition=edition, decision__dossier__is_demo=True).delete()
    Dossier.objects.filter(edition=edition, is_demo=True).exclude(state=dossier_rules.DRAFT).delete()
    for model in (OutboxMessage, Entry, PhaseRule):
        model.objects.filter(edition=edition).delete()
    Criterion.objects.filter(edition=edition).delete()
    type(edition).objects.filter(pk=edition.pk).update(published_at=None)
    edition.published_at = None


def load(edition, phase, territories, correspondent, today, count=DOSSIERS, pending=0.4):
    """Fill `edition` with the data of `phase` (instruction or later): `count` dossiers
    of the first `territories`; in `deliberation`, about a `pending` share of them still
    waits for the jury's decision."""
    if phase != season.INSTRUCTION and Dossier.objects.filter(edition=edition, is_demo=False).exclude(state=dossier_rules.DRAFT).exists():
        raise SeasonNotReady(
            f"L'édition {edition.year} contient des dossiers réels déposés : la démonstration ne les évalue pas à la place "
            "du jury. Utilisez une base de démonstration."
        )
    rng = random.Random(SEED)
    now = timezone.now()
    edition.opening_date, edition.closing_date = today - timedelta(days=240), today - timedelta(days=10)
    edition.ceremony_date = today + timedelta(days=20) if phase != season.PUBLIE else today
    edition.phase = season.INSTRUCTION
    edition.save()
    phase_rules.rules_of(edition)
    dossiers = _submitted_dossiers(edition, territories, correspondent, now, count)
    _grid(edition)
    staff = User.objects.get(username="equipe@demo.arobase.fr")
    jury = User.objects.get(username="jury@demo.arobase.fr")
    _evaluators()
    if phase == season.INSTRUCTION:
        return len(dossiers)
    assignment.auto_assign(edition, staff)
    _advance(edition, staff, now)  # → evaluation
    quality = {d.pk: rng.gauss(0, 1) for d in dossiers}
    demo_evaluator = User.objects.get(username="evaluateur@demo.arobase.fr")
    criteria = list(edition.criteria.all())
    mentions = list(Mention.objects.filter(last_year__isnull=True)[:8])
    everything = phase != season.EVALUATION
    for review in Review.objects.filter(dossier__in=dossiers).select_related("dossier"):
        if not everything and (review.evaluator_id == demo_evaluator.pk and rng.random() < 0.5 or rng.random() < 0.35):
            continue  # still to do in the evaluation phase
        _write_review(review, criteria, quality[review.dossier_id], rng, mentions, edition)
    if phase == season.EVALUATION:
        return len(dossiers)
    _advance(edition, staff, now)  # → deliberation
    aggregates = reviewing.aggregates(edition)
    for dossier in dossiers:
        if phase == season.DELIBERATION and rng.random() < pending:
            continue  # pending: the jury has not decided yet
        suggested = aggregates[dossier.pk].suggested if dossier.pk in aggregates else None
        level = suggested or 1
        rationale = ""
        if rng.random() < 0.15:
            level, rationale = max(1, min(5, level + rng.choice([-1, 1]))), "Le jury tient compte de la dynamique du territoire au-delà des notes."
        decision = Decision.objects.create(dossier=dossier, arobases=level, suggested=suggested, rationale=rationale, decided_by=jury)
        if mentions and rng.random() < 0.25:
            decision.mentions.set([rng.choice(mentions)])
        record(jury, "décision prise", edition=edition, territory=dossier.territory, subject="décision", before=None, after={"arobases": level})
    if phase == season.PUBLIE:
        publication.publish(edition, staff, now, "http://127.0.0.1:8000")
    return len(dossiers)


def _advance(edition, staff, now):
    phases.advance(edition, staff, now)


def _submitted_dossiers(edition, territories, correspondent, now, count=DOSSIERS):
    """About 40 (`count`) demo territories with published actions submit their dossier."""
    chosen = [t for t, _ in territories][:count]
    Dossier.objects.filter(edition=edition, territory__in=chosen).delete()
    made = []
    for territory in chosen:
        actions = list(
            Action.objects.filter(territory=territory, is_demo=True, state=action_rules.PUBLISHED)
            .prefetch_related("services__usage__enjeu")
        )
        dossier = Dossier.objects.create(
            edition=edition, territory=territory, is_demo=True, state=dossier_rules.SUBMITTED,
            submitted_at=now - timedelta(days=15), receipt_sent_at=now - timedelta(days=15), submitted_by=correspondent,
            snapshot=filing.snapshot(actions), answers={},
        )
        dossier.actions.set(actions)
        made.append(dossier)
    return made


def _grid(edition):
    Criterion.objects.bulk_create(
        Criterion(edition=edition, name=n, description=d, weight=w, scale_max=m, required=r, position=i)
        for i, (n, d, w, m, r) in enumerate(GRID)
    )


def _evaluators():
    for email, first, last in EXTRA_EVALUATORS:
        user, _ = User.objects.update_or_create(username=email, defaults={"email": email, "first_name": first, "last_name": last, "is_active": True})
        user.set_password("arobase-demo")
        user.save()
        DemoAccount.objects.get_or_create(user=user)
        roles.grant(user, Role.EVALUATOR)


def _write_review(review, criteria, quality, rng, mentions, edition):
    """Scores around the dossier's quality, with each evaluator's own noise and leniency."""
    leniency = (review.evaluator_id % 5 - 2) * 0.25
    scores = {}
    for criterion in criteria:
        value = round(criterion.scale_max * (0.6 + 0.15 * quality + 0.1 * leniency + rng.gauss(0, 0.12)))
        scores[str(criterion.pk)] = max(0, min(criterion.scale_max, value))
    review.scores = scores
    review.score = reviewing.rules.weighted_score(scores, reviewing.criterion_specs(criteria))
    review.proposed_arobases = reviewing.rules.suggested_level(review.score + rng.gauss(0, 8))
    review.comment = rng.choice(COMMENTS)
    review.submitted_at = timezone.now()
    review.save()
    if mentions and rng.random() < 0.3:
        review.proposed_mentions.set([rng.choice(mentions)])

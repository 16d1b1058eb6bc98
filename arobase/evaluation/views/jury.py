"""The evaluators' and jury's space of an edition (/evaluation/<year>/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules import test_rule

from arobase.core.numbers import parse_int
from arobase.dossiers import pdf
from arobase.dossiers import rules as dossier_rules
from arobase.dossiers.models import Dossier
from arobase.journal.records import record
from arobase.labels import phase_rules
from arobase.referential import loading as referential
from arobase.territories.models import Territory

from .. import appeals, conflicts, deliberation, reviewing, text
from ..models import Appeal, Decision, Declaration, JuryNote, Review
from .access import post_id, season_edition

DELIBERATION_PAGE_SIZE = 100


def snapshot_mosaic(edition, dossier):
    covered = {s["enjeu"] for item in dossier.snapshot or [] for s in item.get("services", [])}
    year = referential.resolve_year(edition.year)
    axes = referential.axes_and_enjeux(year) if year else []
    return dossier_rules.mosaic([(axe, list(axe.enjeux.all())) for axe in axes], covered)


@login_required
def space(request, year):
    edition = season_edition(request, year, "edition.evaluate")
    mine = list(Review.objects.filter(dossier__edition=edition, evaluator=request.user).select_related("dossier__territory").order_by("dossier__territory__name"))
    context = {
        "edition": edition, "reviews": mine,
        "submitted": Dossier.objects.filter(edition=edition, state=dossier_rules.SUBMITTED).count(),
        "can_review": phase_rules.allows(edition, "can_review"),
        "can_deliberate": test_rule("season.deliberate", request.user),
        "can_declare": test_rule("season.declare", request.user),
        "declarations": Declaration.objects.filter(edition=edition, user=request.user).select_related("territory"),
        "done": sum(1 for r in mine if r.is_submitted),
        "candidates": Dossier.objects.filter(edition=edition, state=dossier_rules.SUBMITTED).select_related("territory").order_by("territory__name"),
    }
    return render(request, "evaluation/space.html", context)


@login_required
@require_POST
def declare(request, year):
    edition = season_edition(request, year, "season.declare")
    territory = Territory.objects.filter(pk=post_id(request.POST.get("territory"))).first()
    reason = text.clean(request.POST.get("reason"), 300)
    if territory is None or not reason:
        messages.error(request, "Choisissez le territoire et indiquez le motif du conflit.")
        return redirect("evaluation:space", year)
    try:
        with transaction.atomic():  # the declaration and its journal entry, or neither
            Declaration.objects.create(edition=edition, user=request.user, territory=territory, reason=reason)
            record(request.user, f"conflit déclaré avec {territory.name}", edition=edition, territory=territory, subject="conflit", after={"motif": reason})
    except IntegrityError:
        messages.info(request, f"Vous avez déjà déclaré un conflit avec {territory.name}.")
        return redirect("evaluation:space", year)
    messages.success(request, f"Conflit d'intérêts avec {territory.name} déclaré : vous ne verrez ni ses avis ni les débats du jury le concernant.")
    return redirect("evaluation:space", year)


@login_required
def review_page(request, year, dossier_id):
    edition = season_edition(request, year, "edition.evaluate")
    review = Review.objects.filter(dossier_id=dossier_id, dossier__edition=edition, evaluator=request.user).select_related("dossier__territory").order_by("purpose").first()
    if review is None or not test_rule("season.review", request.user, review):
        raise Http404("Ce dossier ne vous est pas attribué.")
    dossier = review.dossier
    if conflicts.is_conflicted(edition, request.user, dossier.territory):
        raise Http404("Conflit d'intérêts : ce dossier ne vous est pas accessible.")
    criteria = list(edition.criteria.prefetch_related("axes", "enjeux"))
    error = None
    if request.method == "POST":
        try:
            reviewing.save(review, criteria, request.POST, request.POST.get("submit") == "1", request.user)
        except reviewing.ReviewError as problem:
            error = str(problem)
        else:
            if review.is_submitted and review.purpose == Review.APPEAL:
                appeals.mark_examined(review)
            messages.success(request, "Avis soumis : merci." if review.is_submitted else "Brouillon enregistré.")
            return redirect("evaluation:review", year, dossier.pk)
    others = []
    if reviewing.others_visible(review, request.user):
        others = Review.objects.filter(dossier=dossier, submitted_at__isnull=False).exclude(pk=review.pk).select_related("evaluator").prefetch_related("proposed_mentions")
    chosen_mentions = set(review.proposed_mentions.values_list("pk", flat=True))
    context = {
        "edition": edition, "review": review, "dossier": dossier, "error": error,
        "criteria": [(c, (request.POST.get(f"score-{c.pk}") if error else review.scores.get(str(c.pk)))) for c in criteria],
        "mentions": [(m, m.pk in chosen_mentions) for m in reviewing.offered_mentions(edition)],
        "mosaic": snapshot_mosaic(edition, dossier), "others": others,
        "can_review": phase_rules.allows(edition, "can_review") or review.purpose == Review.APPEAL,
        "appeal": Appeal.objects.filter(dossier=dossier).first() if review.purpose == Review.APPEAL else None,
        "form": request.POST if error else None,
    }
    return render(request, "evaluation/review.html", context, status=400 if error else 200)


@login_required
def deliberation_list(request, year):
    edition = season_edition(request, year, "season.deliberate")
    submitted = Dossier.objects.filter(edition=edition, state=dossier_rules.SUBMITTED)
    aggregates = reviewing.aggregates(edition)

    def rank(entry):
        aggregate = aggregates.get(entry[0])
        return -(aggregate.calibrated if aggregate and aggregate.calibrated is not None else -1), entry[1]

    # Ranked over the whole edition from light rows; only the page's 100 dossiers are read
    # and rendered (3 000 dossiers took seconds).
    ranked = sorted(submitted.values_list("pk", "territory__name"), key=rank)
    page = Paginator(ranked, DELIBERATION_PAGE_SIZE).get_page(parse_int(request.GET.get("page"), 1, 100_000))
    ids = [pk for pk, _ in page]
    # Not the answers and the actions as submitted: large, unused here.
    dossiers = Dossier.objects.filter(pk__in=ids).select_related("territory", "decision").defer("answers", "snapshot").in_bulk()
    appeal_list = list(Appeal.objects.filter(dossier__edition=edition).select_related("dossier__territory").order_by("filed_at"))
    # One conflict map for the page's dossiers and the appeals: who may read what.
    found = conflicts.conflict_map(edition, [request.user.pk], [d.territory for d in dossiers.values()] + [a.dossier.territory for a in appeal_list])
    for appeal in appeal_list:
        appeal.conflicted = conflicts.blocking(found[(request.user.pk, appeal.dossier.territory_id)])
    proposals = {}
    for dossier_id, level in Review.objects.filter(dossier_id__in=ids, submitted_at__isnull=False, proposed_arobases__isnull=False).values_list("dossier_id", "proposed_arobases").order_by("proposed_arobases"):
        proposals.setdefault(dossier_id, []).append(level)
    rows = []
    for pk in ids:
        dossier = dossiers[pk]
        rows.append({
            "dossier": dossier, "aggregate": aggregates.get(pk), "decision": getattr(dossier, "decision", None),
            "conflicted": conflicts.blocking(found[(request.user.pk, dossier.territory_id)]), "proposals": proposals.get(pk, []),
        })
    context = {
        "edition": edition, "rows": rows, "page": page, "total": len(ranked), "can_decide": phase_rules.allows(edition, "can_decide"),
        "decided": Decision.objects.filter(dossier__in=submitted).count(),
        "appeals": appeal_list,
    }
    return render(request, "evaluation/deliberation.html", context)


@login_required
def deliberation_dossier(request, year, dossier_id):
    edition = season_edition(request, year, "season.deliberate")
    dossier = get_object_or_404(Dossier.objects.select_related("territory"), pk=dossier_id, edition=edition, state=dossier_rules.SUBMITTED)
    found = conflicts.conflicts_of(edition, request.user, dossier.territory)
    conflicted = conflicts.blocking(found)
    aggregate = reviewing.aggregates(edition).get(dossier.pk)
    suggested = aggregate.suggested if aggregate else None
    past = deliberation.history([dossier.territory_id]).get(dossier.territory_id, [])
    error = None
    if request.method == "POST" and not conflicted:
        if note := text.clean(request.POST.get("note"), 5000):
            JuryNote.objects.create(dossier=dossier, author=request.user, text=note)
            return redirect("evaluation:deliberation_dossier", year, dossier.pk)
        try:
            deliberation.decide(dossier, request.user, request.POST, suggested, past)
        except deliberation.DecisionError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Décision enregistrée pour {dossier.territory.name} (non publique jusqu'à la publication).")
            return redirect("evaluation:deliberation", year)
    decision = getattr(dossier, "decision", None) if hasattr(dossier, "decision") else None
    chosen = set(decision.mentions.values_list("pk", flat=True)) if decision else set()
    ten_level = 5 if not decision or decision.arobases is None else decision.arobases
    context = {
        "edition": edition, "dossier": dossier, "conflicted": conflicted, "conflicts": found, "aggregate": aggregate,
        "decision": decision, "error": error, "form": request.POST if error else None,
        "history": past, "ten": deliberation.ten_eligibility(past, edition.year, ten_level),
        "can_decide": phase_rules.allows(edition, "can_decide") and not conflicted,
        "mentions": [(m, m.pk in chosen) for m in reviewing.offered_mentions(edition)],
    }
    if not conflicted:
        context["reviews"] = Review.objects.filter(dossier=dossier, submitted_at__isnull=False).select_related("evaluator").prefetch_related("proposed_mentions")
        context["notes"] = JuryNote.objects.filter(dossier=dossier).select_related("author")
        context["mosaic"] = snapshot_mosaic(edition, dossier)
    return render(request, "evaluation/decision.html", context, status=400 if error else 200)


@login_required
def minutes_pdf(request, year):
    """The procès-verbal: every decision with its suggestion and rationale."""
    edition = season_edition(request, year, "season.deliberate")
    dossiers = Dossier.objects.filter(edition=edition, state=dossier_rules.SUBMITTED).select_related("territory", "decision").prefetch_related("decision__mentions").order_by("territory__name")
    aggregates = reviewing.aggregates(edition)
    found = conflicts.conflict_map(edition, [request.user.pk], [d.territory for d in dossiers])
    rows = [
        (d, getattr(d, "decision", None), aggregates.get(d.pk), conflicts.blocking(found[(request.user.pk, d.territory_id)]))
        for d in dossiers
    ]
    return pdf.response("evaluation/minutes_pdf.html", {"edition": edition, "rows": rows, "now": timezone.now()}, f"proces-verbal-{edition.year}.pdf")


@login_required
@require_POST
def decide_appeal(request, year, appeal_id):
    edition = season_edition(request, year, "season.deliberate")
    appeal = get_object_or_404(Appeal.objects.select_related("dossier__territory", "dossier__edition"), pk=appeal_id, dossier__edition=edition)
    try:
        appeals.decide(appeal, request.user, request.POST.get("outcome"), (request.POST.get("arobases") or "").strip(), timezone.now(), request.build_absolute_uri("/").rstrip("/"))
    except appeals.AppealError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"Recours de {appeal.dossier.territory.name} tranché.")
    return redirect("evaluation:deliberation", year)

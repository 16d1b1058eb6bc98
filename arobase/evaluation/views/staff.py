"""The staff's season pages under /gestion/<year>/: phases, evaluators and conflicts,
publication with its outbox, press kits, appeals, and the audit log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from arobase.core import warming
from arobase.core.csv_files import csv_download
from arobase.core.xlsx_files import xlsx_download
from arobase.journal.models import Entry
from arobase.journal.records import record

from .. import appeals, assignment, conflicts, outbox, phases, presskit, publication, text
from ..models import Appeal, OutboxMessage, Override, Review
from .access import post_id, season_edition


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_POST
def advance(request, year):
    edition = season_edition(request, year, "season.manage")
    if request.POST.get("from") != edition.phase:
        messages.error(request, "L'édition a changé de phase entre-temps : vérifiez avant de recommencer.")
        return redirect("evaluation:gestion", year)
    if request.POST.get("confirm") != "on":
        messages.error(request, "Cochez la case de confirmation pour changer de phase.")
        return redirect("evaluation:publication" if edition.phase == "deliberation" else "evaluation:gestion", year)
    try:
        if edition.phase == "deliberation":
            labels, queued = publication.publish(edition, request.user, timezone.now(), base_url(request))
            # The ceremony's visitors arrive now: the main pages are rendered before this answer.
            rendered, _, _ = warming.warm(base_url(request))
            messages.success(request, f"Édition publiée : {labels} labels, {rendered} pages publiques prêtes. "
                                      f"{queued} messages attendent votre relecture avant envoi.")
            return redirect("evaluation:publication", year)
        phases.advance(edition, request.user, timezone.now())
    except phases.TransitionBlocked as blocked:
        messages.error(request, "Passage refusé : " + " ".join(blocked.reasons))
    else:
        messages.success(request, f"L'édition est passée en phase « {edition.get_phase_display()} ».")
    return redirect("evaluation:gestion", year)


@login_required
def assignments(request, year):
    edition = season_edition(request, year, "season.manage")
    if request.method == "POST":
        _assignment_post(request, edition)
        return redirect("evaluation:assignments", year)
    dossiers = list(assignment.submitted_dossiers(edition).select_related("territory__region").order_by("territory__name"))
    reviews = Review.objects.filter(dossier__edition=edition).select_related("evaluator")
    by_dossier = {}
    for review in reviews:
        by_dossier.setdefault(review.dossier_id, []).append(review)
    evaluators = list(assignment.pool())
    loads = {}
    for review in reviews:
        loads[review.evaluator_id] = loads.get(review.evaluator_id, 0) + 1
    found = conflicts.conflict_map(edition, [r.evaluator_id for r in reviews], [d.territory for d in dossiers])
    rows = [
        (d, [(r, found.get((r.evaluator_id, d.territory_id), [])) for r in by_dossier.get(d.pk, [])])
        for d in dossiers
    ]
    context = {
        "edition": edition, "rows": rows, "evaluators": [(e, loads.get(e.pk, 0)) for e in evaluators],
        "per_dossier": settings.EVALUATORS_PER_DOSSIER,
    }
    return render(request, "evaluation/assignments.html", context)


def _assignment_post(request, edition):
    operation = request.POST.get("operation")
    if operation == "auto":
        pairs, short = assignment.auto_assign(edition, request.user)
        messages.success(request, f"{len(pairs)} affectation(s) ajoutée(s)." + (f" {short} dossier(s) restent incomplets (conflits ou pas assez d'évaluateurs)." if short else ""))
    elif operation == "assign":
        evaluator = assignment.pool().filter(pk=post_id(request.POST.get("evaluator"))).first()
        ids = [i for i in (post_id(x) for x in request.POST.getlist("dossiers")) if i]
        if evaluator is None or not ids:
            messages.error(request, "Cochez au moins un dossier et choisissez un évaluateur.")
            return
        done, refused = 0, []
        for dossier in assignment.submitted_dossiers(edition).filter(pk__in=ids):
            try:
                assignment.assign(dossier, evaluator, request.user)
                done += 1
            except assignment.AssignmentError as problem:
                refused.append(str(problem))
        if done:
            messages.success(request, f"{done} dossier(s) confié(s) à {evaluator.get_full_name() or evaluator.email}.")
        for problem in refused:
            messages.error(request, problem)
    elif operation == "unassign":
        review = Review.objects.filter(pk=post_id(request.POST.get("review")), dossier__edition=edition).select_related("evaluator", "dossier__territory", "dossier__edition").first()
        if review is None:
            messages.error(request, "Affectation introuvable.")
            return
        try:
            assignment.unassign(review, request.user)
            messages.success(request, f"{review.evaluator.email} retiré du dossier de {review.dossier.territory.name}.")
        except assignment.AssignmentError as problem:
            messages.error(request, str(problem))
    else:
        messages.error(request, "Opération inconnue.")


@login_required
def conflict_list(request, year):
    edition = season_edition(request, year, "season.manage")
    dossiers = list(assignment.submitted_dossiers(edition).order_by("territory__name"))
    people = list(User.objects.filter(roles__kind__in=["evaluateur", "jury"], is_active=True).distinct().order_by("last_name", "email"))
    if request.method == "POST":
        user = next((p for p in people if p.pk == post_id(request.POST.get("user"))), None)
        dossier = next((d for d in dossiers if d.territory_id == post_id(request.POST.get("territory"))), None)
        reason = text.clean(request.POST.get("reason"), 300)
        if user is None or dossier is None or not reason:
            messages.error(request, "Indiquez le motif de la levée du conflit : il est conservé au journal.")
        elif Override.objects.filter(edition=edition, user=user, territory=dossier.territory).exists():
            messages.info(request, "Ce conflit est déjà levé.")
        else:
            Override.objects.create(edition=edition, user=user, territory=dossier.territory, reason=reason, by=request.user)
            record(request.user, f"conflit levé : {user.email} / {dossier.territory.name}", edition=edition, territory=dossier.territory, subject="conflit", before=None, after={"motif": reason})
            messages.success(request, f"Conflit levé entre {user.email} et {dossier.territory.name}.")
        return redirect("evaluation:conflicts", year)
    found = conflicts.conflict_map(edition, [p.pk for p in people], [d.territory for d in dossiers])
    rows = [(p, d, found[(p.pk, d.territory_id)]) for p in people for d in dossiers if found[(p.pk, d.territory_id)]]
    return render(request, "evaluation/conflicts.html", {"edition": edition, "rows": rows})


@login_required
def publication_page(request, year):
    edition = season_edition(request, year, "season.manage")
    if request.method == "POST":
        if request.POST.get("operation") == "release":
            released = outbox.release(edition)
            messages.success(request, f"{released} message(s) validé(s) : ils partent au prochain envoi automatique (arobase send_outbox, toutes les quelques minutes).")
        elif request.POST.get("operation") == "reexamine":
            appeal = Appeal.objects.filter(pk=post_id(request.POST.get("appeal")), dossier__edition=edition).select_related("dossier__territory", "dossier__edition").first()
            if appeal is None:
                raise Http404
            try:
                review = appeals.assign_reexamination(appeal, request.user)
                messages.success(request, f"Recours de {appeal.dossier.territory.name} confié à {review.evaluator.get_full_name() or review.evaluator.email}.")
            except appeals.AppealError as problem:
                messages.error(request, str(problem))
        return redirect("evaluation:publication", year)
    messages_qs = OutboxMessage.objects.filter(edition=edition).select_related("territory")
    counts = {key: 0 for key, _ in OutboxMessage.STATUS_CHOICES}
    for status in messages_qs.values_list("status", flat=True):
        counts[status] += 1
    first = messages_qs.first()
    context = {
        "edition": edition, "outbox": Paginator(messages_qs, 50).get_page(request.GET.get("page")),
        "counts": [(label, counts[key]) for key, label in OutboxMessage.STATUS_CHOICES],
        "to_review": OutboxMessage.objects.filter(edition=edition, status=OutboxMessage.PENDING).count(), "preview": outbox.preview(first) if first else None,
        "blockers": phases.blockers(edition, timezone.now()) if edition.phase == "deliberation" else [],
        "regions": presskit.regions(edition), "deadline": publication.appeal_deadline(edition),
        "appeals": Appeal.objects.filter(dossier__edition=edition).select_related("dossier__territory").order_by("filed_at"),
        "labels": edition.labels.filter(decision__isnull=False).select_related("territory").order_by("territory__name") if edition.is_published else [],
    }
    return render(request, "evaluation/publication.html", context)


@login_required
def presskit_file(request, year, region, extension):
    edition = season_edition(request, year, "season.manage")
    if not edition.is_published:
        raise Http404("L'édition n'est pas publiée.")
    region_territory, rows = presskit.rows(edition, region)
    if region_territory is None:
        raise Http404("Région inconnue.")
    name = f"dossier-presse-{edition.year}-{region_territory.code}"
    if extension == "csv":
        return csv_download(f"{name}.csv", presskit.HEADER, rows)
    return xlsx_download(f"{name}.xlsx", "Palmarès", presskit.HEADER, rows)


@login_required
def audit_log(request, year):
    edition = season_edition(request, year, "season.manage")
    entries = Entry.objects.filter(edition=edition).select_related("actor")
    return render(request, "evaluation/audit.html", {"edition": edition, "page": Paginator(entries, 100).get_page(request.GET.get("page"))})

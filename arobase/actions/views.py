"""Action sheets: the territory's list and editor (its space), moderation, and the
public page of a published action."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ExpressionWrapper, F, FloatField, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules import test_rule

from arobase.accounts.permissions import is_correspondent_of, is_team
from arobase.journal.records import record
from arobase.labels.models import Label
from arobase.territories.models import Territory
from arobase.territories.rules import COMMUNE, EPCI

from . import editing, rules
from .forms import ActionForm, ImageForm, PersonFormSet, ReasonForm
from .models import Action, Actor, Image


def space_territory(request, code):
    """The territory whose actions are managed here: its correspondents and staff see
    everything; a local actor may only propose (and see their own proposals)."""
    territory = Territory.objects.filter(code=code[:9], kind__in=[COMMUNE, EPCI]).first()
    if territory is None or not test_rule("action.propose", request.user, territory):
        raise Http404("Espace introuvable.")
    return territory


def manages(user, territory):
    return is_correspondent_of(user, territory) or is_team(user)


@login_required
def action_list(request, code):
    territory = space_territory(request, code)
    actions = Action.objects.filter(territory=territory).select_related("author").prefetch_related("services")
    if not manages(request.user, territory):
        actions = actions.filter(author=request.user)
    return render(request, "actions/list.html", {
        "territory": territory, "actions": actions.order_by("state", "-updated_at"),
        "manages": manages(request.user, territory),
    })


@login_required
def action_create(request, code):
    territory = space_territory(request, code)
    form = ActionForm(request.POST or None)
    people = PersonFormSet(request.POST or None, prefix="people")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        form.instance.territory = territory
        state = rules.DRAFT if manages(request.user, territory) else rules.PROPOSED
        with transaction.atomic():  # the sheet and its journal entry, together or not at all
            action = editing.save(form, people, request.user, state=state)
            record(request.user, f"action créée : {action.title}", territory=territory)
        if state == rules.PROPOSED:
            messages.success(request, "Action proposée : les correspondants de la collectivité la relisent avant publication.")
        else:
            messages.success(request, "Action enregistrée en brouillon. Publiez-la quand elle est prête.")
        return redirect("actions:edit", code=territory.code, pk=action.pk)
    return render(request, "actions/edit.html", {"territory": territory, "form": form, "people": people, "action": None})


def editable_action(request, code, pk):
    territory = space_territory(request, code)
    action = get_object_or_404(Action.objects.select_related("territory"), pk=pk, territory=territory)
    if not test_rule("action.edit", request.user, action):
        raise Http404("Action introuvable.")
    return territory, action


@login_required
def action_edit(request, code, pk):
    territory, action = editable_action(request, code, pk)
    form = ActionForm(request.POST or None, instance=action)
    people = PersonFormSet(request.POST or None, instance=action, prefix="people")
    conflict = None
    if request.method == "POST" and form.is_valid() and people.is_valid():
        # A refused proposal that its author corrects goes back to moderation.
        resubmitted = action.state == rules.REFUSED and not manages(request.user, territory)
        result = editing.save(form, people, request.user, state=rules.PROPOSED if resubmitted else None)
        if isinstance(result, editing.Conflict):
            conflict = result
            form.data = form.data.copy()
            form.data["version"] = result.current.version  # saving again overwrites, knowingly
        else:
            messages.success(request, "Modifications enregistrées.")
            return redirect("actions:edit", code=territory.code, pk=action.pk)
    return render(request, "actions/edit.html", {
        "territory": territory, "form": form, "people": people, "action": action, "conflict": conflict,
        "image_form": ImageForm(), "images": action.images.all(),
        "can_publish": test_rule("action.publish", request.user, action),
    })


@login_required
@require_POST
def action_state(request, code, pk):
    """Publish, unpublish, or (moderation) refuse with a reason."""
    territory, action = editable_action(request, code, pk)
    if not test_rule("action.publish", request.user, action):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision == "publish":
        if not action.services.exists():
            messages.error(request, "Choisissez au moins un service avant de publier.")
            return redirect("actions:edit", code=territory.code, pk=action.pk)
        action.state, action.moderation_reason = rules.PUBLISHED, ""
        action.published_at = action.published_at or timezone.now()
        done = "Action publiée : elle est visible de tous."
    elif decision == "unpublish":
        action.state = rules.DRAFT
        done = "Action dépubliée : elle redevient un brouillon."
    elif decision == "refuse":
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Indiquez le motif du refus : il est montré à l'auteur.")
            return redirect("actions:edit", code=territory.code, pk=action.pk)
        action.state, action.moderation_reason = rules.REFUSED, form.cleaned_data["reason"]
        done = "Proposition refusée ; l'auteur voit le motif."
    else:
        messages.error(request, "Opération inconnue : choisissez publier, dépublier ou refuser.")
        return redirect("actions:edit", code=territory.code, pk=action.pk)
    action.moderated_by = request.user
    action.version += 1
    action.save()
    record(request.user, f"action {action.get_state_display()} : {action.title}", territory=territory)
    messages.success(request, done)
    return redirect("actions:edit", code=territory.code, pk=action.pk)


@login_required
@require_POST
def image_upload(request, code, pk):
    territory, action = editable_action(request, code, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        full, thumbnail, (width, height) = form.encoded
        with transaction.atomic():
            image = Image(action=action, alt=form.cleaned_data["alt"], width=width, height=height)
            image.file.save("image.jpg", full, save=False)
            image.thumbnail.save("vignette.jpg", thumbnail, save=False)
            image.save()
        messages.success(request, "Image ajoutée.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("actions:edit", args=[territory.code, action.pk]) + "#images")


@login_required
@require_POST
def image_delete(request, code, pk, image_pk):
    territory, action = editable_action(request, code, pk)
    image = get_object_or_404(Image, pk=image_pk, action=action)
    image.file.delete(save=False)
    image.thumbnail.delete(save=False)
    image.delete()
    messages.success(request, "Image supprimée.")
    return redirect(reverse("actions:edit", args=[territory.code, action.pk]) + "#images")


def action_page(request, pk):
    """The public page of a published action (drafts: their editors only)."""
    action = get_object_or_404(
        Action.objects.select_related("territory").prefetch_related(
            "services__usage__enjeu__axe", "people", "images", Prefetch("actors", queryset=Actor.objects.order_by("name"))
        ), pk=pk,
    )
    if not test_rule("action.view", request.user, action):
        raise Http404("Action introuvable.")
    services = list(action.services.all())
    return render(request, "actions/detail.html", {
        "action": action,
        "main_service": services[0] if services else None,
        "current_level": current_level(action.territory),
        "nearby": nearby(action, services) if action.is_published else [],
        "see_contacts": test_rule("action.see_contacts", request.user, action),
    })


NEARBY_COUNT = 6


def current_level(territory):
    return Label.objects.filter(territory=territory).order_by("-edition_id").values_list("arobases", flat=True).first()


def nearby(action, services):
    """Other territories' published actions for the same services, nearest first."""
    lat, lon = action.territory.lat, action.territory.lon
    others = (
        Action.objects.published().filter(pk__in=Action.services.through.objects.filter(
            service__slug__in=[s.slug for s in services]).values("action_id"))
        .exclude(territory_id=action.territory_id).select_related("territory")
    )
    if lat is not None and lon is not None:
        distance = ExpressionWrapper((F("territory__lat") - lat) ** 2 + (F("territory__lon") - lon) ** 2, output_field=FloatField())
        others = others.exclude(territory__lat=None).annotate(distance=distance).order_by("distance", "-published_at")
    else:
        others = others.order_by("-published_at")
    chosen, seen = [], set()
    for other in others[: NEARBY_COUNT * 5]:
        if other.territory_id not in seen:
            seen.add(other.territory_id)
            other.km = kilometres(lat, lon, other.territory.lat, other.territory.lon)
            chosen.append(other)
    return chosen[:NEARBY_COUNT]


def kilometres(lat1, lon1, lat2, lon2):
    """Great-circle distance, rounded to the kilometre (None without both points)."""
    if None in (lat1, lon1, lat2, lon2):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return round(2 * 6371 * math.asin(math.sqrt(min(1.0, a))))


def image_file(request, pk, image_pk, size):
    image = get_object_or_404(Image.objects.select_related("action"), pk=image_pk, action_id=pk)
    if not test_rule("action.view", request.user, image.action):
        raise Http404
    field = image.thumbnail if size == "vignette" else image.file
    try:
        response = FileResponse(field.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "public, max-age=86400" if image.action.is_published else "private, no-store"
    return response

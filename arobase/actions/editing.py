"""Saving an action sheet when two people may edit it at once.

Each sheet carries a version number. A save is accepted only if the sheet is still at
the version the editor opened; otherwise the editor is shown what the other person
changed, keeps everything typed, and decides (saving again overwrites knowingly).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import rules
from .forms import TEXT_FIELDS
from .models import Action

COMPARED = TEXT_FIELDS + ["links", "status", "started", "ended", "place_name", "address", "lat", "lon"]


@dataclass
class Conflict:
    current: Action
    changes: list  # (field label, value saved by the other person)


def save(form, people, user, state=None):
    """Save the form (and its people formset); return the action or a Conflict."""
    with transaction.atomic():
        action = form.instance
        if action.pk:
            stored = Action.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=action.pk)
            if form.cleaned_data.get("version") != stored.version:
                changes = [
                    (form.fields[name].label, getattr(stored, name))
                    for name in COMPARED
                    if getattr(stored, name) != form.cleaned_data.get(name)
                ]
                stored_services = set(stored.services.values_list("pk", flat=True))
                if stored_services != {s.pk for s in form.cleaned_data.get("services", [])}:
                    changes.append(("Services", ", ".join(stored.services.values_list("name", flat=True))))
                return Conflict(stored, changes)
            action.version = stored.version + 1
        else:
            action.author = user
        if state:
            action.state = state
            if state == rules.PUBLISHED and action.published_at is None:
                action.published_at = timezone.now()
        action.updated_by = user
        action = form.save()
        if people is not None:
            people.instance = action
            people.save()
        return action

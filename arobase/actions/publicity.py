"""Whether a write to an action, or to what hangs from it, can change a public page.

Only published actions are public. An action that is published, or was when it was
read from the database (it is being withdrawn), moves Atlaas's data version; a draft
or a proposal does not, however often it is saved.
"""

from . import rules


def was_or_is_published(action):
    return rules.PUBLISHED in (action.__dict__.get("state"), getattr(action, "_stored_state", None))


def shown_publicly(instance):
    """For an action, one of its people or images, or either side of its links to
    services and actors (from the other side, to be safe: yes)."""
    from .models import Action

    if isinstance(instance, Action):
        return was_or_is_published(instance)
    if not hasattr(instance, "action_id"):
        return True
    try:
        return was_or_is_published(instance.action)
    except Action.DoesNotExist:  # deleted with its action: the action's own delete said it
        return True

"""A member's space and a territory's space: where correspondents find their
territories, memberships, dossiers and tasks."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from rules import test_rule

from arobase.accounts import roles
from arobase.accounts.forms import InvitationForm
from arobase.accounts.models import Attachment, Invitation, Role
from arobase.accounts.permissions import territory_for
from arobase.accounts.tokens import INVITATION_MAX_AGE
from arobase.labels.models import Edition

from . import queries


@login_required
def space(request):
    """My space: my territories, pending requests, and my roles' tasks."""
    user = request.user
    attachments = Attachment.objects.filter(user=user).select_related("territory").order_by("status", "territory__name")
    territories = [a.territory for a in attachments if a.status == Attachment.APPROVED]
    years = queries.open_edition_years()
    context = {
        "attachments": [a for a in attachments if a.status != Attachment.APPROVED],
        "overview": queries.overview(territories, years),
        "roles": [label for kind, label in Role.KIND_CHOICES if kind in roles.role_kinds(user)],
        "is_team": roles.is_team(user),
        "is_local_actor": roles.has_role(user, Role.LOCAL_ACTOR),
        "actor_role": Role.objects.filter(user=user, kind=Role.LOCAL_ACTOR).select_related("territory").first(),
        "evaluates": test_rule("edition.evaluate", user),
        "open_years": years,
        "latest_year": Edition.objects.order_by("-year").values_list("year", flat=True).first(),
    }
    return render(request, "dossiers/space.html", context)


@login_required
def territory_space(request, code):
    territory = territory_for(request, code)
    correspondents = Attachment.objects.filter(territory=territory, status=Attachment.APPROVED).select_related("user")
    context = {
        "territory": territory,
        "correspondents": correspondents,
        "invitation_form": InvitationForm(),
        "overview": queries.overview([territory], queries.open_edition_years())[0],
        "can_invite": test_rule("space.invite", request.user, territory),
        "pending_invitations": Invitation.objects.filter(territory=territory, accepted_at__isnull=True, created_at__gte=timezone.now() - timedelta(seconds=INVITATION_MAX_AGE))
        .select_related("invited_by").order_by("-created_at") if test_rule("invitation.cancel", request.user, territory) else [],
    }
    return render(request, "dossiers/territory_space.html", context)

"""Who holds which role, and the rules between roles (DOMAIN.md, « Who takes part »).

A representative of a collectivité may never sit on the jury: a jury member cannot
become a correspondent, nor a correspondent a jury member. Each refusal is a French
sentence the interface shows as is.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from arobase.journal.records import record

from .models import Attachment, Role

CONSEIL_GROUP = "Conseil d'Orientation"
TEAM_GROUP = "Équipe de l'association"
TEAM_APPS = ["labels", "referential", "dossiers", "evaluation", "actions", "accounts", "territories", "journal"]
CONSEIL_MODELS = ["axe", "enjeu", "usage", "service", "mention", "criterion", "question"]


class RoleConflict(Exception):
    """A role that the label's rules forbid for this user; str() is the French reason."""


def has_role(user, kind):
    return user.is_authenticated and kind in role_kinds(user)


def role_kinds(user):
    """The user's roles, read once per request (cached on the user object)."""
    if not hasattr(user, "_role_kinds"):
        user._role_kinds = frozenset(Role.objects.filter(user=user).values_list("kind", flat=True))
    return user._role_kinds


def actor_territory_ids(user):
    """Territories where this user acts as a local actor (cached on the user)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_actor_territory_ids"):
        user._actor_territory_ids = frozenset(
            Role.objects.filter(user=user, kind=Role.LOCAL_ACTOR, territory__isnull=False).values_list("territory_id", flat=True)
        )
    return user._actor_territory_ids


def territory_ids(user):
    """Territories this user is an approved correspondent of (cached on the user)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_territory_ids"):
        user._territory_ids = frozenset(
            Attachment.objects.filter(user=user, status=Attachment.APPROVED).values_list("territory_id", flat=True)
        )
    return user._territory_ids


def is_team(user):
    """The association's staff: superusers and holders of the staff role."""
    return user.is_authenticated and user.is_active and (user.is_superuser or has_role(user, Role.STAFF))


def correspondent_refusal(user):
    if has_role(user, Role.JURY):
        return "Un membre du jury ne peut pas être correspondant d'une collectivité : le jury est indépendant des candidats."
    return None


def jury_refusal(user):
    if Attachment.objects.filter(user=user, status__in=[Attachment.PENDING, Attachment.APPROVED]).exists():
        return "Un correspondant d'une collectivité ne peut pas être membre du jury (il peut siéger au Conseil d'Orientation)."
    return None


@transaction.atomic
def grant(user, kind, by=None, territory=None, organisation=""):
    """Give `user` a role; RoleConflict when the rules forbid it."""
    if kind == Role.JURY and (refusal := jury_refusal(user)):
        raise RoleConflict(refusal)
    role, created = Role.objects.get_or_create(user=user, kind=kind, defaults={"territory": territory, "organisation": organisation})
    if kind in (Role.STAFF, Role.CONSEIL) and not user.is_staff:
        user.is_staff = True  # both work in the admin
        user.save(update_fields=["is_staff"])
    if kind == Role.CONSEIL:
        user.groups.add(conseil_group())
    if kind == Role.STAFF:
        user.groups.add(team_group())
    if created:
        record(by, f"rôle accordé : {role.get_kind_display()}", detail=user.email)
    user.__dict__.pop("_role_kinds", None)
    user.__dict__.pop("_actor_territory_ids", None)
    return role


def team_group():
    """The staff run the editions in the admin: every model of the platform's apps."""
    group, _ = Group.objects.get_or_create(name=TEAM_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=TEAM_APPS))
    return group


def conseil_group():
    """The Conseil d'Orientation edits the referential and the mentions in the admin."""
    group, _ = Group.objects.get_or_create(name=CONSEIL_GROUP)
    group.permissions.set(Permission.objects.filter(
        content_type__model__in=CONSEIL_MODELS, content_type__app_label__in=["referential", "labels", "evaluation", "dossiers"],
    ))
    return group


@transaction.atomic
def request_attachment(user, territory, function="", message=""):
    """Ask to become a correspondent of `territory`; staff decide."""
    if refusal := correspondent_refusal(user):
        raise RoleConflict(refusal)
    existing = Attachment.objects.filter(user=user, territory=territory, status__in=[Attachment.PENDING, Attachment.APPROVED]).first()
    if existing:
        raise RoleConflict(
            "Vous êtes déjà correspondant de ce territoire." if existing.status == Attachment.APPROVED
            else "Votre demande pour ce territoire est déjà en attente de validation."
        )
    attachment = Attachment.objects.create(user=user, territory=territory, function=function, message=message)
    record(user, "demande de rattachement", territory=territory, detail=function)
    return attachment


@transaction.atomic
def approve(attachment, by, reason=""):
    if refusal := correspondent_refusal(attachment.user):
        raise RoleConflict(refusal)
    _decide(attachment, Attachment.APPROVED, by, reason)
    record(by, "rattachement approuvé", territory=attachment.territory, detail=attachment.user.email)


@transaction.atomic
def refuse(attachment, by, reason):
    if not reason.strip():
        raise RoleConflict("Indiquez le motif du refus : il est envoyé au demandeur.")
    _decide(attachment, Attachment.REFUSED, by, reason)
    record(by, "rattachement refusé", territory=attachment.territory, detail=f"{attachment.user.email} : {reason}")


def _decide(attachment, status, by, reason):
    locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if locked.status != Attachment.PENDING:
        raise RoleConflict("Cette demande a déjà été traitée.")
    attachment.status, attachment.decided_by, attachment.decided_at, attachment.reason = status, by, timezone.now(), reason
    attachment.save(update_fields=["status", "decided_by", "decided_at", "reason"])


@transaction.atomic
def attach_directly(user, territory, by, verb="rattachement par invitation"):
    """An approved attachment without a staff decision: invitations and the demo."""
    if refusal := correspondent_refusal(user):
        raise RoleConflict(refusal)
    attachment = Attachment.objects.filter(user=user, territory=territory, status__in=[Attachment.PENDING, Attachment.APPROVED]).first()
    if attachment is None:
        attachment = Attachment(user=user, territory=territory)
    if attachment.status != Attachment.APPROVED:
        attachment.status, attachment.decided_by, attachment.decided_at = Attachment.APPROVED, by, timezone.now()
        attachment.save()
        record(by, verb, territory=territory, detail=user.email)
    user.__dict__.pop("_territory_ids", None)
    return attachment

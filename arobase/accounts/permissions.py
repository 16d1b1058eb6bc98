"""Who may do what with accounts and territories' spaces: the one place that decides.

Predicates from the `rules` package, registered as named rules that views, the API and
templates (`{% test_rule %}`) all call. The actions' and dossiers' rules live in their
own apps' permissions.py and build on these.
"""

import rules
from django.http import Http404

from arobase.territories.models import Territory
from arobase.territories.rules import COMMUNE, EPCI

from . import roles
from .models import Role


@rules.predicate
def is_team(user):
    return roles.is_team(user)


@rules.predicate
def is_correspondent_of(user, territory):
    return territory is not None and territory.pk in roles.territory_ids(user)


@rules.predicate
def is_network_member(user):
    """Someone the association knows: a role or an approved attachment to a territory.
    Anyone can sign up; that alone makes nobody a member."""
    return user.is_authenticated and bool(roles.role_kinds(user) or roles.territory_ids(user) or user.is_superuser)


@rules.predicate
def is_local_actor(user):
    return roles.has_role(user, Role.LOCAL_ACTOR)


@rules.predicate
def is_local_actor_of(user, territory):
    """A local actor proposes actions where they act, the territory of their role: not
    for any town of the country (docs/decisions.md)."""
    return territory is not None and territory.pk in roles.actor_territory_ids(user)


@rules.predicate
def is_evaluator(user):
    return roles.has_role(user, Role.EVALUATOR)


@rules.predicate
def is_jury(user):
    return roles.has_role(user, Role.JURY)


@rules.predicate
def is_conseil(user):
    return roles.has_role(user, Role.CONSEIL)


rules.add_rule("space.view", is_correspondent_of | is_team)  # a territory's space
rules.add_rule("space.invite", is_correspondent_of)  # invite a co-correspondent
rules.add_rule("invitation.cancel", is_correspondent_of | is_team)  # see and cancel pending invitations
rules.add_rule("attachment.decide", is_team)
rules.add_rule("edition.manage", is_team)  # /gestion/<year>/
rules.add_rule("edition.evaluate", is_evaluator | is_jury | is_team)  # /evaluation/<year>/
rules.add_rule("action.propose", is_local_actor_of | is_correspondent_of | is_team)


def territory_for(request, code):
    """The territory of a space URL, if the user may see its space; 404 otherwise
    (an outsider learns nothing, not even whether the space exists)."""
    territory = Territory.objects.filter(code=code[:9], kind__in=[COMMUNE, EPCI]).first()
    if territory is None or not rules.test_rule("space.view", request.user, territory):
        raise Http404("Espace introuvable.")
    return territory

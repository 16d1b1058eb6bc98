"""Who may see, edit, publish and moderate an action sheet: the one place that decides."""

import rules as predicates

from arobase.accounts.permissions import is_correspondent_of, is_local_actor, is_network_member, is_team

from . import rules


@predicates.predicate
def is_published(user, action):
    return action.state == rules.PUBLISHED


@predicates.predicate
def manages_territory(user, action):
    return is_correspondent_of(user, action.territory) or is_team(user)


@predicates.predicate
def is_author(user, action):
    return user.is_authenticated and action.author_id == user.pk


@predicates.predicate
def is_open_proposal(user, action):
    return action.state in (rules.PROPOSED, rules.REFUSED)


predicates.add_rule("action.view", is_published | manages_territory | is_author)
predicates.add_rule("action.edit", manages_territory | (is_author & is_local_actor & is_open_proposal))
predicates.add_rule("action.publish", manages_territory)
predicates.add_rule("action.moderate", manages_territory)
# Contact details of the people involved: members of the network only (a role or a
# territory: an account anyone can open is not enough), and only with their consent.
predicates.add_rule("action.see_contacts", is_network_member)


@predicates.predicate
def actor_consents(user, actor):
    return actor.consent


# A local actor's e-mail and phone: members only, and only with the actor's consent.
predicates.add_rule("actor.see_contacts", is_network_member & actor_consents)

"""Who may see and change memberships and dossiers: the one place that decides.

A territory's membership, invoice and dossier belong to its correspondents and to the
association's staff; nobody else ever sees them.
"""

import rules as predicates

from arobase.accounts.permissions import is_correspondent_of, is_team


@predicates.predicate
def is_correspondent_of_owner(user, obj):
    """obj is a Territory, a Membership or a Dossier."""
    territory = getattr(obj, "territory", obj)
    return is_correspondent_of(user, territory)


predicates.add_rule("membership.view", is_correspondent_of_owner | is_team)
predicates.add_rule("membership.join", is_correspondent_of_owner | is_team)
predicates.add_rule("membership.record_payment", is_team)
predicates.add_rule("dossier.view", is_correspondent_of_owner | is_team)
predicates.add_rule("dossier.edit", is_correspondent_of_owner)
predicates.add_rule("dossier.reopen", is_team)

"""Who may do what during the season: the one place that decides.

Whether the *phase* allows it is a separate question (phase_rules.allows); these rules say
who, and the conflict checks say with whom.
"""

import rules

from arobase.accounts.permissions import is_conseil, is_correspondent_of, is_evaluator, is_jury, is_team


@rules.predicate
def is_own_review(user, review):
    return review is not None and review.evaluator_id == user.pk


@rules.predicate
def is_correspondent_of_dossier(user, dossier):
    return is_correspondent_of(user, dossier.territory)


rules.add_rule("season.manage", is_team)  # phases, assignments, conflicts, publication, outbox
rules.add_rule("season.review", is_own_review)  # an evaluator's own assignment
rules.add_rule("season.deliberate", is_jury | is_team)
rules.add_rule("season.prepare", is_conseil | is_team)
rules.add_rule("season.declare", is_evaluator | is_jury)
rules.add_rule("season.appeal", is_correspondent_of_dossier)
rules.add_rule("season.certificate", is_correspondent_of_dossier | is_team)

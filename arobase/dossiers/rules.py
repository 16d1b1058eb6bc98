"""Membership and dossier rules, as plain functions (DOMAIN.md, « Membership », « The dossier »)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from num2words import num2words

DUE, PAID, WAIVED = "due", "payee", "exoneree"
MEMBERSHIP_STATUS_CHOICES = [(DUE, _("à régler")), (PAID, _("payée")), (WAIVED, _("exonérée"))]

DRAFT, SUBMITTED, REOPENED = "brouillon", "depose", "rouvert"
DOSSIER_STATE_CHOICES = [(DRAFT, _("brouillon")), (SUBMITTED, _("déposé")), (REOPENED, _("rouvert"))]

CATEGORY_CHOICES = [("village", _("village")), ("ville", _("ville")), ("territoire", _("territoire"))]


def invoice_number(year, sequence):
    """FA-2027-0001: the edition's year and a gapless rank."""
    return f"FA-{year}-{sequence:04d}"


def amount_in_words(amount):
    """1089.50 → « mille quatre-vingt-neuf euros et cinquante centimes »."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    euros, cents = int(amount), int((amount - int(amount)) * 100)
    words = f"{num2words(euros, lang='fr')} euro{'s' if euros > 1 else ''}"
    if cents:
        words += f" et {num2words(cents, lang='fr')} centime{'s' if cents > 1 else ''}"
    return words


def blocking_reasons(*, filing_refusal, action_count, missing_answers, ineligible_titles, membership, requires_payment):
    """What still prevents submitting a dossier, in French, in the order to fix it.
    An empty list means the dossier can be submitted."""
    reasons = []
    if filing_refusal:
        reasons.append(str(filing_refusal))
    if requires_payment and membership is None:
        reasons.append(str(_("Adhérez à l'association pour cette édition (rubrique Adhésion).")))
    elif requires_payment and not membership.is_settled:
        reasons.append(str(_("L'adhésion de cette édition doit être réglée avant le dépôt.")))
    if action_count == 0:
        reasons.append(str(_("Choisissez au moins une action.")))
    for title in ineligible_titles:
        reasons.append(str(_("L'action « %(title)s » ne compte pas pour cette édition : retirez-la.") % {"title": title}))
    for question in missing_answers:
        reasons.append(str(_("Répondez à la question : « %(question)s ».") % {"question": question}))
    return reasons


def mosaic(all_enjeux, covered_slugs):
    """The « mosaïque des enjeux »: every enjeu of the referential with whether the
    dossier's actions cover it, grouped by axe. `all_enjeux` is [(axe, [enjeu, …])]."""
    return [
        (axe, [(enjeu, enjeu.slug in covered_slugs) for enjeu in enjeux])
        for axe, enjeux in all_enjeux
    ]

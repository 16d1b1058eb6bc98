"""What the season adds to a candidate's dossier page (dossiers.page_extras): the
published result, the certificate and the appeal."""

from rules import test_rule

from arobase.labels.models import Label

from .. import appeals, publication
from ..models import Appeal


def dossier_page_context(request, edition, dossier, now):
    """The published result, the certificate and the appeal, once the edition is public."""
    if not edition.is_published or not dossier.pk:
        return {}
    return {
        "result": Label.objects.filter(edition=edition, territory=dossier.territory).prefetch_related("mentions", "prizes").first(),
        "appeal": Appeal.objects.filter(dossier=dossier).first(),
        "appeal_refusal": appeals.refusal(dossier, now),
        "appeal_deadline": publication.appeal_deadline(edition),
        "can_appeal": test_rule("season.appeal", request.user, dossier),
    }

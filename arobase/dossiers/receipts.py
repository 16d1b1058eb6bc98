"""The dossier's receipt: an e-mail with the summary in PDF, to the territory's
correspondents, sent once per submission.

The submission commits first, then the receipt leaves. When it cannot leave then (mail
server down, worker killed between the two), the dossier keeps `receipt_sent_at` empty
and `arobase season --url` sends it on its next run: a receipt may, rarely, arrive twice,
never not at all.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from arobase.accounts import emails

from . import filing, pdf, rules
from .models import Dossier

# A submission's own request sends its receipt within seconds: the scheduled retry waits
# this long so as not to send it a second time while that request is still at it.
RETRY_AFTER = timedelta(minutes=5)


def summary_context(dossier):
    """What the summary PDF shows: the dossier as its correspondents filed it."""
    chosen = list(dossier.actions.prefetch_related("services__usage__enjeu"))
    questions = filing.questions_for(dossier.edition, dossier.territory)
    return {
        "territory": dossier.territory,
        "edition": dossier.edition,
        "dossier": dossier,
        "questions": [(q, dossier.answers.get(str(q.pk), "")) for q in questions],
        "mosaic": filing.mosaic(dossier.edition, chosen),
    }


def summary_pdf(dossier):
    return pdf.render("dossiers/receipt_pdf.html", summary_context(dossier))


def file_name(dossier):
    return f"dossier-{dossier.territory.code}-{dossier.edition_id}.pdf"


def recipients(dossier):
    """The territory's correspondents; the one who submitted, if none is attached now."""
    from arobase.accounts.models import Attachment

    found = list(
        Attachment.objects.filter(territory=dossier.territory, status=Attachment.APPROVED).values_list("user__email", flat=True)
    )
    if not found and dossier.submitted_by_id:
        found = [dossier.submitted_by.email]
    return found


def send(dossier, base_url):
    """Send the receipt of this submission; True when it left. `base_url` is the site's
    address (https://host), for the link back to the dossier."""
    to = recipients(dossier)
    if not to:
        return False
    link = base_url.rstrip("/") + reverse("dossiers:dossier", args=[dossier.territory.code, dossier.edition_id])
    sent = emails.send("dossier_receipt", to, {"dossier": dossier, "link": link},
                       attachments=[(file_name(dossier), summary_pdf(dossier), "application/pdf")])
    if sent:
        # Only this submission's receipt: a dossier reopened and submitted again since
        # needs its own.
        Dossier.objects.filter(pk=dossier.pk, submitted_at=dossier.submitted_at).update(receipt_sent_at=timezone.now())
    return sent


def pending(now):
    """Submitted dossiers whose receipt has not left, once their request is long over."""
    return (
        Dossier.objects.filter(state=rules.SUBMITTED, receipt_sent_at__isnull=True)
        .filter(submitted_at__lte=now - RETRY_AFTER)
        .select_related("edition", "territory", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def send_pending(base_url, now):
    """Send every receipt still owed; returns (sent, failed, without a recipient). A
    dossier nobody can receive stays owed: its receipt leaves once a correspondent of
    the territory is attached."""
    sent = failed = nobody = 0
    for dossier in pending(now):
        if not recipients(dossier):
            nobody += 1
        elif send(dossier, base_url):
            sent += 1
        else:
            failed += 1
    return sent, failed, nobody

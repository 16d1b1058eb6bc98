"""Every e-mail is a template with a plain-text and an HTML part (templates/emails/)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


logger = logging.getLogger("arobase.email")


def send(name, to, context, attachments=()):
    """Render emails/<name>_subject.txt, <name>.txt and <name>.html and send them.
    `attachments` are (file name, bytes, MIME type) triples. A mail server that is down
    never undoes what the user did: the failure is logged and False returned."""
    context = {"site_name": "Arobase", **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to] if isinstance(to, str) else list(to),
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    for file_name, content, mime_type in attachments:
        message.attach(file_name, content, mime_type)
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("E-mail « %s » non envoyé à %s", name, to)
        return False
    return True

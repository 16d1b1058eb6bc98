"""The site's public address, given on the command line to commands run by cron: they
have no request to read it from, and write it into files and e-mails."""

import re
from urllib.parse import urlsplit

from django.core.management.base import CommandError

HOST = re.compile(r"(?:[\w-]+(?:\.[\w-]+)*|\[[0-9A-Fa-f:]+\])(?::[0-9]{1,5})?")


def site_url(text):
    """`https://host[:port]` without a path: absolute URLs are made by appending to it."""
    parts = urlsplit(text.strip())
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query or parts.fragment
            or not HOST.fullmatch(parts.netloc)):
        raise CommandError(f"Adresse du site invalide : « {text} ». Exemple : https://label.example.org")
    return f"{parts.scheme}://{parts.netloc.lower()}"

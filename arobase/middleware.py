"""Edge validation shared by every page and API endpoint."""

from urllib.parse import unquote

from django.http import HttpResponseBadRequest


class RejectNulBytesMiddleware:
    """A NUL byte in the URL is never a valid code or query (and PostgreSQL refuses it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest("Requête invalide : caractère nul dans l'adresse.", content_type="text/plain; charset=utf-8")
        return self.get_response(request)

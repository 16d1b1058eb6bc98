"""PDF documents (invoice, dossier receipt) from HTML templates, with WeasyPrint.

Nothing is fetched while rendering: the templates carry their own styles and the URL
fetcher refuses every URL, so a user's text can never make the server load anything.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"Ressource externe refusée dans un PDF : {url[:100]}")


def render(template_name, context):
    from weasyprint import HTML  # imported on use: it loads Pango, slow to start

    html = render_to_string(template_name, {"association": settings.ASSOCIATION, **context})
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf()


def response(template_name, context, file_name):
    """A private PDF shown in the browser (never cached: it holds a territory's data)."""
    answer = HttpResponse(render(template_name, context), content_type="application/pdf")
    answer["Content-Disposition"] = f'inline; filename="{file_name}"'
    answer["Cache-Control"] = "private, no-store"
    return answer

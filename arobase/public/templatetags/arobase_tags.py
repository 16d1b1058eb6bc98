from django import template
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def level(label):
    """@ glyphs with the number in text beside them: never the glyphs alone."""
    if label.hors_concours or label.arobases is None:
        return _("Hors concours")
    return format_html('<span class="level"><span class="glyphs" aria-hidden="true">{}</span> {} @</span>', "@" * label.arobases, label.arobases)


@register.filter
def percent_of(value, total):
    return round(100 * value / total) if total else 0


@register.simple_tag(takes_context=True)
def query_without(context, name):
    """The current query string without one parameter, for filter-removal links."""
    params = context["request"].GET.copy()
    params.pop(name, None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """The current page in another language: a plain link, so switching needs no cookie."""
    request = context.get("request")
    if not request:
        return "/"
    # A requested path may start with several slashes (//evil.example/…, a 404): read as
    # a URL, that is another host. Keep one slash so the link stays on this site.
    return translate_url("/" + request.get_full_path().lstrip("/"), language)

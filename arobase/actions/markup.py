"""User text in Markdown, turned into safe HTML: sanitised on output, every time."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4"}


def render(text):
    """Markdown to HTML with only harmless tags; links get rel="noopener nofollow"."""
    if not text:
        return ""
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow ugc",
    )
    return mark_safe(clean)  # noqa: S308  (cleaned by nh3 just above)

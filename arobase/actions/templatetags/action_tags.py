from django import template

from arobase.actions import markup

register = template.Library()


@register.filter
def markdown(text):
    """User Markdown as sanitised HTML."""
    return markup.render(text)

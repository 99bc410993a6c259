"""Template filters for group pages: sanitised Markdown."""

from django import template

from asmhub.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)

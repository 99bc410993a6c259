"""Template tags for navigation and for links that change one query parameter."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The four components, in the order the navigation shows them. A component appears once its
# app is installed and its URLs are included (its list view is named "<namespace>:list").
COMPONENTS = [
    ("resources:list", _("Library")),
    ("learning_groups:list", _("Learning groups")),
    ("dialogues:list", _("Dialogues")),
    ("outlooks:list", _("Outlooks")),
]


@register.simple_tag
def component_links():
    links = []
    for url_name, label in COMPONENTS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": label, "prefix_len": f":{len(url)}"})
    return links


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (None or "" removes them)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()

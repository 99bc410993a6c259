"""The library's search and facet parameters (the URL's state), as a django-filter FilterSet.

Facet values are matched against the denormalised `Resource.facets` tokens kept by
resources.search, so a filter never joins the taxonomy tables. Malformed values in a shared
or hand-edited URL are dropped rather than failing the page.
"""

import re

import django_filters
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from asmhub.glossary.selectors import expansions
from asmhub.validators import SearchTextField
from resources.search import exclusion_tokens, search_query

MAX_QUERY_LENGTH = 200
MAX_VALUES = 10

# Facet name in the URL → (token prefix, pattern a value must match).
FACETS = {
    "country": ("country", re.compile(r"^[A-Z]{2}$")),
    "commodity": ("commodity", re.compile(r"^[a-z0-9-]{1,50}$")),
    "theme": ("theme", re.compile(r"^[a-z0-9-]{1,50}$")),
    "type": ("type", re.compile(r"^[a-z-]{1,20}$")),
    "language": ("language", re.compile(r"^[a-z]{2,3}$")),
    "year": ("year", re.compile(r"^(19|20)[0-9]{2}$")),
    "tag": ("tag", re.compile(r"^[\w-]{1,100}$")),
}

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest")),
    ("title", _("Title")),
]


class FacetValuesField(forms.Field):
    """Repeated URL parameters (?country=TZ&country=PE); keeps the well-formed ones only."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, pattern, normalise=str.strip, **kwargs):
        self.pattern = pattern
        self.normalise = normalise
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        cleaned = []
        for item in value:
            item = self.normalise(str(item))
            if self.pattern.match(item) and item not in cleaned:
                cleaned.append(item)
        return cleaned[:MAX_VALUES]


class FacetFilter(django_filters.Filter):
    field_class = FacetValuesField


class LenientChoiceField(forms.ChoiceField):
    """An unknown choice falls back to "" (the default) instead of invalidating the search."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value in dict(self.choices) else ""

    def validate(self, value):
        pass


class ResourceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Words to look for"))
    country = FacetFilter(
        method="filter_country",
        label=_("Country"),
        pattern=FACETS["country"][1],
        normalise=lambda v: v.strip().upper(),
    )
    wider = django_filters.BooleanFilter(
        method="filter_nothing",
        label=_("Include regional and global resources"),
        widget=forms.CheckboxInput,
    )
    commodity = FacetFilter(
        method="filter_facet", label=_("Commodity"), pattern=FACETS["commodity"][1]
    )
    theme = FacetFilter(method="filter_facet", label=_("Theme"), pattern=FACETS["theme"][1])
    type = FacetFilter(method="filter_facet", label=_("Type"), pattern=FACETS["type"][1])
    language = FacetFilter(
        method="filter_facet", label=_("Language"), pattern=FACETS["language"][1]
    )
    year = FacetFilter(method="filter_facet", label=_("Year"), pattern=FACETS["year"][1])
    tag = FacetFilter(method="filter_facet", label=_("Tag"), pattern=FACETS["tag"][1])
    exact = django_filters.BooleanFilter(
        method="filter_nothing",
        label=_("Only the exact words (no glossary equivalents)"),
        widget=forms.CheckboxInput,
    )
    sort = django_filters.ChoiceFilter(
        method="filter_nothing",
        label=_("Sort by"),
        choices=SORT_CHOICES,
        empty_label=None,
    )

    class Meta:
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["sort"] = LenientChoiceField(
            choices=SORT_CHOICES, required=False, label=_("Sort by")
        )
        # Long input is cut, not refused; control characters (a NUL included) become spaces.
        self.form.fields["q"] = SearchTextField(required=False, label=_("Words to look for"))

    # ---------------------------------------------------------------- cleaned state
    @property
    def cleaned(self) -> dict:
        """The parameters after cleaning ({} for an unbound filterset)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    @property
    def query_text(self) -> str:
        return " ".join((self.cleaned.get("q") or "").split())[:MAX_QUERY_LENGTH]

    @cached_property
    def expansion(self):
        """Glossary equivalents of the terms in the words (none when `exact` is asked)."""
        if not self.query_text or self.cleaned.get("exact"):
            return []
        return expansions(self.query_text)

    @property
    def also_text(self) -> str:
        """The equivalents as websearch text, with the typed exclusions kept ("" if none)."""
        if not self.expansion:
            return ""
        texts = dict.fromkeys(e.text.lower() for e in self.expansion)  # once each
        words = " OR ".join(f'"{text}"' for text in texts)
        return " ".join([words, *exclusion_tokens(self.query_text)])

    @property
    def active_facets(self) -> dict[str, list[str]]:
        return {name: self.cleaned.get(name) or [] for name in FACETS if self.cleaned.get(name)}

    @property
    def sort_order(self) -> str:
        chosen = self.cleaned.get("sort") or ""
        if chosen == "relevance" and not self.query_text:
            chosen = ""
        return chosen or ("relevance" if self.query_text else "newest")

    # ---------------------------------------------------------------- filter methods
    def filter_q(self, queryset, name, value):
        text = self.query_text
        if not text:
            return queryset
        query = search_query(text)
        if self.also_text:  # matches the equivalents too; ranked below (resources.search)
            query = query | search_query(self.also_text)
        return queryset.filter(search_vector=query)

    def filter_country(self, queryset, name, value):
        for code in value:
            if self.cleaned.get("wider"):
                # About the country itself, or a region it is in, or the whole world.
                queryset = queryset.filter(
                    facets__overlap=[f"country:{code}", f"near:{code}", "global"]
                )
            else:
                queryset = queryset.filter(facets__contains=[f"country:{code}"])
        return queryset

    def filter_facet(self, queryset, name, value):
        prefix = FACETS[name][0]
        return (
            queryset.filter(facets__contains=[f"{prefix}:{v}" for v in value])
            if value
            else queryset
        )

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by the selector (sort) or by filter_country (wider)

"""The dialogue list's filters (country, theme, scope, year, status), all in the URL."""

import django_filters
from django.utils.translation import gettext_lazy as _

from asmhub.taxonomy.models import Country, Theme

from .models import Dialogue


class DialogueFilter(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.none(),  # set per visitor in __init__
        to_field_name="code",
        method="filter_country",
        empty_label=_("All countries"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_theme",
        empty_label=_("All themes"),
    )
    scope = django_filters.ChoiceFilter(
        label=_("Scope"), choices=Dialogue.Scope.choices, empty_label=_("Any scope")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        field_name="start_date__year",
        empty_label=_("Any year"),
        choices=[],
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Dialogue.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Dialogue
        fields = ["country", "theme", "scope", "year", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries and years of dialogues this visitor may see, so the choices never
        # reveal a restricted or unpublished record.
        visible = self.queryset.order_by().values("pk")
        self.filters["country"].queryset = Country.objects.filter(
            code__in=Dialogue.countries.through.objects.filter(dialogue__in=visible).values(
                "country_id"
            )
        )
        self.filters["year"].extra["choices"] = self._year_choices  # evaluated when rendered

    def _year_choices(self):
        years = self.queryset.order_by().dates("start_date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def filter_country(self, queryset, name, value):
        return queryset.for_country(value.code) if value else queryset

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        through = Dialogue.themes.through.objects.filter(theme=value).values("dialogue_id")
        return queryset.filter(pk__in=through)

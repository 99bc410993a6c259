"""Forms for writing, reviewing and comparing Outlooks; errors beside fields, input kept."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from asmhub.access import is_curator
from asmhub.taxonomy.models import Country
from learning_groups.models import Membership
from outlooks.models import Edition, IndicatorDefinition, IndicatorValue
from outlooks.services import VALUE_FIELDS
from resources.models import Resource

Kind = IndicatorDefinition.Kind


class EditionCreateForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["country", "year", "title", "summary"]

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["summary"].widget.attrs["rows"] = 4


class EditionDetailsForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class AuthorsForm(forms.Form):
    authors = forms.ModelMultipleChoiceField(
        label=_("Authors"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the country's learning group who may write this edition."),
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(group__country_id=edition.country_id)
        self.fields["authors"].queryset = (
            get_user_model()
            .objects.filter(pk__in=members.values("user_id"))
            .select_related("profile")
            .order_by("email")
        )
        self.fields["authors"].label_from_instance = lambda user: user.public_name


class SectionForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=60_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: **bold**, *italic*, lists with -, links as [text](https://…)."),
    )

    def __init__(self, *args, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        if correction:
            self.fields["change_note"] = ChangeNoteField()


class ChangeNoteField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Change note"),
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("This edition is published: the correction becomes a new revision."),
            error_messages={"required": _("Say what the correction changes and why.")},
            **kwargs,
        )


class IndicatorValueForm(forms.ModelForm):
    """One indicator's value; only the fields its kind takes are shown."""

    class Meta:
        model = IndicatorValue
        fields = list(VALUE_FIELDS)
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "text_value": forms.Textarea(attrs={"rows": 4}),
            "yes_no": forms.RadioSelect(choices=[(True, _("Yes")), (False, _("No"))]),
            "confidence": forms.RadioSelect,
        }

    def __init__(self, *args, edition, indicator, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.edition = edition
        self.instance.indicator = indicator
        drop = set()
        if indicator.is_numeric:
            drop |= {"text_value", "yes_no"}
            if not indicator.gender_breakdown:
                drop |= {"women", "men"}
        else:
            drop |= set(IndicatorValue.NUMERIC_FIELDS)
            drop.add("text_value" if indicator.kind == Kind.YES_NO else "yes_no")
        for name in drop:
            del self.fields[name]
        unit = "%" if indicator.kind == Kind.PERCENTAGE else indicator.unit
        for name in IndicatorValue.NUMERIC_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
                if unit:
                    field.label = f"{field.label} ({unit})"
        if "yes_no" in self.fields:
            self.fields["yes_no"] = forms.NullBooleanField(
                label=_("Answer"),
                widget=forms.RadioSelect(choices=[("true", _("Yes")), ("false", _("No"))]),
            )
        resources = Resource.objects.published().for_country(edition.country_id, include_wider=True)
        self.fields["source_resource"].queryset = resources.order_by("title")
        self.fields["confidence"].choices = IndicatorValue.Confidence.choices
        if correction:
            self.fields["change_note"] = ChangeNoteField()

    def value_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "change_note"}


class ReviewForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments for the authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you return the edition; shown to its authors."),
    )


class CompareForm(forms.Form):
    indicator = forms.MultipleChoiceField(
        label=_("Indicators"), widget=forms.CheckboxSelectMultiple, required=False
    )
    country = forms.MultipleChoiceField(
        label=_("Countries"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, indicators, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_objects = {i.code: i for i in indicators}
        self.country_objects = {c.code: c for c in countries}
        self.fields["indicator"].choices = [(i.code, str(i)) for i in indicators]
        self.fields["country"].choices = [(c.code, c.name) for c in countries]

    def chosen(self) -> tuple[list, list]:
        """The known indicators and countries asked for; unknown codes in a shared link are
        ignored rather than failing the whole comparison."""
        if not self.is_bound:
            return [], []
        codes = set(self.data.getlist("indicator"))
        countries = {code.upper() for code in self.data.getlist("country")}
        return (
            [i for code, i in self.indicator_objects.items() if code in codes],
            [c for code, c in self.country_objects.items() if code in countries],
        )


def coordinator_countries(user):
    if is_curator(user):
        return Country.objects.all()
    return Country.objects.filter(
        learning_groups__memberships__user=user,
        learning_groups__memberships__role=Membership.Role.COORDINATOR,
    ).distinct()

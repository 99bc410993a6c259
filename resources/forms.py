"""The submission form: a resource's metadata plus several files, each with its language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from asmhub.taxonomy.models import Language
from asmhub.uploads import check_upload
from resources.doi import normalise_doi
from resources.models import Resource
from resources.services import NewFile, check_tags

FILE_SLOTS = 3


class ResourceForm(forms.ModelForm):
    external_url = forms.URLField(
        label=_("External link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address starting with http:// or https://.")},
        help_text=_(
            "A web page where the resource can be read, if it is not uploaded here. "
            "It must start with http:// or https://."
        ),
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "summary",
            "resource_type",
            "authors",
            "organisation",
            "year",
            "languages",
            "scope",
            "countries",
            "regions",
            "commodities",
            "themes",
            "tags",
            "licence",
            "external_url",
            "doi",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "countries": forms.SelectMultiple(attrs={"size": 8}),
            "regions": forms.SelectMultiple(attrs={"size": 4}),
            "commodities": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "languages": forms.SelectMultiple(attrs={"size": 5}),
            "year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "tags": _("Free keywords, separated by commas."),
            "countries": _("Hold Ctrl (Cmd on a Mac) to choose several."),
        }

    def __init__(self, *args, has_files=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_files = has_files
        self.fields["title"].error_messages["required"] = _("Give the resource a title.")
        self.fields["summary"].error_messages["required"] = _(
            "Write a short summary: what the resource is about and who it is for."
        )

    def clean_doi(self):
        return normalise_doi(self.cleaned_data.get("doi", ""))

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_tags(self):
        return check_tags(self.cleaned_data.get("tags") or [])

    def service_data(self) -> dict:
        """The cleaned values the services take (tags go separately)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "tags"}


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG or JPEG."),
    )
    language = forms.ModelChoiceField(
        label=_("Language of this file"), queryset=Language.objects.all(), required=False
    )
    label = forms.CharField(
        label=_("Label"),
        max_length=120,
        required=False,
        help_text=_("e.g. Full report, Annex, Summary"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set when another part of the form failed: the browser will not send this file again.
        self.choose_again = ""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # The result goes to the service with the file (new_file), which then need not read it
        # again: each upload is inspected once per request.
        self.checked = check_upload(upload) if upload else None
        return upload

    def new_file(self) -> NewFile | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return NewFile(
            upload=upload,
            language=self.cleaned_data.get("language"),
            label=self.cleaned_data.get("label", ""),
            checked=getattr(self, "checked", None),
        )


FileFormSet = forms.formset_factory(FileForm, extra=FILE_SLOTS, max_num=10, absolute_max=10)


class RemoveFilesForm(forms.Form):
    """On the edit page: which of the files already uploaded to take away."""

    remove = forms.ModelMultipleChoiceField(
        label=_("Remove these files"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = resource.files.all()


def mark_files_to_choose_again(formset) -> list[str]:
    """After a failed submission, note each accepted file the person must choose again."""
    names = []
    for form in formset.forms:
        upload = form.files.get(form.add_prefix("file"))
        if upload and not form.errors.get("file"):
            form.choose_again = upload.name
            names.append(upload.name)
    return names

"""Pages of one resource and of submitting: submit, my submissions, edit, detail, downloads,
citations. (Browsing and search live in views_browse.)"""

import json

from allauth.account.utils import has_verified_email
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from asmhub.uploads import download_response
from resources.citations import bibtex, citation_key, ris, schema_org
from resources.forms import FileFormSet, RemoveFilesForm, ResourceForm, mark_files_to_choose_again
from resources.lookups import (
    access_resource,
    access_resource_file,
    access_resource_for_edit,
    resources_related,
    resources_submitted_by,
)
from resources.services import resource_record_download, resource_submit, resource_update

# JSON inside <script> must not be able to close the element: the same escapes as json_script.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _attach_errors(form, error: ValidationError) -> None:
    """Service errors go beside the field they concern (or at the top of the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _verified_or_explain(request):
    if has_verified_email(request.user):
        return None
    return render(request, "resources/verify_email.html", status=403)


def _new_files(formset) -> list:
    return [new for form in formset.forms if (new := form.new_file()) is not None]


@login_required
def submit(request):
    if (refusal := _verified_or_explain(request)) is not None:
        return refusal
    form = ResourceForm(request.POST or None)
    formset = FileFormSet(request.POST or None, request.FILES or None, prefix="files")
    choose_again = []
    if request.method == "POST":
        form_ok, files_ok = form.is_valid(), formset.is_valid()
        if form_ok and files_ok:
            try:
                resource = resource_submit(
                    submitted_by=request.user,
                    data=form.service_data(),
                    files=_new_files(formset),
                    tags=form.cleaned_data["tags"],
                )
            except ValidationError as error:
                _attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you: “%(title)s” has been sent for review.") % {"title": resource},
                )
                return redirect("resources:mine")
        choose_again = mark_files_to_choose_again(formset)
    context = {"form": form, "formset": formset, "choose_again": choose_again}
    return render(request, "resources/submit.html", context)


@login_required
def edit(request, slug):
    resource = access_resource_for_edit(user=request.user, slug=slug)
    form = ResourceForm(request.POST or None, instance=resource)
    formset = FileFormSet(request.POST or None, request.FILES or None, prefix="files")
    remove_form = RemoveFilesForm(request.POST or None, resource=resource, prefix="existing")
    choose_again = []
    if request.method == "POST":
        valid = [form.is_valid(), formset.is_valid(), remove_form.is_valid()]
        if all(valid):
            try:
                resource_update(
                    actor=request.user,
                    resource=resource,
                    data=form.service_data(),
                    files=_new_files(formset),
                    remove_files=remove_form.cleaned_data["remove"],
                    tags=form.cleaned_data["tags"],
                )
            except ValidationError as error:
                _attach_errors(form, error)
            else:
                messages.success(request, _("Your changes have been saved."))
                return redirect("resources:mine")
        choose_again = mark_files_to_choose_again(formset)
    context = {
        "form": form,
        "formset": formset,
        "remove_form": remove_form,
        "resource": resource,
        "choose_again": choose_again,
    }
    return render(request, "resources/submit.html", context)


@login_required
@require_GET
def mine(request):
    submissions = resources_submitted_by(user=request.user)
    return render(request, "resources/mine.html", {"submissions": submissions})


@require_GET
def detail(request, slug):
    resource = access_resource(user=request.user, slug=slug, detail=True)
    url = request.build_absolute_uri(resource.get_absolute_url())
    files = list(resource.files.all())
    json_ld = json.dumps(schema_org(resource, url=url, files=files), ensure_ascii=False)
    context = {
        "resource": resource,
        "files": files,
        "related": resources_related(resource=resource) if resource.is_published else [],
        "canonical_url": url,
        # Escaped like json_script; a JSON-LD data block is not a script, so the CSP allows it.
        "json_ld": mark_safe(json_ld.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308
    }
    return render(request, "resources/detail.html", context)


@require_GET
def download(request, slug, file_id=None):
    """A file of a resource, counted, always as an attachment (never rendered by a browser)."""
    file = access_resource_file(user=request.user, slug=slug, file_id=file_id)
    resource_record_download(resource=file.resource)
    return download_response(
        field_file=file.file, filename=file.download_name, content_type=file.content_type
    )


def _citation(request, slug, *, body, content_type, extension):
    resource = access_resource(user=request.user, slug=slug)
    url = request.build_absolute_uri(resource.get_absolute_url())
    response = HttpResponse(body(resource, url=url), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation_key(resource)}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def cite_bibtex(request, slug):
    return _citation(
        request,
        slug,
        body=bibtex,
        content_type="application/x-bibtex; charset=utf-8",
        extension="bib",
    )


@require_GET
def cite_ris(request, slug):
    return _citation(
        request,
        slug,
        body=ris,
        content_type="application/x-research-info-systems; charset=utf-8",
        extension="ris",
    )

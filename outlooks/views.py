"""Outlooks pages: the overview, an edition, the author's editor, review, comparison, exports."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outlooks import exports, rules, selectors, services
from outlooks.charts import SERIES, bar_chart, compare_rows_html, line_chart
from outlooks.formatting import format_value
from outlooks.forms import (
    AuthorsForm,
    CompareForm,
    EditionCreateForm,
    EditionDetailsForm,
    IndicatorValueForm,
    ReviewForm,
    SectionForm,
    coordinator_countries,
)
from outlooks.models import IndicatorDefinition, IndicatorValue, SectionDefinition, SectionText


def _revision_number(request) -> int | None:
    raw = request.GET.get("revision")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as error:
        raise Http404 from error


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def edition_list(request):
    context = selectors.edition_list(user=request.user)
    context["can_create"] = (
        request.user.is_authenticated and coordinator_countries(request.user).exists()
    )
    return render(request, "outlooks/edition_list.html", context)


@login_required
def edition_create(request):
    countries = coordinator_countries(request.user)
    if not countries.exists():
        raise Http404
    form = EditionCreateForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The draft edition is created."))
            return redirect("outlooks:edit", edition.country_id, edition.year)
    return render(request, "outlooks/edition_create.html", {"form": form})


def edition_detail(request, country_code, year):
    edition = rules.access_edition(user=request.user, country_code=country_code, year=year)
    if country_code != edition.country_id:
        return redirect(edition, permanent=True)
    context = selectors.edition_page(
        user=request.user, edition=edition, revision_number=_revision_number(request)
    )
    context["review_form"] = ReviewForm()
    return render(request, "outlooks/edition_detail.html", context)


def _editable_edition(request, country_code, year, *, allow_correction=False):
    """The edition, if this user may write it now (or correct it, as a curator); else 404."""
    edition = rules.access_edition(
        user=request.user, country_code=country_code, year=year, for_write=True
    )
    if rules.can_edit(request.user, edition):
        return edition, False
    if allow_correction:
        return edition, True  # access_edition allowed it: a curator correcting
    raise Http404


@login_required
def edition_edit(request, country_code, year):
    edition, _correction = _editable_edition(request, country_code, year)
    details = EditionDetailsForm(
        request.POST if request.POST.get("form") == "details" else None, instance=edition
    )
    may_name = rules.can_name_authors(request.user, edition)
    authors = None
    if may_name:
        authors = AuthorsForm(
            request.POST if request.POST.get("form") == "authors" else None,
            edition=edition,
            initial={"authors": list(edition.authors.all())},
        )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "details" and details.is_valid():
                services.edition_update(
                    actor=request.user,
                    edition=edition,
                    title=details.cleaned_data["title"],
                    summary=details.cleaned_data["summary"],
                )
                messages.success(request, _("The edition's details are saved."))
                return redirect("outlooks:edit", edition.country_id, edition.year)
            if authors is not None and request.POST.get("form") == "authors" and authors.is_valid():
                services.edition_set_authors(
                    actor=request.user, edition=edition, authors=authors.cleaned_data["authors"]
                )
                messages.success(request, _("The authors are saved."))
                return redirect("outlooks:edit", edition.country_id, edition.year)
        except ValidationError as error:
            _add_errors(authors if request.POST.get("form") == "authors" else details, error)
    context = selectors.edition_editor(edition=edition)
    context.update({"edition": edition, "details_form": details, "authors_form": authors})
    return render(request, "outlooks/edition_edit.html", context)


@login_required
def section_edit(request, country_code, year, slug):
    edition, correction = _editable_edition(request, country_code, year, allow_correction=True)
    section = get_object_or_404(SectionDefinition, methodology_id=edition.methodology_id, slug=slug)
    text = SectionText.objects.filter(edition=edition, section=section).first()
    form = SectionForm(
        request.POST or None, initial={"body": text.body if text else ""}, correction=correction
    )
    if request.method == "POST" and form.is_valid():
        try:
            if correction:
                services.edition_correct(
                    actor=request.user,
                    edition=edition,
                    change_note=form.cleaned_data["change_note"],
                    sections={section: form.cleaned_data["body"]},
                )
            else:
                services.edition_update_section(
                    actor=request.user,
                    edition=edition,
                    section=section,
                    body=form.cleaned_data["body"],
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“%s” is saved.") % section.title)
            target = "outlooks:detail" if correction else "outlooks:edit"
            return redirect(target, edition.country_id, edition.year)
    context = {"edition": edition, "section": section, "form": form, "correction": correction}
    return render(request, "outlooks/section_edit.html", context)


@login_required
def indicator_edit(request, country_code, year, code):
    edition, correction = _editable_edition(request, country_code, year, allow_correction=True)
    indicator = get_object_or_404(
        IndicatorDefinition.objects.select_related("theme"),
        methodology_id=edition.methodology_id,
        code=code,
    )
    instance = IndicatorValue.objects.filter(edition=edition, indicator=indicator).first()
    form = IndicatorValueForm(
        request.POST or None,
        instance=instance,
        edition=edition,
        indicator=indicator,
        correction=correction,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if correction:
                services.edition_correct(
                    actor=request.user,
                    edition=edition,
                    change_note=form.cleaned_data["change_note"],
                    values={indicator: form.value_data()},
                )
            else:
                services.indicator_value_set(
                    actor=request.user, edition=edition, indicator=indicator, data=form.value_data()
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“%s” is saved.") % indicator.name)
            target = "outlooks:detail" if correction else "outlooks:edit"
            return redirect(target, edition.country_id, edition.year)
    context = {"edition": edition, "indicator": indicator, "form": form, "correction": correction}
    return render(request, "outlooks/indicator_edit.html", context)


@require_POST
@login_required
def edition_submit(request, country_code, year):
    edition, _correction = _editable_edition(request, country_code, year)
    try:
        services.edition_submit(actor=request.user, edition=edition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("outlooks:edit", edition.country_id, edition.year)
    messages.success(request, _("The edition is submitted for review."))
    return redirect(edition)


@require_POST
@login_required
def edition_review(request, country_code, year):
    """A curator returns the edition with comments, or publishes it."""
    edition = rules.access_edition(user=request.user, country_code=country_code, year=year)
    if not rules.can_review(request.user, edition):
        raise Http404
    form = ReviewForm(request.POST)
    form.is_valid()
    comments = form.cleaned_data.get("comments", "")
    try:
        if request.POST.get("action") == "publish":
            services.edition_publish(actor=request.user, edition=edition, comment=comments)
            messages.success(request, _("The edition is published."))
        else:
            services.edition_return(actor=request.user, edition=edition, comments=comments)
            messages.success(request, _("The edition is returned to its authors."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(edition)


# ---------------------------------------------------------------- exports


def edition_export(request, country_code, year, fmt):
    edition = rules.access_edition(user=request.user, country_code=country_code, year=year)
    page = selectors.edition_page(
        user=request.user, edition=edition, revision_number=_revision_number(request)
    )
    name = f"asm-outlook-{edition.country_id}-{edition.year}"
    if page["revision"] is not None and not page["is_latest"]:
        name += f"-r{page['revision'].number}"
    if fmt == "pdf":
        return exports.edition_pdf(request, page, filename=f"{name}.pdf")
    items = page["snapshot"]["indicators"]
    extra = {"country": edition.country_id, "year": edition.year}
    items = [{**extra, **item} for item in items]
    if fmt == "csv":
        return exports.csv_response(items, filename=f"{name}.csv")
    return exports.json_response(
        {
            "country": edition.country_id,
            "year": edition.year,
            "title": page["snapshot"]["title"],
            "methodology": page["snapshot"]["methodology"],
            "revision": page["revision"].number if page["revision"] else None,
            "status": edition.status,
            "indicators": items,
        },
        filename=f"{name}.json",
    )


# ---------------------------------------------------------------- comparison


# Bounds how long a renamed indicator or country can show its old name in the comparison.
COMPARE_CACHE_SECONDS = 600


def _comparison(request, *, read_values=True):
    choices = selectors.compare_choices()
    form = CompareForm(request.GET or None, **choices)
    indicators, countries = form.chosen()
    result = None
    if indicators and countries and read_values:
        result = selectors.compare(indicators=indicators, countries=countries)
    return form, indicators, countries, result


def _charts(result) -> None:
    for index, block in enumerate(result["blocks"]):
        indicator = block["indicator"]
        block["rows_html"] = compare_rows_html(block)
        if not indicator.is_numeric:
            continue
        bars = []
        for row in block["rows"]:
            latest = row["latest"]
            item = latest["item"] if latest else None
            bars.append(
                {
                    "label": row["country"].name,
                    "central": latest["central"] if latest else None,
                    "low": _dec(item, "low"),
                    "high": _dec(item, "high"),
                    "short": f"{format_value(item, with_unit=False)} ({latest['year']})"
                    if latest
                    else "",
                }
            )
        block["bar_chart"] = bar_chart(
            chart_id=f"bars-{index}",
            title=_("%(indicator)s: latest published value by country") % {"indicator": indicator},
            desc=_("Bars show each country's latest value; lines across a bar show its range."),
            bars=bars,
        )
        series = [
            {
                "label": row["country"].name,
                "points": [(c["year"], c.get("central")) for c in row["cells"] if c["has_edition"]],
            }
            for row in block["rows"]
            if sum(1 for c in row["cells"] if c["item"]) > 1
        ]
        if len(series) > SERIES:
            # Beyond eight lines the colours repeat and the chart stops being readable; the
            # table below it has every country.
            block["series_shown"], block["series_total"] = SERIES, len(series)
            series = series[:SERIES]
        if series:
            block["line_chart"] = line_chart(
                chart_id=f"series-{index}",
                title=_("%(indicator)s over time") % {"indicator": indicator},
                desc=_("One line per country with several editions; gaps are missing values."),
                years=result["years"],
                series=series,
            )


def _dec(item, key):
    return Decimal(item[key]) if item and item[key] is not None else None


def compare(request):
    form, indicators, countries, _result = _comparison(request, read_values=False)
    results_html = None
    if indicators and countries:
        # The comparison changes only when something is published or corrected, so its
        # rendering is cached under a key that includes the latest publication.
        key = selectors.compare_cache_key(
            indicators=indicators, countries=countries, language=get_language()
        )
        results_html = cache.get(key)
        if results_html is None:
            result = selectors.compare(indicators=indicators, countries=countries)
            _charts(result)
            results_html = render_to_string(
                "outlooks/_compare_results.html", {"result": result}, request=request
            )
            cache.set(key, results_html, COMPARE_CACHE_SECONDS)
        results_html = mark_safe(results_html)  # noqa: S308 - rendered by our template above
    context = {
        "form": form,
        "results_html": results_html,
        "chosen": bool(indicators and countries),
        "chosen_indicators": {i.code for i in indicators},
        "chosen_countries": {c.code for c in countries},
        "query": request.GET.urlencode(),
    }
    return render(request, "outlooks/compare.html", context)


def compare_export(request, fmt):
    _form, indicators, countries, _result = _comparison(request, read_values=False)
    items = selectors.compare_items(indicators=indicators, countries=countries)
    if fmt == "csv":
        return exports.csv_response(items, filename="asm-outlooks-comparison.csv")
    return exports.json_response(
        {
            "indicators": [i.code for i in indicators],
            "countries": [c.code for c in countries],
            "values": items,
        },
        filename="asm-outlooks-comparison.json",
    )

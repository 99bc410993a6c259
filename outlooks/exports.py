"""Outlooks exports: indicator data as CSV and JSON, an edition as a print-quality PDF."""

import csv
import io
import json

from django.http import HttpResponse
from django.template.loader import render_to_string

CSV_COLUMNS = [
    "country",
    "year",
    "code",
    "name",
    "unit",
    "kind",
    "value",
    "low",
    "high",
    "women",
    "men",
    "text",
    "yes_no",
    "data_year",
    "source_resource",
    "source_url",
    "source_citation",
    "confidence",
    "note",
]


def _download(response: HttpResponse, filename: str, *, inline=False) -> HttpResponse:
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_COLUMNS = ("name", "text", "source_resource", "source_citation", "note")


def _inert(text):
    """Spreadsheets run cells that start like a formula; authors' text must stay text."""
    if isinstance(text, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(items: list[dict], *, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for item in items:
        row = dict(item)
        if row.get("yes_no") is not None:
            row["yes_no"] = "yes" if row["yes_no"] else "no"
        for column in _TEXT_COLUMNS:
            row[column] = _inert(row.get(column))
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _download(response, filename)


def json_response(data: dict, *, filename: str) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _download(response, filename)


def render_pdf(html: str, *, base_url: str) -> bytes:
    # Imported here: WeasyPrint loads pango at import, which only PDF requests need.
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def edition_pdf(request, page: dict, *, filename: str) -> HttpResponse:
    html = render_to_string("outlooks/edition_pdf.html", page, request=request)
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    return _download(HttpResponse(pdf, content_type="application/pdf"), filename, inline=True)

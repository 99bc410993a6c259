"""A resource as a citation: BibTeX, RIS and CSL-JSON (for Zotero, Mendeley, EndNote, Pandoc),
schema.org, and the Highwire Press `citation_*` meta tags Google Scholar and Zotero read."""

import json
import re

from django.utils.text import slugify

from resources.models import Resource

_BIBTEX_TYPES = {
    Resource.Type.REPORT: "techreport",
    Resource.Type.POLICY_BRIEF: "techreport",
    Resource.Type.CASE_STUDY: "techreport",
    Resource.Type.ARTICLE: "article",
    Resource.Type.TOOLKIT: "manual",
    Resource.Type.TRAINING: "manual",
}
_RIS_TYPES = {
    Resource.Type.REPORT: "RPRT",
    Resource.Type.POLICY_BRIEF: "RPRT",
    Resource.Type.CASE_STUDY: "RPRT",
    Resource.Type.LEGISLATION: "BILL",
    Resource.Type.DATASET: "DATA",
    Resource.Type.MEDIA: "VIDEO",
    Resource.Type.ARTICLE: "NEWS",
    Resource.Type.TOOLKIT: "GEN",
    Resource.Type.TRAINING: "GEN",
}
_SCHEMA_TYPES = {
    Resource.Type.REPORT: "Report",
    Resource.Type.POLICY_BRIEF: "Report",
    Resource.Type.CASE_STUDY: "Report",
    Resource.Type.LEGISLATION: "Legislation",
    Resource.Type.DATASET: "Dataset",
    Resource.Type.TRAINING: "LearningResource",
    Resource.Type.TOOLKIT: "LearningResource",
    Resource.Type.MEDIA: "MediaObject",
    Resource.Type.ARTICLE: "NewsArticle",
}

# CSL 1.0.2 item types (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types)
_CSL_TYPES = {
    Resource.Type.REPORT: "report",
    Resource.Type.POLICY_BRIEF: "report",
    Resource.Type.CASE_STUDY: "report",
    Resource.Type.LEGISLATION: "legislation",
    Resource.Type.DATASET: "dataset",
    Resource.Type.MEDIA: "motion_picture",
    Resource.Type.ARTICLE: "article",
    Resource.Type.TOOLKIT: "document",
    Resource.Type.TRAINING: "document",
}

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bibtex_escape(value: str) -> str:
    value = " ".join(str(value).split())
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in value)


def _publisher(resource: Resource) -> str:
    return resource.organisation.name if resource.organisation else ""


def citation_key(resource: Resource) -> str:
    authors = resource.author_list
    first = slugify(authors[0].split()[-1]) if authors else ""
    word = next((w for w in slugify(resource.title).split("-") if len(w) > 3), "resource")
    return re.sub(r"[^a-z0-9]", "", f"{first}{resource.year or ''}{word}") or f"asmhub{resource.pk}"


def bibtex(resource: Resource, *, url: str) -> str:
    entry_type = _BIBTEX_TYPES.get(resource.resource_type, "misc")
    fields = [("title", resource.title)]
    if resource.author_list:
        fields.append(("author", " and ".join(resource.author_list)))
    if resource.year:
        fields.append(("year", str(resource.year)))
    if publisher := _publisher(resource):
        key = {"techreport": "institution", "manual": "organization"}.get(entry_type, "publisher")
        fields.append((key, publisher))
    if resource.doi:
        fields.append(("doi", resource.doi))
    fields.append(("url", url))
    fields.append(("note", str(resource.get_resource_type_display())))
    lines = [f"@{entry_type}{{{citation_key(resource)},"]
    lines += [f"  {name} = {{{_bibtex_escape(value)}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ris_line(tag: str, value) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def ris(resource: Resource, *, url: str) -> str:
    lines = [_ris_line("TY", _RIS_TYPES.get(resource.resource_type, "GEN"))]
    lines.append(_ris_line("TI", resource.title))
    lines += [_ris_line("AU", author) for author in resource.author_list]
    if resource.year:
        lines.append(_ris_line("PY", resource.year))
    if publisher := _publisher(resource):
        lines.append(_ris_line("PB", publisher))
    if resource.summary:
        lines.append(_ris_line("AB", resource.summary))
    lines += [_ris_line("KW", tag.name) for tag in resource.tags.all()]
    lines += [_ris_line("LA", language.name) for language in resource.languages.all()]
    if resource.doi:
        lines.append(_ris_line("DO", resource.doi))
    lines.append(_ris_line("UR", url))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def _csl_name(name: str) -> dict:
    """ "Family, Given" or "Given Family"; a single word (often an organisation) as a literal."""
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given} if given else {"literal": family}
    words = name.split()
    if len(words) < 2:
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def csl_item(resource: Resource, *, url: str) -> dict:
    """One CSL-JSON item (the format citeproc, Zotero and Pandoc read)."""
    item = {
        "id": citation_key(resource),
        "type": _CSL_TYPES.get(resource.resource_type, "document"),
        "title": resource.title,
        "URL": url,
        "genre": str(resource.get_resource_type_display()),
    }
    if resource.author_list:
        item["author"] = [_csl_name(name) for name in resource.author_list]
    if resource.year:
        item["issued"] = {"date-parts": [[resource.year]]}
    if publisher := _publisher(resource):
        item["publisher"] = publisher
    if resource.summary:
        item["abstract"] = resource.summary
    if resource.doi:
        item["DOI"] = resource.doi
    languages = [language.code for language in resource.languages.all()]
    if languages:
        item["language"] = languages[0]
    if tags := [tag.name for tag in resource.tags.all()]:
        item["keyword"] = ", ".join(tags)
    if resource.licence:
        item["license"] = resource.licence
    return item


def csl_json(resource: Resource, *, url: str) -> str:
    """A CSL-JSON document: a list holding the one item."""
    return json.dumps([csl_item(resource, url=url)], ensure_ascii=False, indent=2) + "\n"


def highwire_tags(resource: Resource, *, pdf_url: str = "") -> list[tuple[str, str]]:
    """(name, content) pairs of Highwire Press `citation_*` meta tags, in the order Google
    Scholar's inclusion guidelines show them (title, authors, date, then the rest)."""
    tags = [("citation_title", resource.title)]
    tags += [("citation_author", name) for name in resource.author_list]
    if resource.year:
        tags.append(("citation_publication_date", str(resource.year)))
    if publisher := _publisher(resource):
        tags.append(("citation_publisher", publisher))
        if _BIBTEX_TYPES.get(resource.resource_type) == "techreport":
            tags.append(("citation_technical_report_institution", publisher))
    tags += [("citation_language", language.code) for language in resource.languages.all()]
    if resource.doi:
        tags.append(("citation_doi", resource.doi))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags += [("citation_keywords", tag.name) for tag in resource.tags.all()]
    return tags


def schema_org(resource: Resource, *, url: str, files=()) -> dict:
    """schema.org metadata for search engines (rendered as JSON-LD on the detail page)."""
    data = {
        "@context": "https://schema.org",
        "@type": _SCHEMA_TYPES.get(resource.resource_type, "CreativeWork"),
        "name": resource.title,
        "description": resource.summary,
        "url": url,
        "author": [{"@type": "Person", "name": name} for name in resource.author_list],
        "inLanguage": [language.code for language in resource.languages.all()],
        "keywords": [tag.name for tag in resource.tags.all()],
        "about": [theme.name for theme in resource.themes.all()],
        "spatialCoverage": [
            {"@type": "Country", "name": country.name} for country in resource.countries.all()
        ],
    }
    if resource.year:
        data["datePublished"] = str(resource.year)
    if publisher := _publisher(resource):
        data["publisher"] = {"@type": "Organization", "name": publisher}
    if resource.licence:
        data["license"] = resource.licence
    if resource.doi:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": resource.doi,
            "url": resource.doi_url,
        }
    if files:
        data["encoding"] = [
            {"@type": "MediaObject", "encodingFormat": file.content_type, "contentSize": file.size}
            for file in files
        ]
    return {key: value for key, value in data.items() if value not in ([], "", None)}

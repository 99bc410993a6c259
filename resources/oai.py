"""OAI-PMH 2.0 provider (/oai/): the library's published resources as Dublin Core for
repository harvesters (BASE, CORE, OpenAIRE…). Table-driven: VERBS says which arguments each
verb takes; one function per verb builds its answer.

What the repository holds: every resource that was ever published (it has `published_at`).
A published one is a full record; one later withdrawn (or otherwise taken out of the public
library) stays as a deleted record, for ever (deletedRecord "persistent"), so harvesters
remove it. Nothing that was never published appears, not even as a header.

A record's datestamp is the last change of the resource row (`updated_at`), which every edit,
review decision or withdrawal moves forward; it may over-report changes (a curator's note),
never under-report them.

Lists are paged by keyset on (datestamp, id) in ascending order, carried in a signed,
expiring resumption token with the request's own arguments. Datestamps only ever grow, so a
record changed or published during a harvest moves to the end of the list: nothing that
existed when the harvest began is skipped, and the harvest ends with the current state.
(A write committed long after the moment it stamped could still land behind a cursor; the
services' transactions are short, so harvesters that overlap their `from` by a few minutes,
as most do, catch it.)
"""

import datetime as dt
import re
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Min, Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from asmhub.taxonomy.models import Commodity, Country, Theme
from resources.models import Resource, ResourceFile

PAGE_SIZE = 100
TOKEN_TTL = dt.timedelta(hours=24)
TOKEN_SALT = "resources.oai.resumption"  # noqa: S105 - a signing salt, not a secret
REPOSITORY_NAME = "ASM Hub library"

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

METADATA_FORMATS = {
    "oai_dc": {
        "schema": "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "metadataNamespace": OAI_DC_NS,
    }
}

# Verb → (required arguments, optional arguments, exclusive argument).
VERBS = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
}

# Set kinds: the prefix of the resource's facet token (resources.search) and the set name.
SET_KINDS = {
    "type": "Resource type",
    "country": "Country",
    "theme": "Theme",
    "commodity": "Commodity",
}

# DCMI Type vocabulary term for each resource type (dc:type carries it beside the label).
DCMI_TYPES = {
    Resource.Type.DATASET: "Dataset",
    Resource.Type.MEDIA: "MovingImage",
}

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
METADATA_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------- identity and dates


def namespace() -> str:
    """The repository's part of every identifier: the public host name (not the port)."""
    return urlsplit(settings.SITE_URL).hostname or "asmhub"


def oai_identifier(resource_id: int) -> str:
    # The primary key, not the slug: a curator may change a slug, never a record's identity.
    return f"oai:{namespace()}:resource/{resource_id}"


def _resource_id(identifier: str) -> int:
    prefix = f"oai:{namespace()}:resource/"
    rest = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    if not rest.isascii() or not rest.isdigit() or len(rest) > 18:
        raise OAIError("idDoesNotExist", "No record has this identifier.")
    return int(rest)


def datestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_date(value: str, *, end: bool) -> tuple[dt.datetime, str]:
    """A from/until argument as a bound, and its granularity. `until` is inclusive at its
    own granularity, so it becomes the exclusive start of the next day or second."""
    try:
        if DAY.match(value):
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
            return (day + dt.timedelta(days=1) if end else day), "day"
        if SECOND.match(value):
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            return (moment + dt.timedelta(seconds=1) if end else moment), "second"
    except (ValueError, OverflowError):
        pass
    raise OAIError("badArgument", f"“{value}” is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).")


# ---------------------------------------------------------------- what the repository holds


def repository():
    return Resource.objects.filter(published_at__isnull=False)


def _sets() -> list[tuple[str, str]]:
    """(setSpec, setName) of every set: the four kinds, then each value of each kind."""
    found = list(SET_KINDS.items())
    found += [
        (f"type:{value}", f"Resource type: {label}") for value, label in Resource.Type.choices
    ]
    found += [(f"country:{c.code}", f"Country: {c.name}") for c in Country.objects.order_by("code")]
    found += [(f"theme:{t.slug}", f"Theme: {t.name}") for t in Theme.objects.order_by("slug")]
    found += [
        (f"commodity:{c.slug}", f"Commodity: {c.name}") for c in Commodity.objects.order_by("slug")
    ]
    return found


def _in_set(queryset, spec: str):
    known = dict(_sets())
    if spec not in known:
        raise OAIError("noRecordsMatch", "There is no such set.")
    if spec in SET_KINDS:
        # Everything that has any value of this kind (facet tokens "kind:value").
        tokens = [s for s in known if s.startswith(f"{spec}:")]
        return queryset.filter(facets__overlap=tokens)
    return queryset.filter(facets__contains=[spec])


def _set_specs(resource: Resource) -> list[str]:
    return [token for token in resource.facets or [] if token.partition(":")[0] in SET_KINDS]


# ---------------------------------------------------------------- building responses


def _element(parent, tag: str, text=None, **attributes):
    node = etree.SubElement(parent, tag, {k: str(v) for k, v in attributes.items()})
    if text is not None:
        node.text = _xml_text(str(text))
    return node


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    # XML 1.0 cannot carry most control characters, whatever escaping: drop them.
    return _NOT_XML.sub("", text)


def _envelope(request, arguments: dict | None):
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    )
    _element(root, f"{{{OAI_NS}}}responseDate", datestamp(timezone.now()))
    _element(root, f"{{{OAI_NS}}}request", _base_url(request), **(arguments or {}))
    return root


def _base_url(request) -> str:
    return request.build_absolute_uri(reverse("oai"))


def _header(parent, resource: Resource):
    live = resource.status == Resource.Status.PUBLISHED
    header = _element(parent, f"{{{OAI_NS}}}header", **({} if live else {"status": "deleted"}))
    _element(header, f"{{{OAI_NS}}}identifier", oai_identifier(resource.pk))
    _element(header, f"{{{OAI_NS}}}datestamp", datestamp(resource.updated_at))
    for spec in _set_specs(resource):
        _element(header, f"{{{OAI_NS}}}setSpec", spec)
    return header


def _record(parent, resource: Resource, request):
    record = _element(parent, f"{{{OAI_NS}}}record")
    _header(record, resource)
    if resource.status == Resource.Status.PUBLISHED:
        metadata = _element(record, f"{{{OAI_NS}}}metadata")
        _dublin_core(metadata, resource, request)
    return record


def _dublin_core(parent, resource: Resource, request):
    root = etree.SubElement(
        parent, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    )
    languages = list(resource.languages.all())
    lang = {XML_LANG: languages[0].code} if len(languages) == 1 else {}

    def dc(name, value, **attributes):
        if value not in (None, ""):
            _element(root, f"{{{DC_NS}}}{name}", value, **attributes)

    dc("title", resource.title, **lang)
    for author in resource.author_list:
        dc("creator", author)
    for term in [*resource.themes.all(), *resource.commodities.all()]:
        dc("subject", term.name)
    for tag in resource.tags.all():
        dc("subject", tag.name)
    dc("description", resource.summary, **lang)
    dc("publisher", resource.organisation.name if resource.organisation else "")
    dc("date", resource.year)
    dc("type", DCMI_TYPES.get(resource.resource_type, "Text"))
    dc("type", resource.get_resource_type_display())
    for content_type in sorted({file.content_type for file in resource.files.all()}):
        dc("format", content_type)
    dc("identifier", request.build_absolute_uri(resource.get_absolute_url()))
    if resource.doi:
        dc("identifier", resource.doi_url)
    for file in resource.files.all():
        dc("identifier", request.build_absolute_uri(file.get_absolute_url()))
    for language in languages:
        dc("language", language.code)
    dc("relation", resource.external_url)
    for country in resource.countries.all():
        dc("coverage", country.name)
    dc("rights", resource.licence)


# ---------------------------------------------------------------- verbs


def identify(request, root, arguments):
    node = _element(root, f"{{{OAI_NS}}}Identify")
    earliest = repository().aggregate(first=Min("updated_at"))["first"]
    _element(node, f"{{{OAI_NS}}}repositoryName", REPOSITORY_NAME)
    _element(node, f"{{{OAI_NS}}}baseURL", _base_url(request))
    _element(node, f"{{{OAI_NS}}}protocolVersion", "2.0")
    _element(node, f"{{{OAI_NS}}}adminEmail", parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    _element(
        node,
        f"{{{OAI_NS}}}earliestDatestamp",
        datestamp(earliest) if earliest else "2020-01-01T00:00:00Z",
    )
    _element(node, f"{{{OAI_NS}}}deletedRecord", "persistent")
    _element(node, f"{{{OAI_NS}}}granularity", "YYYY-MM-DDThh:mm:ssZ")


def list_metadata_formats(request, root, arguments):
    if "identifier" in arguments:
        _get(_resource_id(arguments["identifier"]))
    node = _element(root, f"{{{OAI_NS}}}ListMetadataFormats")
    for prefix, spec in METADATA_FORMATS.items():
        fmt = _element(node, f"{{{OAI_NS}}}metadataFormat")
        _element(fmt, f"{{{OAI_NS}}}metadataPrefix", prefix)
        _element(fmt, f"{{{OAI_NS}}}schema", spec["schema"])
        _element(fmt, f"{{{OAI_NS}}}metadataNamespace", spec["metadataNamespace"])


def list_sets(request, root, arguments):
    if "resumptionToken" in arguments:
        # Every set is in the first answer: no token is ever issued for ListSets.
        raise OAIError("badResumptionToken", "ListSets issues no resumption tokens.")
    node = _element(root, f"{{{OAI_NS}}}ListSets")
    for spec, name in _sets():
        item = _element(node, f"{{{OAI_NS}}}set")
        _element(item, f"{{{OAI_NS}}}setSpec", spec)
        _element(item, f"{{{OAI_NS}}}setName", name)


def _records_queryset():
    return (
        repository()
        .defer("search_vector", "review_note")
        .select_related("organisation")
        .prefetch_related(
            "countries",
            "themes",
            "commodities",
            "languages",
            "tags",
            Prefetch("files", queryset=ResourceFile.objects.defer("text").order_by("pk")),
        )
    )


def _get(resource_id: int) -> Resource:
    resource = _records_queryset().filter(pk=resource_id).first()
    if resource is None:
        raise OAIError("idDoesNotExist", "No record has this identifier.")
    return resource


def get_record(request, root, arguments):
    resource = _get(_resource_id(arguments["identifier"]))
    _check_prefix(arguments["metadataPrefix"])
    node = _element(root, f"{{{OAI_NS}}}GetRecord")
    _record(node, resource, request)


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OAIError("cannotDisseminateFormat", f"This repository offers oai_dc, not “{prefix}”.")


def _list_state(verb: str, arguments: dict) -> dict:
    """The harvest's state: from the arguments (first page) or the resumption token."""
    if "resumptionToken" in arguments:
        try:
            state = signing.loads(
                arguments["resumptionToken"],
                salt=TOKEN_SALT,
                max_age=TOKEN_TTL.total_seconds(),
            )
        except signing.BadSignature as error:  # also SignatureExpired
            raise OAIError(
                "badResumptionToken", "The resumption token is invalid or has expired."
            ) from error
        if not isinstance(state, dict) or state.get("verb") != verb:
            raise OAIError("badResumptionToken", "This token belongs to another request.")
        return state
    _check_prefix(arguments["metadataPrefix"])
    state = {"verb": verb, "prefix": arguments["metadataPrefix"], "cursor": 0}
    bounds = {}
    for name in ("from", "until"):
        if name in arguments:
            moment, granularity = _parse_date(arguments[name], end=name == "until")
            bounds[name] = (moment, granularity)
            state[name] = moment.isoformat()
    if len({granularity for _moment, granularity in bounds.values()}) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if "from" in bounds and "until" in bounds and bounds["from"][0] >= bounds["until"][0]:
        raise OAIError("badArgument", "from must not be later than until.")
    if "set" in arguments:
        state["set"] = arguments["set"]
    return state


def _matching(state: dict, *, full: bool):
    # Headers need four columns; only full records read the metadata and its relations.
    queryset = (
        _records_queryset() if full else repository().only("id", "status", "updated_at", "facets")
    )
    if "from" in state:
        queryset = queryset.filter(updated_at__gte=dt.datetime.fromisoformat(state["from"]))
    if "until" in state:
        queryset = queryset.filter(updated_at__lt=dt.datetime.fromisoformat(state["until"]))
    if "set" in state:
        queryset = _in_set(queryset, state["set"])
    return queryset


def _list(request, root, arguments, *, verb: str, full: bool):
    state = _list_state(verb, arguments)
    matching = _matching(state, full=full)
    page = matching
    if "after" in state:
        moment, last_id = dt.datetime.fromisoformat(state["after"][0]), state["after"][1]
        # A row comparison is an index condition on (updated_at, id): a page deep into a
        # harvest costs what the first does, even when a bulk load gave thousands of rows
        # one timestamp. (Django has no public expression for it; values are parameters.)
        page = page.extra(  # noqa: S610
            where=["(resources_resource.updated_at, resources_resource.id) > (%s, %s)"],
            params=[moment, last_id],
        )
    # The page's ids first, from the (updated_at, id) index alone: joined to the organisation
    # the planner may misjudge the keyset's selectivity and sort every later row.
    ids = list(page.order_by("updated_at", "pk").values_list("pk", flat=True)[: PAGE_SIZE + 1])
    by_id = {resource.pk: resource for resource in matching.filter(pk__in=ids)}
    rows = [by_id[pk] for pk in ids if pk in by_id]
    if not rows:
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    if "size" not in state:
        state["size"] = len(rows) if not more else matching.order_by().count()
    node = _element(root, f"{{{OAI_NS}}}{verb}")
    for resource in rows:
        if full:
            _record(node, resource, request)
        else:
            _header(node, resource)
    cursor = state["cursor"]
    if more:
        state = {
            **state,
            "after": [rows[-1].updated_at.isoformat(), rows[-1].pk],
            "cursor": cursor + len(rows),
        }
        expires = timezone.now() + TOKEN_TTL
        _element(
            node,
            f"{{{OAI_NS}}}resumptionToken",
            signing.dumps(state, salt=TOKEN_SALT, compress=True),
            expirationDate=datestamp(expires),
            completeListSize=max(state["size"], cursor + len(rows) + 1),
            cursor=cursor,
        )
    elif "after" in state:
        # The last page of a list that was split: an empty token says it is complete.
        _element(
            node,
            f"{{{OAI_NS}}}resumptionToken",
            completeListSize=max(state["size"], cursor + len(rows)),
            cursor=cursor,
        )


def list_identifiers(request, root, arguments):
    _list(request, root, arguments, verb="ListIdentifiers", full=False)


def list_records(request, root, arguments):
    _list(request, root, arguments, verb="ListRecords", full=True)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


# ---------------------------------------------------------------- the endpoint


def _arguments(query) -> tuple[str, dict]:
    """The verb and its arguments, checked against VERBS (badVerb / badArgument)."""
    verbs = query.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    arguments = {}
    for key, values in query.lists():
        if key == "verb":
            continue
        if len(values) != 1:
            raise OAIError("badArgument", f"The argument {key} is repeated.")
        if key not in (*required, *optional, exclusive):
            raise OAIError("badArgument", f"{verb} does not take the argument {key}.")
        if not values[0] or _NOT_XML.search(values[0]) or len(values[0]) > 2000:
            raise OAIError("badArgument", f"The argument {key} has no usable value.")
        arguments[key] = values[0]
    for key, pattern in (("metadataPrefix", METADATA_PREFIX), ("set", SET_SPEC)):
        if key in arguments and not pattern.match(arguments[key]):
            raise OAIError("badArgument", f"The argument {key} is not well formed.")
    if exclusive and exclusive in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", f"{exclusive} must be the only argument.")
    else:
        missing = [name for name in required if name not in arguments]
        if missing:
            raise OAIError("badArgument", f"{verb} needs the argument {missing[0]}.")
    return verb, arguments


@csrf_exempt  # harvesters POST the same arguments (protocol section 3.1.1.2); nothing changes
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    query = request.POST if request.method == "POST" else request.GET
    try:
        verb, arguments = _arguments(query)
    except OAIError as error:
        # badVerb and badArgument: the request element carries no attributes (section 3.6).
        root = _envelope(request, None)
        _element(root, f"{{{OAI_NS}}}error", error.message, code=error.code)
        return _response(root)
    root = _envelope(request, {"verb": verb, **arguments})
    try:
        HANDLERS[verb](request, root, arguments)
    except OAIError as error:
        for child in root.findall(f"{{{OAI_NS}}}{verb}"):
            root.remove(child)
        if error.code == "badArgument":
            root.find(f"{{{OAI_NS}}}request").attrib.clear()
        _element(root, f"{{{OAI_NS}}}error", error.message, code=error.code)
    return _response(root)


def _response(root) -> HttpResponse:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    response = HttpResponse(body, content_type="text/xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response

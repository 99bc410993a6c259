"""The OAI-PMH 2.0 provider: every verb and error code, responses valid against the schemas
shipped in the repository, resumption while records are published, a full harvest by Sickle."""

import datetime as dt
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from resources import oai
from resources.models import Resource
from resources.search import resources_reindex
from tests.factories import CuratorFactory, ResourceFactory

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(oai.__file__).parent / "oai_schemas"
NS = {"o": oai.OAI_NS, "dc": oai.DC_NS, "oai_dc": oai.OAI_DC_NS}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "harvest.xsd")))


@pytest.fixture
def ask(client, schema):
    """GET /oai/ with these arguments; the response must validate against the XSD."""

    def ask(method="get", **params):
        response = getattr(client, method)(reverse("oai"), params)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        tree = etree.fromstring(response.content)
        schema.assertValid(tree)
        return tree

    return ask


def error_code(tree) -> str | None:
    node = tree.find("o:error", NS)
    return node.get("code") if node is not None else None


def make(n=1, **kwargs):
    resources = [ResourceFactory(**kwargs) for _ in range(n)]
    resources_reindex(resource_ids=[r.pk for r in resources])
    return resources


def identifiers(tree) -> list[str]:
    return [node.text for node in tree.iterfind(".//o:header/o:identifier", NS)]


# ---------------------------------------------------------------- Identify and friends


def test_identify(ask):
    first = make()[0]
    tree = ask(verb="Identify")
    identify = tree.find("o:Identify", NS)
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai/"
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == oai.datestamp(
        first.updated_at
    )
    assert tree.find("o:request", NS).get("verb") == "Identify"


def test_post_is_answered_like_get(ask):
    assert ask(method="post", verb="Identify").find("o:Identify", NS) is not None


def test_list_metadata_formats(ask):
    resource = make()[0]
    tree = ask(verb="ListMetadataFormats")
    assert tree.findtext(".//o:metadataPrefix", namespaces=NS) == "oai_dc"
    tree = ask(verb="ListMetadataFormats", identifier=oai.oai_identifier(resource.pk))
    assert tree.findtext(".//o:metadataPrefix", namespaces=NS) == "oai_dc"
    tree = ask(verb="ListMetadataFormats", identifier="oai:testserver:resource/999999")
    assert error_code(tree) == "idDoesNotExist"


def test_list_sets(ask):
    tree = ask(verb="ListSets")
    specs = [node.text for node in tree.iterfind(".//o:setSpec", NS)]
    for spec in ("type", "country", "theme", "commodity", "type:report", "country:TZ"):
        assert spec in specs
    assert any(spec.startswith("theme:") for spec in specs)
    assert any(spec.startswith("commodity:") for spec in specs)
    assert error_code(ask(verb="ListSets", resumptionToken="abc")) == "badResumptionToken"


# ---------------------------------------------------------------- records


def test_get_record_is_dublin_core(ask):
    resource = ResourceFactory(
        title="Gold & mercury", authors="Rosa Quispe; Ana Mamani", doi="10.1234/x", year=2023
    )
    resource.countries.set(["PE"])
    resource.tags.add("mercury")
    resources_reindex(resource_ids=[resource.pk])
    tree = ask(
        verb="GetRecord", identifier=oai.oai_identifier(resource.pk), metadataPrefix="oai_dc"
    )
    header = tree.find(".//o:header", NS)
    assert header.get("status") is None
    assert "country:PE" in [n.text for n in header.iterfind("o:setSpec", NS)]
    assert "type:report" in [n.text for n in header.iterfind("o:setSpec", NS)]
    dc = tree.find(".//oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == "Gold & mercury"
    assert [n.text for n in dc.iterfind("dc:creator", NS)] == ["Rosa Quispe", "Ana Mamani"]
    assert dc.findtext("dc:date", namespaces=NS) == "2023"
    assert dc.findtext("dc:coverage", namespaces=NS) == "Peru"
    ids = [n.text for n in dc.iterfind("dc:identifier", NS)]
    assert "http://testserver" + resource.get_absolute_url() in ids
    assert "https://doi.org/10.1234/x" in ids
    assert "mercury" in [n.text for n in dc.iterfind("dc:subject", NS)]


def test_withdrawn_resource_is_a_deleted_record(ask):
    resource = make()[0]
    resource.status = Resource.Status.WITHDRAWN
    resource.save()
    tree = ask(
        verb="GetRecord", identifier=oai.oai_identifier(resource.pk), metadataPrefix="oai_dc"
    )
    assert tree.find(".//o:header", NS).get("status") == "deleted"
    assert tree.find(".//o:metadata", NS) is None
    listed = ask(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert listed.find(".//o:header", NS).get("status") == "deleted"


@pytest.mark.parametrize("status", ["draft", "pending", "rejected"])
def test_never_published_resources_are_not_in_the_repository(ask, status):
    hidden = ResourceFactory(status=status, published_at=None, title="Secret draft")
    tree = ask(verb="GetRecord", identifier=oai.oai_identifier(hidden.pk), metadataPrefix="oai_dc")
    assert error_code(tree) == "idDoesNotExist"
    assert error_code(ask(verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"
    tree = ask(verb="ListMetadataFormats", identifier=oai.oai_identifier(hidden.pk))
    assert error_code(tree) == "idDoesNotExist"


def test_sets_filter_the_lists(ask):
    peru = make(2)
    for resource in peru:
        resource.countries.set(["PE"])
    make(3, resource_type="dataset")
    resources_reindex(resource_ids=[r.pk for r in peru])
    tree = ask(verb="ListIdentifiers", metadataPrefix="oai_dc", set="country:PE")
    assert sorted(identifiers(tree)) == sorted(oai.oai_identifier(r.pk) for r in peru)
    assert len(identifiers(ask(verb="ListRecords", metadataPrefix="oai_dc", set="type"))) == 5
    assert len(identifiers(ask(verb="ListRecords", metadataPrefix="oai_dc", set="country"))) == 2
    tree = ask(verb="ListRecords", metadataPrefix="oai_dc", set="type:dataset")
    assert len(identifiers(tree)) == 3
    tree = ask(verb="ListRecords", metadataPrefix="oai_dc", set="country:ZZ")
    assert error_code(tree) == "noRecordsMatch"


def test_from_and_until_at_both_granularities(ask):
    old, new = make(2)
    Resource.objects.filter(pk=old.pk).update(
        updated_at=dt.datetime(2024, 3, 1, 10, 0, 0, 500_000, tzinfo=dt.UTC)
    )
    Resource.objects.filter(pk=new.pk).update(
        updated_at=dt.datetime(2025, 6, 1, 9, 0, 0, tzinfo=dt.UTC)
    )

    def found(**bounds):
        tree = ask(verb="ListIdentifiers", metadataPrefix="oai_dc", **bounds)
        return error_code(tree) or [int(i.rsplit("/", 1)[1]) for i in identifiers(tree)]

    assert found(**{"from": "2025-01-01"}) == [new.pk]
    assert found(until="2024-03-01") == [old.pk]
    # until is inclusive at its granularity: 10:00:00Z includes 10:00:00.5.
    assert found(until="2024-03-01T10:00:00Z") == [old.pk]
    assert found(**{"from": "2024-03-01T10:00:01Z", "until": "2025-06-01T08:59:59Z"}) == (
        "noRecordsMatch"
    )
    datestamps = [
        n.text
        for n in ask(verb="ListIdentifiers", metadataPrefix="oai_dc").iterfind(".//o:datestamp", NS)
    ]
    assert datestamps == ["2024-03-01T10:00:00Z", "2025-06-01T09:00:00Z"]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Dance"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-06-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-01-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a b"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "x\x01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "a b"}, "badArgument"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:resource/1"},
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:testserver:resource/99999999999999999999",
            },
            "idDoesNotExist",
        ),
        ({"verb": "ListIdentifiers", "resumptionToken": "garbage"}, "badResumptionToken"),
        (
            {"verb": "ListIdentifiers", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
    ],
)
def test_error_codes(ask, params, code):
    make()
    tree = ask(**params)
    assert error_code(tree) == code
    if code in {"badVerb", "badArgument"}:
        assert dict(tree.find("o:request", NS).attrib) == {}


def test_get_record_in_another_format(ask):
    resource = make()[0]
    tree = ask(verb="GetRecord", identifier=oai.oai_identifier(resource.pk), metadataPrefix="mods")
    assert error_code(tree) == "cannotDisseminateFormat"


def _token(tree):
    node = tree.find(".//o:resumptionToken", NS)
    return node


def test_tokens_are_tied_to_their_verb_and_expire(ask, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    make(3)
    token = _token(ask(verb="ListRecords", metadataPrefix="oai_dc")).text
    assert error_code(ask(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    assert error_code(ask(verb="ListRecords", resumptionToken=token)) is None
    forged = signing.dumps({"verb": "ListRecords"}, salt="another")
    assert error_code(ask(verb="ListRecords", resumptionToken=forged)) == "badResumptionToken"
    later = timezone.now() + oai.TOKEN_TTL + dt.timedelta(minutes=1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert error_code(ask(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


# ---------------------------------------------------------------- resumption


def test_resumption_is_stable_while_records_are_published(ask, monkeypatch):
    """Pages of 3 over 7 records; between pages, two are published and one of the first
    page is edited. Nothing that existed is skipped; the new ones come at the end."""
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    existing = make(7)
    base = timezone.now() - dt.timedelta(days=1)
    for n, resource in enumerate(existing):
        Resource.objects.filter(pk=resource.pk).update(updated_at=base + dt.timedelta(seconds=n))
    curator = CuratorFactory()

    tree = ask(verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = identifiers(tree)
    token = _token(tree)
    assert token.get("cursor") == "0" and token.get("completeListSize") == "7"

    from resources.services import resource_publish

    pending = [ResourceFactory(status="pending", published_at=None) for _ in range(2)]
    for resource in pending:
        resource_publish(actor=curator, resource=resource)
    edited = Resource.objects.get(pk=existing[0].pk)
    edited.title = "Edited during the harvest"
    edited.save()

    while token is not None and token.text:
        tree = ask(verb="ListIdentifiers", resumptionToken=token.text)
        seen += identifiers(tree)
        token = _token(tree)
    assert token is not None and token.text is None  # the empty token closes the list
    expected = {oai.oai_identifier(r.pk) for r in [*existing, *pending]}
    assert set(seen) == expected
    # The edited record came again at the end, with its new datestamp; nothing else twice.
    assert seen.count(oai.oai_identifier(existing[0].pk)) == 2
    assert len(seen) == len(expected) + 1


def test_list_records_query_count_is_constant_per_page(
    client, monkeypatch, django_assert_max_num_queries
):
    """Guards against N+1: a page of 3 or of 30 records costs the same queries."""
    monkeypatch.setattr(oai, "PAGE_SIZE", 50)
    for count in (3, 30):
        Resource.objects.all().delete()
        for resource in make(count):
            resource.countries.set(["PE", "TZ"])
            resource.tags.add("a", "b")
        with django_assert_max_num_queries(10) as captured:
            client.get(reverse("oai"), {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        if count == 3:
            small = len(captured.captured_queries)
    assert len(captured.captured_queries) == small


@pytest.mark.django_db(transaction=True)
def test_full_harvest_with_sickle_equals_the_published_set(live_server, monkeypatch):
    from sickle import Sickle

    monkeypatch.setattr(oai, "PAGE_SIZE", 4)
    published = make(9)
    withdrawn = make(1)[0]
    Resource.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    ResourceFactory(status="pending", published_at=None)
    harvester = Sickle(live_server.url + "/oai/", max_retries=0)
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    live = {r.header.identifier for r in records if not r.header.deleted}
    deleted = {r.header.identifier for r in records if r.header.deleted}
    assert live == {oai.oai_identifier(r.pk) for r in published}
    assert deleted == {oai.oai_identifier(withdrawn.pk)}
    titles = {r.metadata["title"][0] for r in records if not r.header.deleted}
    assert titles == {r.title for r in published}


def test_records_sharing_a_datestamp_are_paged_by_id(ask, monkeypatch):
    """Bulk loads stamp many rows in the same instant: the keyset's id part pages them."""
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    same = make(7)
    Resource.objects.update(updated_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    tree = ask(verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = identifiers(tree)
    while (token := _token(tree)) is not None and token.text:
        tree = ask(verb="ListIdentifiers", resumptionToken=token.text)
        seen += identifiers(tree)
    assert seen == [oai.oai_identifier(r.pk) for r in sorted(same, key=lambda r: r.pk)]


def test_a_nul_in_the_request_is_refused_before_the_protocol(client):
    """The kernel refuses a NUL anywhere in a URL with 400 (asmhub.middleware), /oai/ too."""
    response = client.get(
        "/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "x\x00"}
    )
    assert response.status_code == 400

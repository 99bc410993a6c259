"""The read-only JSON API (/api/): what it serves, what it never serves (unpublished,
restricted, draft), conditional GETs, CORS, throttling, query counts and the docs page."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from rest_framework.throttling import AnonRateThrottle

from asmhub.taxonomy.models import Country, Theme
from dialogues.models import Dialogue, DialogueResource
from outlooks.models import Edition, IndicatorValue
from resources.models import Resource, ResourceFile
from resources.search import resources_reindex
from tests.dialogues.factories import DialogueFactory, ParticipationCountFactory
from tests.factories import CuratorFactory, ResourceFactory, UserFactory
from tests.outlooks.factories import EditionFactory, IndicatorDefinitionFactory

pytestmark = pytest.mark.django_db

SECRET = "zorbulated"  # a word only the hidden objects carry


@pytest.fixture(autouse=True)
def _no_throttle(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})


def seed_mixed_content() -> dict:
    """Published and hidden objects of every kind, the hidden ones carrying SECRET."""
    theme = Theme.objects.first()
    public = []
    for n in range(3):
        resource = ResourceFactory(title=f"Gold sluice study {n}", doi=f"10.1234/pub{n}")
        resource.countries.set(["TZ"])
        resource.themes.set([theme])
        resource.tags.add("mercury")
        ResourceFile.objects.create(
            resource=resource,
            file="r.pdf",
            original_name="r.pdf",
            content_type="application/pdf",
            size=10,
        )
        public.append(resource)
    hidden = []
    for status in ("draft", "pending", "rejected", "withdrawn"):
        resource = ResourceFactory(
            title=f"{SECRET} {status} gold sluice",
            summary=f"{SECRET} summary",
            status=status,
            published_at=None if status != "withdrawn" else dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        )
        resource.countries.set(["TZ"])
        resource.themes.set([theme])
        resource.tags.add(SECRET)
        hidden.append(resource)
    resources_reindex(resource_ids=[r.pk for r in public + hidden])

    dialogue = DialogueFactory(title="Open dialogue on concessions")
    dialogue.countries.set(["TZ"])
    ParticipationCountFactory(dialogue=dialogue)
    DialogueResource.objects.create(dialogue=dialogue, resource=public[0])
    DialogueResource.objects.create(dialogue=dialogue, resource=hidden[1], kind="output")
    restricted = DialogueFactory(title=f"{SECRET} restricted", visibility="restricted")
    unpublished = DialogueFactory(title=f"{SECRET} unpublished", is_published=False)

    indicator = IndicatorDefinitionFactory(code="asm-miners", name="ASM miners")
    published = EditionFactory(year=2025, status=Edition.Status.PUBLISHED)
    IndicatorValue.objects.create(
        edition=published, indicator=indicator, value=Decimal("1500000"), source_resource=hidden[1]
    )
    draft = EditionFactory(year=2026, status=Edition.Status.DRAFT, title=f"{SECRET} draft")
    IndicatorValue.objects.create(edition=draft, indicator=indicator, value=Decimal("999"))
    return {
        "public": public,
        "hidden": hidden,
        "dialogue": dialogue,
        "restricted": restricted,
        "unpublished": unpublished,
        "edition": published,
        "draft": draft,
    }


@pytest.fixture
def content():
    return seed_mixed_content()


def get(client, path, **params):
    response = client.get(path, params)
    return response


# ---------------------------------------------------------------- what is served


def test_resource_search_has_the_list_pages_parameters_and_facets(client, content):
    data = get(client, "/api/resources/", q="sluice", country="TZ").json()
    assert data["count"] == 3
    assert {r["slug"] for r in data["results"]} == {r.slug for r in content["public"]}
    facets = {group["name"]: group for group in data["facets"]}
    assert {"country", "theme", "tag"} <= set(facets)
    tag_values = {v["value"]: v["count"] for v in facets["tag"]["values"]}
    assert tag_values == {"mercury": 3}
    first = data["results"][0]
    assert first["api_url"].startswith("http://testserver/api/resources/")
    assert first["countries"] == [{"code": "TZ", "name": "Tanzania"}]


def test_resource_search_pages(client):
    ResourceFactory.create_batch(25)
    first = get(client, "/api/resources/").json()
    assert (first["count"], first["page"], first["pages"], len(first["results"])) == (25, 1, 2, 20)
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    slugs = {r["slug"] for r in first["results"]} | {r["slug"] for r in second["results"]}
    assert len(slugs) == 25


def test_resource_detail_has_files_download_links_and_citations(client, content):
    resource = content["public"][0]
    data = get(client, f"/api/resources/{resource.slug}/").json()
    assert data["doi"] == "10.1234/pub0"
    assert data["doi_url"] == "https://doi.org/10.1234/pub0"
    (file,) = data["files"]
    assert file["download_url"] == "http://testserver" + resource.files.get().get_absolute_url()
    assert data["citations"]["csl_json"].endswith(f"/resources/{resource.slug}/cite.json")
    assert data["tags"] == ["mercury"]


def test_countries_carry_published_outlook_values_only(client, content):
    data = get(client, "/api/countries/TZ/").json()
    assert [edition["year"] for edition in data["outlooks"]] == [2025]
    (value,) = data["outlooks"][0]["indicators"]
    assert value["code"] == "asm-miners"
    assert Decimal(value["value"]) == Decimal("1500000")
    assert value["source_resource"] is None  # its library source is not published
    assert get(client, "/api/countries/tz/").status_code == 200
    assert get(client, "/api/countries/XX/").status_code == 404


def test_dialogues_and_taxonomy(client, content):
    data = get(client, "/api/dialogues/").json()
    assert [d["slug"] for d in data["results"]] == [content["dialogue"].slug]
    (dialogue,) = data["results"]
    assert dialogue["participation"][0]["women"] == 3
    assert [r["slug"] for r in dialogue["resources"]] == [content["public"][0].slug]
    themes = get(client, "/api/taxonomy/themes/").json()
    assert themes["count"] == Theme.objects.count()
    assert get(client, "/api/taxonomy/languages/es/").json()["code"] == "es"


# ---------------------------------------------------------------- what is never served


def _every_answer(client, content) -> str:
    """The text of every list and detail answer, under every filter that could reach the
    hidden objects."""
    texts = []
    for params in (
        {},
        {"q": SECRET},
        {"q": f'"{SECRET}"'},
        {"tag": SECRET},
        {"country": "TZ"},
        {"country": "TZ", "wider": "1"},
        {"theme": Theme.objects.first().slug},
        {"sort": "title"},
        {"sort": "newest", "page": "2"},
    ):
        data = get(client, "/api/resources/", **params).json()
        data.pop("query")  # the search words echoed back
        texts.append(json.dumps(data))
    paths = (
        "/api/dialogues/",
        "/api/countries/",
        "/api/countries/TZ/",
        f"/api/dialogues/{content['dialogue'].slug}/",
    )
    texts += [get(client, path).content.decode() for path in paths]
    return "\n".join(texts)


@pytest.mark.parametrize("who", ["visitor", "submitter", "curator", "allowed"])
def test_no_hidden_object_leaks_through_any_endpoint_or_filter(client, content, who):
    """Whoever asks, signed in or not, the API serves only what a visitor may see."""
    if who == "submitter":
        client.force_login(content["hidden"][1].submitted_by)
    elif who == "curator":
        client.force_login(CuratorFactory())
    elif who == "allowed":
        user = UserFactory()
        content["restricted"].allowed_users.add(user)
        client.force_login(user)
    assert SECRET not in _every_answer(client, content)
    for resource in content["hidden"]:
        assert get(client, f"/api/resources/{resource.slug}/").status_code == 404
    for dialogue in (content["restricted"], content["unpublished"]):
        assert get(client, f"/api/dialogues/{dialogue.slug}/").status_code == 404


def test_a_resource_withdrawn_after_caching_is_gone(client, content):
    resource = content["public"][0]
    path = f"/api/resources/{resource.slug}/"
    etag = get(client, path)["ETag"]
    Resource.objects.filter(pk=resource.pk).update(status="withdrawn")
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_the_api_refuses_writes(client, content):
    resource = content["public"][0]
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/api/resources/{resource.slug}/")
        assert response.status_code == 405
    assert client.post("/api/resources/", {}).status_code == 405


# ---------------------------------------------------------------- HTTP behaviour


def test_etag_and_last_modified_give_304(client, content):
    resource = content["public"][0]
    path = f"/api/resources/{resource.slug}/"
    first = get(client, path)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    listing = get(client, "/api/resources/")
    assert client.get("/api/resources/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    ResourceFactory(title="Something new")
    assert client.get("/api/resources/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


def test_cors_for_get_on_api_and_oai_only(client, content):
    for path in ("/api/resources/", "/oai/?verb=Identify"):
        response = client.get(path, HTTP_ORIGIN="https://example.org")
        assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/resources/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in client.get("/resources/")


def test_anonymous_clients_are_throttled(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    codes = [client.get("/api/taxonomy/themes/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_schema_and_docs_page_from_own_static_files(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "https://" not in html.split("<body>")[1]  # no CDN
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "<script>" not in html  # the init script is a same-origin file
    policy = docs["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in client.get("/resources/")["Content-Security-Policy"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


# ---------------------------------------------------------------- query counts


def _count_queries(client, path, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_resource_search_query_count_is_constant(client, django_assert_max_num_queries):
    """Guards against N+1: a page of 2 or 20 results costs the same queries."""
    tz = Country.objects.get(code="TZ")
    for count in (2, 20):
        Resource.objects.all().delete()
        for resource in ResourceFactory.create_batch(count):
            resource.countries.set([tz])
        resources_reindex(resource_ids=list(Resource.objects.values_list("pk", flat=True)))
        queries = _count_queries(
            client, "/api/resources/?sort=title", django_assert_max_num_queries, 12
        )
        if count == 2:
            small = queries
    assert queries == small


def test_dialogue_and_country_lists_query_counts_are_constant(
    client, django_assert_max_num_queries
):
    """Guards against N+1: lists cost the same with 1 or 6 dialogues and editions."""
    indicator = IndicatorDefinitionFactory(code="x", name="X")
    counts = []
    for n in (1, 6):
        Dialogue.objects.all().delete()
        Edition.objects.all().delete()
        for i in range(n):
            dialogue = DialogueFactory()
            dialogue.countries.set(["TZ", "PE"])
            ParticipationCountFactory(dialogue=dialogue)
            edition = EditionFactory(year=2000 + i, status=Edition.Status.PUBLISHED)
            IndicatorValue.objects.create(edition=edition, indicator=indicator, value=1)
        counts.append(
            (
                _count_queries(client, "/api/dialogues/", django_assert_max_num_queries, 10),
                _count_queries(client, "/api/countries/", django_assert_max_num_queries, 10),
            )
        )
    assert counts[0] == counts[1]


@pytest.mark.parametrize("page", ["0", "-3", "999999999999", "abc", "2.5"])
def test_out_of_range_pages_give_the_nearest_page_not_an_error(client, page):
    ResourceFactory.create_batch(2)
    for path in ("/api/resources/", "/api/taxonomy/themes/", "/api/countries/"):
        response = client.get(path, {"page": page})
        assert response.status_code == 200, path

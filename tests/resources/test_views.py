"""Library pages: who sees what (404 otherwise), submission with every bad input, downloads."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from asmhub.access import is_curator
from asmhub.taxonomy.models import Country, Language, Theme
from resources.models import Resource, ResourceFile
from resources.search import resource_reindex
from resources.services import NewFile, resource_submit
from tests.factories import ResourceFactory
from tests.resources.conftest import PNG_BYTES, docx_bytes, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def _with_file(submitter, *, status="published", **fields):
    resource = resource_submit(
        submitted_by=submitter,
        data={"title": fields.pop("title", "Tin mining in Bolivia"), "summary": "About tin."},
        files=[NewFile(upload=pdf_upload(), language=Language.objects.get(code="es"))],
    )
    Resource.objects.filter(pk=resource.pk).update(
        status=status, published_at=timezone.now() if status == "published" else None, **fields
    )
    resource.refresh_from_db()
    return resource


def _client_for(client, who, people):
    if people[who] is not None:
        client.force_login(people[who])
    return client


@pytest.fixture
def people(partner, other_partner, curator):
    return {"anonymous": None, "partner": partner, "other": other_partner, "curator": curator}


VISIBLE = {
    # status → who may see the resource and its files
    "published": {"anonymous", "partner", "other", "curator"},
    "pending": {"partner", "curator"},
    "rejected": {"partner", "curator"},
    "withdrawn": {"partner", "curator"},
    "draft": {"partner", "curator"},
}


@pytest.mark.parametrize("status", list(VISIBLE))
@pytest.mark.parametrize("who", ["anonymous", "partner", "other", "curator"])
@pytest.mark.parametrize("page", ["detail", "download", "download_file", "cite_bibtex", "cite_ris"])
def test_permission_matrix(client, people, status, who, page):
    resource = _with_file(people["partner"], status=status)
    args = [resource.slug]
    if page == "download_file":
        args.append(resource.files.get().pk)
    response = _client_for(client, who, people).get(reverse(f"resources:{page}", args=args))
    expected = 200 if who in VISIBLE[status] else 404
    assert response.status_code == expected


@pytest.mark.parametrize("status", list(VISIBLE))
@pytest.mark.parametrize("who", ["anonymous", "partner", "other", "curator"])
def test_edit_permission_matrix(client, people, status, who):
    """The submitter while pending, curators any time: the rule resource_update applies."""
    resource = _with_file(people["partner"], status=status)
    response = _client_for(client, who, people).get(reverse("resources:edit", args=[resource.slug]))
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        allowed = who == "curator" or (who == "partner" and status == "pending")
        assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("status", ["published", "rejected", "withdrawn"])
def test_submitter_edit_post_after_review_is_404_and_saves_nothing(client, partner, status):
    resource = _with_file(partner, status=status)
    client.force_login(partner)
    url = reverse("resources:edit", args=[resource.slug])
    response = client.post(url, {"title": "Changed after review", "summary": "x"})
    assert response.status_code == 404
    resource.refresh_from_db()
    assert resource.title != "Changed after review"


@pytest.mark.parametrize("status", list(VISIBLE))
def test_staff_who_are_not_curators_see_what_any_partner_sees(client, people, status, subtests):
    """is_staff alone is no curator: unpublished resources answer 404 to them too."""
    from tests.factories import UserFactory

    resource = _with_file(people["partner"], status=status)
    staff = UserFactory(is_staff=True)
    assert not is_curator(staff)
    client.force_login(staff)
    expected = 200 if status == "published" else 404
    for page in ["detail", "download", "download_file", "cite_bibtex", "cite_ris"]:
        with subtests.test(page=page):
            args = [resource.slug]
            if page == "download_file":
                args.append(resource.files.get().pk)
            assert client.get(reverse(f"resources:{page}", args=args)).status_code == expected
    assert client.get(reverse("resources:edit", args=[resource.slug])).status_code == 404


def test_file_visibility_follows_its_resource_at_request_time(client, partner, other_partner):
    resource = _with_file(partner)
    url = reverse("resources:download", args=[resource.slug])
    client.force_login(other_partner)
    assert client.get(url).status_code == 200
    Resource.objects.filter(pk=resource.pk).update(status="withdrawn")
    assert client.get(url).status_code == 404


def test_file_of_another_resource_is_not_reachable_through_this_one(client, partner):
    public = _with_file(partner, title="Public one")
    hidden = _with_file(partner, title="Hidden one", status="pending")
    hidden_file = hidden.files.get()
    url = reverse("resources:download_file", args=[public.slug, hidden_file.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("partner", 200), ("curator", 200)]
)
def test_submit_and_mine_need_an_account(client, people, who, expected):
    client = _client_for(client, who, people)
    assert client.get(reverse("resources:submit")).status_code == expected
    assert client.get(reverse("resources:mine")).status_code == expected


def test_unverified_partner_is_told_to_confirm_their_email(client, unverified):
    client.force_login(unverified)
    response = client.get(reverse("resources:submit"))
    assert response.status_code == 403
    assert "Confirm your email address first" in response.content.decode()
    response = client.post(reverse("resources:submit"), {"title": "x"})
    assert response.status_code == 403
    assert not Resource.objects.exists()


# ---------------------------------------------------------------- downloads


def test_download_is_an_attachment_that_no_browser_renders(client, partner):
    resource = _with_file(partner)
    response = client.get(reverse("resources:download", args=[resource.slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    # The resource's title and the checked type, never the uploaded name ("report.pdf").
    assert 'filename="Tin mining in Bolivia.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    resource.refresh_from_db()
    assert resource.download_count == 1


def test_download_name_takes_the_checked_type_not_the_uploaded_name(client, partner):
    resource = resource_submit(
        submitted_by=partner,
        data={"title": "Disguised", "summary": "s"},
        files=[NewFile(upload=SimpleUploadedFile("photo.html", PNG_BYTES))],
    )
    Resource.objects.filter(pk=resource.pk).update(status="published")
    response = client.get(reverse("resources:download", args=[resource.slug]))
    assert response["Content-Type"] == "image/png"
    assert 'filename="Disguised.png"' in response["Content-Disposition"]


def test_download_without_any_file_is_404(client, partner):
    resource = ResourceFactory(submitted_by=partner, external_url="https://example.org/r")
    assert client.get(reverse("resources:download", args=[resource.slug])).status_code == 404


# ---------------------------------------------------------------- submission


def _post_data(**overrides):
    data = {
        "title": "Women in Puno's gold cooperatives",
        "summary": "Interviews with 40 women miners about pay, safety and leadership.",
        "resource_type": "case-study",
        "authors": "Rosa Quispe",
        "year": "2023",
        "scope": "countries",
        "countries": ["PE"],
        "themes": [str(Theme.objects.get(slug__startswith="gender").pk)],
        "tags": "women, cooperatives",
        "licence": "CC BY 4.0",
        "external_url": "",
        "files-TOTAL_FORMS": "3",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "10",
        "files-0-language": "es",
        "files-0-label": "Informe",
    }
    data.update(overrides)
    return data


def test_partner_submits_metadata_and_two_files(client, partner, stored_files):
    client.force_login(partner)
    data = _post_data(
        **{
            "files-0-file": pdf_upload("informe.pdf"),
            "files-1-file": SimpleUploadedFile("anexo.docx", docx_bytes()),
            "files-1-language": "en",
        }
    )
    response = client.post(reverse("resources:submit"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:mine")
    resource = Resource.objects.get()
    assert resource.status == "pending" and resource.submitted_by == partner
    assert list(resource.countries.all()) == [Country.objects.get(code="PE")]
    assert sorted(resource.tags.names()) == ["cooperatives", "women"]
    files = list(resource.files.all())
    assert [(f.extension, f.language_id, f.label) for f in files] == [
        ("pdf", "es", "Informe"),
        ("docx", "en", ""),
    ]
    assert len(stored_files()) == 2
    mine = client.get(reverse("resources:mine")).content.decode()
    assert "Women in Puno" in mine and "Pending review" in mine


def _error_beside(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}_error">(.*?)</div>', html, re.S)
    assert match, f"no error shown beside {field_id}"
    return match.group(1)


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"title": "  "}, "id_title", "Give the resource a title"),
        (
            {"external_url": "javascript:alert(1)"},
            "id_external_url",
            "http",
        ),
        ({"year": str(timezone.now().year + 1)}, "id_year", "future"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_keeps_the_rest(
    client, partner, stored_files, overrides, field_id, message
):
    client.force_login(partner)
    data = _post_data(**overrides, **{"files-0-file": pdf_upload("informe.pdf")})
    response = client.post(reverse("resources:submit"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in _error_beside(html, field_id)
    # What was typed is still there; the file must be chosen again, and the page says so.
    assert "Interviews with 40 women miners" in html
    assert 'value="Rosa Quispe"' in html
    assert "Choose “informe.pdf” again." in html
    assert not Resource.objects.exists()
    assert stored_files() == []


def test_neither_file_nor_link(client, partner):
    client.force_login(partner)
    response = client.post(reverse("resources:submit"), _post_data())
    assert "Upload at least one file or give a link" in _error_beside(
        response.content.decode(), "id_external_url"
    )
    assert not Resource.objects.exists()


def test_a_link_alone_is_enough(client, partner):
    client.force_login(partner)
    response = client.post(
        reverse("resources:submit"), _post_data(external_url="https://example.org/informe")
    )
    assert response.status_code == 302
    assert Resource.objects.get().external_url == "https://example.org/informe"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00\x03\x00\x00\x00"), "not accepted"),
        (
            SimpleUploadedFile("report.pdf", b"%PDF-1.4\n<svg onload=alert(1)>"),
            "web page or script",
        ),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_bad_file_gets_a_message_beside_that_file(client, partner, stored_files, upload, message):
    client.force_login(partner)
    data = _post_data(
        **{"files-0-file": pdf_upload("good.pdf"), "files-1-file": upload},
    )
    response = client.post(reverse("resources:submit"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in _error_beside(html, "id_files-1-file")
    assert "Choose “good.pdf” again." in html  # the good file is named too
    assert not Resource.objects.exists()
    assert stored_files() == []


def test_too_large_file(client, partner, settings, stored_files):
    settings.ASMHUB_MAX_UPLOAD_MB = 1
    client.force_login(partner)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client.post(reverse("resources:submit"), _post_data(**{"files-0-file": big}))
    assert "the limit is 1 MB" in _error_beside(response.content.decode(), "id_files-0-file")
    assert stored_files() == []


def test_submitter_edits_pending_submission(client, partner):
    resource = _with_file(partner, status="pending")
    client.force_login(partner)
    url = reverse("resources:edit", args=[resource.slug])
    page = client.get(url).content.decode()
    assert 'value="Tin mining in Bolivia"' in page
    data = _post_data(
        title="Tin and tungsten in Bolivia", **{"files-0-file": pdf_upload("segundo.pdf")}
    )
    response = client.post(url, data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Tin and tungsten in Bolivia"
    assert resource.files.count() == 2
    data = _post_data(**{"existing-remove": [str(resource.files.first().pk)]})
    assert client.post(url, data).status_code == 302
    assert resource.files.count() == 1


# ---------------------------------------------------------------- detail page


def test_detail_shows_metadata_linked_to_the_list_and_file_facts(client, partner):
    resource = _with_file(partner, organisation=None, year=2022)
    resource.countries.set(["BO"])
    resource.tags.add("tin")
    html = client.get(resource.get_absolute_url()).content.decode()
    assert f'href="{reverse("resources:list")}?country=BO"' in html
    assert f'href="{reverse("resources:list")}?year=2022"' in html
    assert f'href="{reverse("resources:list")}?tag=tin"' in html
    file = resource.files.get()
    assert "PDF" in html and "Spanish" in html
    assert f"{file.size // 1024}" in html  # size shown before download


def test_detail_has_open_graph_and_json_ld(client, partner):
    resource = _with_file(partner, authors="Elena Mamani; Jorge Vargas")
    resource.title = "</script><script>alert(1)</script>"
    resource.save()
    html = client.get(resource.get_absolute_url()).content.decode()
    assert '<meta property="og:title"' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Report"
    assert data["name"] == "</script><script>alert(1)</script>"
    assert [a["name"] for a in data["author"]] == ["Elena Mamani", "Jorge Vargas"]
    assert "<script>alert" not in html


def test_related_resources_share_themes_countries_or_tags(client, partner):
    theme = Theme.objects.first()
    resource = ResourceFactory(countries=["TZ"])
    resource.themes.add(theme)
    resource.tags.add("sluice")
    by_tag = ResourceFactory(title="Tagged alike")
    by_tag.tags.add("sluice")
    by_country = ResourceFactory(title="Same country", countries=["TZ"])
    ResourceFactory(title="Nothing in common", countries=["IN"])
    pending = ResourceFactory(title="Pending alike", countries=["TZ"], status="pending")
    for indexed in (
        resource,
        by_tag,
        by_country,
        pending,
        *Resource.objects.filter(title="Nothing in common"),
    ):
        resource_reindex(resource_id=indexed.pk)
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "Tagged alike" in html and by_country.title in html
    assert "Nothing in common" not in html and "Pending alike" not in html
    assert html.index("Tagged alike") < html.index("Same country")


def _rich(n, partner):
    themes = list(Theme.objects.all()[:3])
    for i in range(n):
        resource = _with_file(partner, title=f"Resource {i}")
        resource.countries.set(["TZ", "PE"])
        resource.themes.set(themes)
        resource.tags.add("gold", f"tag-{i}")


def test_detail_query_count(client, partner, django_assert_max_num_queries):
    """Guards against N+1: the detail page's queries do not grow with files, tags or related."""
    _rich(6, partner)
    resource = Resource.objects.first()
    for _ in range(3):
        ResourceFile.objects.create(
            resource=resource, file="x.pdf", original_name="x.pdf", content_type="a", size=1
        )
    client.force_login(partner)
    with django_assert_max_num_queries(14):
        assert client.get(resource.get_absolute_url()).status_code == 200


def test_my_submissions_query_count(client, partner, django_assert_max_num_queries):
    """Guards against N+1: "my submissions" costs the same with 2 or 12 submissions."""
    client.force_login(partner)
    _rich(2, partner)
    with django_assert_max_num_queries(8) as small:
        response = client.get(reverse("resources:mine"))
    assert response.status_code == 200
    shown = response.content.decode().count("/resources/")
    _rich(10, partner)
    with django_assert_max_num_queries(8) as large:
        response = client.get(reverse("resources:mine"))
    assert response.status_code == 200
    assert response.content.decode().count("/resources/") > shown  # the ten new ones listed
    assert len(small.captured_queries) == len(large.captured_queries)


def test_pdf_fixture_is_a_real_pdf():
    assert pdf_bytes().startswith(b"%PDF-1.4")


def test_each_uploaded_file_is_inspected_once_per_request(client, partner, monkeypatch):
    """Before: the form and then the service each read every file (twice the work per upload)."""
    from asmhub import uploads

    seen = []
    detect = uploads.detect_kind

    def counting(upload):
        seen.append(upload.name)
        return detect(upload)

    monkeypatch.setattr(uploads, "detect_kind", counting)
    client.force_login(partner)
    data = _post_data(
        **{
            "files-0-file": pdf_upload("informe.pdf"),
            "files-1-file": SimpleUploadedFile("anexo.docx", docx_bytes()),
        }
    )
    assert client.post(reverse("resources:submit"), data).status_code == 302
    assert sorted(seen) == ["anexo.docx", "informe.pdf"]


def test_download_name_is_ascii_folded_with_the_real_name_beside_it(client, partner):
    resource = _with_file(partner, title="Minería aurífera en Puno")
    response = client.get(reverse("resources:download", args=[resource.slug]))
    disposition = response["Content-Disposition"]
    assert 'filename="Mineria aurifera en Puno.pdf"' in disposition
    assert "filename*=UTF-8''Miner%C3%ADa%20aur%C3%ADfera%20en%20Puno.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"

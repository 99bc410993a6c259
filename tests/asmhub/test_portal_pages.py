"""Portal-wide pages: country pages, the hub-wide search and the sitemap."""

import pytest

pytestmark = pytest.mark.django_db


def test_country_page(client, django_assert_max_num_queries):
    """Guards against N+1 queries on a country page (each component adds a fixed few)."""
    with django_assert_max_num_queries(20):
        response = client.get("/countries/TZ/")
    assert response.status_code == 200
    assert "<h1>Tanzania</h1>" in response.content.decode()
    assert "East Africa" in response.content.decode()


def test_country_page_normalises_code_and_404s_unknown(client):
    response = client.get("/countries/tz/")
    assert response.status_code == 301
    assert response.url == "/countries/TZ/"
    assert client.get("/countries/XX/").status_code == 404


def test_search_page_without_and_with_query(client):
    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_sitemap_lists_country_pages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "/countries/PE/" in response.content.decode()
    assert "Sitemap:" in client.get("/robots.txt").content.decode()

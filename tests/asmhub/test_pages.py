"""Home page, health check, robots.txt, security headers and the language switcher."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_small_in_queries(client, django_assert_max_num_queries):
    """Guards against N+1 queries on the home page: its budget is 10 SQL queries."""
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tanzania" in html
    assert 'href="#main"' in html  # skip link


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script" not in response.content.decode()


def test_healthz_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_down_when_database_unreachable(client):
    with mock.patch("asmhub.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /admin/" in response.content.decode()


def test_language_switcher_changes_language(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.content.decode().startswith("<!DOCTYPE html>")
    assert 'lang="es"' in response.content.decode()
    assert "Saltar al contenido principal" in response.content.decode()

"""Redis down: the cache degrades to misses, pages keep serving, rate limits fail safe."""

import pytest
from django.core.cache import caches

from tests.s3 import free_port


@pytest.fixture
def dead_redis(settings):
    """The production cache backend pointed at a port where nothing listens."""
    from asmhub.cache import ResilientRedisCache

    ResilientRedisCache._last_logged = 0.0  # its warning is throttled across tests
    settings.CACHES = {
        "default": {
            "BACKEND": "asmhub.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    return caches["default"]


def test_every_operation_degrades_to_a_miss(dead_redis, caplog):
    assert dead_redis.get("k", "fallback") == "fallback"
    assert dead_redis.set("k", 1) is None
    assert dead_redis.add("k", 1) is False
    assert dead_redis.get_or_set("k", 5) == 5
    assert dead_redis.get_many(["a", "b"]) == {}
    assert dead_redis.delete("k") is False
    with pytest.raises(ValueError, match="not found"):
        dead_redis.incr("k")
    assert any("cache unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/resources/", "/resources/?q=gold", "/outlooks/compare/"])
def test_pages_keep_serving_without_redis(client, dead_redis, url):
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_rate_limited_actions_fail_safe_without_redis(client, dead_redis, user):
    """allauth's rate limits live in the cache: without Redis they fail closed (429, a clear
    "too many attempts" page), so brute force stays impossible; nothing answers 500."""
    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    assert response.status_code == 429

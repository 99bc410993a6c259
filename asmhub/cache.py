"""A Redis cache that degrades instead of failing: with Redis down, every read is a miss.

The cache only ever holds what can be recomputed (browse facet counts, the comparison table,
the search generation) and allauth's rate-limit counters. Losing Redis must not take pages
down, so errors become misses, logged at most once every 30 seconds. Rate limits fail safe:
allauth cannot take its lock (`add` answers False), so rate-limited actions (sign-in, sign-up,
password reset) answer 429 until Redis is back; brute force never gets a free window.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("asmhub.cache")
_LOG_EVERY_S = 30.0


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def _degraded(self, operation: str, error: Exception, default=None):
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged > _LOG_EVERY_S:
            ResilientRedisCache._last_logged = now
            logger.warning(
                "cache unavailable, serving without it: %s",
                error,
                extra={"operation": operation, "error": type(error).__name__},
            )
        return default

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            return self._degraded("get", error, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            return self._degraded("get_many", error, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as error:
            return self._degraded("has_key", error, False)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            return self._degraded("add", error, False)

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError as error:
            return self._degraded("set", error)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            return self._degraded("set_many", error, list(data))

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            return self._degraded("touch", error, False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            return self._degraded("delete", error, False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError as error:
            return self._degraded("delete_many", error)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._degraded("incr", error)
            # The cache's contract for "no such value": callers then set it (also degraded).
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error

    def clear(self):
        try:
            return super().clear()
        except RedisError as error:
            return self._degraded("clear", error)

"""The library's search log: records each search cheaply, in batches, never failing the page.

A search is added to an in-process buffer; the buffer is written in one statement when it
holds BATCH searches or is FLUSH_SECONDS old (a page pays ~1 ms once per batch). Lost on a
crash: at most one batch per worker, acceptable for counts that curators read as trends.
Nothing that identifies the searcher is kept: words, filters, page language, result count.
"""

import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH = getattr(settings, "ASMHUB_SEARCH_LOG_BATCH", 25)
FLUSH_SECONDS = 30
KEEP_MONTHS = 13

_lock = threading.Lock()
_buffer: list[tuple] = []
_first_at = 0.0

UPSERT_SQL = """
INSERT INTO resources_searchlogentry
    (month, words, filters, language, searches, results, aggregated)
SELECT m, w, f, l, n, r, false
FROM unnest(%s::date[], %s::text[], %s::text[], %s::text[], %s::int[], %s::int[])
    AS t(m, w, f, l, n, r)
ON CONFLICT (month, words, filters, language) DO UPDATE
SET searches = resources_searchlogentry.searches + EXCLUDED.searches,
    results = EXCLUDED.results
"""


def search_log_record(*, words: str, filters: str, language: str, results: int | None) -> None:
    """Count one search; never raises (a failure to log must not fail the search)."""
    global _first_at
    try:
        entry = (
            timezone.now().date().replace(day=1),
            words.lower()[:200],
            filters[:500],
            (language or "")[:10],
            max(int(results or 0), 0),
        )
        with _lock:
            if not _buffer:
                _first_at = time.monotonic()
            _buffer.append(entry)
            due = len(_buffer) >= BATCH or time.monotonic() - _first_at > FLUSH_SECONDS
        if due:
            search_log_flush()
    except Exception:  # noqa: BLE001 - logging searches is never worth a failed page
        logger.exception("search log: could not record a search")


def search_log_flush() -> int:
    """Write the buffered searches in one statement; returns how many rows it touched."""
    with _lock:
        pending = list(_buffer)
        _buffer.clear()
    if not pending:
        return 0
    counts = Counter(entry[:4] for entry in pending)
    latest = {entry[:4]: entry[4] for entry in pending}  # the last search's result count
    keys = list(counts)
    columns = [
        [k[0] for k in keys],
        [k[1] for k in keys],
        [k[2] for k in keys],
        [k[3] for k in keys],
        [counts[k] for k in keys],
        [latest[k] for k in keys],
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(UPSERT_SQL, columns)
    except DatabaseError:
        logger.warning("search log: %d searches not written", len(pending), exc_info=True)
        return 0
    return len(keys)


def search_log_roll_up(*, today=None) -> tuple[int, int]:
    """Roll rows older than KEEP_MONTHS months up into one row per month and words.

    Returns (rows rolled up, rows written). Idempotent: rolled-up rows are left alone.
    """
    today = today or timezone.now().date()
    month = today.month - KEEP_MONTHS
    year = today.year + (month - 1) // 12
    cutoff = today.replace(year=year, month=(month - 1) % 12 + 1, day=1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            WITH old AS (
                DELETE FROM resources_searchlogentry
                WHERE month < %s AND NOT aggregated
                RETURNING month, words, searches, results
            ), grouped AS (
                SELECT month, words, sum(searches) AS searches, min(results) AS results,
                    count(*) AS rows
                FROM old GROUP BY month, words
            ), written AS (
                INSERT INTO resources_searchlogentry
                    (month, words, filters, language, searches, results, aggregated)
                SELECT month, words, '', '', searches, results, true FROM grouped
                ON CONFLICT (month, words, filters, language) DO UPDATE
                SET searches = resources_searchlogentry.searches + EXCLUDED.searches,
                    results = LEAST(resources_searchlogentry.results, EXCLUDED.results),
                    aggregated = true
                RETURNING 1
            )
            SELECT (SELECT COALESCE(sum(rows), 0) FROM grouped), (SELECT count(*) FROM written)
            """,
            [cutoff],
        )
        rolled, written = cursor.fetchone()
    return int(rolled), int(written)

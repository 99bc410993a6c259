"""How search ranks (resources.search, RANK): the order on a hand-made library, exactness
against a brute-force ranking of every match, and relevance pages that follow on."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from resources import search
from resources.models import Resource, ResourceFile
from resources.search import resources_reindex, search_query
from resources.selectors import PER_PAGE, ranked_ids, ranking
from tests.resources.helpers import indexed_resource as indexed

pytestmark = pytest.mark.django_db


def indexed_resource(**fields):
    return indexed(languages=["en"], **fields)


FILLER = "Notes from district officers on licensing, roads and local markets."


def titles(text, k=10):
    matching = Resource.objects.published().filter(search_vector=search_query(text))
    ids = ranked_ids(matching, text, k=k)
    by_id = dict(Resource.objects.filter(id__in=ids).values_list("id", "title"))
    return [by_id[i] for i in ids]


def test_title_match_beats_summary_beats_authors_beats_file_text():
    indexed_resource(title="District notes", summary=FILLER, files=[("A retort here.", "en")])
    indexed_resource(title="District notes", summary=FILLER, authors="Retort Collective")
    indexed_resource(title="District notes", summary=FILLER + " A retort was shown.")
    indexed_resource(title="Retort designs", summary=FILLER)
    assert titles("retort") == ["Retort designs", "District notes", "District notes"] + [
        "District notes"
    ]
    ranked = ranked_ids(Resource.objects.published(), "retort", k=4)
    kinds = list(Resource.objects.filter(id__in=ranked).values_list("id", "authors", "summary"))
    order = {i: n for n, i in enumerate(ranked)}
    kinds.sort(key=lambda row: order[row[0]])
    assert "A retort was shown" in kinds[1][2]  # summary (B) before authors (C)
    assert kinds[2][1] == "Retort Collective"  # authors (C) before file text (D)


def test_short_focused_record_beats_a_long_one_mentioning_the_word_once():
    long_summary = " ".join(
        f"Chapter {n} covers roads, water, schooling, markets and licensing." for n in range(40)
    )
    indexed_resource(title="Provincial yearbook", summary=long_summary + " It mentions sluices.")
    indexed_resource(title="Field notes", summary="How the sluice box is built and cleaned.")
    assert titles("sluice") == ["Field notes", "Provincial yearbook"]


def test_a_300_page_report_does_not_win_by_bulk():
    bulk = " ".join(["The cyanide leaching circuit was sampled again."] * 3000)
    indexed_resource(title="Annual report", summary=FILLER, files=[(bulk, "en")])
    indexed_resource(title="Annual report", summary=FILLER + " One cyanide spill.")
    assert titles("cyanide") == ["Annual report", "Annual report"]
    first = Resource.objects.get(id=ranked_ids(Resource.objects.published(), "cyanide", k=1)[0])
    assert "spill" in first.summary  # the summary mention (B) beats 3,000 in the file (D)


def test_phrase_beats_scattered_words():
    indexed_resource(title="Notes", summary="Gold prices rose while mining permits lagged.")
    indexed_resource(title="Notes", summary="Gold mining permits lagged while prices rose.")
    first = Resource.objects.get(id=ranked_ids(Resource.objects.published(), "gold mining", k=1)[0])
    assert first.summary.startswith("Gold mining")


def test_ties_go_to_the_newest():
    now = timezone.now()
    old = indexed_resource(title="Tailings dams", published_at=now - timedelta(days=9))
    new = indexed_resource(title="Tailings dams", published_at=now)
    assert ranked_ids(Resource.objects.published(), "tailings", k=2) == [new.id, old.id]


# ------------------------------------------------------------------ exactness
WORDS = [
    "gold",
    "mercury",
    "retort",
    "sluice",
    "tailings",
    "cyanide",
    "cooperative",
    "women",
    "miners",
    "licence",
    "permit",
    "water",
    "health",
    "dust",
    "pit",
    "shaft",
    "gravity",
    "amalgamation",
    "market",
    "price",
    "buyer",
    "export",
    "village",
    "mining",
    "artisanal",
    "smallscale",
    "formal",
    "informal",
    "district",
    "region",
    "training",
    "survey",
]


def random_text(rng, n):
    # Skewed word choice (a few words very common), like real text.
    return " ".join(WORDS[min(int(rng.expovariate(0.15)), len(WORDS) - 1)] for _ in range(n))


def random_library(rng, size):
    now = timezone.now()
    resources = Resource.objects.bulk_create(
        Resource(
            title=random_text(rng, rng.randint(3, 9)),
            slug=f"random-{n}",
            summary=random_text(rng, rng.randint(5, 120)),
            authors=random_text(rng, rng.randint(0, 3)),
            status="published",
            # Many equal dates, so ties are common and the tie-break is exercised.
            published_at=now - timedelta(days=rng.randint(0, 30)),
        )
        for n in range(size)
    )
    ResourceFile.objects.bulk_create(
        ResourceFile(
            resource=r,
            file=f"resources/r{r.pk}.pdf",
            original_name="r.pdf",
            content_type="application/pdf",
            size=1,
            text=random_text(rng, rng.randint(50, 3000)),
            extraction="done",
        )
        for r in resources
        if rng.random() < 0.25
    )
    resources_reindex(resource_ids=[r.pk for r in resources])


def brute_force(text, k):
    """Every match scored with the full vector and the same formula, no bound, no stages."""
    compiler = Resource.objects.all().query.get_compiler(connection=connection)
    words_sql, words_params = compiler.compile(search.rank_query(text))
    match_sql, match_params = compiler.compile(search_query(text))
    phrase = search.phrase_query(text)
    phrase_sql, phrase_params = compiler.compile(phrase) if phrase else ("NULL::tsquery", [])
    score = search.rank_sql(
        "r.search_vector",
        "q.words",
        "q.phrase",
        "r.rank_norm",
        "COALESCE(r.rank_vector, r.search_vector)",
    )
    sql = f"""
        WITH q AS (SELECT {words_sql} AS words, {phrase_sql} AS phrase, {match_sql} AS match)
        SELECT r.id FROM resources_resource r, q
        WHERE r.status = 'published' AND r.search_vector @@ q.match
        ORDER BY {score} DESC, r.published_at DESC, r.id DESC LIMIT %s
    """  # noqa: S608 - Django-compiled SQL and constants only
    with connection.cursor() as cursor:
        cursor.execute(sql, [*words_params, *phrase_params, *match_params, k])
        return [row[0] for row in cursor.fetchall()]


def test_pages_equal_the_brute_force_ranking_on_random_libraries():
    rng = random.Random(11)
    random_library(rng, 2500)
    queries = ["gold", "mining", "retort", "gold mining", "women miners -gold", '"gold mercury"']
    queries += [" ".join(rng.sample(WORDS, rng.randint(1, 3))) for _ in range(14)]
    queries += [f"{rng.choice(WORDS)} OR {rng.choice(WORDS)}" for _ in range(4)]
    for text in queries:
        matching = Resource.objects.published().filter(search_vector=search_query(text))
        for k in (1, 20, 200):
            assert ranking(matching, text, k=k).ids == brute_force(text, k), (text, k)


def test_relevance_pages_10_and_11_follow_on(client):
    rng = random.Random(7)
    random_library(rng, 600)
    text = "gold"
    expected = brute_force(text, 11 * PER_PAGE)
    assert len(expected) == 11 * PER_PAGE
    shown = []
    for page in (10, 11):
        response = client.get("/resources/", {"q": text, "page": page})
        shown += [r.id for r in response.context["found"].results]
    assert shown == expected[9 * PER_PAGE :]


def test_when_the_bound_proves_too_little_the_candidates_grow_and_stay_exact():
    """150 resources match only in their files: each one's bound (metadata + 0.1) is above
    every file score, so the first 100 candidates cannot prove the top result."""
    rng = random.Random(3)
    now = timezone.now()
    resources = Resource.objects.bulk_create(
        Resource(
            title=f"Report {n}",
            slug=f"file-only-{n}",
            summary="District notes.",
            status="published",
            published_at=now - timedelta(hours=n),
        )
        for n in range(150)
    )
    ResourceFile.objects.bulk_create(
        ResourceFile(
            resource=r,
            file=f"resources/f{r.pk}.pdf",
            original_name="f.pdf",
            content_type="application/pdf",
            size=1,
            text=" ".join(["pit"] * rng.randint(1, 5) + ["notes"] * rng.randint(10, 500)),
            extraction="done",
        )
        for r in resources
    )
    resources_reindex(resource_ids=[r.pk for r in resources])
    matching = Resource.objects.published().filter(search_vector=search_query("pit"))
    result = ranking(matching, "pit", k=1)
    assert result.rounds == 2
    assert result.ids == brute_force("pit", 1)


def test_champion_lists_prove_pages_exact_and_follow_reindexing():
    rng = random.Random(5)
    random_library(rng, 2000)
    assert search.champions_rebuild(min_df=100, size=150) > 5
    queries = ["gold", "mercury", "gold mercury", "retort OR sluice", "mining -gold"]
    queries += [" ".join(rng.sample(WORDS[:8], rng.randint(1, 2))) for _ in range(8)]
    proven = 0
    for text in queries:
        matching = Resource.objects.published().filter(search_vector=search_query(text))
        for k in (1, 20, 100):
            result = ranking(matching, text, k=k)
            assert result.ids == brute_force(text, k), (text, k)
            proven += result.champions
    assert proven >= 5  # most pages came from the lists, without scanning every match
    # A resource rewritten to be the best "gold" match enters the list when reindexed.
    best = Resource.objects.order_by("-id").first()
    Resource.objects.filter(id=best.id).update(title="Gold " * 8, summary="Gold.", authors="")
    ResourceFile.objects.filter(resource=best).delete()
    resources_reindex(resource_ids=[best.id])
    matching = Resource.objects.published().filter(search_vector=search_query("gold"))
    result = ranking(matching, "gold", k=20)
    assert result.ids == brute_force("gold", 20) and best.id in result.ids


def test_a_scan_that_runs_out_of_time_shows_the_best_candidates_and_says_so(client, monkeypatch):
    from django.db import OperationalError

    from resources import selectors

    for n in range(3):
        indexed_resource(title=f"Gold mining notes {n}", summary=FILLER)
    ids = set(Resource.objects.values_list("id", flat=True))
    # The lists cannot prove the page (an impossible bound), and the scan times out.
    monkeypatch.setattr(selectors, "_champion_candidates", lambda query, depth: (1e9, ids, False))
    real_scan = selectors._scan_ranking

    def scan(matching, query, **kwargs):
        if "id__in" not in str(matching.query) and "IN (" not in str(matching.query):
            raise OperationalError("canceling statement due to statement timeout")
        return real_scan(matching, query, **kwargs)

    monkeypatch.setattr(selectors, "_scan_ranking", scan)
    response = client.get("/resources/", {"q": "gold mining"})
    assert response.status_code == 200
    found = response.context["found"]
    assert found.approximate and len(found.results) == 3
    assert "too many resources to rank them all in time" in response.content.decode()

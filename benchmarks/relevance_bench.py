"""Relevance report: is page 1 the exact best under the ranking, and how fast, at 100,000.

Usage: DJANGO_DEBUG=1 .venv/bin/python benchmarks/relevance_bench.py [--size 100000] [--runs 15]

Uses (and seeds on first run) the database of benchmarks/resources_bench.py for that size
(asmhub_bench_<size>, on the server DATABASE_URL names or the embedded one), adds 25 small
documents for the glossary pairs, then prints
for each query (classes: common, rare, two and three words, phrase, OR, exclusion, Spanish,
French, glossary term in another language, deep pages):
- recall@10 and recall@20 of the page against a brute-force ranking of *every* match with the
  same formula (resources.search.rank_sql on the full vector, tiers for glossary matches);
- page p50/p95/p99 through Django's test client (cache cleared before each request), the SQL
  queries per page and their summed EXPLAIN ANALYZE time (SQL cost alone);
- the rounds the exact ranking needed (1 = the first candidate set was proven enough).
Then, for the glossary pairs (a term in one language, a document only in another), whether
the other-language document is on page 1.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

from benchmarks._common import use_own_database  # noqa: E402
from benchmarks.resources_bench import explain_ms, seed  # noqa: E402

QUERIES = [
    ("common", "mining"),
    ("common", "gold"),
    ("common", "mercury"),
    ("common", "women"),
    ("common", "cooperative"),
    ("rare", "zanzibarite"),
    ("rare", "retort"),
    ("rare", "cyanide"),
    ("rare", "sluice"),
    ("rare", "traceability"),
    ("two words", "gold mining"),
    ("two words", "women miners"),
    ("two words", "mercury cooperative"),
    ("two words", "supply chain"),
    ("three words", "artisanal gold miners"),
    ("three words", "mercury free processing"),
    ("three words", "women cooperative finance"),
    ("phrase", '"mercury free"'),
    ("phrase", '"supply chain"'),
    ("phrase", '"due diligence"'),
    ("OR", "cyanide OR retort"),
    ("exclusion", "mercury -gold"),
    ("exclusion", "mining -cooperative"),
    ("Spanish", "minería"),
    ("Spanish", "mercurio"),
    ("Spanish", "relaves"),
    ("French", "orpailleurs"),
    ("French", "mercure"),
    ("French", "résidus"),
    ("glossary", "formalización"),
    ("glossary", "tailings"),
    ("glossary", "zebaki"),
]
DEEP_PAGES = [("page 10", "mining", 10), ("page 50", "mining", 50), ("page 50", "gold mining", 50)]

# (query, language of the document, document title): the document holds none of the query's
# words, only a glossary equivalent in its own language.
GLOSSARY_PAIRS = [
    ("garimpo", "fr", "Orpaillage au Burkina Faso"),
    ("orpaillage", "pt", "Garimpo no Tapajós"),
    ("galamsey", "es", "Minería ilegal en pequeña escala en Ghana"),
    ("canalón", "en", "Sluice box design"),
    ("cornue", "en", "Retort trials at Geita"),
    ("cornue", "es", "Retortas caseras"),
    ("zebaki", "fr", "Le mercure dans les mines"),
    ("mabaki ya uchenjuaji", "en", "Tailings dam safety"),
    ("urasimishaji", "es", "Formalización de la minería"),
    ("formalização", "fr", "Formalisation des orpailleurs"),
    ("amalgamação", "en", "Whole ore amalgamation"),
    ("cianeto", "fr", "Cyanure et lixiviation"),
    ('"Convenio de Minamata"', "en", "Minamata Convention national action plan"),
    ("devida diligência", "en", "Due diligence for gold buyers"),
    ("trazabilidad", "fr", "Traçabilité de l'or"),
    ("rastreabilidade", "en", "Traceability of artisanal gold"),
    ("trabajo infantil", "en", "Child labour in mica mines"),
    ("travail des enfants", "es", "Trabajo infantil en minas"),
    ("consentimiento libre, previo e informado", "en", "Free, prior and informed consent"),
    ("bateia", "en", "Gold panning techniques"),
    ("desmatamento", "fr", "Déforestation et orpaillage"),
    ("dragagem", "en", "Dredging on the Madeira river"),
    ("ruée vers l'or", "en", "Gold rush in the Sahel"),
    ("chaîne de traçabilité", "es", "Cadena de custodia del oro"),
    ("mgodi wa wazi", "en", "Open pit safety"),
]


def add_pair_documents():
    from django.utils import timezone

    from resources.models import Resource
    from resources.search import resources_reindex

    ids = []
    for n, (_query, language, title) in enumerate(GLOSSARY_PAIRS):
        resource, _created = Resource.objects.get_or_create(
            slug=f"glossary-pair-{n}",
            defaults={
                "title": title,
                "summary": title + ".",
                "status": "published",
                "published_at": timezone.now(),
            },
        )
        resource.languages.set([language])
        ids.append(resource.pk)
    resources_reindex(resource_ids=ids)
    return ids


def brute_force(params, k):
    """Every match scored with the full vector and the same formula: no bound, no stages."""
    from django.db import connection
    from django.http import QueryDict

    from resources import search
    from resources.filters import ResourceFilterSet
    from resources.models import Resource

    data = QueryDict(urlencode(params))
    filterset = ResourceFilterSet(data, queryset=Resource.objects.published())
    text, also = filterset.query_text, filterset.also_text
    compiler = Resource.objects.all().query.get_compiler(connection=connection)
    exact_sql, exact_params = compiler.compile(search.rank_query(text))
    phrase = search.phrase_query(text)
    phrase_sql, phrase_params = compiler.compile(phrase) if phrase else ("NULL::tsquery", [])
    also_sql, also_params = (
        compiler.compile(search.rank_query(also)) if also else ("NULL::tsquery", [])
    )
    match_sql, match_params = filterset.qs.order_by().values("id").query.sql_with_params()
    meta = "COALESCE(r.rank_vector, r.search_vector)"
    exact = search.rank_sql("r.search_vector", "q.exact", "q.phrase", "r.rank_norm", meta)
    other = search.rank_sql("r.search_vector", "q.also", "NULL::tsquery", "r.rank_norm", meta)
    tier = "(r.search_vector @@ q.exact)" if also else "(r.id > 0)"
    sql = f"""
        WITH q AS MATERIALIZED (SELECT {exact_sql} AS exact, {phrase_sql} AS phrase,
            {also_sql} AS also)
        SELECT r.id FROM resources_resource r, q
        WHERE r.id IN ({match_sql})
        ORDER BY {tier} DESC, CASE WHEN {tier} THEN {exact} ELSE {other} END DESC,
            r.published_at DESC, r.id DESC
        LIMIT %s
    """  # noqa: S608 - Django-compiled SQL and constants only
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(sql, [*exact_params, *phrase_params, *also_params, *match_params, k])
        return [row[0] for row in cursor.fetchall()]


def page_ids(params):
    from django.http import QueryDict

    from resources.selectors import resource_search

    found = resource_search(params=QueryDict(urlencode(params)))
    return [r.id for r in found.results], found


def timed(client, url, runs):
    from django.core.cache import cache

    timings = []
    for _ in range(runs):
        cache.clear()
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(runs):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from resources import selectors
    from resources.models import Resource

    client = Client()
    print(f"published resources: {Resource.objects.published().count()}")
    header = (
        f"{'class':12} {'query':28} {'page':>4} {'matches':>8} {'r@10':>5} {'r@20':>5} "
        f"{'p50':>7} {'p95':>7} {'p99':>7} {'queries':>7} {'SQL ms':>7} {'rounds':>6}"
    )
    print(header)
    rows = []
    cases = [(c, q, 1) for c, q in QUERIES] + DEEP_PAGES
    rounds_seen = {}
    original = selectors.ranking

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        rounds_seen["last"] = result.rounds
        return result

    selectors.ranking = spy
    for kind, text, page in cases:
        params = {"q": text} if page == 1 else {"q": text, "page": str(page)}
        url = "/resources/?" + urlencode(params)
        ids, found = page_ids(params)
        rounds = rounds_seen.get("last", 0)
        start = (found.page.number - 1) * selectors.PER_PAGE  # the page actually shown
        truth = brute_force({"q": text}, start + selectors.PER_PAGE)[start:]
        r10 = len(set(ids[:10]) & set(truth[:10])) / max(min(10, len(truth)), 1)
        r20 = len(set(ids[:20]) & set(truth[:20])) / max(min(20, len(truth)), 1)
        same_order = ids == truth
        client.get(url)  # warm the connection and caches of the process
        timings = timed(client, url, runs)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        sql_ms = explain_ms(captured.captured_queries)
        total = found.total if found.total is not None else -1
        row = (
            kind,
            text,
            page,
            total,
            r10,
            r20,
            statistics.median(timings),
            quantile(timings, 0.95),
            quantile(timings, 0.99),
            len(captured.captured_queries),
            sql_ms,
            rounds,
            same_order,
        )
        rows.append(row)
        print(
            f"{kind:12} {text[:28]:28} {page:>4} {total:>8} {r10:5.2f} {r20:5.2f} "
            f"{row[6]:7.1f} {row[7]:7.1f} {row[8]:7.1f} {row[9]:>7} {sql_ms:7.1f} {rounds:>6}"
            + ("" if same_order else "  ORDER DIFFERS")
        )
    selectors.ranking = original
    all_times = [r[7] for r in rows]
    print(
        f"\nworst p95 {max(all_times):.1f} ms; min recall@10 {min(r[4] for r in rows):.2f}; "
        f"min recall@20 {min(r[5] for r in rows):.2f}; page order identical to brute force in "
        f"{sum(r[12] for r in rows)}/{len(rows)}; queries per page "
        f"{sorted({r[9] for r in rows})}; load average {os.getloadavg()}"
    )
    return rows


def glossary_report(pair_ids):
    print("\nGlossary pairs: the other-language document on page 1?")
    hits = 0
    for (query, language, title), doc_id in zip(GLOSSARY_PAIRS, pair_ids, strict=True):
        ids, found = page_ids({"q": query})
        also = ", ".join(f"{e.text} ({e.language})" for e in found.also_searched[:4])
        where = ids.index(doc_id) + 1 if doc_id in ids else None
        hits += where is not None
        print(f"  {query[:30]:30} → [{language}] {title[:34]:34} position {where}  also: {also}")
    print(f"  {hits}/{len(GLOSSARY_PAIRS)} on page 1")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if os.environ.get("ASMHUB_BENCH_SIZE") is None:
        env = {**os.environ, "ASMHUB_BENCH_SIZE": str(args.size)}
        env["DATABASE_URL"] = use_own_database(f"asmhub_bench_{args.size}")
        argv = [sys.executable, __file__, "--size", str(args.size), "--runs", str(args.runs)]
        subprocess.run(argv, env=env, check=True)  # noqa: S603
        return
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed(args.size)
    pair_ids = add_pair_documents()
    measure(args.runs)
    glossary_report(pair_ids)


if __name__ == "__main__":
    main()

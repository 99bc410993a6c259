"""Benchmark of library search: 100,000 resources, server time per request, SQL cost alone.

Usage: DJANGO_DEBUG=1 .venv/bin/python benchmarks/resources_bench.py \\
       [--sizes 100 100000] [--runs 40]

For each size it uses its own database (asmhub_bench_<size> on the server DATABASE_URL names, or
the embedded one when it is unset, shared with resource_detail_bench.py; seeded on first run
with SQL generate_series: realistic metadata in English, Spanish, French and Swahili, 10% of
resources with a file of 3,000-6,000 extracted words), then for each case prints p50/p95/p99
server time through Django's test client, the SQL queries per page, and the summed
EXPLAIN ANALYZE execution time of the page's SQL (the raw cost of the search SQL alone).
The cache is cleared before every request (cold counts); the browse page is also measured
warm (its facet counts are cached until a resource is reindexed).
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

from benchmarks._common import use_own_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

CASES = [
    ("common word", {"q": "mining"}),
    ("rare word", {"q": "zanzibarite"}),
    ("six common words", {"q": "gold mining mercury women children water"}),
    ("exclusion only", {"q": "-gold"}),
    ("phrase", {"q": '"mercury free"'}),
    ("word + two facets", {"q": "mercury", "country": "TZ", "commodity": "gold"}),
    ("facets only", {"country": "PE", "theme": "environment-mercury"}),
    ("browse (empty query)", {}),
    ("browse, page 50, by title", {"sort": "title", "page": "50"}),
    ("typo (did you mean)", {"q": "mercurry"}),
]


def words(text):
    return text.split()


EN = words("""mining artisanal small-scale gold miners mercury cooperative formalisation government
policy licence community women children health safety environment water land rights market
finance price buyers export tailings processing gravity cyanide retort training report study
survey district region village association income poverty livelihood conflict security
dialogue stakeholders company concession permit royalties tax law regulation enforcement
informal sector production ore pit shaft tunnel diamonds gemstones sand gravel cobalt copper
tin tantalum tungsten salt smelting refinery supply chain due diligence traceability
certification free amalgamation sluice dredging rehabilitation deforestation erosion
the the the of of of and and and in in to to for with on by from that is are was""")
ES = words("""minería artesanal pequeña escala oro mineros mercurio cooperativa formalización
gobierno política comunidad mujeres niños salud seguridad ambiente agua tierra derechos
mercado precio relaves procesamiento cianuro capacitación informe estudio región asociación
ingresos pobreza conflicto diálogo empresa concesión permiso regalías impuesto ley reglamento
informal sector producción mineral socavón libre amalgamación dragas deforestación
de de de la la el el en en y y los las para con por""")
FR = words("""exploitation minière artisanale petite échelle orpailleurs mercure coopérative
formalisation gouvernement politique communauté femmes enfants santé sécurité environnement
eau terre droits marché prix résidus traitement cyanure formation rapport étude région
association revenus pauvreté conflit dialogue entreprise concession permis redevances impôt
loi règlement informel secteur production minerai puits libre amalgamation dragage
de de de la la le le les les et et en des du pour avec""")
SW = words("""uchimbaji mdogo dhahabu wachimbaji zebaki ushirika serikali sera leseni jamii wanawake
watoto afya usalama mazingira maji ardhi haki soko bei mapato umaskini mgogoro mazungumzo
kampuni kibali kodi sheria sekta uzalishaji madini shimo na na ya ya wa wa kwa katika""")
SYNTHETIC_WORDS = 30_000


def sql_array(words):
    return "ARRAY[" + ",".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


SEED_SQL = """
SELECT setseed(0.42);
CREATE TEMP TABLE vocab (lang text PRIMARY KEY, words text[]);
INSERT INTO vocab VALUES ('en', {en}), ('es', {es}), ('fr', {fr}), ('sw', {sw});
INSERT INTO profiles_organisation (name, slug, acronym, website)
SELECT 'Bench organisation ' || i, 'bench-org-' || i, '', '' FROM generate_series(1, 200) i
ON CONFLICT DO NOTHING;
INSERT INTO taggit_tag (name, slug)
SELECT 'bench tag ' || i, 'bench-tag-' || i FROM generate_series(1, 300) i
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE seed AS
SELECT i,
    CASE WHEN i %% 20 < 12 THEN 'en' WHEN i %% 20 < 16 THEN 'es' WHEN i %% 20 < 19 THEN 'fr'
         ELSE 'sw' END AS lang,
    random() AS r1, random() AS r2, random() AS r3
FROM generate_series(1, {n}) i;

INSERT INTO resources_resource (title, slug, summary, resource_type, scope, authors, year,
    licence, external_url, status, review_note, featured, created_at, updated_at,
    published_at, download_count, organisation_id, search_config, facets)
SELECT
    CASE WHEN s.i %% 40 = 0 THEN 'Mercury free gold processing: ' ELSE '' END
    || initcap(t.title),
    'bench-' || s.i,
    sm.summary || CASE WHEN s.i %% 5000 = 7 THEN ' zanzibarite' ELSE '' END,
    (ARRAY['report','policy-brief','toolkit','case-study','legislation','dataset','training',
           'media','article'])[1 + floor(s.r1 * 9)::int],
    CASE WHEN s.r2 < 0.85 THEN 'countries' WHEN s.r2 < 0.95 THEN 'regional' ELSE 'global' END,
    'Author ' || (s.i %% 997) || '; Author ' || (s.i %% 389),
    2000 + floor(s.r3 * 27)::int,
    'CC BY 4.0', '',
    CASE WHEN s.i %% 33 = 0 THEN 'pending' ELSE 'published' END,
    '', s.i %% 500 = 0,
    now() - (s.i || ' hours')::interval, now(),
    CASE WHEN s.i %% 33 = 0 THEN NULL ELSE now() - (s.i || ' hours')::interval END,
    0,
    (SELECT id FROM profiles_organisation WHERE slug = 'bench-org-' || (1 + s.i %% 200)),
    'asm_simple', '{{}}'
FROM seed s
JOIN vocab v ON v.lang = s.lang
CROSS JOIN LATERAL (
    SELECT string_agg(
        v.words[1 + floor(random() ^ 2 * (array_length(v.words, 1) - 30))::int + 0 * g], ' '
    ) AS title
    FROM generate_series(1, 5 + s.i %% 6) g
) t
CROSS JOIN LATERAL (
    SELECT string_agg(CASE WHEN random() < 0.75
        THEN v.words[1 + floor(random() ^ 2 * array_length(v.words, 1))::int + 0 * g]
        ELSE translate(substr(md5(floor(random() ^ 3 * {synthetic})::text), 1, 4 + g %% 4),
                       '0123456789', 'ghijklmnop') END,
        ' ') AS summary
    FROM generate_series(1, 40 + s.i %% 50) g
) sm;

CREATE TEMP TABLE placed AS
SELECT r.id, s.lang, s.i FROM resources_resource r JOIN seed s ON r.slug = 'bench-' || s.i;

INSERT INTO resources_resource_languages (resource_id, language_id)
SELECT id, lang FROM placed
UNION SELECT id, 'en' FROM placed WHERE i %% 10 = 3 AND lang <> 'en';

INSERT INTO resources_resource_countries (resource_id, country_id)
SELECT DISTINCT p.id, c.code FROM placed p
JOIN resources_resource r ON r.id = p.id AND r.scope = 'countries'
CROSS JOIN LATERAL (
    SELECT (ARRAY['TZ','ET','CO','PE','BO','IN','GH','ML','BF','CD','ZW','KE','UG','EC','MN',
                  'PH','ID','SN','GN','NE'])[1 + floor(random() ^ 1.5 * 20)::int] AS code
    FROM generate_series(1, 1 + p.i %% 2) g
) c;

INSERT INTO resources_resource_regions (resource_id, region_id)
SELECT p.id, (SELECT id FROM taxonomy_region ORDER BY id OFFSET p.i %% 8 LIMIT 1)
FROM placed p JOIN resources_resource r ON r.id = p.id AND r.scope = 'regional';

INSERT INTO resources_resource_commodities (resource_id, commodity_id)
SELECT DISTINCT p.id, (SELECT id FROM taxonomy_commodity ORDER BY id
                       OFFSET floor(random() ^ 2 * 9 + g * 0)::int LIMIT 1)
FROM placed p CROSS JOIN LATERAL generate_series(1, 1 + p.i %% 2) g;

INSERT INTO resources_resource_themes (resource_id, theme_id)
SELECT DISTINCT p.id, (SELECT id FROM taxonomy_theme ORDER BY id OFFSET (p.i * 7 + g * 3) %% 10
                       LIMIT 1)
FROM placed p CROSS JOIN LATERAL generate_series(1, 1 + p.i %% 3) g;

INSERT INTO taggit_taggeditem (object_id, content_type_id, tag_id)
SELECT DISTINCT p.id, {content_type}, t.id FROM placed p
CROSS JOIN LATERAL generate_series(1, 1 + p.i %% 4) g
JOIN taggit_tag t ON t.slug = 'bench-tag-' || (1 + floor(random() ^ 2 * 300)::int);

INSERT INTO resources_resourcefile (resource_id, file, original_name, content_type, size,
    language_id, label, text, extraction, created_at)
SELECT p.id, 'bench/' || p.i || '.pdf', 'report.pdf', 'application/pdf', 2000000, p.lang,
    'Full report', body.text, 'done', now()
FROM placed p JOIN vocab v ON v.lang = p.lang
CROSS JOIN LATERAL (
    SELECT string_agg(CASE WHEN random() < 0.7
        THEN v.words[1 + floor(random() ^ 2 * array_length(v.words, 1))::int + 0 * g]
        ELSE translate(substr(md5(floor(random() ^ 3 * {synthetic})::text), 1, 4 + g %% 4),
                       '0123456789', 'ghijklmnop') END,
        ' ') AS text
    FROM generate_series(1, 3000 + (p.i * 7) %% 3000) g
) body
WHERE p.i %% 10 = 0;
"""


def seed(size: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from resources.models import Resource
    from resources.search import champions_rebuild, resources_reindex

    if Resource.objects.filter(slug__startswith="bench-").exists():
        print(f"  already seeded: {Resource.objects.count()} resources")
        return
    started = time.perf_counter()
    content_type = ContentType.objects.get_for_model(Resource).pk
    sql = SEED_SQL.format(
        en=sql_array(EN),
        es=sql_array(ES),
        fr=sql_array(FR),
        sw=sql_array(SW),
        synthetic=SYNTHETIC_WORDS,
        n=size,
        content_type=content_type,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("%%", "%"))
    print(f"  rows inserted in {time.perf_counter() - started:.0f} s")
    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        resources_reindex(resource_ids=ids[start : start + 5000])
    champions_rebuild()  # what `manage.py build_search_champions` does after a big import
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  seeded and indexed {len(ids)} resources in {time.perf_counter() - started:.0f} s")


def explain_ms(captured) -> float:
    """Summed EXPLAIN ANALYZE execution time of the page's SELECTs (SQL cost alone)."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"].strip()
            if not sql.upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            total += plan["Execution Time"] + plan.get("Planning Time", 0)
    return total


def measure(size: int, runs: int, show_plans: bool, only=None) -> list[tuple]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from resources.models import Resource

    client = Client()
    rows = []
    count = Resource.objects.published().count()
    cases = [*CASES, ("detail page", None)]
    if only:
        cases = [case for case in cases if any(word in case[0] for word in only)]
    for name, params in cases:
        if params is None:
            slug = Resource.objects.published().values_list("slug", flat=True).first()
            url = f"/resources/{slug}/"
        else:
            url = "/resources/" + ("?" + urlencode(params) if params else "")
        for warm in (False, True) if name.startswith("browse (") else (False,):
            cache.clear()
            status = client.get(url).status_code
            if status != 200:  # timing an error page would measure nothing
                raise SystemExit(f"FAILED: {url} answered {status}, expected 200")
            timings = []
            for _ in range(runs):
                if not warm:
                    cache.clear()
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            if not warm:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            sql_ms = explain_ms(captured.captured_queries)
            if show_plans and params is not None and not warm:
                print_plans(name, captured.captured_queries)
            cuts = statistics.quantiles(timings, n=100, method="inclusive")
            label = name + (" (warm cache)" if warm else "")
            rows.append(
                (
                    size,
                    count,
                    label,
                    status,
                    min(timings),
                    statistics.median(timings),
                    cuts[94],
                    cuts[98],
                    len(captured.captured_queries),
                    sql_ms,
                    response.content.count(b'class="result"'),
                )
            )
    return rows


def print_plans(name, captured):
    from django.db import connection

    print(f"\n--- EXPLAIN ANALYZE, {name}")
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"].strip()
            if not sql.upper().startswith(("SELECT", "WITH")) or "taxonomy_country WHERE" in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [row[0] for row in cursor.fetchall()]
            print("  " + sql[:110].replace("\n", " "))
            for line in lines[:3] + lines[-2:]:
                print("      " + line[:140])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 100_000])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--cases", nargs="*", help="only the cases whose name contains these")
    args = parser.parse_args()

    results = []
    if os.environ.get("ASMHUB_BENCH_SIZE") is None:
        # Each size in its own database; settings are read once, so each runs in a child.
        for size in args.sizes:
            env = {**os.environ, "ASMHUB_BENCH_SIZE": str(size)}
            env["DATABASE_URL"] = use_own_database(f"asmhub_bench_{size}")
            argv = [sys.executable, __file__, "--runs", str(args.runs), "--sizes", str(size)]
            argv += ["--cases", *args.cases] if args.cases else []
            subprocess.run(argv + (["--plans"] if args.plans else []), env=env, check=True)  # noqa: S603
        return
    size = int(os.environ["ASMHUB_BENCH_SIZE"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    # Production keeps its cache in Redis; an in-process cache stands in for it here.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"size {size}:")
    seed(size)
    results.extend(measure(size, args.runs, args.plans, args.cases))

    if results:
        print()
        header = ["size", "published", "case", "status", "min ms", "p50 ms", "p95 ms", "p99 ms"]
        header.append("queries")
        header.append("SQL ms")
        print(
            f"{header[0]:>7} {header[1]:>9} {header[2]:36} {header[3]:>6} "
            + " ".join(f"{h:>8}" for h in header[4:])
            + "  results"
        )
        print(f"load average: {os.getloadavg()}")
        for size, count, name, status, fastest, p50, p95, p99, queries, sql_ms, shown in results:
            print(
                f"{size:>7} {count:>9} {name:36} {status:>6} {fastest:8.1f} {p50:8.1f} {p95:8.1f} "
                f"{p99:8.1f} {queries:8d} {sql_ms:8.1f}  {shown}"
            )


if __name__ == "__main__":
    main()

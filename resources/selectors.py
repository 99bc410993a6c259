"""Reads for the library's browse and search page: one page of results, facets and suggestions.

The cost is bounded whatever the library's size, with a fixed number of SQL queries:
- relevance is exact (never a sample): every match is ordered by a bound read from its
  small metadata vector, and only the first few are scored from the full vector, with a
  proof that nothing left out can overtake the page (see ranking() and resources.search);
  relevance covers the best MAX_RANKED results (50 pages), then the page offers newest;
- all facet counts and the total come from one statement over the denormalised facet
  tokens: exact for a focused search, estimated from a stable 2% sample when a search
  matches much of the library; for the plain browse page they are cached until any
  resource is reindexed;
- snippets (ts_headline) are made for the results on the page only;
- a statement timeout stops a pathological query; facets are then left out, not the page.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection, transaction
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from resources import search
from resources.filters import FACETS, ResourceFilterSet
from resources.models import Resource

PER_PAGE = 20
# Relevance orders the best this many matches (50 pages); beyond, the page offers newest.
MAX_RANKED = 1000
TAGS_SHOWN = 20
STATEMENT_TIMEOUT_MS = 3000
# The scan of every match, when the champion lists cannot prove a page, gets this long.
SCAN_TIMEOUT_MS = 1500
# Facet counts: exact up to EXACT_LIMIT matches, else estimated from a sample of the library.
SAMPLE_BUCKETS = 2
# A phrase's cost follows the documents holding all its words (each one re-read to check
# the word order), typically several times its matches: sampled sooner, and smaller.
PHRASE_SAMPLE_BUCKETS = 1
PHRASE_EXACT_LIMIT = 500
EXACT_LIMIT = 3000
BROWSE_CACHE_SECONDS = 600
# Characters of the files' text that snippets are cut from (the vector holds more).
SNIPPET_TEXT_CAP = 1_500
MARK_START, MARK_END = "\u27e6", "\u27e7"  # unlikely in documents; replaced after escaping

FACET_LABELS = {
    "country": _("Country"),
    "commodity": _("Commodity"),
    "theme": _("Theme"),
    "type": _("Type"),
    "language": _("Language"),
    "year": _("Year"),
    "tag": _("Tag"),
}

LABELS_SQL = """
SELECT 'country', code, name FROM taxonomy_country WHERE code = ANY(%(country)s)
UNION ALL SELECT 'commodity', slug, name FROM taxonomy_commodity WHERE slug = ANY(%(commodity)s)
UNION ALL SELECT 'theme', slug, name FROM taxonomy_theme WHERE slug = ANY(%(theme)s)
UNION ALL SELECT 'language', code, name FROM taxonomy_language WHERE code = ANY(%(language)s)
UNION ALL SELECT 'tag', slug, name FROM taggit_tag WHERE slug = ANY(%(tag)s)
"""

SUGGEST_SQL = """
SELECT w.word, (
    SELECT v.word FROM resources_search_word v
    WHERE v.word %% w.word ORDER BY v.word <-> w.word LIMIT 1
), EXISTS (SELECT 1 FROM resources_search_word v WHERE v.word = w.word)
FROM unnest(%s::text[]) AS w(word)
"""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool
    url: str  # adds the value, or removes it when active


@dataclass
class FacetGroup:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


@dataclass
class SearchResults:
    filterset: ResourceFilterSet
    query: str
    sort: str
    page: Page
    results: list[Resource]
    total: int | None  # None when counting was given up (statement timeout)
    facets: list[FacetGroup] = field(default_factory=list)
    active_filters: list[ActiveFilter] = field(default_factory=list)
    suggestion: str = ""
    suggestion_url: str = ""
    ranked_only: int | None = None  # set when relevance covers fewer results than match
    estimated: bool = False  # counts estimated from a sample (very broad searches)
    also_searched: list = field(default_factory=list)  # glossary equivalents searched too
    approximate: bool = False  # relevance order not proven (ran out of time)
    exact_url: str = ""  # the same search without the equivalents

    @property
    def filter_key(self) -> str:
        """The active filters in a canonical form ("country=PE&theme=…"), for the search log."""
        active = sorted(self.filterset.active_facets.items())
        return urlencode([(name, value) for name, values in active for value in sorted(values)])


def resource_search(*, params: QueryDict, user=None) -> SearchResults:
    """The page of published resources the URL's parameters ask for, with facets.

    The library list is public: everyone, signed in or not (`user`), sees published
    resources only; unpublished ones never appear in results, counts or suggestions.
    """
    filterset = ResourceFilterSet(params, queryset=Resource.objects.published())
    query = filterset.query_text
    sort = filterset.sort_order
    matching = filterset.qs.order_by()

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [STATEMENT_TIMEOUT_MS])
        counts, total, estimated = _facet_counts(filterset, matching)
        countable = total if total is not None else PER_PAGE * 10
        ranked_only = None
        if sort == "relevance" and countable > MAX_RANKED:
            ranked_only, countable = MAX_RANKED, MAX_RANKED
        page = Paginator(range(countable), PER_PAGE).get_page(params.get("page"))
        results, proven = _page_results(matching, query, sort, page, also=filterset.also_text)
        page.object_list = results
        if query and results:
            _add_snippets(results, query)
        labels = _labels(counts, filterset.active_facets)
        suggestion = _suggestion(params, query) if query and not results else ""

    return SearchResults(
        filterset=filterset,
        query=query,
        sort=sort,
        page=page,
        results=results,
        total=total,
        facets=_facet_groups(params, counts, labels, filterset.active_facets),
        active_filters=_active_filters(params, filterset, labels),
        suggestion=suggestion,
        suggestion_url=_url(_with(params, q=suggestion)) if suggestion else "",
        ranked_only=ranked_only,
        estimated=estimated,
        also_searched=filterset.expansion,
        approximate=not proven,
        exact_url=_url(_with(params, exact="1")) if filterset.expansion else "",
    )


# -------------------------------------------------------------------- counting
def _facet_counts(filterset, matching) -> tuple[dict[str, int], int | None, bool]:
    """{token: count} for every facet token under the current search, the total, and
    whether both are estimates.

    Counting reads every matching row, ~5-8 ms per 1,000 matches on a 2-core machine: fine for a
    focused search, far too slow for a word found in half the library. So one statement
    first counts a fixed sample (SAMPLE_BUCKETS of 100 stable pseudo-random buckets, via
    the facets GIN index); only if that predicts at most EXACT_LIMIT matches does it count
    them all (PostgreSQL skips that part otherwise: a one-time filter). Broad searches show
    the sample's counts scaled up, as estimates.
    """
    plain_browse = not filterset.query_text and not filterset.active_facets
    cache_key = f"resources:browse-facets:{search.generation()}" if plain_browse else None
    if cache_key and (cached := cache.get(cache_key)) is not None:
        return cached
    phrase = _has_phrase(filterset.query_text)
    sample_buckets = PHRASE_SAMPLE_BUCKETS if phrase else SAMPLE_BUCKETS
    exact_limit = PHRASE_EXACT_LIMIT if phrase else EXACT_LIMIT
    scale = 100 / sample_buckets
    buckets = [f"bucket:{n}" for n in range(sample_buckets)]
    all_sql, all_params = matching.values("facets").query.sql_with_params()
    if filterset.query_text:
        # The bucket lexeme in the vector: one GIN scan that skips through the words' lists.
        sample = matching.filter(search_vector=search.bucket_query(range(sample_buckets)))
    else:
        sample = matching.filter(facets__overlap=buckets)
    sample = sample.values("facets")
    sample_sql, sample_params = sample.query.sql_with_params()
    # Django-compiled SQL of the filters; values stay parameters.
    facet_sql = f"""
        WITH sample AS MATERIALIZED ({sample_sql}),
        sampled AS (SELECT count(*) AS n FROM sample),
        matching AS MATERIALIZED (
            SELECT m.facets FROM ({all_sql}) m WHERE (SELECT n FROM sampled) * %s <= %s
        )
        SELECT true, NULL, count(*) FROM matching
        UNION ALL
        SELECT true, token, count(*) FROM matching, unnest(matching.facets) AS token
        GROUP BY token
        UNION ALL
        SELECT false, NULL, n FROM sampled
        UNION ALL
        SELECT false, token, count(*) FROM sample, unnest(sample.facets) AS token
        GROUP BY token
    """  # noqa: S608 - only constants interpolated; values are parameters
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(facet_sql, [*sample_params, *all_params, scale, exact_limit])
            rows = cursor.fetchall()
    except DatabaseError:
        return {}, None, False  # statement timeout: the page shows results, without counts
    sampled = next(n for exact, token, n in rows if not exact and token is None)
    estimated = sampled * scale > exact_limit
    if estimated:
        counts = {token: _about(n * scale) for exact, token, n in rows if not exact and token}
        total = _about(sampled * scale)
    else:
        counts = {token: n for exact, token, n in rows if exact and token}
        total = next(n for exact, token, n in rows if exact and token is None)
    if cache_key:
        cache.set(cache_key, (counts, total, estimated), BROWSE_CACHE_SECONDS)
    return counts, total, estimated


def _has_phrase(query: str) -> bool:
    return '"' in search.split_exclusions(query)[0]


def _about(value: float) -> int:
    """An estimate rounded to two significant figures (so it does not look exact)."""
    value = round(value)
    if value < 100:
        return max(value, 1)
    digits = len(str(value)) - 2
    return round(value, -digits)


# -------------------------------------------------------------------- the page itself
def _page_results(matching, query, sort, page, also="") -> tuple[list[Resource], bool]:
    """The page's resources, and whether their order is proven exact."""
    start = (page.number - 1) * PER_PAGE
    if sort == "relevance":
        ranked = ranking(matching, query, k=start + PER_PAGE, also=also)
        return _in_order(ranked.ids[start:]), ranked.proven
    return list(_ordered(matching, sort)[start : start + PER_PAGE]), True


def _ordered(matching, sort):
    if sort == "title":
        ordered = matching.order_by("title", "id")
    else:
        ordered = matching.order_by("-published_at", "-id")  # the status/published index
    return _for_display(ordered)


def _for_display(queryset):
    return (
        queryset.defer("search_vector", "rank_vector", "facets", "review_note")
        .select_related("organisation")
        .prefetch_related("countries")
    )


def _in_order(ids: list[int]) -> list[Resource]:
    by_id = {r.id: r for r in _for_display(Resource.objects.filter(id__in=ids))}
    return [by_id[i] for i in ids if i in by_id]


# -------------------------------------------------------------------- exact relevance
@dataclass
class Ranking:
    ids: list[int]
    rounds: int  # how many times the candidate set had to grow (1 = first try)
    candidates: int  # N of the last round
    last: tuple = ()  # (exact tier, score) of the k-th result
    champions: bool = False  # proven from the champion lists (no scan of every match)
    proven: bool = True  # False: the scan ran out of time; the best of the candidates


def ranked_ids(matching, query: str, *, k: int, also: str = "") -> list[int]:
    """The ids of the k best matches under search.RANK, best first: exact, never a sample."""
    return ranking(matching, query, k=k, also=also).ids


# Champion lists: how deep to read each operand's list (then every match is scanned),
# and how many resources an operand without a list may hold before the scan is cheaper.
CHAMPION_DEPTHS = (500, 4000)  # then every match is scanned
RARE_LIMIT = 3000
EPSILON = 1e-5  # float4 rounding in ts_rank, against the float8 impacts
# The operands of a tsquery's text ('mine' | 'mining'), quotes doubled inside.
OPERANDS_SQL = "regexp_matches(({q})::text, $re$'((?:[^']|'')*)'$re$, 'g') AS m"

CHAMPION_SQL = """
WITH ops AS MATERIALIZED (
    SELECT DISTINCT replace(m[1], $q$''$q$, $q$'$q$) AS lexeme FROM {operands}
),
listed AS MATERIALIZED (
    SELECT o.lexeme, l.floor, (SELECT count(*) FROM ops) AS operands FROM ops o
    LEFT JOIN resources_search_champion_list l ON l.lexeme = o.lexeme
)
SELECT o.lexeme, o.floor, o.operands, c.resource_id, c.impact
FROM listed o, LATERAL (
    SELECT c.resource_id, c.impact FROM resources_search_champion c
    WHERE c.lexeme = o.lexeme ORDER BY c.impact DESC LIMIT %s
) c
WHERE o.floor IS NOT NULL
UNION ALL
SELECT o.lexeme, NULL, o.operands, r.id, NULL
FROM listed o, LATERAL (
    SELECT r.id FROM resources_resource r
    WHERE r.search_vector @@ quote_literal(o.lexeme)::tsquery LIMIT %s
) r
WHERE o.floor IS NULL
"""


def ranking(matching, query: str, *, k: int, also: str = "") -> Ranking:
    """Exact top k: from the champion lists when they prove it, else by scanning every match.

    Threshold algorithm: read the best `depth` resources of each operand's champion list
    (an operand without a list: every resource holding it, when few). A resource outside
    all of them scores at most U = sum of each operand's threshold / operands + phrase
    credit; if the k-th of the candidates, ranked exactly, is above U, nothing left out can
    overtake it. Otherwise the depth grows (CHAMPION_DEPTHS), then every match is scanned.
    """
    words = search.split_exclusions(query)[0]
    best = None
    for depth in CHAMPION_DEPTHS if words else ():
        found = _champion_candidates(query, depth)
        if found is None:
            break
        limit, candidates, complete = found
        result = _scan_ranking(matching.filter(id__in=candidates), query, k=k, also=also)
        full_page = len(result.ids) == k and result.last[0]  # k exact-word results
        if complete and (not also or full_page):
            # Every resource holding a word was a candidate (and, with glossary words,
            # the page is all exact-word results: the equivalents' ones rank below).
            result.champions = True
            return result
        if complete:
            break  # deeper lists would add nobody: the equivalents need the scan
        if full_page and result.last[1] > limit:
            result.champions = True
            return result
        best = result
    try:
        with transaction.atomic():  # a statement timeout must not fail the page
            if connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [SCAN_TIMEOUT_MS])
            return _scan_ranking(matching, query, k=k, also=also)
    except DatabaseError:
        # Too slow to scan in time (several very common words, or a glossary word whose
        # equivalents are very common): the best-ranked of the champion candidates, said on
        # the page as not proven exact.
        if best is None:  # no candidates either: the newest matches, never an empty page
            newest = matching.order_by("-published_at", "-id").values_list("id", flat=True)
            best = Ranking(ids=list(newest[:k]), rounds=0, candidates=0)
        best.proven = False
        return best


def _champion_candidates(query: str, depth: int):
    """(U, candidate ids, whether they are every resource holding an operand) from the
    champion lists, or None when they cannot help."""
    compiler = Resource.objects.all().query.get_compiler(connection=connection)
    wanted_sql, wanted_params = compiler.compile(search.rank_query(query))
    sql = CHAMPION_SQL.format(operands=OPERANDS_SQL.format(q=wanted_sql))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*wanted_params, depth, RARE_LIMIT + 1])
        rows = cursor.fetchall()
    if not rows:
        return None
    lists: dict[str, list] = {}
    for lexeme, floor, _operands, resource_id, impact in rows:
        lists.setdefault(lexeme, []).append((floor, resource_id, impact))
    total, complete = 0.0, True
    for entries in lists.values():
        floor = entries[0][0]
        if floor is None:  # no list: every resource holding it is a candidate
            if len(entries) > RARE_LIMIT:
                return None  # frequent but not listed (lists not built yet): scan
            continue
        threshold = entries[-1][2] if len(entries) >= depth else 0.0
        total += max(threshold, floor)
        complete = complete and len(entries) < depth and floor == 0
    # ts_rank averages over every operand, even those no resource holds (no rows here).
    operands = rows[0][2]
    limit = total / max(operands, 1)
    if search.phrase_words(query):
        limit *= 1 + search.PHRASE_BONUS
    limit += EPSILON
    return limit, {row[3] for row in rows}, complete


def _scan_ranking(matching, query: str, *, k: int, also: str = "") -> Ranking:
    """Exact top k by the two-stage bound described in resources.search (how search ranks).

    Stage 1 orders every match by its bound, read from the metadata vector only; stage 2
    computes the exact score of the first N from the full vector (resources with file text
    only; for the others bound = score). The result is proven when the k-th exact result
    is ahead of the N+1-th bound: nothing left out can beat it. Otherwise N grows.
    """
    compiler = matching.query.get_compiler(connection=connection)
    exact_sql, exact_params = compiler.compile(search.rank_query(query))
    phrase = search.phrase_query(query)
    phrase_sql, phrase_params = compiler.compile(phrase) if phrase else ("NULL::tsquery", [])
    if also:
        also_sql, also_params = compiler.compile(search.rank_query(also))
    else:
        also_sql, also_params = "NULL::tsquery", []
    columns = matching.order_by().values(
        "id", "published_at", "search_vector", "rank_vector", "rank_norm"
    )
    match_sql, match_params = columns.query.sql_with_params()
    meta = "COALESCE(m.rank_vector, m.search_vector)"
    exact_bound = search.rank_sql(meta, "q.exact", "q.phrase", "m.rank_norm", meta)
    also_bound = search.rank_sql(meta, "q.also", "NULL::tsquery", "m.rank_norm", meta)
    meta_r = "r.rank_vector"
    exact_full = search.rank_sql("r.search_vector", "q.exact", "q.phrase", "r.rank_norm", meta_r)
    also_full = search.rank_sql("r.search_vector", "q.also", "NULL::tsquery", "r.rank_norm", meta_r)
    file_slack = search.FILE_SLACK * (1 + search.PHRASE_BONUS if phrase else 1)
    slack = f"CASE WHEN m.rank_vector IS NULL THEN 0 ELSE {file_slack} / m.rank_norm END"
    if also:
        # Exact words first: the tier is 1 when the exact words match. A resource with
        # file text may match them only there: its bound tier is 1 until stage 2 knows.
        tier_bound = "(m.rank_vector IS NOT NULL OR m.search_vector @@ q.exact)"
        tier_full = "(r.search_vector @@ q.exact)"
    else:
        tier_bound = tier_full = "true"
    sql = f"""
        WITH q AS MATERIALIZED (
            SELECT {exact_sql} AS exact, {phrase_sql} AS phrase, {also_sql} AS also
        ),
        stage1 AS (
            SELECT m.id, COALESCE(m.published_at, 'epoch'::timestamptz) AS published,
                m.rank_vector IS NOT NULL AS long, b.tier,
                CASE WHEN b.tier THEN {exact_bound} + {slack} ELSE {also_bound} END AS bound
            FROM ({match_sql}) m, q, LATERAL (SELECT {tier_bound} AS tier) b
            ORDER BY b.tier DESC, bound DESC, published DESC, m.id DESC
            LIMIT %s
        )
        SELECT s.id, s.published, s.tier, s.bound, s.long, e.tier, e.score
        FROM stage1 s, q, LATERAL (
            SELECT t.tier, CASE
                WHEN NOT s.long THEN s.bound
                WHEN t.tier THEN {exact_full}
                ELSE {also_full}
            END AS score
            FROM resources_resource r,
                LATERAL (SELECT CASE WHEN s.long THEN {tier_full} ELSE s.tier END AS tier) t
            WHERE r.id = s.id
        ) e
    """  # noqa: S608 - Django-compiled SQL and constants only; values are parameters
    params = [*exact_params, *phrase_params, *also_params, *match_params]
    n = max(2 * k + 50, 100)
    rounds = 0
    while True:
        rounds += 1
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, n + 1])
            rows = cursor.fetchall()
        candidates = rows[:n]
        best = sorted(
            candidates,
            key=lambda row: (row[5], row[6], row[1], row[0]),
            reverse=True,
        )
        top = best[:k]
        if len(rows) <= n or not top:
            break  # every match was scored exactly
        left_out = rows[n]  # the best bound of all the resources not scored exactly
        last = top[-1]
        if len(top) == k and (last[5], last[6], last[1], last[0]) >= (
            left_out[2],
            left_out[3],
            left_out[1],
            left_out[0],
        ):
            break  # proven: nothing left out can overtake the k-th
        n *= 4
    last = (top[-1][5], top[-1][6]) if top else ()
    return Ranking(ids=[row[0] for row in top], rounds=rounds, candidates=n, last=last)


def _add_snippets(results: list[Resource], query: str) -> None:
    """Highlighted extracts for the results on the page (never for all matches).

    From the summary when the words are there; from the start of the files' text when
    only the files hold them; none when only the title does (it shows the match already).
    The words are parsed with each resource's own configuration only (a quarter of the
    search's terms), and the files' text is cut to SNIPPET_TEXT_CAP: ts_headline's cost
    grows faster than the text it reads and the terms it looks for.
    """
    wanted = search.split_exclusions(query)[0] or query
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=10, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    sql = """
        SELECT r.id, CASE
            WHEN to_tsvector(r.search_config::regconfig, r.summary) @@ q.q
                THEN ts_headline(r.search_config::regconfig, r.summary, q.q, %(options)s)
            WHEN to_tsvector(r.search_config::regconfig, r.title) @@ q.q THEN NULL
            ELSE ts_headline(r.search_config::regconfig, COALESCE((
                SELECT string_agg(left(f.text, %(cap)s), ' … ' ORDER BY f.id)
                FROM resources_resourcefile f WHERE f.resource_id = r.id
            ), ''), q.q, %(options)s)
        END
        FROM resources_resource r,
        LATERAL (SELECT websearch_to_tsquery(r.search_config::regconfig, %(words)s) AS q) q
        WHERE r.id = ANY(%(ids)s)
    """
    params = {
        "options": options,
        "cap": SNIPPET_TEXT_CAP,
        "words": wanted,
        "ids": [r.id for r in results],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        snippets = dict(cursor.fetchall())
    for resource in results:
        text = escape(snippets.get(resource.id) or "")
        resource.snippet = mark_safe(  # noqa: S308 - escaped above; only our <mark> added
            text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
        )
        if MARK_START not in (snippets.get(resource.id) or ""):
            resource.snippet = ""  # nothing highlighted: the template shows the summary


# -------------------------------------------------------------------- suggestions
WORD = re.compile(r"\w+")


def _suggestion(params: QueryDict, query: str) -> str:
    """A query with each unknown word replaced by the nearest known one, if that finds any."""
    words = [w for w in {w.lower() for w in WORD.findall(query)} if len(w) >= 3 and w != "or"]
    if not words:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, unaccent(w) FROM unnest(%s::text[]) AS w",
            [words],
        )
        folded = dict(cursor.fetchall())
        cursor.execute(SUGGEST_SQL, [list(set(folded.values()))])
        nearest = {word: near for word, near, known in cursor.fetchall() if near and not known}
    replacements = {w: nearest[folded[w]] for w in words if folded[w] in nearest}
    if not replacements:
        return ""
    suggestion = WORD.sub(lambda m: replacements.get(m.group().lower(), m.group()), query)
    data = QueryDict(mutable=True)
    for key, values in _with(params, q=suggestion).items():
        data.setlist(key, values)
    check = ResourceFilterSet(data, queryset=Resource.objects.published())
    return suggestion if check.qs.exists() else ""


# -------------------------------------------------------------------- facets and URL state
def _labels(counts: dict[str, int], active: dict[str, list[str]]) -> dict[tuple[str, str], str]:
    wanted = {name: set(values) for name, values in active.items()}
    for token in counts:
        name, _sep, value = token.partition(":")
        wanted.setdefault(name, set()).add(value)
    labels = {("type", value): str(label) for value, label in Resource.Type.choices}
    params = {
        name: sorted(wanted.get(name, ()))
        for name in ("country", "commodity", "theme", "language", "tag")
    }
    if any(params.values()):
        with connection.cursor() as cursor:
            cursor.execute(LABELS_SQL, params)
            labels.update({(kind, key): name for kind, key, name in cursor.fetchall()})
    return labels


def _with(params: QueryDict, **changes) -> dict[str, list[str]]:
    """The URL's parameters with some replaced (None or [] removes them), page reset.

    Plain dicts rather than QueryDict copies: a page builds ~100 of these links.
    """
    query = {key: values for key, values in params.lists() if key != "page"}
    for key, value in changes.items():
        if value in (None, "", []):
            query.pop(key, None)
        else:
            query[key] = value if isinstance(value, list) else [value]
    return query


def _url(query: dict[str, list[str]]) -> str:
    encoded = urlencode(query, doseq=True)
    return f"?{encoded}" if encoded else "?"


def _facet_groups(params, counts, labels, active) -> list[FacetGroup]:
    by_name: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for token, count in counts.items():
        name, _sep, value = token.partition(":")
        if name in by_name:
            by_name[name].append((value, count))
    groups = []
    for name, pairs in by_name.items():
        chosen = active.get(name, [])
        if name == "year":
            pairs.sort(reverse=True)
        else:
            pairs.sort(key=lambda pair: (-pair[1], labels.get((name, pair[0]), pair[0])))
        if name == "tag":  # free tags are many: the most used, and any chosen
            pairs = [p for p in pairs if p[0] in chosen] + [p for p in pairs if p[0] not in chosen][
                :TAGS_SHOWN
            ]
        values = []
        for value, count in pairs:
            is_active = value in chosen
            after = [v for v in chosen if v != value] if is_active else [*chosen, value]
            values.append(
                FacetValue(
                    value=value,
                    label=labels.get((name, value), value),
                    count=count,
                    active=is_active,
                    url=_url(_with(params, **{name: after})),
                )
            )
        if values:
            groups.append(FacetGroup(name=name, label=str(FACET_LABELS[name]), values=values))
    return groups


def _active_filters(params, filterset, labels) -> list[ActiveFilter]:
    active = []
    if filterset.query_text:
        active.append(
            ActiveFilter(_("Words"), f"“{filterset.query_text}”", _url(_with(params, q=None)))
        )
    for name, values in filterset.active_facets.items():
        for value in values:
            rest = [v for v in values if v != value]
            changes = {name: rest}
            if name == "country" and not rest:
                changes["wider"] = None
            active.append(
                ActiveFilter(
                    str(FACET_LABELS[name]),
                    labels.get((name, value), value),
                    _url(_with(params, **changes)),
                )
            )
    if filterset.cleaned.get("wider") and filterset.active_facets.get("country"):
        active.append(
            ActiveFilter(
                _("Also"), _("regional and global resources"), _url(_with(params, wider=None))
            )
        )
    return active


# -------------------------------------------------------------------- portal pages
# Portal sections say "more than 1,000" rather than count a common word's every match.
COUNT_CAP = 1000


def _capped_count(queryset, shown: int, limit: int) -> int:
    if shown < limit:
        return shown
    return queryset.order_by().values("id")[: COUNT_CAP + 1].count()


def resource_search_top(*, query: str, limit: int = 5) -> tuple[list[Resource], int]:
    """The best few published matches for the hub-wide search, and how many match (the
    count stops at COUNT_CAP + 1)."""
    params = QueryDict.fromkeys(["q"], query)
    filterset = ResourceFilterSet(params, queryset=Resource.objects.published())
    text = filterset.query_text
    if not text:
        return [], 0
    matching = filterset.qs.order_by()
    results = _in_order(ranked_ids(matching, text, k=limit))
    if results:
        _add_snippets(results, text)
    return results, _capped_count(matching, len(results), limit)


def resources_for_country(*, code: str, limit: int = 5) -> tuple[list[Resource], int]:
    """The newest published resources about one country, and how many there are (the count
    stops at COUNT_CAP + 1)."""
    about = Resource.objects.published().filter(facets__contains=[f"country:{code}"])
    results = list(_ordered(about, "newest")[:limit])
    return results, _capped_count(about, len(results), limit)

"""Reads for the library's browse and search page: one page of results, facets and suggestions.

The cost is bounded whatever the library's size, with a fixed number of SQL queries:
- relevance ranks a bounded candidate set (the newest CANDIDATES matches), never every match;
- all facet counts and the total come from one pass over the matching ids and their
  denormalised facet tokens; for the plain browse page (no words, no filter) they are cached
  until any resource is reindexed;
- snippets (ts_headline) are made for the results on the page only;
- a statement timeout stops a pathological query; facets are then left out, not the page.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchRank
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from resources import search
from resources.filters import FACETS, ResourceFilterSet
from resources.models import Resource

PER_PAGE = 20
# Relevance ranks at most this many matches (the newest ones); beyond, sort by newest.
CANDIDATES = 1000
TAGS_SHOWN = 20
STATEMENT_TIMEOUT_MS = 3000
BROWSE_CACHE_SECONDS = 600
# Characters of the files' text that snippets are cut from (the vector holds more).
SNIPPET_TEXT_CAP = 10_000
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
        counts, total = _facet_counts(filterset, matching)
        countable = total if total is not None else PER_PAGE * 10
        ranked_only = None
        if sort == "relevance" and countable > CANDIDATES:
            ranked_only, countable = CANDIDATES, CANDIDATES
        page = Paginator(range(countable), PER_PAGE).get_page(params.get("page"))
        results = _page_results(matching, query, sort, page)
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
        suggestion_url=("?" + _with(params, q=suggestion).urlencode()) if suggestion else "",
        ranked_only=ranked_only,
    )


# -------------------------------------------------------------------- counting
def _facet_counts(filterset, matching) -> tuple[dict[str, int], int | None]:
    """{token: count} for every facet token under the current search, plus the total."""
    plain_browse = not filterset.query_text and not filterset.active_facets
    cache_key = f"resources:browse-facets:{search.generation()}" if plain_browse else None
    if cache_key and (cached := cache.get(cache_key)) is not None:
        return cached
    sql, params = matching.values("id", "facets").query.sql_with_params()
    # Django-compiled SQL of the filters; values stay parameters.
    facet_sql = f"""
        WITH matching AS MATERIALIZED ({sql})
        SELECT NULL, count(*) FROM matching
        UNION ALL
        SELECT token, count(*) FROM matching, unnest(matching.facets) AS token
        WHERE token LIKE '%%:%%' AND token NOT LIKE 'near:%%'
        GROUP BY token
    """  # noqa: S608 - only constants interpolated; values are parameters
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(facet_sql, params)
            rows = cursor.fetchall()
    except DatabaseError:
        return {}, None  # statement timeout: the page still shows results, without counts
    total = next((n for token, n in rows if token is None), 0)
    counts = {token: n for token, n in rows if token is not None}
    if cache_key:
        cache.set(cache_key, (counts, total), BROWSE_CACHE_SECONDS)
    return counts, total


# -------------------------------------------------------------------- the page itself
def _page_results(matching, query, sort, page) -> list[Resource]:
    start = (page.number - 1) * PER_PAGE
    return list(_ordered(matching, query, sort)[start : start + PER_PAGE])


def _ordered(matching, query, sort):
    if sort == "relevance":
        # Ranking reads every candidate's whole vector, so only the newest CANDIDATES
        # matches are ranked: a common word costs the same as a rare one.
        candidates = matching.order_by("-published_at", "-id").values("id")[:CANDIDATES]
        ordered = (
            Resource.objects.filter(id__in=candidates)
            .annotate(rank=SearchRank(F("search_vector"), search.search_query(query)))
            .order_by("-rank", "-published_at", "-id")
        )
    elif sort == "title":
        ordered = matching.order_by("title", "id")
    else:
        ordered = matching.order_by(F("published_at").desc(nulls_last=True), "-id")
    return (
        ordered.defer("search_vector", "facets", "review_note")
        .select_related("organisation")
        .prefetch_related("countries")
    )


def _add_snippets(results: list[Resource], query: str) -> None:
    """Highlighted extracts for the results on the page (never for all matches)."""
    tsquery, query_params = search.tsquery_sql(query)
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=10, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    sql = f"""
        SELECT r.id, ts_headline(r.search_config::regconfig,
            r.summary || ' ' || COALESCE((
                SELECT string_agg(left(f.text, %s), ' ' ORDER BY f.id)
                FROM resources_resourcefile f WHERE f.resource_id = r.id
            ), ''),
            {tsquery}, %s)
        FROM resources_resource r WHERE r.id = ANY(%s)
    """  # noqa: S608 - only constants interpolated; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [SNIPPET_TEXT_CAP, *query_params, options, [r.id for r in results]])
        snippets = dict(cursor.fetchall())
    for resource in results:
        text = escape(snippets.get(resource.id, ""))
        resource.snippet = mark_safe(  # noqa: S308 - escaped above; only our <mark> added
            text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
        )


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
    check = ResourceFilterSet(_with(params, q=suggestion), queryset=Resource.objects.published())
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


def _with(params: QueryDict, **changes) -> QueryDict:
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value in (None, "", []):
            query.pop(key, None)
        elif isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


def _url(query: QueryDict) -> str:
    encoded = query.urlencode()
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
def resource_search_top(*, query: str, limit: int = 5) -> tuple[list[Resource], int]:
    """The best few published matches for the hub-wide search, and how many match."""
    params = QueryDict.fromkeys(["q"], query)
    filterset = ResourceFilterSet(params, queryset=Resource.objects.published())
    text = filterset.query_text
    if not text:
        return [], 0
    matching = filterset.qs.order_by()
    results = list(_ordered(matching, text, "relevance")[:limit])
    if results:
        _add_snippets(results, text)
    return results, matching.count() if len(results) == limit else len(results)


def resources_for_country(*, code: str, limit: int = 5) -> tuple[list[Resource], int]:
    """The newest published resources about one country, and how many there are."""
    about = Resource.objects.published().filter(facets__contains=[f"country:{code}"])
    results = list(_ordered(about, "", "newest")[:limit])
    return results, about.count() if len(results) == limit else len(results)

"""Keeps each resource's stored search vector and facet tokens current; builds search queries.

The vector weighs the title A, summary and tags B, authors and organisation C, and the files'
extracted text D. Each part is stemmed with the configuration of its language (asm_english,
asm_spanish, asm_french, else asm_simple; all fold accents with unaccent, see migration 0050).
A query is parsed with every configuration and the results are OR-ed, so whatever language
the searcher types in, the branch stemmed like the resource's own text finds it.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection

# Language code → text search configuration (created by migration 0050).
CONFIGS = {"en": "asm_english", "es": "asm_spanish", "fr": "asm_french"}
DEFAULT_CONFIG = "asm_simple"
QUERY_CONFIGS = [*CONFIGS.values(), DEFAULT_CONFIG]

# Characters of each file's text that go into the vector. A tsvector holds at most 1 MB and
# positions stop at 16,383; 200,000 characters (~30,000 words) stays far inside both while
# covering the reports people actually upload (the rest of a 300-page PDF adds few new words).
FILE_TEXT_CAP = 200_000

# Bumped whenever any resource is reindexed; cached facet counts include it in their key.
GENERATION_KEY = "resources:search-generation"

_CONFIG_VALUES = ", ".join(
    f"('{code}', '{name}', {n})" for n, (code, name) in enumerate(CONFIGS.items())
)

REINDEX_SQL = f"""
WITH config(code, name, position) AS (VALUES {_CONFIG_VALUES}),
target AS (
    SELECT r.id, COALESCE((
        SELECT config.name FROM resources_resource_languages rl
        JOIN config ON config.code = rl.language_id
        WHERE rl.resource_id = r.id ORDER BY config.position LIMIT 1
    ), '{DEFAULT_CONFIG}') AS config
    FROM resources_resource r
    WHERE r.id = ANY(%(ids)s)
),
computed AS (
    SELECT t.id, t.config,
        v.meta || v.body
        -- The resource's sample bucket as a lexeme no text can produce (it has a space):
        -- "words AND bucket" is then one GIN scan that skips most of a common word's list.
        || array_to_tsvector(ARRAY['bucket ' || lpad(
            ((hashint8(r.id) %% 100 + 100) %% 100)::text, 2, '0')]) AS vector,
        -- Ranking inputs (see RANK below): the metadata alone when there is file text, and
        -- the length normalisation, mostly from the metadata, a little from the files.
        CASE WHEN length(v.body) > 0 THEN v.meta END AS rank_vector,
        1 + ln(1 + length(v.meta) / 50.0) + 0.25 * ln(1 + length(v.body) / 1000.0)
            AS rank_norm,
        ARRAY(
            SELECT 'type:' || r.resource_type
            UNION ALL SELECT 'year:' || r.year WHERE r.year IS NOT NULL
            UNION ALL SELECT 'global' WHERE r.scope = 'global'
            UNION ALL SELECT 'country:' || rc.country_id FROM resources_resource_countries rc
                WHERE rc.resource_id = r.id
            UNION ALL SELECT DISTINCT 'near:' || trc.country_id
                FROM resources_resource_regions rr
                JOIN taxonomy_region_countries trc ON trc.region_id = rr.region_id
                WHERE rr.resource_id = r.id AND r.scope = 'regional'
            UNION ALL SELECT 'commodity:' || c.slug FROM resources_resource_commodities rco
                JOIN taxonomy_commodity c ON c.id = rco.commodity_id WHERE rco.resource_id = r.id
            UNION ALL SELECT 'theme:' || th.slug FROM resources_resource_themes rt
                JOIN taxonomy_theme th ON th.id = rt.theme_id WHERE rt.resource_id = r.id
            UNION ALL SELECT 'language:' || rl.language_id FROM resources_resource_languages rl
                WHERE rl.resource_id = r.id
            UNION ALL SELECT unnest(tg.tokens)
            -- A stable pseudo-random bucket (0-99): facet counts of very broad searches
            -- are estimated from a few buckets (see resources.selectors).
            UNION ALL SELECT 'bucket:' || ((hashint8(r.id) %% 100 + 100) %% 100)
        ) AS facets
    FROM target t
    JOIN resources_resource r ON r.id = t.id
    LEFT JOIN profiles_organisation o ON o.id = r.organisation_id
    LEFT JOIN LATERAL (
        SELECT string_agg(tag.name, ' ') AS names, array_agg('tag:' || tag.slug) AS tokens
        FROM taggit_taggeditem ti JOIN taggit_tag tag ON tag.id = ti.tag_id
        WHERE ti.content_type_id = %(content_type)s AND ti.object_id = r.id
    ) tg ON true
    LEFT JOIN LATERAL (
        SELECT asm_tsvector_agg(
            to_tsvector(COALESCE(fc.name, t.config)::regconfig, left(f.text, %(cap)s))
            ORDER BY f.id
        ) AS vector
        FROM resources_resourcefile f
        LEFT JOIN config fc ON fc.code = f.language_id
        WHERE f.resource_id = r.id AND f.text <> ''
    ) fv ON true
    CROSS JOIN LATERAL (
        SELECT setweight(to_tsvector(t.config::regconfig, r.title), 'A')
            || setweight(to_tsvector(t.config::regconfig,
                r.summary || ' ' || COALESCE(tg.names, '')), 'B')
            || setweight(to_tsvector(t.config::regconfig,
                r.authors || ' ' || COALESCE(o.name, '')), 'C') AS meta,
            setweight(COALESCE(fv.vector, ''::tsvector), 'D') AS body
    ) v
)
UPDATE resources_resource r
SET search_config = c.config, search_vector = c.vector, facets = c.facets,
    rank_vector = c.rank_vector, rank_norm = c.rank_norm
FROM computed c
WHERE r.id = c.id
"""  # noqa: S608 - only constants interpolated; values are parameters

# Only published words feed "did you mean", so a suggestion never reveals a pending title.
VOCABULARY_SQL = f"""
INSERT INTO resources_search_word (word)
SELECT DISTINCT v.lexeme
FROM resources_resource r
LEFT JOIN LATERAL (
    SELECT string_agg(tag.name, ' ') AS names
    FROM taggit_taggeditem ti JOIN taggit_tag tag ON tag.id = ti.tag_id
    WHERE ti.content_type_id = %(content_type)s AND ti.object_id = r.id
) tg ON true,
unnest(to_tsvector('{DEFAULT_CONFIG}',
    r.title || ' ' || r.summary || ' ' || COALESCE(tg.names, ''))) v
WHERE r.id = ANY(%(ids)s) AND r.status = 'published'
    AND length(v.lexeme) BETWEEN 3 AND 40 AND v.lexeme !~ '[0-9]'
ON CONFLICT (word) DO NOTHING
"""  # noqa: S608 - only constants interpolated; values are parameters


def resource_reindex(*, resource_id: int) -> None:
    """Recompute the stored tsvector of one resource from its metadata, tags and files' text.

    Called by the services after every write and by the extraction task after it finishes.
    """
    resources_reindex(resource_ids=[resource_id])


def resources_reindex(*, resource_ids) -> None:
    """Recompute vectors and facet tokens of many resources in one statement (bulk loads)."""
    params = {
        "ids": list(resource_ids),
        "content_type": ContentType.objects.get_by_natural_key("resources", "resource").pk,
        "cap": FILE_TEXT_CAP,
    }
    with connection.cursor() as cursor:
        cursor.execute(REINDEX_SQL, params)
        cursor.execute(VOCABULARY_SQL, params)
        cursor.execute(CHAMPION_REFRESH_SQL, params)
    bump_generation()


class LiteralTsQuery(SearchQuery):
    """A tsquery given literally, its lexemes not normalised (the bucket lexemes)."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = compiler.compile(self.source_expressions[-1])
        return f"({sql})::tsquery", params


def bucket_query(buckets) -> SearchQuery:
    """Matches the resources in these sample buckets (0-99); see REINDEX_SQL."""
    return LiteralTsQuery(" | ".join(f"'bucket {n:02d}'" for n in buckets))


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


# A quoted phrase (closed or not) or a run of non-space characters.
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


def split_exclusions(text: str) -> tuple[str, str]:
    """Split websearch text into what to look for and what to leave out ("-word", '-"a b"').

    Each configuration stems words differently, so an exclusion must hold in every branch:
    the branches OR the wanted words, and leave out whatever any branch calls excluded.
    """
    wanted, excluded = [], []
    for token in _TOKEN.findall(text):
        if token.startswith("-") and len(token) > 1:
            excluded.append(token[1:])
        else:
            wanted.append(token)
    return " ".join(wanted), " OR ".join(excluded)


def exclusion_tokens(text: str) -> list[str]:
    """The typed exclusions as they were typed ("-gold", '-"free trade"')."""
    return [t for t in _TOKEN.findall(text) if t.startswith("-") and len(t) > 1]


def _any_config(text: str) -> SearchQuery:
    query = None
    for config in QUERY_CONFIGS:
        branch = SearchQuery(text, config=config, search_type="websearch")
        query = branch if query is None else query | branch
    return query


def rank_query(text: str) -> SearchQuery:
    """What ranking reads: the wanted words only (exclusions filter, they do not rank), so
    the query's top operator is always OR and ts_rank is a sum over its operands."""
    wanted = split_exclusions(text)[0]
    return _any_config(wanted or text)


def search_query(text: str) -> SearchQuery:
    """The words typed, in websearch syntax, parsed by every configuration.

    Wanted words match if any configuration's parse matches; excluded ones exclude if any
    configuration's parse matches.
    """
    wanted, excluded = split_exclusions(text)
    query = _any_config(wanted or text)
    if excluded and wanted:
        for config in QUERY_CONFIGS:  # not (a or b) = not a and not b
            query = query & ~SearchQuery(excluded, config=config, search_type="websearch")
    return query


# ==================================================================== how search ranks
# The one definition of relevance (README "How search ranks"). For a resource r and the
# typed words Q (parsed by every configuration, so Q's operands are each word's stems):
#
#   score(r) = ts_rank(RANK_WEIGHTS, vector(r), Q)
#              × (1 + PHRASE_BONUS if the words stand together in r's metadata)
#              / rank_norm(r)
#
# - Fielded weights: title 1.0 > summary and tags 0.4 > authors and organisation 0.2 >
#   file text 0.1 (ts_rank's A, B, C, D). ts_rank (its OR form: Q is an OR of the
#   configurations' parses) averages over Q's operands the weight of each operand's best
#   position plus a tail that converges (the j-th occurrence adds w/j²): a 300-page report
#   cannot win by bulk, at most ~0.6 × its best weight more than one mention.
# - Length normalisation: rank_norm = 1 + ln(1 + metadata lexemes / 50)
#   + 0.25 × ln(1 + file lexemes / 1000), precomputed at reindex: a short focused record
#   beats a long one that mentions the word once.
# - Phrase credit: when two or more words are typed, × (1 + PHRASE_BONUS) if they stand
#   together, in order, in the title, summary, tags or authors (proximity in the metadata).
#   A factor rather than an added constant, so the champion lists' bound stays tight.
# - Ties: newest first (published_at), then the higher id.
# - Glossary expansion: documents that match the exact words come first; those found only
#   through a glossary equivalent follow, ranked by the same formula on the equivalents.
#
# Exactness at any size (resources.selectors.ranked_ids): ranking reads each matching
# resource's *metadata* vector only (small, stored in the row); for a resource with file
# text, the file's positions all come after the metadata's in the full vector, and each
# operand's ts_rank term grows by at most 0.1 (D weight) when they are added, so
# score_full(r) ≤ bound(r) = score_metadata(r) + FILE_SLACK × phrase factor / rank_norm(r).
# The first stage
# orders every match by bound (exact for resources without files), the second computes
# the exact score of the first N from the full vector, and the page is proven when its
# last result is ahead of the best bound left out; otherwise N grows and it runs again.
WEIGHTS = {"D": 0.1, "C": 0.2, "B": 0.4, "A": 1.0}  # file text, authors, summary, title
RANK_WEIGHTS = "{" + ", ".join(str(WEIGHTS[w]) for w in "DCBA") + "}"
PHRASE_BONUS = 0.5
FILE_SLACK = 0.1001  # 0.1 (D weight) proven above, plus float4 rounding room


def rank_sql(vector: str, words: str, phrase: str, norm: str, meta: str) -> str:
    """SQL of score(r): `vector` ranked against tsquery `words`, phrase checked on `meta`."""
    return (
        f"(ts_rank('{RANK_WEIGHTS}', {vector}, {words})::float8"
        f" * CASE WHEN {phrase} IS NOT NULL AND {meta} @@ {phrase}"
        f" THEN {1 + PHRASE_BONUS} ELSE 1 END / {norm})"
    )


# A word for the phrase credit: letters and digits, not an operator.
_PHRASE_WORD = re.compile(r"\w+")


def phrase_words(text: str) -> str:
    """The wanted words, in order, when there are two or more (for the phrase credit)."""
    wanted = split_exclusions(text)[0]
    words = [w for w in _PHRASE_WORD.findall(wanted) if w.lower() != "or"]
    return " ".join(words) if len(words) >= 2 else ""


def phrase_query(text: str) -> SearchQuery | None:
    """The words as an adjacent phrase, in every configuration (None for fewer than two)."""
    words = phrase_words(text)
    if not words:
        return None
    query = None
    for config in QUERY_CONFIGS:
        branch = SearchQuery(words, config=config, search_type="phrase")
        query = branch if query is None else query | branch
    return query


# ==================================================================== champion lists
# For a word found in thousands of resources, scanning every match is too slow, so each
# frequent lexeme (in at least CHAMPION_MIN_DF resources) keeps an impact-ordered list:
# impact(lexeme, r) = its ts_rank term in r's full vector / rank_norm(r), so that
# score(r) = sum of its operands' impacts / number of operands + phrase credit / norm.
# A list keeps its best CHAMPION_LIST_SIZE resources; `floor` bounds every one left out.
# resources.selectors.ranking reads the top of each operand's list and proves that no
# resource outside them can beat the page (threshold algorithm), else it scans every match.
CHAMPION_MIN_DF = 2000
CHAMPION_LIST_SIZE = 20000

_WEIGHT_CASE = (
    "CASE x.w "
    + " ".join(f"WHEN '{w}' THEN {v}" for w, v in WEIGHTS.items() if w != "D")
    + f" ELSE {WEIGHTS['D']} END"
)
# ts_rank's term for one lexeme (tsrank.c, calc_rank_or): the best weight, plus the j-th
# position's weight / j² over all positions, minus the best one's own share, / (pi²/6).
IMPACT_SQL = f"""((
    SELECT (max(y.wt) + sum(y.wt / (y.o * y.o))
        - max(y.wt) / ((array_agg(y.o ORDER BY y.wt DESC, y.o))[1] ^ 2)) / 1.64493406685
    FROM (SELECT ({_WEIGHT_CASE})::float8 AS wt, x.o::float8 AS o
          FROM unnest(u.weights) WITH ORDINALITY AS x(w, o)) y
) / r.rank_norm)"""  # noqa: S608 - only constants interpolated

CHAMPION_REFRESH_SQL = f"""
DELETE FROM resources_search_champion WHERE resource_id = ANY(%(ids)s);
INSERT INTO resources_search_champion (lexeme, resource_id, impact)
SELECT s.lexeme, s.id, s.impact FROM (
    SELECT u.lexeme, r.id, {IMPACT_SQL} AS impact, l.floor
    FROM resources_resource r, unnest(r.search_vector) u
    JOIN resources_search_champion_list l ON l.lexeme = u.lexeme
    WHERE r.id = ANY(%(ids)s)
) s
WHERE s.impact > s.floor;
"""  # noqa: S608 - only constants interpolated; values are parameters

CHAMPION_REBUILD_SQL = f"""
CREATE TEMP TABLE frequent ON COMMIT DROP AS
SELECT word AS lexeme FROM ts_stat('SELECT search_vector FROM resources_resource')
WHERE ndoc >= %(min_df)s AND word !~ ' ';
CREATE TEMP TABLE impacts ON COMMIT DROP AS
SELECT u.lexeme, r.id, {IMPACT_SQL} AS impact
FROM resources_resource r, unnest(r.search_vector) u
WHERE u.lexeme IN (SELECT lexeme FROM frequent);
CREATE TEMP TABLE ranked ON COMMIT DROP AS
SELECT lexeme, id, impact,
    row_number() OVER (PARTITION BY lexeme ORDER BY impact DESC, id DESC) AS n
FROM impacts;
TRUNCATE resources_search_champion, resources_search_champion_list;
INSERT INTO resources_search_champion_list (lexeme, floor)
SELECT f.lexeme, COALESCE((SELECT max(impact) FROM ranked k
    WHERE k.lexeme = f.lexeme AND k.n > %(size)s), 0)
FROM frequent f;
INSERT INTO resources_search_champion (lexeme, resource_id, impact)
SELECT lexeme, id, impact FROM ranked WHERE n <= %(size)s;
"""  # noqa: S608 - only constants interpolated; values are parameters


def champions_rebuild(*, min_df: int = CHAMPION_MIN_DF, size: int = CHAMPION_LIST_SIZE) -> int:
    """Recompute which lexemes are frequent and their lists; returns how many lists."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CHAMPION_REBUILD_SQL, {"min_df": min_df, "size": size})
        cursor.execute("SELECT count(*) FROM resources_search_champion_list")
        return cursor.fetchone()[0]

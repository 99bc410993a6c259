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
        setweight(to_tsvector(t.config::regconfig, r.title), 'A')
        || setweight(to_tsvector(t.config::regconfig,
            r.summary || ' ' || COALESCE(tg.names, '')), 'B')
        || setweight(to_tsvector(t.config::regconfig,
            r.authors || ' ' || COALESCE(o.name, '')), 'C')
        || setweight(COALESCE(fv.vector, ''::tsvector), 'D') AS vector,
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
)
UPDATE resources_resource r
SET search_config = c.config, search_vector = c.vector, facets = c.facets
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
    bump_generation()


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


def _any_config(text: str) -> SearchQuery:
    query = None
    for config in QUERY_CONFIGS:
        branch = SearchQuery(text, config=config, search_type="websearch")
        query = branch if query is None else query | branch
    return query


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


def tsquery_sql(text: str) -> tuple[str, list[str]]:
    """The same query as a raw SQL fragment and its parameters."""
    wanted, excluded = split_exclusions(text)

    def any_config(words):
        parts = [f"websearch_to_tsquery('{config}', %s)" for config in QUERY_CONFIGS]
        return "(" + " || ".join(parts) + ")", [words] * len(parts)

    sql, params = any_config(wanted or text)
    if excluded and wanted:
        excluded_sql, excluded_params = any_config(excluded)
        sql, params = f"({sql} && !!{excluded_sql})", params + excluded_params
    return sql, params

# Full-text search: accent-folding text search configurations per language, the denormalised
# facet column, and the word list behind "did you mean".
import django.contrib.postgres.fields
from django.db import migrations, models

# Each configuration copies PostgreSQL's own and puts unaccent in front of its stemmer, so
# "minería" and "mineria" index (and query) the same. asciiword tokens have no accents.
CONFIGS = [
    ("asm_english", "english", "english_stem"),
    ("asm_spanish", "spanish", "spanish_stem"),
    ("asm_french", "french", "french_stem"),
    ("asm_simple", "simple", "simple"),
]

CREATE_CONFIGS = "\n".join(
    f"""
    CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{base});
    ALTER TEXT SEARCH CONFIGURATION {name}
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer};
    """
    for name, base, stemmer in CONFIGS
)
DROP_CONFIGS = "\n".join(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {n};" for n, *_ in CONFIGS)

SQL = (
    CREATE_CONFIGS
    + """
    -- tsvector || tsvector as an aggregate: one vector from the text of all of a resource's files.
    CREATE AGGREGATE asm_tsvector_agg(tsvector) (
        SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = ''
    );
    -- Facet filters (@> and &&) and counts only ever look at published resources.
    CREATE INDEX resource_facets_gin ON resources_resource USING gin (facets)
        WHERE status = 'published';
    CREATE INDEX resource_title_published ON resources_resource (title, id)
        WHERE status = 'published';
    -- Words of published titles, summaries and tags, for "did you mean" (trigram nearest).
    CREATE TABLE resources_search_word (word text PRIMARY KEY);
    CREATE INDEX resources_search_word_trgm ON resources_search_word
        USING gist (word gist_trgm_ops);
    """
)
REVERSE_SQL = (
    """
    DROP TABLE IF EXISTS resources_search_word;
    DROP INDEX IF EXISTS resource_title_published;
    DROP INDEX IF EXISTS resource_facets_gin;
    DROP AGGREGATE IF EXISTS asm_tsvector_agg(tsvector);
    """
    + DROP_CONFIGS
)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("taxonomy", "0002_extensions"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="search_config",
            field=models.CharField(default="asm_simple", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="resource",
            name="facets",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=150),
                blank=True,
                default=list,
                editable=False,
                size=None,
            ),
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]

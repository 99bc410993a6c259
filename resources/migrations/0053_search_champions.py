# Champion lists (issue 11): for each frequent lexeme, the resources where it weighs most,
# impact-ordered, and the bound ("floor") on every resource left out. Maintained by
# resources.search (reindex) and rebuilt by `manage.py build_search_champions`.
import django.db.models.deletion
from django.db import migrations, models

SQL = """
CREATE TABLE resources_search_champion (
    lexeme text NOT NULL,
    resource_id bigint NOT NULL
        REFERENCES resources_resource (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    impact double precision NOT NULL,
    PRIMARY KEY (lexeme, resource_id)
);
CREATE INDEX resources_search_champion_order
    ON resources_search_champion (lexeme, impact DESC) INCLUDE (resource_id);
CREATE INDEX resources_search_champion_resource ON resources_search_champion (resource_id);
CREATE TABLE resources_search_champion_list (
    lexeme text PRIMARY KEY,
    floor double precision NOT NULL
);
"""
REVERSE_SQL = """
DROP TABLE IF EXISTS resources_search_champion;
DROP TABLE IF EXISTS resources_search_champion_list;
"""


class Migration(migrations.Migration):
    dependencies = [("resources", "0052_search_log")]

    # The SQL makes the tables; the state tells Django they exist (so a flush empties them).
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(SQL, REVERSE_SQL)],
            state_operations=[
                migrations.CreateModel(
                    name="SearchChampion",
                    fields=[
                        ("pk", models.CompositePrimaryKey("lexeme", "resource", blank=True, editable=False, primary_key=True, serialize=False)),
                        ("lexeme", models.TextField()),
                        ("resource", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="resources.resource")),
                        ("impact", models.FloatField()),
                    ],
                    options={"db_table": "resources_search_champion"},
                ),
                migrations.CreateModel(
                    name="SearchChampionList",
                    fields=[
                        ("lexeme", models.TextField(primary_key=True, serialize=False)),
                        ("floor", models.FloatField()),
                    ],
                    options={"db_table": "resources_search_champion_list"},
                ),
            ],
        )
    ]

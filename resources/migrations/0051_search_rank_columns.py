# Relevance ranking (issue 11): per resource, the metadata-only vector of resources that have
# file text (so the first ranking stage never reads the large vectors) and the precomputed
# length normalisation. Filled by resources.search.resources_reindex.
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_curators_resource_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="resource",
            name="rank_norm",
            field=models.FloatField(db_default=1.0, default=1.0, editable=False),
        ),
    ]

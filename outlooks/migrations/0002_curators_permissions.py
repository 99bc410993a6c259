# Gives the "Curators" group the permissions programme staff need on Outlooks: editing the
# methodology, reviewing and publishing editions, reading revisions and the history.
from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = [
    "methodology",
    "sectiondefinition",
    "indicatordefinition",
    "edition",
    "sectiontext",
    "indicatorvalue",
]
READ_ONLY = ["revision", "editionevent"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("outlooks")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(
        *Permission.objects.filter(content_type__app_label="outlooks", content_type__model__in=CURATED)
    )
    curators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="outlooks",
            content_type__model__in=READ_ONLY,
            codename__startswith="view_",
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outlooks", "0001_initial"),
        ("profiles", "0002_curators_group_and_cache"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

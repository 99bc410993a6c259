# Creates the "Curators" group with the permissions programme staff need on the shared kernel
# (each component app's own migration adds its models' permissions), and the database cache
# table that allauth's rate limits use when no REDIS_URL is set.
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.core.management import call_command
from django.db import migrations

KERNEL_MODELS = {
    "taxonomy": ["country", "region", "language", "commodity", "theme", "stakeholdertype"],
    "profiles": ["organisation", "profile"],
}


def create_curators(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so the group gets them.
    for app_label in KERNEL_MODELS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # the migration state's app stub lacks it
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    for app_label, models in KERNEL_MODELS.items():
        curators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )
    # Curators may see users (to review who submitted what) but not change their rights.
    curators.permissions.add(
        *Permission.objects.filter(content_type__app_label="profiles", codename="view_user")
    )


def create_cache_table(apps, schema_editor):
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0001_initial"),
        ("taxonomy", "0003_seed_taxonomy"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_curators, migrations.RunPython.noop),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]

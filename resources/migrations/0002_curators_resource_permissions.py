# Gives the "Curators" group what programme staff need on the library: review, edit, feature
# and withdraw resources and their files, and tidy the shared tag list.
from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "resources": ["resource", "resourcefile"],
    "taggit": ["tag"],
}


def grant(apps, schema_editor):
    for app_label in PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # the migration state's app stub lacks it
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    for app_label, models in PERMISSIONS.items():
        curators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators = Group.objects.filter(name="Curators").first()
    if curators is not None:
        curators.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="resources",
                content_type__model__in=PERMISSIONS["resources"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0050_search_configs"),
        ("profiles", "0002_curators_group_and_cache"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

# Gives the "Curators" group the permissions programme staff need on learning groups in the
# admin: they look after groups, memberships and meetings (and see the rest of the record).
from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGED = ["learninggroup", "membership", "meeting", "attendance", "actionitem", "invitation",
           "joinrequest", "groupdocument", "groupoutput"]
VIEW_ONLY = ["activity"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("learning_groups")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="learning_groups", content_type__model__in=MANAGED
        ),
        *Permission.objects.filter(
            content_type__app_label="learning_groups",
            content_type__model__in=VIEW_ONLY,
            codename__startswith="view_",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning_groups", "0002_workspace"),
        ("profiles", "0002_curators_group_and_cache"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

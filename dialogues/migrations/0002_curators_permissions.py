# Gives the "Curators" group every permission on the dialogue models, including the custom
# publish_dialogue that only curators hold (publishing a record is theirs alone).
from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "dialogueseries",
    "dialogue",
    "participationcount",
    "namedparticipant",
    "session",
    "dialogueresource",
    "followupaction",
    "followupupdate",
]


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so the group gets them.
    app_config = apps.get_app_config("dialogues")
    app_config.models_module = True  # the migration state's app stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(
        *Permission.objects.filter(content_type__app_label="dialogues", content_type__model__in=MODELS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Curators"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="dialogues"))


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0001_initial"),
        ("profiles", "0002_curators_group_and_cache"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

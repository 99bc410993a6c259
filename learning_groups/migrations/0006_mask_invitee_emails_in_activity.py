"""Recent activity showed invitees' full email addresses to every member: mask the old rows.

New rows are masked by services.invitation_send; this applies the same mask to rows recorded
before. Irreversible by nature (the addresses stay on the invitations themselves).
"""

from django.db import migrations


def mask(apps, schema_editor):
    Activity = apps.get_model("learning_groups", "Activity")
    for activity in Activity.objects.filter(verb="invited", subject__contains="@"):
        local, _at, domain = activity.subject.partition("@")
        if local.endswith("…"):
            continue
        activity.subject = f"{local[:1]}…@{domain}"
        activity.save(update_fields=["subject"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning_groups", "0005_document_deleted_activity"),
    ]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]

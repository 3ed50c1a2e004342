"""Uploads record when their check finished: a large one is checked by a background job, and
cannot be confirmed before. Every upload made before was checked in its request."""

from django.db import migrations, models
from django.db.models import F


def checked_when_uploaded(apps, schema_editor):
    WorkbookUpload = apps.get_model("organisation", "WorkbookUpload")
    WorkbookUpload.objects.update(checked_at=F("uploaded_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="workbookupload",
            name="checked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(checked_when_uploaded, migrations.RunPython.noop),
    ]

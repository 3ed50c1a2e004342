"""WorkbookUpload now belongs to the organisation app: removed from this app's state only.

The table and its rows stay; organisation/migrations/0001_initial.py takes the model over
with the same table.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0003_workbookupload'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='WorkbookUpload')],
            database_operations=[],
        ),
    ]

"""BuddyPairing now belongs to the buddies app: removed from this app's state only.

The tables and their rows stay; buddies/migrations/0001_initial.py takes the model and its
history over with the same tables. It runs after the roles were made (certificates 0002), which
granted permissions on the model while it was still here; the permissions follow it.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0001_initial'),
        ('certificates', '0002_roles'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalBuddyPairing'),
                migrations.DeleteModel(name='BuddyPairing'),
            ],
            database_operations=[],
        ),
    ]

"""The shared cache's table (settings.CACHES: Django's database cache), made by `migrate`.

So that `migrate` alone leaves a database on which every page and command works. The
command is idempotent: a table that `createcachetable` made before is left as it is.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = []

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False),
    ]

"""`migrate` alone makes the shared cache's table: no `createcachetable` step to forget."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_migrate_makes_the_cache_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE tracker_cache")
    MigrationExecutor(connection).migrate([("core", None)])
    assert "tracker_cache" not in connection.introspection.table_names()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "tracker_cache" in connection.introspection.table_names()
    cache.set("probe", 1)
    assert cache.get("probe") == 1

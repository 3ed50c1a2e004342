"""SQLite writers queue for the write lock instead of failing with "database is locked"."""

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own options")
def test_sqlite_takes_the_write_lock_at_the_start_and_waits_for_it():
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10

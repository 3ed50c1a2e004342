"""A PostgreSQL backup restores to the same organisation: pg_dump, pg_restore into a new
database, and export_workbook gives the same workbook from both (the README's procedure)."""

import contextlib
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
        reason="pg_dump and pg_restore back up PostgreSQL",
    ),
]


def export(path: Path) -> dict:
    from django.core.management import call_command

    call_command("export_workbook", str(path), stdout=io.StringIO())
    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


@contextlib.contextmanager
def database_named(name: str):
    """The default connection pointed at another database of the same server meanwhile."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def small_organisation() -> None:
    from tests.factories.buddies import BuddyPairingFactory
    from tests.factories.certificates import CertificationFactory, TierFactory
    from tests.factories.skills import SignoffFactory
    from tests.factories.training import AttendanceFactory, ModuleCompletionFactory

    tier = TierFactory(rank=1, name="Tier I")
    for _ in range(3):
        SignoffFactory()
        AttendanceFactory()
        ModuleCompletionFactory()
    CertificationFactory(tier=tier)
    BuddyPairingFactory()


def test_a_dump_restores_to_the_same_workbook(tmp_path):
    small_organisation()
    db = connection.settings_dict
    auth = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)]
    auth += ["--username", db["USER"] or "postgres"]
    restored = f"{db['NAME']}_restored"
    dump = tmp_path / "tracker.dump"
    subprocess.run(
        ["pg_dump", *auth, "--format=custom", "--file", str(dump), db["NAME"]], check=True
    )
    subprocess.run(["dropdb", *auth, "--if-exists", restored], check=True)
    subprocess.run(["createdb", *auth, restored], check=True)
    try:
        subprocess.run(["pg_restore", *auth, "--dbname", restored, str(dump)], check=True)
        original = export(tmp_path / "original.xlsx")
        with database_named(restored):
            copy = export(tmp_path / "restored.xlsx")
    finally:
        subprocess.run(["dropdb", *auth, "--if-exists", restored], check=True)
    assert len(original["Employees"]) > 10, "the organisation was exported"
    assert copy == original

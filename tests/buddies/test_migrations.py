"""Moving BuddyPairing to the buddies app keeps its rows, its history and the roles' rights."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("training", "0001_initial"), ("certificates", "0002_roles")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_migrations_move_pairings_with_their_history_and_permissions():
    old = migrate(BEFORE)
    department = old.get_model("skills", "Department")
    employee = old.get_model("skills", "Employee")
    front = department.objects.create(code="CC", name="Calls", side="front", site="A")
    back = department.objects.create(code="BO", name="Billing", side="back", site="A")
    hired = datetime.date(2025, 1, 1)
    seeker = employee.objects.create(
        employee_number="E1", first_name="A", last_name="B", department=front, hire_date=hired
    )
    buddy = employee.objects.create(
        employee_number="E2", first_name="C", last_name="D", department=back, hire_date=hired
    )
    started = datetime.date(2026, 1, 5)
    pairing = old.get_model("training", "BuddyPairing").objects.create(
        seeker=seeker, buddy=buddy, started_on=started
    )
    old.get_model("training", "HistoricalBuddyPairing").objects.create(
        id=pairing.pk,
        seeker=seeker,
        buddy=buddy,
        started_on=started,
        history_date=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        history_type="+",
    )

    executor = MigrationExecutor(connection)
    new = migrate(executor.loader.graph.leaf_nodes())

    pairings = new.get_model("buddies", "BuddyPairing").objects
    assert list(pairings.values_list("seeker__employee_number", "buddy__employee_number")) == [
        ("E1", "E2")
    ]
    history = new.get_model("buddies", "HistoricalBuddyPairing").objects
    assert list(history.values_list("id", "history_type")) == [(pairing.pk, "+")]
    manager = new.get_model("auth", "Group").objects.get(name="manager")
    assert set(
        manager.permissions.filter(codename__endswith="_buddypairing").values_list(
            "content_type__app_label", "codename"
        )
    ) == {
        ("buddies", "add_buddypairing"),
        ("buddies", "change_buddypairing"),
        ("buddies", "view_buddypairing"),
    }

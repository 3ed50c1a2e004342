"""The same sign-off posted from two connections at once: one is recorded, the other is told
so in the form's words (PostgreSQL; SQLite queues its writers)."""

import pytest
from django.db import connection

from skills.models import Signoff
from tests.concurrency import at_once
from tests.skills.test_services import TODAY, create, people  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite has one writer",
    ),
]


def test_two_identical_sign_offs_at_once_record_one_and_refuse_the_other(people):  # noqa: F811
    outcomes = at_once(lambda: create(people).pk, times=4)

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused", "refused", "refused"]
    refused = [value for kind, value in outcomes if kind == "refused"]
    assert all(
        message == [f"E3 already has a level 3 sign-off on BILL-DISPUTE dated {TODAY}"]
        for message in refused
    )
    assert Signoff.objects.count() == 1

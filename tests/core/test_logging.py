"""A refused request is logged once, in one line; a server error keeps its traceback."""

import io
import logging
import sys

import pytest
from django.urls import reverse

from core.logging import OneLineRefusals
from core.roles import Role


def record(status: int) -> logging.LogRecord:
    try:
        raise ValueError("boom")
    except ValueError:
        made = logging.LogRecord("django.request", logging.WARNING, "", 0, "x", (), sys.exc_info())
    made.status_code = status
    return made


@pytest.mark.parametrize(("status", "traceback"), [(403, False), (404, False), (500, True)])
def test_refusals_lose_their_traceback_and_errors_keep_it(status, traceback):
    kept = record(status)
    assert OneLineRefusals().filter(kept) is True
    assert (kept.exc_info is not None) is traceback


@pytest.fixture
def django_log():
    (handler,) = [  # the console handler (pytest adds capturing ones beside it)
        h
        for h in logging.getLogger("django").handlers
        if any(isinstance(f, OneLineRefusals) for f in h.filters)
    ]
    stream = handler.setStream(io.StringIO())
    yield handler.stream
    handler.setStream(stream)


@pytest.mark.django_db
def test_a_403_writes_one_line_to_the_log(client, make_user, django_log):
    client.force_login(make_user("eve", Role.EMPLOYEE))
    assert client.get(reverse("certificates:team")).status_code == 403
    assert django_log.getvalue().splitlines() == ["Forbidden (Permission denied): /tiers/team/"]
    assert logging.getLogger("django").propagate is False

"""A session form saved twice (a double click, a retried request) records one session."""

import re
import uuid

import pytest
from django.urls import reverse

from tests.training.test_views_sessions import CREATE, session_post, world  # noqa: F401
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


def token_of(html: str) -> str:
    return re.search(r'name="submission" value="([0-9a-f-]{36})"', html).group(1)


def test_the_form_carries_a_fresh_single_use_token(client, world):  # noqa: F811
    client.force_login(world.user)
    first, second = (token_of(client.get(CREATE).content.decode()) for _ in range(2))
    assert first != second


def test_the_same_form_saved_twice_records_one_session_and_shows_it(client, world):  # noqa: F811
    client.force_login(world.user)
    data = session_post(world, submission=token_of(client.get(CREATE).content.decode()))

    assert client.post(CREATE, data).status_code == 302
    again = client.post(CREATE, data, follow=True)

    session = TrainingSession.objects.get()
    assert again.redirect_chain[-1][0] == reverse(
        "training:session-detail", args=[session.session_ref]
    )
    assert f"already saved as session {session.session_ref}" in again.content.decode()
    assert session.attendances.count() == 3


def test_a_refused_save_keeps_its_token_and_the_corrected_form_saves(client, world):  # noqa: F811
    client.force_login(world.user)
    token = str(uuid.uuid4())
    refused = client.post(CREATE, session_post(world, submission=token, trainer_number="E999"))
    assert refused.status_code == 200 and token_of(refused.content.decode()) == token
    assert client.post(CREATE, session_post(world, submission=token)).status_code == 302
    assert TrainingSession.objects.count() == 1

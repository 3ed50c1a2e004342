"""Sign-in throttling (django-axes) on both sign-in pages, and the password reset by e-mail."""

import datetime
import re
import time

import pytest
from django.urls import reverse

from core.roles import Role

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-only"  # tests/conftest.py make_user
LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    return settings


def sign_in(client, url, username, password, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_pause_that_login_even_with_the_right_one(client, make_user, throttled):
    make_user("ola", Role.TRAINER)
    statuses = [sign_in(client, LOGIN, "ola", "wrong").status_code for _ in range(3)]
    assert statuses == [200, 200, 429], "the third failure pauses the login"
    refused = sign_in(client, LOGIN, "ola", PASSWORD, address="10.0.0.2")
    assert refused.status_code == 429
    assert "Signing in is paused" in refused.content.decode()
    assert "15 minutes" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_address_guessing_many_logins_is_paused(client, make_user, throttled):
    make_user("ben", Role.TRAINER)
    for name in ("amy", "cat", "dan"):
        sign_in(client, LOGIN, name, "guess")
    assert sign_in(client, LOGIN, "ben", PASSWORD).status_code == 429
    assert sign_in(client, LOGIN, "ben", PASSWORD, address="10.0.0.9").status_code == 302


def test_the_admin_sign_in_is_throttled_too_and_attempts_are_logged(client, make_user, throttled):
    from axes.models import AccessAttempt

    make_user("root", Role.ADMINISTRATOR)
    for _ in range(3):
        sign_in(client, ADMIN_LOGIN, "root", "wrong")
    assert sign_in(client, ADMIN_LOGIN, "root", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="root").exists()


def test_after_the_cool_off_the_right_password_works(client, make_user, throttled):
    throttled.AXES_COOLOFF_TIME = datetime.timedelta(seconds=1)
    make_user("ola", Role.TRAINER)
    for _ in range(3):
        sign_in(client, LOGIN, "ola", "wrong")
    assert sign_in(client, LOGIN, "ola", PASSWORD).status_code == 429
    time.sleep(1.2)
    assert sign_in(client, LOGIN, "ola", PASSWORD).status_code == 302


def test_a_forgotten_password_is_reset_through_an_e_mailed_link(client, make_user, mailoutbox):
    make_user("ola", Role.TRAINER, email="ola@example.com")
    page = client.get(LOGIN).content.decode()
    assert reverse("password_reset") in page

    sent = client.post(reverse("password_reset"), {"email": "ola@example.com"}, follow=True)
    assert "Check your e-mail" in sent.content.decode()
    (mail,) = mailoutbox
    assert mail.to == ["ola@example.com"] and "password" in mail.subject.lower()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
        follow=True,
    )
    assert "Password set" in done.content.decode()
    assert client.login(username="ola", password="a-new-long-passphrase")


def test_an_unknown_address_is_answered_the_same_and_sends_nothing(client, db, mailoutbox):
    sent = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "Check your e-mail" in sent.content.decode()
    assert mailoutbox == []


def test_the_address_on_the_employee_record_works_too(client, make_user, mailoutbox):
    from tests.factories.skills import EmployeeFactory

    user = make_user("ada", Role.EMPLOYEE)  # no e-mail on the login itself
    EmployeeFactory(user=user, email="ada.lee@example.com")
    client.post(reverse("password_reset"), {"email": "Ada.Lee@example.com"})
    (mail,) = mailoutbox
    assert mail.to == ["Ada.Lee@example.com"] and "ada" in mail.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.body).group(1)
    form = client.get(link, follow=True)
    new = {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"}
    client.post(form.redirect_chain[-1][0], new)
    assert client.login(username="ada", password="another-long-passphrase")

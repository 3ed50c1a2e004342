"""Project-wide fixtures: a login for each role."""

import pytest
from django.contrib.auth.models import Group

from core.roles import Role


@pytest.fixture
def make_user(django_user_model):
    """Creates a login holding the given roles (administrators are superusers and staff)."""

    def make(username: str, *roles: str, **extra):
        is_admin = Role.ADMINISTRATOR in roles
        user = django_user_model.objects.create_user(
            username=username,
            password="pw-for-tests-only",
            is_staff=is_admin,
            is_superuser=is_admin,
            **extra,
        )
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def role_users(db, make_user):
    """One login per role, keyed by role name."""
    return {role: make_user(f"user-{role}", role) for role in Role.values}

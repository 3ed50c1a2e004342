"""Project-wide fixtures: the role groups in every database test, a login for each role."""

import importlib

import factory.random
import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from core.roles import Role

ROLES_MIGRATION = importlib.import_module("certificates.migrations.0002_roles")
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}

# Factories' random names and values repeat from run to run, so a failure can be replayed.
factory.random.reseed_random("tier-tracker")


def ensure_role_groups() -> None:
    """Re-creates the role groups their migration makes, when a flush has removed them.

    Browser journeys run in transactional tests whose flush empties every table; the serialized
    rollback meant to restore the migrations' rows is attached to the connection the database was
    set up on, and Playwright's event loop makes Django hand the test thread another one.
    """
    if Group.objects.filter(name__in=Role.values).count() == len(Role.values):
        return
    # The apps whose models existed when the roles were made, and those models moved to since.
    everything = Q(
        content_type__app_label__in=["auth", "skills", "training", "certificates", "buddies"]
    )
    wanted = {**ROLES_MIGRATION.ROLE_PERMISSIONS, Role.ADMINISTRATOR.value: None}
    for role, codes in wanted.items():
        group, _ = Group.objects.get_or_create(name=role)
        query = everything if codes is None else Q(pk__in=[])
        for code in codes or ():
            # By codename alone: a model may have moved app since (buddy pairings did).
            query |= Q(codename=code.split(".")[1])
        group.permissions.set(Permission.objects.filter(query))


@pytest.fixture(autouse=True)
def role_groups(request):
    """Every test that touches the database finds the five role groups."""
    uses_db = request.node.get_closest_marker("django_db") or DB_FIXTURES & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        ensure_role_groups()


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

"""The five roles of the tracker and how a login maps onto them."""

from django.contrib.auth.models import AnonymousUser
from django.db import models


class Role(models.TextChoices):
    EMPLOYEE = "employee", "Employee"
    TRAINER = "trainer", "Trainer"
    MANAGER = "manager", "Manager"
    PAYROLL = "payroll", "Payroll"
    ADMINISTRATOR = "administrator", "Administrator"


ALL_ROLES: frozenset[str] = frozenset(Role.values)
# Who works with everyone's training records: trainers, managers and administrators.
STAFF_ROLES: frozenset[str] = frozenset({Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR})
# Who may act over other people's records: managers and administrators.
SUPERVISOR_ROLES: frozenset[str] = frozenset({Role.MANAGER, Role.ADMINISTRATOR})

# Order in which a person holding several roles sees their home page.
ROLE_PRECEDENCE: tuple[str, ...] = (
    Role.ADMINISTRATOR,
    Role.MANAGER,
    Role.PAYROLL,
    Role.TRAINER,
    Role.EMPLOYEE,
)


def user_roles(user) -> frozenset[str]:
    """The role names of a login: its groups, plus administrator for superusers."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_tracker_roles", None)
    if cached is not None:
        return cached
    names = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    if user.is_superuser:
        names.add(Role.ADMINISTRATOR)
    roles = frozenset(names)
    user._tracker_roles = roles
    return roles


def primary_role(user) -> str | None:
    roles = user_roles(user)
    for role in ROLE_PRECEDENCE:
        if role in roles:
            return role
    return None

"""The one access table: for every URL name, who may use it; and the middleware that enforces it.

A URL name missing from the table is refused for everyone (and the access test fails), so a new
page cannot be published by accident.
"""

import fnmatch
import logging
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.roles import ALL_ROLES, STAFF_ROLES, SUPERVISOR_ROLES, Role, user_roles

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """Who may open a URL: anybody (public), any signed-in login, or the listed roles."""

    roles: frozenset[str] = frozenset()
    public: bool = False
    any_signed_in: bool = False

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return self.any_signed_in or bool(user_roles(user) & self.roles)


def roles(*names: str) -> Rule:
    unknown = set(names) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return Rule(roles=frozenset(names))


PUBLIC = Rule(public=True)
SIGNED_IN = Rule(any_signed_in=True)
STAFF = roles(*STAFF_ROLES)
SUPERVISORS = roles(*SUPERVISOR_ROLES)
PAYROLL = roles(Role.PAYROLL, Role.ADMINISTRATOR)
EVERY_ROLE = roles(*ALL_ROLES)
ADMINISTRATOR = roles(Role.ADMINISTRATOR)

# URL name (or a glob over names, tried after the exact names) -> rule.
ACCESS: dict[str, Rule] = {
    # Accounts
    "login": PUBLIC,
    "logout": PUBLIC,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    # Core
    "core:home": SIGNED_IN,
    "core:health": PUBLIC,
    # A job is its owner's (and administrators'): checked in the views, 404 for anyone else.
    "core:jobs": SIGNED_IN,
    "core:job": SIGNED_IN,
    "core:job-status": SIGNED_IN,
    "core:job-download": SIGNED_IN,
    # skills: organisation, sign-offs, coverage
    "skills:coverage": STAFF,
    "skills:coverage-help": STAFF,
    "skills:expiring": STAFF,
    "skills:signoff-create": STAFF,
    "skills:signoff-revoke": STAFF,
    # training: sessions, modules, buddy pairing
    # (object rules in the views: a session is corrected by its own trainer or a manager or
    # administrator; an employee sees only their own skill history)
    "training:session-list": STAFF,
    "training:session-create": STAFF,
    "training:session-detail": STAFF,
    "training:session-correct": STAFF,
    "training:employee-search": STAFF,
    "training:employee-skills": roles(
        Role.EMPLOYEE, Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR
    ),
    "training:signoff-create": STAFF,  # moved: redirects to skills:signoff-create
    "training:signoff-revoke": STAFF,  # moved: redirects to skills:signoff-revoke
    "training:module-list": STAFF,
    "training:module-review": SUPERVISORS,
    "training:completion-create": STAFF,
    "training:completion-batch": STAFF,
    "training:new-hires": STAFF,
    # certificates: tiers, progress, certification, payroll, workbooks
    # (progress: payroll does not see it; an employee sees only their own, in the view)
    "certificates:my-progress": roles(
        Role.EMPLOYEE, Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR
    ),
    "certificates:employee-progress": roles(
        Role.EMPLOYEE, Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR
    ),
    "certificates:team": STAFF,
    "certificates:team-export": STAFF,
    "certificates:payroll": PAYROLL,
    "certificates:payroll-export": PAYROLL,
    "certificates:payroll-add-periods": PAYROLL,
    "certificates:payroll-close": PAYROLL,
    "certificates:certify": SUPERVISORS,
    "certificates:certify-bulk": SUPERVISORS,
    "certificates:certification-revoke": SUPERVISORS,
    # (a certificate's PDF: its holder, or trainers, managers and administrators, in the view)
    "certificates:certificate-pdf": roles(
        Role.EMPLOYEE, Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR
    ),
    "certificates:certificate-archive": ADMINISTRATOR,
    # Anyone holding a certificate's code sees its status (rate-limited per address).
    "verify:form": PUBLIC,
    "verify:code": PUBLIC,
    # buddies: suggestions, pairings, exclusions and absences (an exclusion's reason is for
    # managers' eyes only)
    "buddies:suggestions": SUPERVISORS,
    "buddies:pairings": SUPERVISORS,
    "buddies:pairing-end": SUPERVISORS,
    "buddies:exclusions": SUPERVISORS,
    # (workbook: administrators import the whole workbook and export it, payroll and
    # administrators the roster; a preview is shown to its uploader and administrators,
    # confirmed only by its uploader)
    "organisation:workbook-upload": ADMINISTRATOR,
    "organisation:roster-upload": roles(Role.PAYROLL, Role.ADMINISTRATOR),
    "organisation:roster-export": roles(Role.PAYROLL, Role.ADMINISTRATOR),
    "organisation:workbook-preview": roles(Role.PAYROLL, Role.ADMINISTRATOR),
    "organisation:workbook-confirm": roles(Role.PAYROLL, Role.ADMINISTRATOR),
    "organisation:workbook-changes": roles(Role.PAYROLL, Role.ADMINISTRATOR),
    "organisation:workbook-export": ADMINISTRATOR,
    # Django admin: the administrator's catalogue and repair shop.
    "admin:login": PUBLIC,
    "admin:*": ADMINISTRATOR,
}


def rule_for(view_name: str) -> Rule | None:
    """The rule for a resolved URL name, or None when the table has no entry."""
    rule = ACCESS.get(view_name)
    if rule is not None:
        return rule
    for pattern, candidate in ACCESS.items():
        if "*" in pattern and fnmatch.fnmatchcase(view_name, pattern):
            return candidate
    return None


class AccessMiddleware:
    """Applies the access table to every request that resolves to a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        rule = rule_for(view_name)
        if rule is None:
            logger.error("URL %r has no entry in the access table; refused.", view_name)
            raise PermissionDenied("This page is not in the access table.")
        if rule.allows(request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("Your role does not give access to this page.")

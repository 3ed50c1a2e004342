"""The access table covers every URL, and each entry admits exactly the roles it names."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.access import ACCESS, PUBLIC, Rule, rule_for
from core.roles import ALL_ROLES, Role

pytestmark = pytest.mark.django_db

# URLs answered with a method other than GET.
METHODS = {"logout": "post"}

# Keyword arguments for URLs that take them: view name -> function(world) -> kwargs.
# A new URL with arguments must be added here, or the role walk below fails for it.
URL_KWARGS: dict = {}


# training: the trainer login gives the session (a trainer corrects only their own sessions) and
# the skill history shown is the employee login's own (an employee sees only their own).
def _own_employee(user):
    from tests.factories.skills import EmployeeFactory

    return getattr(user, "employee", None) or EmployeeFactory(user=user)


def _trainers_session(role_users):
    from tests.factories.training import TrainingSessionFactory

    return TrainingSessionFactory(trainer=_own_employee(role_users[Role.TRAINER]))


def _signoff(role_users):
    from tests.factories.skills import SignoffFactory

    return SignoffFactory()


def _module(role_users):
    from tests.factories.training import WorkflowModuleFactory

    return WorkflowModuleFactory()


URL_KWARGS.update(
    {
        "training:session-detail": lambda u: {"session_ref": _trainers_session(u).session_ref},
        "training:session-correct": lambda u: {"session_ref": _trainers_session(u).session_ref},
        "training:employee-skills": lambda u: {
            "employee_number": _own_employee(u[Role.EMPLOYEE]).employee_number
        },
        "training:signoff-revoke": lambda u: {"pk": _signoff(u).pk},
        "skills:signoff-revoke": lambda u: {"pk": _signoff(u).pk},
        "training:module-review": lambda u: {"code": _module(u).code},
    }
)


# progress and coverage: the progress page shown is the employee login's own (an
# employee sees only their own); any department will do for "who can help".
def _department(role_users):
    from tests.factories.skills import DepartmentFactory

    return DepartmentFactory()


URL_KWARGS.update(
    {
        "certificates:employee-progress": lambda u: {
            "employee_number": _own_employee(u[Role.EMPLOYEE]).employee_number
        },
        "skills:coverage-help": lambda u: {"code": _department(u).code},
        "certificates:certify": lambda u: {
            "employee_number": _own_employee(u[Role.EMPLOYEE]).employee_number
        },
        "certificates:certification-revoke": lambda u: {"pk": _certification(u).pk},
        "certificates:payroll-close": lambda u: {"start": _period(u).start.isoformat()},
    }
)


def _period(role_users):
    from tests.factories.certificates import PayPeriodFactory

    return PayPeriodFactory()


def _certification(role_users):
    from tests.factories.certificates import CertificationFactory

    return CertificationFactory()


# workbook import: an upload of the payroll login; administrators see its preview too
# (only its uploader may confirm it; a GET of the confirm URL goes back to the preview).
def _payroll_upload(role_users):
    from organisation.models import WorkbookUpload

    return WorkbookUpload.objects.create(
        kind="roster", uploaded_by=role_users[Role.PAYROLL], file_name="roster.xlsx", size=0
    )


URL_KWARGS.update(
    {
        "organisation:workbook-preview": lambda u: {"token": _payroll_upload(u).token},
        "organisation:workbook-confirm": lambda u: {"token": _payroll_upload(u).token},
        "organisation:workbook-changes": lambda u: {"token": _payroll_upload(u).token},
    }
)


# certificates: the employee login's own certificate (an employee downloads only their own);
# any code will do for the public verification page (an unknown one answers the same).
def _own_certificate(role_users):
    from tests.factories.certificates import CertificationFactory

    return CertificationFactory(employee=_own_employee(role_users[Role.EMPLOYEE]))


URL_KWARGS.update(
    {
        "certificates:certificate-pdf": lambda u: {
            "number": _own_certificate(u).certificate_number
        },
        "verify:code": lambda u: {"code": _own_certificate(u).verification_code},
    }
)


# jobs: a finished job of the trainer's; anyone else but an administrator gets 404 from the
# view (a job is its owner's), whatever the table admits.
def _trainer_job(role_users):
    from core.models import Job

    return Job.objects.create(
        owner=role_users[Role.TRAINER], kind="test", title="A job", status=Job.Status.DONE,
        result=b"x", result_name="x.txt", result_type="text/plain",
    )  # fmt: skip


JOB_URLS = {"core:job", "core:job-status", "core:job-download"}
URL_KWARGS.update({name: (lambda u: {"token": _trainer_job(u).token}) for name in JOB_URLS})


# accounts: any link will do for the reset form (a bad one is a page saying so).
URL_KWARGS["password_reset_confirm"] = lambda u: {"uidb64": "MQ", "token": "set-password"}


# buddies: any pairing will do for the end form.
def _pairing(role_users):
    from tests.factories.buddies import BuddyPairingFactory

    return BuddyPairingFactory()


URL_KWARGS["buddies:pairing-end"] = lambda u: {"pk": _pairing(u).pk}

# Admin has dozens of URLs; the glob rule covers them all, and these stand for the rest.
ADMIN_SAMPLES = ("admin:index", "admin:skills_employee_changelist", "admin:auth_user_changelist")


def walk(resolver: URLResolver, namespace: str = ""):
    """Every (view name, pattern) under a resolver, namespaced like reverse() expects."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern):
            # Unnamed URLs resolve under their view's dotted path, as ResolverMatch names them.
            yield f"{namespace}{entry.name or entry.lookup_str}", entry


def all_view_names() -> list[str]:
    return sorted({name for name, _ in walk(get_resolver())})


def checked_view_names() -> list[str]:
    return [n for n in all_view_names() if not n.startswith("admin:")] + list(ADMIN_SAMPLES)


def test_access_table_covers_every_url():
    missing = [name for name in all_view_names() if rule_for(name) is None]
    assert missing == [], f"URL names without an entry in core.access.ACCESS: {missing}"


def test_access_every_url_outside_admin_is_named():
    unnamed = [
        str(pattern.pattern)
        for name, pattern in walk(get_resolver())
        if not name.startswith("admin:") and not pattern.name
    ]
    assert unnamed == [], f"URLs without a name: {unnamed}"


def test_access_table_names_only_existing_urls():
    names = set(all_view_names())
    stale = [key for key in ACCESS if "*" not in key and key not in names]
    assert stale == [], f"ACCESS entries for URLs that no longer exist: {stale}"


def test_unknown_roles_are_rejected_when_the_table_is_built():
    from core.access import roles

    with pytest.raises(ValueError):
        roles("janitor")


def expected_for(rule: Rule, role: str | None) -> bool:
    if rule.public:
        return True
    if role is None:
        return False
    return rule.any_signed_in or role in rule.roles


def request(client, name: str, kwargs: dict):
    url = reverse(name, kwargs=kwargs or None)
    return getattr(client, METHODS.get(name, "get"))(url)


@pytest.mark.parametrize("name", checked_view_names())
def test_access_each_role_is_admitted_or_refused_as_the_table_says(name, client, role_users):
    rule = rule_for(name)
    kwargs = URL_KWARGS[name](role_users) if name in URL_KWARGS else {}
    for role in [None, *sorted(ALL_ROLES)]:
        client.logout()
        if role is not None:
            client.force_login(role_users[role])
        response = request(client, name, kwargs)
        who = role or "anonymous"
        if name in JOB_URLS and role not in (None, Role.TRAINER, Role.ADMINISTRATOR):
            assert response.status_code == 404, f"{name} as {who}: {response.status_code}"
        elif expected_for(rule, role):
            assert response.status_code in (200, 302), f"{name} as {who}: {response.status_code}"
            if response.status_code == 302 and not rule.public:
                assert "/accounts/login/" not in response["Location"], f"{name} as {who}"
        elif role is None:
            assert response.status_code == 302, f"{name} as anonymous: {response.status_code}"
            assert response["Location"].startswith(reverse("login")), name
        else:
            assert response.status_code == 403, f"{name} as {who}: {response.status_code}"


def test_access_url_missing_from_table_is_refused(client, role_users, monkeypatch):
    monkeypatch.delitem(ACCESS, "core:home")
    client.force_login(role_users[Role.ADMINISTRATOR])
    assert client.get(reverse("core:home")).status_code == 403


def test_access_public_rule_admits_anonymous(client):
    assert rule_for("login") is PUBLIC
    assert client.get(reverse("login")).status_code == 200


def test_the_administrator_may_open_every_page_trainers_managers_and_payroll_may():
    # The administrator's home promises "everything trainers, managers and payroll can do";
    # only a person's own pages (an employee's) are not the administrator's by role.
    from core.access import ACCESS

    for name, rule in ACCESS.items():
        if rule.roles & {Role.TRAINER, Role.MANAGER, Role.PAYROLL}:
            assert Role.ADMINISTRATOR in rule.roles, name

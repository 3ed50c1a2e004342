"""The admin opens every page of every model, keeps history read-only and records its user."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalChanges

from certificates.models import CertificateCounter, Certification, PayPeriod, PayrollRow
from core.roles import Role
from organisation.models import Reminder, WorkbookUpload
from skills.models import Employee, Signoff
from tests.factories.buddies import (
    BuddyExclusionFactory,
    BuddyPairingFactory,
    BuddyUnavailabilityFactory,
)
from tests.factories.certificates import (
    CertificateCounterFactory,
    CertificationFactory,
    PayPeriodFactory,
    PayrollRowFactory,
    TierFactory,
    TierSkillRequirementFactory,
)
from tests.factories.organisation import ReminderFactory, WorkbookUploadFactory
from tests.factories.skills import (
    DepartmentFactory,
    EmployeeFactory,
    SignoffFactory,
    SkillFactory,
)
from tests.factories.training import (
    AttendanceFactory,
    ModuleCompletionFactory,
    TrainingSessionFactory,
    WorkflowModuleFactory,
)
from training import admin as training_admin
from training.models import Attendance

pytestmark = pytest.mark.django_db

D = datetime.date
APPS = ("skills", "training", "certificates", "buddies", "organisation")

# One factory per model the admin shows; a model registered without an entry fails below.
FACTORIES = {
    factory._meta.model: factory
    for factory in (
        DepartmentFactory,
        EmployeeFactory,
        SkillFactory,
        SignoffFactory,
        WorkflowModuleFactory,
        ModuleCompletionFactory,
        TrainingSessionFactory,
        AttendanceFactory,
        BuddyPairingFactory,
        BuddyExclusionFactory,
        BuddyUnavailabilityFactory,
        TierFactory,
        TierSkillRequirementFactory,
        CertificationFactory,
        CertificateCounterFactory,  # moved on by issuing certificates only
        PayPeriodFactory,
        PayrollRowFactory,
        WorkbookUploadFactory,  # made by the import pages only
        ReminderFactory,  # made by send_reminders only
    )
}
MODELS = sorted(FACTORIES, key=lambda model: model._meta.label)

# Records that are revoked or ended, never deleted, and rows frozen by closing a period.
NEVER_DELETED = {Employee, Signoff, Certification, PayrollRow, CertificateCounter}


def url(model, page: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def form_errors(response) -> str:
    """Every error message of the admin page's form and inline forms, one per line."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.extend(inline.formset.forms)
    return "\n".join(m for form in forms for messages in form.errors.values() for m in messages)


@pytest.fixture
def administrator_client(client, make_user):
    user = make_user("root", Role.ADMINISTRATOR)
    client.force_login(user)
    client.user = user
    return client


def test_admin_registers_every_model_of_the_apps():
    models = {
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
    }
    registered = {model for model in admin.site._registry if model._meta.app_label in APPS}
    assert registered == models
    assert set(FACTORIES) == models


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_pages_open_for_every_model(administrator_client, model):
    obj = FACTORIES[model]()

    assert administrator_client.get(url(model, "changelist")).status_code == 200
    assert administrator_client.get(url(model, "changelist"), {"q": "E1"}).status_code == 200
    assert administrator_client.get(url(model, "change", obj.pk)).status_code == 200
    assert administrator_client.get(url(model, "history", obj.pk)).status_code == 200
    made_elsewhere = (PayrollRow, WorkbookUpload, CertificateCounter, Reminder)
    expected_add = 403 if model in made_elsewhere else 200
    assert administrator_client.get(url(model, "add")).status_code == expected_add


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_changelist_query_count_does_not_grow_with_rows(administrator_client, model):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert administrator_client.get(url(model, "changelist")).status_code == 200
        return len(queries)

    FACTORIES[model]()
    few = count_queries()
    FACTORIES[model].create_batch(5)
    assert count_queries() == few


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_deletes_only_what_may_be_deleted(administrator_client, model):
    obj = FACTORIES[model]()
    expected = 403 if model in NEVER_DELETED else 200
    assert administrator_client.get(url(model, "delete", obj.pk)).status_code == expected


def test_admin_keeps_a_closed_pay_period(administrator_client):
    period = PayPeriodFactory(closed=True)
    assert administrator_client.get(url(PayPeriod, "delete", period.pk)).status_code == 403


def test_admin_history_shows_who_changed_what(administrator_client):
    signoff = SignoffFactory(assessed_on=D(2025, 6, 1))
    administrator_client.post(
        url(Signoff, "change", signoff.pk),
        {"revoked_on": "2025-07-01", "revoke_reason": "Recorded against the wrong person."},
    )

    response = administrator_client.get(url(Signoff, "history", signoff.pk))

    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    latest = response.context["page_obj"][0]
    assert latest.history_user == administrator_client.user
    changed = {change["field"] for change in latest.history_delta_changes}
    assert changed == {"Revoked on", "Revoke reason", "Revoked by"}
    assert b"Recorded against the wrong person." in response.content

    page = administrator_client.get(url(Signoff, "simple_history", signoff.pk, latest.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_admin_history_record_cannot_be_reverted(administrator_client):
    signoff = SignoffFactory(level=2)
    original = signoff.history.get()
    signoff.level = 3
    signoff.save()

    response = administrator_client.post(
        url(Signoff, "simple_history", signoff.pk, original.pk),
        {"level": 2, "revoked_on": "", "revoke_reason": ""},
    )

    assert response.status_code == 403
    signoff.refresh_from_db()
    assert signoff.level == 3
    assert signoff.history.count() == 2


def test_admin_signoff_revocation_records_who_and_keeps_the_original(administrator_client):
    signoff = SignoffFactory(assessed_on=D(2025, 6, 1), level=3)

    response = administrator_client.post(
        url(Signoff, "change", signoff.pk),
        {"revoked_on": "2025-07-01", "revoke_reason": "Recorded against the wrong person."},
    )

    assert response.status_code == 302, form_errors(response)
    signoff.refresh_from_db()
    assert (signoff.revoked_on, signoff.revoked_by) == (D(2025, 7, 1), administrator_client.user)
    assert signoff.level == 3
    latest, original = signoff.history.all()
    assert latest.history_user == administrator_client.user
    assert original.revoked_on is None


@pytest.mark.parametrize(
    ("revoked_on", "revoke_reason", "error"),
    [
        pytest.param(
            "2025-05-31",
            "Wrong person.",
            "The revocation date cannot be before 2025-06-01",
            id="before the assessment",
        ),
        pytest.param("2025-07-01", "", "signoff_revocation_has_date_and_reason", id="no reason"),
    ],
)
def test_admin_signoff_revocation_refuses_a_bad_revocation(
    administrator_client, revoked_on, revoke_reason, error
):
    signoff = SignoffFactory(assessed_on=D(2025, 6, 1))

    response = administrator_client.post(
        url(Signoff, "change", signoff.pk),
        {"revoked_on": revoked_on, "revoke_reason": revoke_reason},
    )

    assert response.status_code == 200
    assert error in form_errors(response)
    signoff.refresh_from_db()
    assert signoff.revoked_on is None


def test_admin_signoff_change_cannot_edit_the_record(administrator_client):
    signoff = SignoffFactory(level=2)

    administrator_client.post(
        url(Signoff, "change", signoff.pk),
        {"level": 4, "revoked_on": "", "revoke_reason": ""},
    )

    signoff.refresh_from_db()
    assert signoff.level == 2


def session_post(session, rows: list[dict], **changes) -> dict:
    """The admin form of an existing session with its attendance rows (existing ones first)."""
    existing = list(session.attendances.all())
    data = {
        "session_ref": session.session_ref,
        "date": session.date.isoformat(),
        "host_department": session.host_department_id,
        "kind": session.kind,
        "trainer": session.trainer_id,
        "duration_hours": str(session.duration_hours),
        "notes": "",
        "attendances-TOTAL_FORMS": len(existing) + len(rows),
        "attendances-INITIAL_FORMS": len(existing),
        "attendances-MIN_NUM_FORMS": 0,
        "attendances-MAX_NUM_FORMS": 1000,
        **changes,
    }
    for index, attendance in enumerate(existing):
        data[f"attendances-{index}-id"] = attendance.pk
        data[f"attendances-{index}-session"] = session.pk
        data[f"attendances-{index}-employee"] = attendance.employee_id
        data[f"attendances-{index}-hours"] = str(attendance.hours)
    for index, row in enumerate(rows, start=len(existing)):
        data[f"attendances-{index}-employee"] = row["employee"].pk
        data[f"attendances-{index}-hours"] = row.get("hours", "")
    return data


def test_admin_session_attendance_defaults_to_the_session_duration(administrator_client):
    session = TrainingSessionFactory(duration_hours=Decimal("2.5"))
    attendee = EmployeeFactory()

    response = administrator_client.post(
        url(session._meta.model, "change", session.pk),
        session_post(session, [{"employee": attendee}]),
    )

    assert response.status_code == 302
    attendance = Attendance.objects.get(session=session)
    assert (attendance.employee, attendance.hours) == (attendee, Decimal("2.5"))
    assert attendance.history.get().history_user == administrator_client.user


@pytest.mark.parametrize(
    ("who", "hours", "error"),
    [
        pytest.param("trainer", "", training_admin.TRAINER_ATTENDS, id="the trainer"),
        pytest.param(
            "attendee",
            "3",
            training_admin.HOURS_ABOVE_DURATION % {"duration": "2.5"},
            id="above the duration",
        ),
        pytest.param("leaver", "", "is not employed on 2025-03-03", id="left that day"),
    ],
)
def test_admin_session_attendance_refuses_a_data_error(administrator_client, who, hours, error):
    session = TrainingSessionFactory(date=D(2025, 3, 3), duration_hours=Decimal("2.5"))
    people = {
        "trainer": session.trainer,
        "attendee": EmployeeFactory(),
        "leaver": EmployeeFactory(hire_date=D(2024, 1, 1), termination_date=D(2025, 3, 3)),
    }

    response = administrator_client.post(
        url(session._meta.model, "change", session.pk),
        session_post(session, [{"employee": people[who], "hours": hours}]),
    )

    assert response.status_code == 200
    assert error in form_errors(response)
    assert not Attendance.objects.filter(session=session).exists()


def test_admin_session_duration_cannot_drop_below_an_attendance(administrator_client):
    attendance = AttendanceFactory(session=TrainingSessionFactory(duration_hours=Decimal("3")))
    session = attendance.session

    response = administrator_client.post(
        url(session._meta.model, "change", session.pk),
        session_post(session, [], duration_hours="2"),
    )

    assert response.status_code == 200
    expected = training_admin.HOURS_ABOVE_DURATION % {"duration": "2"}
    assert expected in form_errors(response)
    session.refresh_from_db()
    assert session.duration_hours == Decimal("3")


@pytest.mark.parametrize(
    ("who", "hours", "outcome"),
    [
        pytest.param("attendee", "", Decimal("1.75"), id="blank hours: the whole session"),
        pytest.param("attendee", "1", Decimal("1"), id="part of the session"),
        pytest.param("trainer", "", training_admin.TRAINER_ATTENDS, id="the trainer is refused"),
        pytest.param(
            "attendee",
            "2",
            training_admin.HOURS_ABOVE_DURATION % {"duration": "1.75"},
            id="more than the session is refused",
        ),
    ],
)
def test_admin_attendance_add_fits_the_session(administrator_client, who, hours, outcome):
    session = TrainingSessionFactory(duration_hours=Decimal("1.75"))
    session.refresh_from_db()
    employee = session.trainer if who == "trainer" else EmployeeFactory()

    response = administrator_client.post(
        url(Attendance, "add"), {"session": session.pk, "employee": employee.pk, "hours": hours}
    )

    saved = Attendance.objects.filter(session=session, employee=employee).first()
    if isinstance(outcome, Decimal):
        assert response.status_code == 302
        assert saved.hours == outcome
    else:
        assert response.status_code == 200
        assert outcome in form_errors(response)
        assert saved is None


def test_admin_employee_autocomplete_finds_by_number(administrator_client):
    employee = EmployeeFactory(employee_number="E77001")
    EmployeeFactory(employee_number="E88001")

    response = administrator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "skills", "model_name": "signoff", "field_name": "employee", "term": "E77"},
    )

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(employee.pk)]


def test_admin_payroll_row_is_read_only(administrator_client):
    row = PayrollRowFactory(paid_tier_rank=1)

    response = administrator_client.post(
        url(PayrollRow, "change", row.pk), {"paid_tier_rank": 3, "change": "UP"}
    )

    assert response.status_code == 403
    row.refresh_from_db()
    assert row.paid_tier_rank == 1


def test_admin_certification_add_records_who_recorded_it(administrator_client):
    employee, manager = EmployeeFactory(), EmployeeFactory()
    tier = TierFactory()

    response = administrator_client.post(
        url(Certification, "add"),
        {
            "employee": employee.pk,
            "tier": tier.pk,
            "certified_on": "2025-06-01",
            "certified_by": manager.pk,
            "override_reason": "Migrated from the 2019 training matrix.",
            "revoked_on": "",
            "revoke_reason": "",
        },
    )

    assert response.status_code == 302
    certification = Certification.objects.get(employee=employee)
    assert certification.recorded_by == administrator_client.user
    assert certification.history.get().history_user == administrator_client.user


def test_admin_certification_add_without_override_is_held_to_eligibility(administrator_client):
    employee, manager = EmployeeFactory(employee_number="E77"), EmployeeFactory()
    tier = TierFactory(rank=1, min_tenure_days=100_000)

    response = administrator_client.post(
        url(Certification, "add"),
        {
            "employee": employee.pk,
            "tier": tier.pk,
            "certified_on": "2025-06-01",
            "certified_by": manager.pk,
            "override_reason": "",
            "revoked_on": "",
            "revoke_reason": "",
        },
    )

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["tier"]
    assert message.startswith("E77 was not eligible for Tier I on 2025-06-01 (")
    assert not Certification.objects.exists()

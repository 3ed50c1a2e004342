"""Recording and revoking sign-offs: the assessor's rules, the history of who, when and why."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.roles import Role
from skills.models import Signoff
from skills.services import signoff_create, signoff_revoke
from tests.factories.skills import EmployeeFactory, SignoffFactory, SkillFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 3, 2)


@pytest.fixture
def people(make_user):
    user = make_user("ola", Role.TRAINER)
    return {
        "trainer": EmployeeFactory(employee_number="E1", user=user),
        "colleague": EmployeeFactory(employee_number="E2"),
        "learner": EmployeeFactory(employee_number="E3"),
        "user": user,
        "skill": SkillFactory(code="BILL-DISPUTE", recert_months=12),
    }


def create(people, **changes):
    values = {
        "employee": people["learner"],
        "skill": people["skill"],
        "level": 3,
        "assessed_on": TODAY,
        "assessor": people["trainer"],
        "evidence": "Resolved five disputes unaided",
        "user": people["user"],
        "today": TODAY,
    }
    values.update(changes)
    return signoff_create(**values)


def refused(people, **changes) -> dict[str, list[str]]:
    before = Signoff.objects.count()
    with pytest.raises(ValidationError) as caught:
        create(people, **changes)
    assert Signoff.objects.count() == before
    return caught.value.message_dict


def test_signoff_create_by_a_trainer_records_who_and_the_evidence(people):
    signoff = create(people)

    assert (signoff.level, signoff.assessor, signoff.recorded_by) == (
        3,
        people["trainer"],
        people["user"],
    )
    assert signoff.expires_on == D(2027, 3, 2)
    assert signoff.history.get().history_user == people["user"]


def test_signoff_create_by_a_level_4_colleague_without_the_trainer_role(people):
    SignoffFactory(
        employee=people["colleague"], skill=people["skill"], level=4, assessed_on=D(2025, 6, 1)
    )

    signoff = create(people, assessor=people["colleague"])

    assert signoff.assessor == people["colleague"]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"level": 5}, {"level": ["level must be 1 to 4, not 5"]}),
        ({"level": 0}, {"level": ["level must be 1 to 4, not 0"]}),
        ({"assessed_on": D(2026, 3, 3)}, {"assessed_on": ["2026-03-03 is in the future"]}),
    ],
)
def test_signoff_create_refuses_bad_level_and_future_date(people, changes, errors):
    assert refused(people, **changes) == errors


def test_signoff_create_refuses_an_assessor_signing_off_themselves(people):
    errors = refused(people, employee=people["trainer"])

    assert errors == {
        "assessor": ["E1 cannot sign off their own skill"],
        "employee": [
            "E1 is your own employee record: someone else records your sign-offs, not you"
        ],
    }


def test_nobody_records_their_own_sign_off_whoever_they_name_as_assessor(people):
    errors = refused(people, employee=people["trainer"], assessor=people["colleague"])

    assert errors["employee"] == [
        "E1 is your own employee record: someone else records your sign-offs, not you"
    ]


def test_signoff_create_refuses_an_assessor_without_the_role_or_level_4(people):
    SignoffFactory(
        employee=people["colleague"], skill=people["skill"], level=3, assessed_on=D(2025, 6, 1)
    )

    errors = refused(people, assessor=people["colleague"])

    assert errors == {
        "assessor": [
            "E2 cannot assess BILL-DISPUTE: an assessor needs the trainer role or level 4 on it "
            "(level 3 on 2026-03-02)"
        ]
    }


def test_signoff_create_counts_only_a_level_4_valid_on_the_date(people):
    # Level 4 expired (12 months) before the assessment: no longer a qualified assessor.
    SignoffFactory(
        employee=people["colleague"], skill=people["skill"], level=4, assessed_on=D(2025, 3, 2)
    )

    errors = refused(people, assessor=people["colleague"])

    assert "(level 0 on 2026-03-02)" in errors["assessor"][0]


def test_signoff_create_refuses_a_trainer_login_that_is_not_linked_to_the_assessor(
    people, make_user
):
    make_user("someone-else", Role.TRAINER)  # a trainer login, but not E2's

    assert "assessor" in refused(people, assessor=people["colleague"])


def test_signoff_create_refuses_people_not_employed_on_the_date(people):
    people["learner"].termination_date = D(2026, 3, 1)
    people["learner"].save()

    errors = refused(people)

    assert errors == {"employee": ["E3 left on 2026-03-01, on or before 2026-03-02"]}


def test_signoff_create_refuses_the_same_signoff_twice(people):
    create(people)

    errors = refused(people)

    assert errors == {
        "level": ["E3 already has a level 3 sign-off on BILL-DISPUTE dated 2026-03-02"]
    }


def test_signoff_revoke_keeps_the_signoff_with_who_when_and_why(people):
    signoff = create(people)

    signoff_revoke(
        signoff=signoff, reason="Recorded against the wrong person", user=people["user"],
        today=TODAY,
    )  # fmt: skip

    signoff.refresh_from_db()
    assert signoff.revoked_on == TODAY
    assert signoff.revoked_by == people["user"]
    assert signoff.revoke_reason == "Recorded against the wrong person"
    assert not signoff.is_valid_on(TODAY)
    latest = signoff.history.first()
    assert latest.history_change_reason == "Recorded against the wrong person"
    assert latest.history_user == people["user"]
    assert Signoff.objects.count() == 1


@pytest.mark.parametrize(
    ("reason", "revoked_on", "errors"),
    [
        ("", None, {"reason": ["give the reason"]}),
        (
            "Wrong",
            D(2026, 3, 1),
            {"revoked_on": ["2026-03-01 is before the sign-off's date 2026-03-02"]},
        ),
        ("Wrong", D(2026, 3, 3), {"revoked_on": ["2026-03-03 is in the future"]}),
    ],
)
def test_signoff_revoke_refuses_without_reason_or_out_of_dates(people, reason, revoked_on, errors):
    signoff = create(people)

    with pytest.raises(ValidationError) as caught:
        signoff_revoke(
            signoff=signoff, reason=reason, revoked_on=revoked_on, user=people["user"],
            today=TODAY,
        )  # fmt: skip

    assert caught.value.message_dict == errors
    signoff.refresh_from_db()
    assert signoff.revoked_on is None


def test_signoff_revoke_refuses_to_revoke_twice(people):
    signoff = create(people)
    signoff_revoke(signoff=signoff, reason="Wrong", user=people["user"], today=TODAY)

    with pytest.raises(ValidationError) as caught:
        signoff_revoke(signoff=signoff, reason="Again", user=people["user"], today=TODAY)

    assert caught.value.message_dict == {
        "revoked_on": ["this sign-off was already revoked on 2026-03-02"]
    }

"""Database constraints and history of tiers, certifications, pay periods and payroll rows."""

import datetime
from decimal import Decimal

import pytest

from certificates.models import Certification, PayPeriod, PayrollRow, Tier, TierSkillRequirement
from tests.factories import refused
from tests.factories.certificates import (
    CertificationFactory,
    PayPeriodFactory,
    PayrollRowFactory,
    TierFactory,
    TierSkillRequirementFactory,
)
from tests.factories.skills import EmployeeFactory
from tests.factories.training import WorkflowModuleFactory

D = datetime.date
ALLOWED, REFUSED = True, False


# --- Tier -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("rank", "allowed"), [(1, ALLOWED), (7, ALLOWED), (0, REFUSED)])
def test_tier_rank_is_positive(rank, allowed):
    if allowed:
        assert TierFactory(rank=rank).rank == rank
    else:
        with refused(Tier, "tier_rank_positive"):
            TierFactory(rank=rank)


@pytest.mark.django_db
def test_tier_rank_is_unique():
    TierFactory(rank=1)
    with refused(Tier, "rank"):
        TierFactory(rank=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("differential", "allowed"),
    [("0.00", ALLOWED), ("0.01", ALLOWED), ("1.25", ALLOWED), ("-0.01", REFUSED)],
)
def test_tier_differential_is_not_negative(differential, allowed):
    if allowed:
        tier = TierFactory(differential_per_hour=Decimal(differential))
        tier.refresh_from_db()
        assert tier.differential_per_hour == Decimal(differential)
    else:
        with refused(Tier, "tier_differential_not_negative"):
            TierFactory(differential_per_hour=Decimal(differential))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours", "allowed"),
    [
        pytest.param(None, ALLOWED, id="not required"),
        pytest.param("0", ALLOWED, id="0"),
        pytest.param("20.5", ALLOWED, id="20.5"),
        pytest.param("-0.25", REFUSED, id="negative"),
    ],
)
def test_tier_min_cross_training_hours_is_blank_or_not_negative(hours, allowed):
    value = None if hours is None else Decimal(hours)
    if allowed:
        tier = TierFactory(min_cross_training_hours=value)
        tier.refresh_from_db()
        assert tier.min_cross_training_hours == value
    else:
        with refused(Tier, "tier_min_hours_not_negative"):
            TierFactory(min_cross_training_hours=value)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["min_other_side_skills", "min_tenure_days"])
def test_tier_counts_are_not_negative(field):
    assert getattr(TierFactory(**{field: 0}), field) == 0
    with refused(Tier, field):
        TierFactory(**{field: -1})


@pytest.mark.django_db
def test_tier_required_modules_are_kept_with_the_tier():
    modules = WorkflowModuleFactory.create_batch(2)
    tier = TierFactory(required_modules=modules)
    assert set(tier.required_modules.all()) == set(modules)


# --- TierSkillRequirement ---------------------------------------------------------------------


@pytest.mark.django_db
def test_tier_skill_requirement_names_a_skill_once_per_tier():
    first = TierSkillRequirementFactory(min_level=2)
    with refused(TierSkillRequirement, "tier_skill_once"):
        TierSkillRequirementFactory(tier=first.tier, skill=first.skill, min_level=3)
    assert TierSkillRequirementFactory(skill=first.skill).tier != first.tier


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("min_level", "allowed"),
    [(0, REFUSED), (1, ALLOWED), (4, ALLOWED), (5, REFUSED)],
)
def test_tier_skill_requirement_level_is_1_to_4(min_level, allowed):
    if allowed:
        assert TierSkillRequirementFactory(min_level=min_level).min_level == min_level
    else:
        with refused(TierSkillRequirement, "tier_skill_level_1_to_4"):
            TierSkillRequirementFactory(min_level=min_level)


# --- Certification ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        pytest.param(dict, REFUSED, id="same employee tier date, another certifier"),
        pytest.param(lambda: {"certified_on": D(2025, 6, 2)}, ALLOWED, id="same tier another day"),
        pytest.param(lambda: {"tier": TierFactory()}, ALLOWED, id="another tier the same day"),
    ],
)
def test_certification_natural_key_is_unique(change, allowed):
    first = CertificationFactory(certified_on=D(2025, 6, 1))
    fields = {"employee": first.employee, "tier": first.tier, "certified_on": D(2025, 6, 1)}
    fields |= change()
    if allowed:
        assert CertificationFactory(**fields).pk != first.pk
    else:
        with refused(Certification, "certification_natural_key"):
            CertificationFactory(**fields)


@pytest.mark.django_db
def test_certification_is_not_by_the_employee():
    employee = EmployeeFactory()
    with refused(Certification, "certification_not_by_self"):
        CertificationFactory(employee=employee, certified_by=employee)
    assert CertificationFactory(employee=employee).certified_by != employee


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("revoked_on", "revoke_reason", "allowed"),
    [
        pytest.param(None, "", ALLOWED, id="not revoked"),
        pytest.param(D(2025, 7, 1), "Wrong tier.", ALLOWED, id="revoked with a reason"),
        pytest.param(D(2025, 7, 1), "", REFUSED, id="revoked without a reason"),
        pytest.param(None, "Wrong tier.", REFUSED, id="a reason without a date"),
    ],
)
def test_certification_revocation_has_both_date_and_reason(revoked_on, revoke_reason, allowed):
    make = lambda: CertificationFactory(  # noqa: E731
        certified_on=D(2025, 6, 1), revoked_on=revoked_on, revoke_reason=revoke_reason
    )
    if allowed:
        assert make().revoked_on == revoked_on
    else:
        with refused(Certification, "certification_revocation_has_date_and_reason"):
            make()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("revoked_on", "allowed"),
    [
        pytest.param(D(2025, 6, 1), ALLOWED, id="the day it was certified"),
        pytest.param(D(2025, 6, 2), ALLOWED, id="the day after"),
        pytest.param(D(2025, 5, 31), REFUSED, id="the day before"),
    ],
)
def test_certification_is_revoked_on_or_after_certification(revoked_on, allowed):
    make = lambda: CertificationFactory(  # noqa: E731
        certified_on=D(2025, 6, 1), revoked_on=revoked_on, revoke_reason="Wrong tier."
    )
    if allowed:
        assert make().revoked_on == revoked_on
    else:
        with refused(Certification, "certification_revoked_after_certified"):
            make()


@pytest.mark.django_db
def test_certification_verification_code_is_unique():
    first = CertificationFactory()
    assert len(first.verification_code) >= 12
    assert CertificationFactory().verification_code != first.verification_code
    with refused(Certification, "verification_code"):
        CertificationFactory(verification_code=first.verification_code)


# --- PayPeriod and PayrollRow -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("end", "allowed"),
    [
        pytest.param(D(2026, 1, 18), ALLOWED, id="two weeks"),
        pytest.param(D(2026, 1, 5), ALLOWED, id="one day: ends the day it starts"),
        pytest.param(D(2026, 1, 4), REFUSED, id="ends before it starts"),
    ],
)
def test_pay_period_ends_on_or_after_its_start(end, allowed):
    if allowed:
        assert PayPeriodFactory(start=D(2026, 1, 5), end=end).end == end
    else:
        with refused(PayPeriod, "pay_period_end_after_start"):
            PayPeriodFactory(start=D(2026, 1, 5), end=end)


@pytest.mark.django_db
def test_pay_period_start_is_unique():
    PayPeriodFactory(start=D(2026, 1, 5))
    with refused(PayPeriod, "start"):
        PayPeriodFactory(start=D(2026, 1, 5), end=D(2026, 1, 11))


@pytest.mark.django_db
def test_pay_period_factory_makes_contiguous_periods():
    first, second = PayPeriodFactory.create_batch(2)
    assert second.start == first.end + datetime.timedelta(days=1)


@pytest.mark.django_db
def test_payroll_row_is_once_per_period_and_employee():
    first = PayrollRowFactory()
    assert first.period.is_closed
    assert first.employee_number == first.employee.employee_number
    with refused(PayrollRow, "payroll_row_once_per_period"):
        PayrollRowFactory(period=first.period, employee=first.employee)
    assert PayrollRowFactory(employee=first.employee).period != first.period


# --- History ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory", [TierFactory, TierSkillRequirementFactory, CertificationFactory, PayPeriodFactory]
)
def test_certificates_models_record_history_on_save(factory):
    obj = factory()
    assert obj.history.get().history_type == "+"

    obj.save()
    assert [h.history_type for h in obj.history.all()] == ["~", "+"]


@pytest.mark.django_db
def test_certification_revocation_keeps_the_original_in_history():
    certification = CertificationFactory(certified_on=D(2025, 6, 1))
    certification.revoked_on = D(2025, 7, 1)
    certification.revoke_reason = "Certified at the wrong tier."
    certification.save()

    latest, original = certification.history.all()
    assert (original.revoked_on, latest.revoked_on) == (None, D(2025, 7, 1))
    assert original.verification_code == latest.verification_code

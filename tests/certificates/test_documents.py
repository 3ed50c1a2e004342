"""What a certificate prints: its tier as it stood when it was recorded, read in a fixed number
of queries however many certificates are rendered."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.documents import certificate_data, certificate_queryset
from tests.factories.certificates import (
    CertificationFactory,
    TierFactory,
    TierSkillRequirementFactory,
)
from tests.factories.skills import SkillFactory
from tests.factories.training import WorkflowModuleFactory

pytestmark = pytest.mark.django_db


def printed(certification):
    (data,) = certificate_data(certificate_queryset().filter(pk=certification.pk))
    return data


def test_a_certificate_prints_its_tier_as_it_stood_when_certified():
    billing = SkillFactory(code="BILL", name="Billing disputes")
    routing = SkillFactory(code="ROUTE", name="Routing")
    intro, advanced = (
        WorkflowModuleFactory(code="WF-101", title="Where work comes from"),
        WorkflowModuleFactory(code="WF-201", title="Escalations"),
    )
    tier = TierFactory(rank=1, name="Tier I", min_cross_training_hours=Decimal("4"))
    tier.required_modules.set([intro])
    requirement = TierSkillRequirementFactory(tier=tier, skill=billing, min_level=3)
    before = CertificationFactory(tier=tier, certified_on=datetime.date(2026, 3, 1))

    tier.name, tier.min_cross_training_hours, tier.min_tenure_days = "Bronze", Decimal("8"), 90
    tier.save()
    tier.required_modules.set([advanced])
    requirement.min_level = 4
    requirement.save()
    TierSkillRequirementFactory(tier=tier, skill=routing, min_level=2)
    after = CertificationFactory(tier=tier, certified_on=datetime.date(2026, 4, 1))

    old = printed(before)
    assert (old.tier_name, old.tier_rank) == ("Tier I", 1)
    assert old.skills == ("Billing disputes (BILL), level 3",)
    assert old.modules == ("Where work comes from (WF-101)",)
    assert old.other_requirements == ("4 cross-training hours",)

    new = printed(after)
    assert new.tier_name == "Bronze"
    assert new.skills == ("Billing disputes (BILL), level 4", "Routing (ROUTE), level 2")
    assert new.modules == ("Escalations (WF-201)",)
    assert new.other_requirements == ("8 cross-training hours", "90 days' service")


def test_a_tier_without_history_prints_as_it_stands():
    tier = TierFactory(rank=1, name="Tier I", min_other_side_skills=2)
    certification = CertificationFactory(tier=tier)
    tier.history.all().delete()
    assert printed(certification).other_requirements == ("2 skills of the other side",)


def test_reading_many_certificates_costs_no_more_queries_than_one():
    tier = TierFactory(rank=1)
    TierSkillRequirementFactory(tier=tier)

    def queries(count):
        CertificationFactory.create_batch(count, tier=tier)
        with CaptureQueriesContext(connection) as captured:
            list(certificate_data(certificate_queryset()))
        return len(captured)

    assert queries(1) == queries(5)

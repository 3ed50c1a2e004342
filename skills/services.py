"""Writes of skills: recording and revoking competency sign-offs, with who, when and why.

Sign-offs are never edited or deleted. `signoff_create` records one; `signoff_revoke` revokes one
with a reason. The checks of a batch of sign-offs (`signoff_drafts_check`) run in a fixed number
of queries, so recording a session's sign-offs in one go (training.services.session_record) uses
the same checks and the same words as the single-sign-off form.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import revocation
from core.roles import Role
from skills import rules
from skills.models import Employee, Signoff, Skill

SIGNOFF_RECORDED = "Sign-off recorded"


@dataclass(frozen=True)
class SignoffDraft:
    """A sign-off about to be written; the people are resolved Employee rows."""

    employee: Employee
    skill: Skill
    level: int
    assessed_on: datetime.date
    assessor: Employee
    evidence: str = ""


def trainer_employee_ids(employee_ids: Iterable[int]) -> set[int]:
    """Those of the employees whose linked login is in the trainer group (one query)."""
    return set(
        Employee.objects.filter(
            pk__in=set(employee_ids), user__is_active=True, user__groups__name=Role.TRAINER
        ).values_list("pk", flat=True)
    )


def signoff_spans(
    employee_ids: Iterable[int], skill_ids: Iterable[int], until: datetime.date
) -> dict[tuple[int, int], list[rules.SignoffSpan]]:
    """(employee id, skill id) -> the spans of their sign-offs dated on or before `until`."""
    spans: dict[tuple[int, int], list[rules.SignoffSpan]] = defaultdict(list)
    rows = Signoff.objects.filter(
        employee_id__in=set(employee_ids), skill_id__in=set(skill_ids), assessed_on__lte=until
    ).values_list(
        "employee_id", "skill_id", "level", "assessed_on", "revoked_on", "skill__recert_months"
    )
    for employee_id, skill_id, level, assessed, revoked, months in rows:
        expires = rules.signoff_expires_on(assessed, months)
        spans[(employee_id, skill_id)].append(rules.SignoffSpan(level, assessed, expires, revoked))
    return spans


def signoff_drafts_check(
    drafts: Sequence[SignoffDraft], *, today: datetime.date
) -> list[tuple[int, str, str]]:
    """Every problem of the drafts as (draft index, field, message), in three queries.

    Fields: "employee", "assessor", "level", "assessed_on". Checks, in DOMAIN.md's words: the
    level is 1–4, the assessor is not the employee, the date is not in the future, both people
    are active on it, the assessor holds the trainer role or level 4 on the skill that day, and
    no (employee, skill, date, level) is recorded twice.
    """
    problems: list[tuple[int, str, str]] = []
    if not drafts:
        return problems
    assessor_ids = {d.assessor.pk for d in drafts}
    trainers = trainer_employee_ids(assessor_ids)
    spans = signoff_spans(
        assessor_ids, {d.skill.pk for d in drafts}, max(d.assessed_on for d in drafts)
    )
    existing = set(
        Signoff.objects.filter(
            employee_id__in={d.employee.pk for d in drafts},
            skill_id__in={d.skill.pk for d in drafts},
            assessed_on__in={d.assessed_on for d in drafts},
            revoked_on__isnull=True,
        ).values_list("employee_id", "skill_id", "assessed_on", "level")
    )
    seen: set[tuple[int, int, datetime.date, int]] = set()
    for index, d in enumerate(drafts):
        number = d.employee.employee_number

        def add(field: str, message: str | None, index: int = index) -> None:
            if message:
                problems.append((index, field, message))

        level_problem = rules.check_level(d.level)
        add("level", level_problem)
        add("assessor", rules.check_assessor(number, d.assessor.employee_number))
        add("assessed_on", rules.check_not_future(d.assessed_on, today))
        add(
            "employee",
            rules.check_active(
                number, d.employee.hire_date, d.employee.termination_date, d.assessed_on
            ),
        )
        assessor = d.assessor
        inactive = rules.check_active(
            assessor.employee_number, assessor.hire_date, assessor.termination_date, d.assessed_on
        )
        add("assessor", inactive)
        if not inactive and d.assessor.pk != d.employee.pk:
            level = rules.level_on(spans.get((assessor.pk, d.skill.pk), ()), d.assessed_on)
            add(
                "assessor",
                rules.check_assessor_qualified(
                    assessor.employee_number,
                    d.skill.code,
                    is_trainer=assessor.pk in trainers,
                    level=level,
                    day=d.assessed_on,
                ),
            )
        if level_problem:
            continue
        key = (d.employee.pk, d.skill.pk, d.assessed_on, d.level)
        words = {"number": number, "level": d.level, "skill": d.skill.code, "day": d.assessed_on}
        if key in seen:
            add("level", rules.SIGNOFF_TWICE.format(**words))
        elif key in existing:
            add("level", rules.SIGNOFF_EXISTS.format(**words))
        seen.add(key)
    return problems


def signoffs_write(drafts: Sequence[SignoffDraft], *, user, reason: str) -> list[Signoff]:
    """Writes checked drafts with their history (two queries whatever their number)."""
    objs = [
        Signoff(
            employee=d.employee,
            skill=d.skill,
            level=d.level,
            assessed_on=d.assessed_on,
            assessor=d.assessor,
            evidence=d.evidence,
            recorded_by=user,
        )
        for d in drafts
    ]
    if not objs:
        return []
    return bulk_create_with_history(objs, Signoff, default_user=user, default_change_reason=reason)


def own_number(user) -> str | None:
    """The signed-in person's own employee number, if their login has an employee record."""
    if not getattr(user, "pk", None):
        return None
    return (
        Employee.objects.filter(user_id=user.pk).values_list("employee_number", flat=True).first()
    )


def signoff_create(
    *,
    employee: Employee,
    skill: Skill,
    level: int,
    assessed_on: datetime.date,
    assessor: Employee,
    evidence: str = "",
    user,
    today: datetime.date | None = None,
) -> Signoff:
    """Records that `assessor` signed `employee` off at `level` on `skill` on `assessed_on`.

    Raises ValidationError keyed by field ("level", "assessor", "assessed_on", "employee").
    """
    today = today or timezone.localdate()
    draft = SignoffDraft(employee, skill, level, assessed_on, assessor, evidence.strip())
    with transaction.atomic():
        errors: dict[str, list[str]] = defaultdict(list)
        for _index, field, message in signoff_drafts_check([draft], today=today):
            errors[field].append(message)
        own = rules.check_not_own_record(employee.employee_number, own_number(user), "sign-offs")
        if own:
            errors["employee"].append(own)
        if errors:
            raise ValidationError(dict(errors))
        try:
            with transaction.atomic():
                (signoff,) = signoffs_write([draft], user=user, reason=SIGNOFF_RECORDED)
        except IntegrityError:
            # The same sign-off was recorded by someone else between the check and the insert.
            words = {
                "number": employee.employee_number,
                "level": level,
                "skill": skill.code,
                "day": assessed_on,
            }
            raise ValidationError({"level": [rules.SIGNOFF_EXISTS.format(**words)]}) from None
    return signoff


def signoff_revoke(
    *,
    signoff: Signoff,
    reason: str,
    user,
    revoked_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Signoff:
    """Revokes a sign-off as of `revoked_on` (default today) with a reason; it stays in history.

    Raises ValidationError keyed by "reason" or "revoked_on".
    """
    today = today or timezone.localdate()
    return revocation.revoke(
        signoff,
        what="sign-off",
        date_field="assessed_on",
        reason=reason,
        user=user,
        revoked_on=revoked_on or today,
        today=today,
    )

"""Writes of training records: sessions with attendees and sign-offs, corrections, module reviews
and module results. Each service validates everything first, then writes in one transaction.

Errors come back as one ValidationError whose keys name where the problem is: a form field
("date", "trainer_number", …), a section ("attendees") or a row's field in the formset's own
naming, "<section>-<row index>-<field>" (for example "attendees-2-hours"), so a view can put each
message next to its row. The messages are the pure checks' texts (training.rules, skills.rules),
so the workbook import and the forms say the same words.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.text import fold
from skills import rules as skill_rules
from skills.models import Department, Employee, Skill
from skills.services import SignoffDraft, own_number, signoff_drafts_check, signoffs_write
from training import rules
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule

ATTENDEES = "attendees"
SIGNOFFS = "signoffs"
RESULTS = "results"

# The history change reason of everything written when a session is first recorded; every
# other change of a session or its attendance is a correction and carries the user's reason.
SESSION_RECORDED = "Session recorded"
MODULE_REVIEWED = "Module reviewed"
RESULT_RECORDED = "Module result recorded"

NUMBER_REQUIRED = "give the employee number"
SKILL_REQUIRED = "choose one of the skills the session covers"
KIND_INVALID = "{kind} is not a kind of session"
REF_NOT_GENERATED = "could not find a free reference; type one"
GENERATED_REF_ATTEMPTS = 5


@dataclass(frozen=True)
class AttendeeRow:
    """One attendee as typed: `row` is the form's row index; blank hours = the duration."""

    row: int
    employee_number: str
    hours: Decimal | None = None


@dataclass(frozen=True)
class SignoffRow:
    """A sign-off given in the session by its trainer: `row` is the form's row index."""

    row: int
    employee_number: str
    skill: Skill | None
    level: int | None
    evidence: str = ""


@dataclass(frozen=True)
class ResultRow:
    """One module result as typed: a number or a full name, and a score."""

    row: int
    who: str
    score: int | None


def plain_decimal(value: Decimal) -> Decimal:
    """2.00 -> 2 and 1.50 -> 1.5, so messages show hours as people write them."""
    integral = value.to_integral_value()
    return integral if value == integral else value.normalize()


def row_key(section: str, row: int, field: str) -> str:
    return f"{section}-{row}-{field}"


class Problems:
    """Collects messages under their keys; raises them together as one ValidationError."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, key: str, message: str | None) -> bool:
        if message:
            self.errors[key].append(message)
        return bool(message)

    def row(self, section: str, row: int, field: str, message: str | None) -> bool:
        return self.add(row_key(section, row, field), message)

    def has(self, key: str) -> bool:
        return key in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError({key: list(msgs) for key, msgs in self.errors.items()})


def _clean_number(text: str) -> str:
    return (text or "").strip()


def employees_by_number(numbers: Iterable[str]) -> dict[str, Employee]:
    """Typed numbers -> employees, matching exactly or ignoring case (one query)."""
    wanted = {n for n in (_clean_number(x) for x in numbers) if n}
    if not wanted:
        return {}
    found = Employee.objects.select_related("department").filter(
        employee_number__in=wanted | {n.upper() for n in wanted}
    )
    exact = {e.employee_number: e for e in found}
    upper = {e.employee_number.upper(): e for e in found}
    return {
        n: exact.get(n) or upper.get(n.upper()) for n in wanted if n in exact or n.upper() in upper
    }


def _check_attendees(
    problems: Problems,
    rows: Sequence[AttendeeRow],
    people: dict[str, Employee | str],
    *,
    day: datetime.date,
    duration: Decimal | None,
    trainer: Employee | None,
    own: str | None = None,
) -> list[tuple[AttendeeRow, Employee, Decimal]]:
    """The attendee rows' problems, and the good rows as (row, employee, hours); `own` is the
    recording person's employee number (they never record their own attendance)."""
    good = []
    seen: set[int] = set()
    for row in rows:
        hours = row.hours if row.hours is not None else duration
        bad = False
        if duration is not None and hours is not None:
            bad |= problems.row(
                ATTENDEES, row.row, "hours", rules.check_attendance_hours(hours, duration)
            )
        employee = _attendee(problems, row, people, day=day, trainer=trainer, seen=seen, own=own)
        if employee is not None and not bad and hours is not None:
            good.append((row, employee, hours))
    return good


def _attendee(
    problems: Problems,
    row: AttendeeRow,
    people: dict[str, Employee | str],
    *,
    day: datetime.date,
    trainer: Employee | None,
    seen: set[int],
    own: str | None = None,
) -> Employee | None:
    """The row's employee when they may attend, else None with the problem recorded."""
    number = _clean_number(row.employee_number)
    employee = people.get(number)
    if not number or not isinstance(employee, Employee):
        unknown = employee or rules.UNKNOWN_PERSON.format(name=number)
        problems.row(ATTENDEES, row.row, "employee", unknown if number else NUMBER_REQUIRED)
        return None
    trainer_attends = (
        rules.check_trainer_not_attending(trainer.employee_number, employee.employee_number)
        if trainer is not None
        else None
    )
    checks = [
        # Said once: a trainer attending their own session is told that already.
        trainer_attends
        or skill_rules.check_not_own_record(employee.employee_number, own, "attendance"),
        rules.ATTENDEE_TWICE.format(number=employee.employee_number)
        if employee.pk in seen
        else None,
        skill_rules.check_active(
            employee.employee_number, employee.hire_date, employee.termination_date, day
        ),
    ]
    seen.add(employee.pk)
    bad = False
    for message in checks:
        bad |= problems.row(ATTENDEES, row.row, "employee", message)
    return None if bad else employee


def _session_ref(ref: str, day: datetime.date) -> str:
    if ref:
        return ref
    taken = TrainingSession.objects.filter(
        session_ref__startswith=rules.session_ref_prefix(day)
    ).values_list("session_ref", flat=True)
    return rules.next_session_ref(day, taken)


def session_record(
    *,
    user,
    date: datetime.date,
    host_department: Department,
    kind: str,
    trainer_number: str,
    duration_hours: Decimal,
    skills: Sequence[Skill] = (),
    attendees: Sequence[AttendeeRow],
    signoffs: Sequence[SignoffRow] = (),
    notes: str = "",
    session_ref: str = "",
    today: datetime.date | None = None,
) -> TrainingSession:
    """Records a session, its attendance and the sign-offs its trainer gave, all or nothing.

    A blank `session_ref` is generated as S-YYYYMMDD-NNN (the next number of that date). Each
    sign-off is assessed by the session's trainer on the session's date, for an attendee, on a
    skill the session covers. Raises ValidationError (see the module docstring for its keys).
    A fixed number of queries whatever the number of attendees and sign-offs.
    """
    with transaction.atomic():
        return _session_record(
            user=user,
            date=date,
            host_department=host_department,
            kind=kind,
            trainer_number=trainer_number,
            duration_hours=duration_hours,
            skills=skills,
            attendees=attendees,
            signoffs=signoffs,
            notes=notes,
            session_ref=session_ref,
            today=today,
        )


def _session_record(
    *,
    user,
    date: datetime.date,
    host_department: Department,
    kind: str,
    trainer_number: str,
    duration_hours: Decimal,
    skills: Sequence[Skill] = (),
    attendees: Sequence[AttendeeRow],
    signoffs: Sequence[SignoffRow] = (),
    notes: str = "",
    session_ref: str = "",
    today: datetime.date | None = None,
) -> TrainingSession:
    today = today or timezone.localdate()
    problems = Problems()
    ref = (session_ref or "").strip()
    ref_ok = bool(ref) and not problems.add("session_ref", rules.check_session_ref(ref))
    if ref_ok and TrainingSession.objects.filter(session_ref=ref).exists():
        problems.add("session_ref", rules.SESSION_REF_TAKEN.format(ref=ref))
    problems.add("date", skill_rules.check_not_future(date, today))
    duration_ok = not problems.add("duration_hours", rules.check_duration(duration_hours))
    if kind not in TrainingSession.Kind.values:
        problems.add("kind", KIND_INVALID.format(kind=kind))

    people = resolve_people(
        [trainer_number]
        + [r.employee_number for r in attendees]
        + [r.employee_number for r in signoffs],
        date,
    )
    number = _clean_number(trainer_number)
    trainer = people.get(number)
    if not isinstance(trainer, Employee):
        problems.add("trainer_number", trainer or NUMBER_REQUIRED)
        trainer = None
    else:
        problems.add(
            "trainer_number",
            skill_rules.check_active(
                trainer.employee_number, trainer.hire_date, trainer.termination_date, date
            ),
        )
    if not attendees:
        problems.add(ATTENDEES, rules.NO_ATTENDEES)
    good = _check_attendees(
        problems,
        attendees,
        people,
        day=date,
        duration=duration_hours if duration_ok else None,
        trainer=trainer,
        own=own_number(user),
    )

    drafts, draft_rows = _signoff_drafts(
        problems, signoffs, people, attendees=attendees, skills=skills, trainer=trainer, day=date
    )
    if drafts and not problems.has("trainer_number") and not problems.has("date"):
        for index, field, message in signoff_drafts_check(drafts, today=today):
            # The assessor is the session's trainer: their problems belong to the skill chosen.
            target = {"assessor": "skill", "assessed_on": "level"}.get(field, field)
            problems.row(SIGNOFFS, draft_rows[index], target, message)
    problems.raise_if_any()

    for _attempt in range(GENERATED_REF_ATTEMPTS):
        try:
            with transaction.atomic():
                session = _session_write(
                    user=user,
                    ref=_session_ref(ref, date),
                    date=date,
                    host_department=host_department,
                    kind=kind,
                    trainer=trainer,
                    duration=duration_hours,
                    skills=skills,
                    notes=notes,
                    attendance=[(employee, hours) for _row, employee, hours in good],
                    drafts=drafts,
                )
            return session
        except IntegrityError:
            # Someone took the same generated reference meanwhile: take the next one.
            if ref:
                raise ValidationError(
                    {"session_ref": [rules.SESSION_REF_TAKEN.format(ref=ref)]}
                ) from None
    raise ValidationError({"session_ref": [REF_NOT_GENERATED]})


def _signoff_drafts(
    problems: Problems,
    rows: Sequence[SignoffRow],
    people: dict[str, Employee | str],
    *,
    attendees: Sequence[AttendeeRow],
    skills: Sequence[Skill],
    trainer: Employee | None,
    day: datetime.date,
) -> tuple[list[SignoffDraft], list[int]]:
    attending = {
        people[n].pk
        for n in (_clean_number(r.employee_number) for r in attendees)
        if isinstance(people.get(n), Employee)
    }
    covered = {s.pk for s in skills}
    drafts: list[SignoffDraft] = []
    draft_rows: list[int] = []
    for row in rows:
        number = _clean_number(row.employee_number)
        employee = people.get(number)
        bad = False
        if not number:
            bad |= problems.row(SIGNOFFS, row.row, "employee", NUMBER_REQUIRED)
        elif not isinstance(employee, Employee):
            bad |= problems.row(
                SIGNOFFS, row.row, "employee", employee or rules.UNKNOWN_PERSON.format(name=number)
            )
        elif employee.pk not in attending:
            bad |= problems.row(
                SIGNOFFS,
                row.row,
                "employee",
                rules.SIGNOFF_NOT_ATTENDEE.format(number=employee.employee_number),
            )
        if row.skill is None:
            bad |= problems.row(SIGNOFFS, row.row, "skill", SKILL_REQUIRED)
        elif row.skill.pk not in covered:
            bad |= problems.row(
                SIGNOFFS, row.row, "skill", rules.SKILL_NOT_COVERED.format(skill=row.skill.code)
            )
        if row.level is None:
            bad |= problems.row(SIGNOFFS, row.row, "level", skill_rules.LEVEL_REQUIRED)
        else:
            bad |= problems.row(SIGNOFFS, row.row, "level", skill_rules.check_level(row.level))
        if bad or trainer is None or employee is None or row.skill is None:
            continue
        drafts.append(
            SignoffDraft(employee, row.skill, row.level, day, trainer, row.evidence.strip())
        )
        draft_rows.append(row.row)
    return drafts, draft_rows


def _session_write(
    *,
    user,
    ref: str,
    date: datetime.date,
    host_department: Department,
    kind: str,
    trainer: Employee,
    duration: Decimal,
    skills: Sequence[Skill],
    notes: str,
    attendance: list[tuple[Employee, Decimal]],
    drafts: list[SignoffDraft],
) -> TrainingSession:
    session = TrainingSession(
        session_ref=ref,
        date=date,
        host_department=host_department,
        kind=kind,
        trainer=trainer,
        duration_hours=duration,
        notes=notes.strip(),
        recorded_by=user,
    )
    session._change_reason = SESSION_RECORDED
    session._history_user = user
    session.save()
    if skills:
        session.skills.set(skills)
    bulk_create_with_history(
        [Attendance(session=session, employee=e, hours=h) for e, h in attendance],
        Attendance,
        default_user=user,
        default_change_reason=SESSION_RECORDED,
    )
    evidence = f"Assessed in session {ref}."
    signoffs_write(
        [
            SignoffDraft(
                d.employee,
                d.skill,
                d.level,
                d.assessed_on,
                d.assessor,
                f"{d.evidence} ({evidence})" if d.evidence else evidence,
            )
            for d in drafts
        ],
        user=user,
        reason=f"Signed off in session {ref}",
    )
    return session


def session_correct(
    *,
    session: TrainingSession,
    attendees: Sequence[AttendeeRow],
    reason: str,
    user,
) -> TrainingSession:
    """Replaces a session's attendee list by `attendees` (hours changed, people added or
    removed), with the same checks as when it was recorded. The reason is required and is the
    history change reason of the session and of every attendance row changed, added or removed.
    Raises ValidationError (see the module docstring for its keys; "reason", "__all__").
    """
    problems = Problems()
    problems.add("reason", rules.CORRECTION_REASON_REQUIRED if not reason.strip() else None)
    if not attendees:
        problems.add(ATTENDEES, rules.NO_ATTENDEES)
    with transaction.atomic():
        session = (
            TrainingSession.objects.select_for_update().select_related("trainer").get(pk=session.pk)
        )
        people = resolve_people((r.employee_number for r in attendees), session.date)
        good = _check_attendees(
            problems,
            attendees,
            people,
            day=session.date,
            duration=plain_decimal(session.duration_hours),
            trainer=session.trainer,
            own=own_number(user),
        )
        problems.raise_if_any()
        current = {a.employee_id: a for a in session.attendances.all()}
        wanted = {employee.pk: hours for _row, employee, hours in good}
        removed = [a for pk, a in current.items() if pk not in wanted]
        changed = []
        for pk, hours in wanted.items():
            if pk in current and current[pk].hours != hours:
                current[pk].hours = hours
                changed.append(current[pk])
        added = [
            Attendance(session=session, employee_id=pk, hours=hours)
            for pk, hours in wanted.items()
            if pk not in current
        ]
        if not (removed or changed or added):
            raise ValidationError({"__all__": [rules.NOTHING_CHANGED]})
        why = reason.strip()
        # The session's own history row comes first: it heads the correction in the log.
        session._change_reason = why
        session._history_user = user
        session.save()
        for attendance in removed:
            attendance._change_reason = why
            attendance._history_user = user
            attendance.delete()
        if changed:
            bulk_update_with_history(
                changed, Attendance, ["hours"], default_user=user, default_change_reason=why
            )
        if added:
            bulk_create_with_history(
                added, Attendance, default_user=user, default_change_reason=why
            )
    return session


def module_review(
    *,
    module: WorkflowModule,
    reviewed_on: datetime.date,
    version: str = "",
    user,
    today: datetime.date | None = None,
) -> WorkflowModule:
    """Records a review of a module: a new review date and, optionally, a new version."""
    today = today or timezone.localdate()
    with transaction.atomic():
        module = WorkflowModule.objects.select_for_update().get(pk=module.pk)
        problem = rules.check_review_date(reviewed_on, module.last_reviewed_on, today)
        if problem:
            raise ValidationError({"reviewed_on": [problem]})
        module.last_reviewed_on = reviewed_on
        version = (version or "").strip()
        if version:
            module.version = version
        module._change_reason = (
            f"{MODULE_REVIEWED}; version {version}" if version else MODULE_REVIEWED
        )
        module._history_user = user
        module.save(update_fields=["last_reviewed_on", "version"])
    return module


def completion_create(
    *,
    employee: Employee,
    module: WorkflowModule,
    completed_on: datetime.date,
    score: int,
    version: str = "",
    user,
    today: datetime.date | None = None,
) -> ModuleCompletion:
    """Records one employee's result on a module. Raises ValidationError keyed by field."""
    try:
        (completion,) = completion_batch(
            module=module,
            completed_on=completed_on,
            rows=[ResultRow(0, employee.employee_number, score)],
            version=version,
            user=user,
            today=today,
        )
    except ValidationError as error:
        fields = {"who": "employee"}
        raise ValidationError(
            {
                fields.get(key.rsplit("-", 1)[-1], key.rsplit("-", 1)[-1]): msgs
                for key, msgs in error.message_dict.items()
            }
        ) from None
    return completion


def resolve_people(names: Iterable[str], day: datetime.date) -> dict[str, Employee | str]:
    """Each typed number or full name -> its employee, or the problem in words (one query).

    A number matches exactly or ignoring case. A name ("First Last") matches employees active
    on `day`, ignoring case and accents ("zoe odegard" is Zoë Ødegård); more than one match
    is refused.
    """
    typed = {t.strip() for t in names if t and t.strip()}
    by_number = employees_by_number(typed)
    candidates: dict[str, list[Employee]] = defaultdict(list)
    unresolved = {fold(t) for t in typed if t not in by_number}
    # The search key starts with the folded "first last", then the number.
    query = Q()
    for name in unresolved:
        if " " in name:
            query |= Q(search_key__startswith=f"{name} ")
    if query:
        for employee in Employee.objects.select_related("department").filter(query):
            candidates[fold(employee.full_name)].append(employee)
    result: dict[str, Employee | str] = {}
    for text in typed:
        if text in by_number:
            result[text] = by_number[text]
            continue
        matches = candidates.get(fold(text), [])
        active = [e for e in matches if e.is_active_on(day)]
        # Among namesakes, the one employed that day; a former employee only when alone.
        matches = active or matches
        if len(matches) == 1:
            result[text] = matches[0]
        elif matches:
            numbers = ", ".join(sorted(e.employee_number for e in matches))
            result[text] = rules.NAME_AMBIGUOUS.format(name=text, numbers=numbers)
        else:
            result[text] = rules.UNKNOWN_PERSON.format(name=text)
    return result


def completion_batch(
    *,
    module: WorkflowModule,
    completed_on: datetime.date,
    rows: Sequence[ResultRow],
    version: str = "",
    user,
    today: datetime.date | None = None,
) -> list[ModuleCompletion]:
    """Records a class's results on one module, all or nothing (keys "results-<row>-who|score").

    Each row names an employee by number or full name; the version defaults to the module's
    current one. A fixed number of queries whatever the class size.
    """
    with transaction.atomic():
        return _completion_batch(
            module=module,
            completed_on=completed_on,
            rows=rows,
            version=version,
            user=user,
            today=today,
        )


def _completion_batch(
    *,
    module: WorkflowModule,
    completed_on: datetime.date,
    rows: Sequence[ResultRow],
    version: str = "",
    user,
    today: datetime.date | None = None,
) -> list[ModuleCompletion]:
    today = today or timezone.localdate()
    problems = Problems()
    problems.add("completed_on", skill_rules.check_not_future(completed_on, today))
    if not rows:
        problems.add(RESULTS, "list at least one result")
    people = resolve_people([r.who for r in rows], completed_on)
    own = own_number(user)
    existing = set(
        ModuleCompletion.objects.filter(
            module=module,
            completed_on=completed_on,
            employee_id__in=[p.pk for p in people.values() if isinstance(p, Employee)],
        ).values_list("employee_id", flat=True)
    )
    good: list[tuple[Employee, int]] = []
    row_of: dict[int, int] = {}
    seen: set[int] = set()
    for row in rows:
        bad = False
        if row.score is None:
            bad |= problems.row(RESULTS, row.row, "score", "give the score")
        else:
            bad |= problems.row(RESULTS, row.row, "score", rules.check_score(row.score))
        who = people.get((row.who or "").strip())
        if who is None:
            problems.row(RESULTS, row.row, "who", NUMBER_REQUIRED)
            continue
        if isinstance(who, str):
            problems.row(RESULTS, row.row, "who", who)
            continue
        number = who.employee_number
        bad |= problems.row(
            RESULTS, row.row, "who", skill_rules.check_not_own_record(number, own, "results")
        )
        bad |= problems.row(
            RESULTS,
            row.row,
            "who",
            skill_rules.check_active(number, who.hire_date, who.termination_date, completed_on),
        )
        if who.pk in seen:
            bad |= problems.row(RESULTS, row.row, "who", rules.RESULT_TWICE.format(number=number))
        elif who.pk in existing:
            bad |= problems.row(
                RESULTS,
                row.row,
                "who",
                rules.COMPLETION_EXISTS.format(number=number, module=module.code, day=completed_on),
            )
        seen.add(who.pk)
        if not bad:
            good.append((who, row.score))
            row_of[who.pk] = row.row
    problems.raise_if_any()
    taken = (version or "").strip() or module.version
    try:
        with transaction.atomic():
            return bulk_create_with_history(
                [
                    ModuleCompletion(
                        employee=employee,
                        module=module,
                        completed_on=completed_on,
                        score=score,
                        version=taken,
                        recorded_by=user,
                    )
                    for employee, score in good
                ],
                ModuleCompletion,
                default_user=user,
                default_change_reason=RESULT_RECORDED,
            )
    except IntegrityError:
        # Someone recorded some of these results between the check and the insert.
        clashing = ModuleCompletion.objects.filter(
            module=module, completed_on=completed_on, employee__in=[e for e, _ in good]
        ).select_related("employee")
        for completion in clashing:
            number = completion.employee.employee_number
            problems.row(
                RESULTS,
                row_of[completion.employee_id],
                "who",
                rules.COMPLETION_EXISTS.format(number=number, module=module.code, day=completed_on),
            )
        problems.raise_if_any()
        raise

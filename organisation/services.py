"""Writes of the organisation app: importing the organisation workbook in one transaction.

`workbook_import` reads the workbook once, checks every sheet (organisation/workbook.py) and,
only when no row has a problem, writes everything in one transaction: new rows are created,
changed rows updated, unchanged rows left alone (so importing the same workbook twice writes
nothing the second time). Every write goes through simple-history's bulk helpers, so each
created or updated row has a historical record whose author is the importing user (None for
the command) with the change reason naming the file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import hashlib
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from buddies.models import BuddyPairing
from buddies.services import end_pairings_of_leavers
from buddies.workbook import PAIRINGS
from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
from certificates.workbook import CERTIFICATIONS, PAY_PERIODS, TIERS
from core.jobs import Progress
from core.spreadsheets.checks import WorkbookCheck
from core.spreadsheets.reading import (
    Limits,
    Table,
    WorkbookRefused,
    count_rows,
    normalise_header,
    streamed_workbook,
)
from organisation.models import WorkbookUpload
from organisation.workbook import (
    Change,
    Kind,
    SheetCount,
    sheets_for,
    workbook_changes,
    workbook_check,
    workbook_summary,
)
from skills.models import Department, Employee, Signoff, Skill
from skills.workbook import DEPARTMENTS, EMPLOYEES, SIGNOFFS, SKILLS
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule
from training.workbook import ATTENDANCE, COMPLETIONS, MODULES, SESSIONS

BATCH_SIZE = 1000  # rows per INSERT (SQLite's variable limit makes Django use fewer)
CHUNK_SIZE = 5000  # model instances built at a time
CHANGED_SINCE_PREVIEW = (
    "The tracker's records changed since this workbook was previewed, so importing it now "
    "would not do what the preview showed; look at the new preview and confirm again."
)


def workbook_limits() -> Limits:
    limits = settings.TRACKER["WORKBOOK"]
    return Limits(
        max_bytes=settings.MAX_UPLOAD_BYTES,
        max_uncompressed_bytes=limits["MAX_UNCOMPRESSED_BYTES"],
        max_entries=limits["MAX_ENTRIES"],
        max_rows=limits["MAX_ROWS_PER_SHEET"],
    )


@dataclass
class ImportResult:
    """What an import found and did. Nothing was written unless `written`."""

    summary: list[SheetCount] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # values of existing records changed
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary_data(self) -> list[dict[str, Any]]:
        return [dataclasses.asdict(count) for count in self.summary]

    def as_data(self) -> dict[str, Any]:
        return {
            "summary": self.summary_data(),
            "problems": self.problems,
            "warnings": self.warnings,
            "changes": [dataclasses.asdict(change) for change in self.changes],
            "written": self.written,
        }

    def expected_data(self) -> dict[str, Any]:
        """What a confirmation must find again to write: the counts and every change."""
        return {"summary": self.summary_data(), "changes": self.as_data()["changes"]}


def workbook_import(
    *,
    data: bytes,
    file_name: str,
    kind: str = Kind.WORKBOOK,
    user: Any = None,
    dry_run: bool = False,
    change_reason: str | None = None,
    expected: dict[str, Any] | None = None,
    blank_clears: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Checks the workbook and, unless `dry_run` or any problem, writes it in one transaction.

    `expected` (a preview's `expected_data()`) makes the import refuse to write unless it
    would create, update and leave unchanged exactly what the preview said, changing exactly
    the values it listed. A blank cell keeps an existing record's value unless `blank_clears`.
    `progress(done, total, stage)` hears each row read, sheet by sheet, then each sheet
    written (a background job's progress bar; callers throttle).

    A dry run only reads, so it holds no transaction: on SQLite a long check would otherwise
    keep every writer waiting.
    """
    wanted = sheets_for(kind)
    today = timezone.localdate()
    atomic = contextlib.nullcontext() if dry_run else transaction.atomic()
    try:
        with atomic, collection_paused():
            # The rows stream from the file into the check's tables: only the records are
            # kept, and a check that stops at too many problems reads no further.
            with streamed_workbook(
                data, workbook_limits(), wanted=lambda title: normalise_header(title) in wanted
            ) as book:
                if progress:
                    count_rows(book, progress)
                check = workbook_check(book, kind=kind, today=today, blank_clears=blank_clears)
            return _import_checked(
                check, file_name, user, dry_run, change_reason, expected, progress
            )
    except WorkbookRefused as refusal:
        return ImportResult(problems=[str(refusal)])


def _import_checked(
    check: WorkbookCheck,
    file_name: str,
    user: Any,
    dry_run: bool,
    change_reason: str | None,
    expected: dict[str, Any] | None,
    progress: Progress | None = None,
) -> ImportResult:
    result = ImportResult(
        summary=workbook_summary(check),
        problems=[str(p) for p in check.report.problems],
        warnings=[str(w) for w in check.report.warnings],
    )
    if not result.problems:
        result.changes = workbook_changes(check)
    if result.problems or dry_run:
        return result
    if expected is not None and result.expected_data() != expected:
        result.problems.append(CHANGED_SINCE_PREVIEW)
        return result
    reason = change_reason or f"import_workbook {file_name}"
    WorkbookWriter(check, user=user, reason=reason).write(progress)
    # Leavers in the roster lose their go-to pairings on their last day, as on the forms.
    end_pairings_of_leavers()
    result.written = True
    return result


@contextlib.contextmanager
def collection_paused():
    """Pauses the cycle collector while hundreds of thousands of rows are built and written.

    They hold no reference cycles, yet every few hundred allocations the collector walks all
    of them again: pausing it saves about a fifth of an import's time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def batched(items: Iterable, size: int) -> Iterable[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class WorkbookWriter:
    """Writes a checked workbook: one method per sheet, in dependency order."""

    def __init__(self, check: WorkbookCheck, *, user: Any, reason: str):
        self.check = check
        self.user = user
        self.history = {
            "default_user": user,
            "default_change_reason": reason[:100],
            "default_date": timezone.now(),
        }

    def table(self, name: str) -> Table:
        return self.check.tables.get(name) or Table(name)

    def pk(self, name: str, key: Any) -> int | None:
        return None if key is None else self.check.tables[name].pks[key]

    def write(self, progress: Progress | None = None) -> None:
        """Every sheet in dependency order; `progress` hears the rows of each sheet written."""
        steps: list[tuple[str, Callable[[], None]]] = [
            (
                DEPARTMENTS.name,
                lambda: self.write_plain(DEPARTMENTS.name, Department, self.department),
            ),
            (EMPLOYEES.name, self.write_employees),
            (SKILLS.name, lambda: self.write_plain(SKILLS.name, Skill, self.skill)),
            (MODULES.name, lambda: self.write_plain(MODULES.name, WorkflowModule, self.module)),
            (TIERS.name, self.write_tiers),
            (
                SESSIONS.name,
                lambda: self.write_with_m2m(
                    SESSIONS.name, TrainingSession, self.session, "skills", SKILLS.name
                ),
            ),
            (
                ATTENDANCE.name,
                lambda: self.write_plain(ATTENDANCE.name, Attendance, self.attendance),
            ),
            (SIGNOFFS.name, lambda: self.write_plain(SIGNOFFS.name, Signoff, self.signoff)),
            (
                COMPLETIONS.name,
                lambda: self.write_plain(COMPLETIONS.name, ModuleCompletion, self.completion),
            ),
            (
                CERTIFICATIONS.name,
                lambda: self.write_plain(CERTIFICATIONS.name, Certification, self.certification),
            ),
            (PAIRINGS.name, lambda: self.write_plain(PAIRINGS.name, BuddyPairing, self.pairing)),
            (
                PAY_PERIODS.name,
                lambda: self.write_plain(PAY_PERIODS.name, PayPeriod, self.pay_period),
            ),
        ]
        total = sum(len(self.table(name).incoming) for name, _ in steps)
        done = 0
        for name, step in steps:
            if progress:
                progress(done, total, f"Writing sheet {name}")
            step()
            done += len(self.table(name).incoming)
        if progress:
            progress(done, total, "Written")

    # --- Generic writes ---------------------------------------------------------------------

    def create(self, model: type[models.Model], table: Table, keys: list, build: Callable) -> None:
        """Creates the rows of `keys` with their history, and files their new primary keys.

        A few thousand at a time, so that the model instances never all sit in memory at once.
        """
        recorded = self.recorded(model)
        for chunk in batched(keys, CHUNK_SIZE):
            objs = [model(**build(table.incoming[key]), **recorded) for key in chunk]
            saved = bulk_create_with_history(objs, model, batch_size=BATCH_SIZE, **self.history)
            for key, obj in zip(chunk, saved, strict=True):
                table.pks[key] = obj.pk

    def update(self, model: type[models.Model], table: Table, keys: list, build: Callable) -> None:
        """Updates the rows of `keys` to the workbook's values, with their history."""
        if not keys:
            return
        key_of = {table.pks[key]: key for key in keys}
        objs = []
        fields: list[str] = []
        for chunk in batched(key_of, 500):
            for obj in model.objects.filter(pk__in=chunk):
                values = build(table.incoming[key_of[obj.pk]])
                fields = list(values)
                for name, value in values.items():
                    setattr(obj, name, value)
                objs.append(obj)
        bulk_update_with_history(objs, model, fields, batch_size=BATCH_SIZE, **self.history)

    def recorded(self, model: type[models.Model]) -> dict[str, Any]:
        """Who recorded a new row, for the models that keep it."""
        names = {f.name for f in model._meta.get_fields()}
        return {"recorded_by": self.user} if "recorded_by" in names and self.user else {}

    def write_plain(self, name: str, model: type[models.Model], build: Callable) -> None:
        table = self.table(name)
        if not table.incoming:
            return
        # Updates first: a pairing ended by the workbook frees its seeker for a new one.
        self.update(model, table, table.updated(), build)
        self.create(model, table, table.created(), build)

    # --- Employees: managers before the people they manage ----------------------------------

    def write_employees(self) -> None:
        table = self.table(EMPLOYEES.name)
        if not table.incoming:
            return
        pending = {key: table.incoming[key] for key in table.created()}
        looped: list[str] = []
        while pending:
            ready = [
                key
                for key, record in pending.items()
                if record.manager_number is None or record.manager_number in table.pks
            ]
            if not ready:
                # Managers that manage each other: create them first, set managers after.
                ready = list(pending)
                looped = ready
                self.create(Employee, table, ready, lambda r: self.employee(r, manager=False))
            else:
                self.create(Employee, table, ready, self.employee)
            for key in ready:
                pending.pop(key)
        self.update(Employee, table, table.updated() + looped, self.employee)

    # --- Sheets with a many-to-many field: history with its snapshot --------------------------

    def write_with_m2m(
        self,
        name: str,
        model: type[models.Model],
        build: Callable,
        m2m: str,
        related: str,
    ) -> None:
        """Like write_plain, plus the many-to-many set, with history snapshots of both.

        simple-history records a many-to-many field in a table of its own; its bulk helpers
        do not fill it, so the snapshot rows are written here in bulk as well.
        """
        table = self.table(name)
        if not table.incoming:
            return
        codes_of = self.m2m_codes(name)
        created_keys = table.created()
        updated_keys = table.updated()
        created = [
            model(**build(table.incoming[key]), **self.recorded(model)) for key in created_keys
        ]
        created = model.objects.bulk_create(created, batch_size=BATCH_SIZE)
        for key, obj in zip(created_keys, created, strict=True):
            table.pks[key] = obj.pk
        key_of = {table.pks[key]: key for key in updated_keys}
        updated = []
        fields: list[str] = []
        for chunk in batched(key_of, 500):
            for obj in model.objects.filter(pk__in=chunk):
                values = build(table.incoming[key_of[obj.pk]])
                fields = list(values)
                for attr, value in values.items():
                    setattr(obj, attr, value)
                updated.append(obj)
        if updated:
            model.objects.bulk_update(updated, fields, batch_size=BATCH_SIZE)

        field_ = model._meta.get_field(m2m)
        through = field_.remote_field.through
        source = field_.m2m_field_name() + "_id"
        target = field_.m2m_reverse_field_name() + "_id"
        related_pks = self.check.tables[related].pks
        changed = [
            obj
            for obj in updated
            if codes_of(table.existing[key_of[obj.pk]]) != codes_of(table.incoming[key_of[obj.pk]])
        ]
        for chunk in batched([obj.pk for obj in changed], 500):
            through.objects.filter(**{f"{source}__in": chunk}).delete()
        rows = [
            through(**{source: obj.pk, target: related_pks[code]})
            for obj, key in itertools.chain(
                zip(created, created_keys, strict=True),
                ((obj, key_of[obj.pk]) for obj in changed),
            )
            for code in codes_of(table.incoming[key])
        ]
        through.objects.bulk_create(rows, batch_size=BATCH_SIZE)

        history = model.history
        records = list(history.bulk_history_create(created, batch_size=BATCH_SIZE, **self.history))
        records += history.bulk_history_create(
            updated, batch_size=BATCH_SIZE, update=True, **self.history
        )
        current: dict[int, list] = {}
        for chunk in batched([record.id for record in records], 500):
            for row in through.objects.filter(**{f"{source}__in": chunk}):
                current.setdefault(getattr(row, source), []).append(row)
        snapshot = getattr(history.model, m2m).model
        through_fields = [f.attname for f in through._meta.fields]
        snapshot.objects.bulk_create(
            [
                snapshot(
                    history_id=record.history_id, **{a: getattr(row, a) for a in through_fields}
                )
                for record in records
                for row in current.get(record.id, ())
            ],
            batch_size=BATCH_SIZE,
        )

    def m2m_codes(self, name: str) -> Callable[[Any], tuple]:
        if name == SESSIONS.name:
            return lambda record: record.skills
        return lambda record: record.required_modules

    # --- Tiers: required modules (many-to-many) and required skills (rows of their own) -------

    def write_tiers(self) -> None:
        table = self.table(TIERS.name)
        if not table.incoming:
            return
        self.write_with_m2m(TIERS.name, Tier, self.tier, "required_modules", MODULES.name)
        skills = self.check.tables[SKILLS.name].pks
        wanted: list[TierSkillRequirement] = []
        changed_levels: list[TierSkillRequirement] = []
        for key, record in table.incoming.items():
            old = table.existing.get(key)
            if old is not None and old.required_skills == record.required_skills:
                continue
            tier_id = table.pks[key]
            before = {
                requirement.skill_id: requirement
                for requirement in TierSkillRequirement.objects.filter(tier_id=tier_id)
            }
            after = {skills[code]: level for code, level in record.required_skills}
            for skill_id, requirement in before.items():
                if skill_id not in after:
                    requirement._history_user = self.user
                    requirement._change_reason = self.history["default_change_reason"]
                    requirement.delete()
                elif requirement.min_level != after[skill_id]:
                    requirement.min_level = after[skill_id]
                    changed_levels.append(requirement)
            wanted += [
                TierSkillRequirement(tier_id=tier_id, skill_id=skill_id, min_level=level)
                for skill_id, level in after.items()
                if skill_id not in before
            ]
        if changed_levels:
            bulk_update_with_history(
                changed_levels, TierSkillRequirement, ["min_level"], **self.history
            )
        if wanted:
            bulk_create_with_history(wanted, TierSkillRequirement, **self.history)

    # --- Model fields of each sheet's record -----------------------------------------------

    def department(self, r) -> dict[str, Any]:
        return {"code": r.code, "name": r.name, "side": r.side, "site": r.site}

    def employee(self, r, manager: bool = True) -> dict[str, Any]:
        return {
            "employee_number": r.employee_number,
            "first_name": r.first_name,
            "last_name": r.last_name,
            "email": r.email,
            "department_id": self.pk(DEPARTMENTS.name, r.department_code),
            "site": r.site,
            "shift": r.shift,
            "hire_date": r.hire_date,
            "termination_date": r.termination_date,
            "manager_id": self.pk(EMPLOYEES.name, r.manager_number) if manager else None,
        }

    def skill(self, r) -> dict[str, Any]:
        return {
            "code": r.code,
            "name": r.name,
            "department_id": self.pk(DEPARTMENTS.name, r.department_code),
            "recert_months": r.recert_months,
        }

    def module(self, r) -> dict[str, Any]:
        return {
            "code": r.code,
            "title": r.title,
            "version": r.version,
            "owner_id": self.pk(EMPLOYEES.name, r.owner_number),
            "last_reviewed_on": r.last_reviewed_on,
            "pass_mark": r.pass_mark,
            "is_new_hire": r.new_hire,
            "new_hire_days": r.new_hire_days,
        }

    def tier(self, r) -> dict[str, Any]:
        return {
            "rank": r.rank,
            "name": r.name,
            "differential_per_hour": r.differential_per_hour,
            "min_cross_training_hours": r.min_cross_training_hours,
            "min_other_side_skills": r.min_other_side_skills,
            "min_tenure_days": r.min_tenure_days,
            "pay_code": r.pay_code,
        }

    def session(self, r) -> dict[str, Any]:
        return {
            "session_ref": r.session_ref,
            "date": r.date,
            "host_department_id": self.pk(DEPARTMENTS.name, r.host_department_code),
            "kind": r.kind,
            "trainer_id": self.pk(EMPLOYEES.name, r.trainer_number),
            "duration_hours": r.duration_hours,
            "notes": r.notes,
        }

    def attendance(self, r) -> dict[str, Any]:
        return {
            "session_id": self.pk(SESSIONS.name, r.session_ref),
            "employee_id": self.pk(EMPLOYEES.name, r.employee_number),
            "hours": r.hours,
        }

    def signoff(self, r) -> dict[str, Any]:
        return {
            "employee_id": self.pk(EMPLOYEES.name, r.employee_number),
            "skill_id": self.pk(SKILLS.name, r.skill_code),
            "level": r.level,
            "assessed_on": r.assessed_on,
            "assessor_id": self.pk(EMPLOYEES.name, r.assessor_number),
            "evidence": r.evidence,
        }

    def completion(self, r) -> dict[str, Any]:
        return {
            "employee_id": self.pk(EMPLOYEES.name, r.employee_number),
            "module_id": self.pk(MODULES.name, r.module_code),
            "completed_on": r.completed_on,
            "score": r.score,
            "version": r.version,
        }

    def certification(self, r) -> dict[str, Any]:
        return {
            "employee_id": self.pk(EMPLOYEES.name, r.employee_number),
            "tier_id": self.pk(TIERS.name, r.tier_rank),
            "certified_on": r.certified_on,
            "certified_by_id": self.pk(EMPLOYEES.name, r.certified_by_number),
            "override_reason": r.override_reason,
        }

    def pairing(self, r) -> dict[str, Any]:
        return {
            "seeker_id": self.pk(EMPLOYEES.name, r.seeker_number),
            "buddy_id": self.pk(EMPLOYEES.name, r.buddy_number),
            "started_on": r.started_on,
            "ended_on": r.ended_on,
        }

    def pay_period(self, r) -> dict[str, Any]:
        return {"start": r.start, "end": r.end}


# --- Uploads: preview, then confirm exactly what was previewed ------------------------------

UPLOAD_NOT_YOURS = "Only the person who uploaded this workbook can confirm it."
UPLOAD_CONFIRMED = "This workbook was already imported on {when}."
UPLOAD_EXPIRED = "This upload expired {minutes} minutes after it was made; upload the file again."
UPLOAD_NOT_CHECKED = "This workbook is still being checked; confirm it once its preview shows."
UPLOAD_HAS_PROBLEMS = (
    "This workbook has problems and cannot be imported; fix them and upload again."
)
UPLOAD_ALTERED = (
    "What was confirmed is not what was previewed (the file's fingerprint differs), so "
    "nothing was imported; upload the file again."
)


PREVIEW_PROBLEMS = 1000  # problems kept for a preview page; the command prints them all
MORE_PROBLEMS = (
    "… and {n} more problems: fix these first, or run import_workbook --dry-run for all of them"
)


class UploadRefused(Exception):
    """A confirmation that must not import anything; the message says why."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload_expires_at(upload: WorkbookUpload) -> datetime.datetime:
    minutes = settings.TRACKER["WORKBOOK"]["UPLOAD_EXPIRY_MINUTES"]
    return upload.uploaded_at + datetime.timedelta(minutes=minutes)


def workbook_upload_create(
    *, user: Any, kind: str, file_name: str, data: bytes, blank_clears: bool = False
) -> WorkbookUpload:
    """Checks an uploaded workbook (writing nothing) and keeps it for its preview, in the
    request: `workbook_upload_store`, then `workbook_upload_check`."""
    upload = workbook_upload_store(
        user=user, kind=kind, file_name=file_name, data=data, blank_clears=blank_clears
    )
    return workbook_upload_check(upload)


def workbook_upload_store(
    *, user: Any, kind: str, file_name: str, data: bytes, blank_clears: bool = False
) -> WorkbookUpload:
    """Keeps an uploaded workbook, not yet checked (a background job checks a large one).
    Unconfirmed uploads past their expiry are removed on the way."""
    minutes = settings.TRACKER["WORKBOOK"]["UPLOAD_EXPIRY_MINUTES"]
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    WorkbookUpload.objects.filter(confirmed_at__isnull=True, uploaded_at__lt=cutoff).delete()
    return WorkbookUpload.objects.create(
        kind=kind,
        uploaded_by=user,
        file_name=file_name[:255],
        content=data,
        size=len(data),
        sha256=sha256_of(data),
        blank_clears=blank_clears,
    )


def workbook_upload_check(
    upload: WorkbookUpload, progress: Progress | None = None
) -> WorkbookUpload:
    """Checks a stored upload (writing nothing) and keeps its preview; a refused workbook
    keeps its problems, not its bytes. Checking it again changes nothing."""
    if upload.checked_at is not None:
        return upload
    data = bytes(upload.content)
    result = workbook_import(
        data=data,
        file_name=upload.file_name,
        kind=upload.kind,
        user=upload.uploaded_by,
        dry_run=True,
        blank_clears=upload.blank_clears,
        progress=progress,
    )
    preview = result.as_data()
    hidden = len(result.problems) - PREVIEW_PROBLEMS
    if hidden > 0:
        preview["problems"] = [*result.problems[:PREVIEW_PROBLEMS], MORE_PROBLEMS.format(n=hidden)]
    upload.preview = preview
    upload.checked_at = timezone.now()
    fields = ["preview", "checked_at"]
    if not result.ok:
        upload.content = b""
        fields.append("content")
    WorkbookUpload.objects.filter(pk=upload.pk, checked_at__isnull=True).update(
        **{name: getattr(upload, name) for name in fields}
    )
    return upload


def confirm_refusal(upload: WorkbookUpload, user: Any, digest: str) -> None:
    """Raises UploadRefused when `user` may not confirm `upload` with `digest` now."""
    if upload.uploaded_by_id != user.pk:
        raise UploadRefused(UPLOAD_NOT_YOURS)
    if upload.confirmed_at is not None:
        raise UploadRefused(UPLOAD_CONFIRMED.format(when=timezone.localtime(upload.confirmed_at)))
    if timezone.now() > upload_expires_at(upload):
        minutes = settings.TRACKER["WORKBOOK"]["UPLOAD_EXPIRY_MINUTES"]
        raise UploadRefused(UPLOAD_EXPIRED.format(minutes=minutes))
    if upload.checked_at is None:
        raise UploadRefused(UPLOAD_NOT_CHECKED)
    if upload.preview.get("problems"):
        raise UploadRefused(UPLOAD_HAS_PROBLEMS)
    if digest != upload.sha256:
        raise UploadRefused(UPLOAD_ALTERED)


def workbook_upload_confirm(
    *, upload: WorkbookUpload, user: Any, digest: str, progress: Progress | None = None
) -> ImportResult:
    """Imports exactly the previewed bytes, if `user` uploaded them and they are unchanged.

    Raises UploadRefused when the confirmation is not allowed. The import itself re-checks the
    bytes and refuses to write unless it would do what the preview showed; when the records
    changed since, the upload's preview is brought up to date so it can be confirmed again.
    """
    with transaction.atomic():
        upload = WorkbookUpload.objects.select_for_update().get(pk=upload.pk)
        confirm_refusal(upload, user, digest)
        data = bytes(upload.content)
        if sha256_of(data) != upload.sha256:
            raise UploadRefused(UPLOAD_ALTERED)
        result = workbook_import(
            data=data,
            file_name=upload.file_name,
            kind=upload.kind,
            user=user,
            change_reason=f"{upload.kind} upload {upload.file_name}",
            expected={
                "summary": upload.preview.get("summary", []),
                "changes": upload.preview.get("changes", []),
            },
            blank_clears=upload.blank_clears,
            progress=progress,
        )
        if result.written:
            upload.confirmed_at = timezone.now()
            upload.result = result.as_data()
            upload.save(update_fields=["confirmed_at", "result"])
        elif result.problems == [CHANGED_SINCE_PREVIEW]:
            upload.preview = {**result.as_data(), "problems": [], "refreshed": True}
            upload.save(update_fields=["preview"])
        else:
            upload.preview = result.as_data()
            upload.content = b""
            upload.save(update_fields=["preview", "content"])
    return result

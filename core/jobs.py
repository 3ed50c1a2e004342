"""Long work in the background with a progress bar (domain-free).

A view calls `start` (the job row, then the task enqueued once the row is committed) and
redirects to the job's page, which polls `core:job-status` until the result is ready. The
task calls `run(token, work)`: `work(progress)` does the job, calling `progress(done, total,
stage)` as it goes, and returns (file bytes, file name, content type), or None when its
result is the page named at the start (an import's preview). A job that fails is marked
failed with its reason (and the exception re-raised, so the task's own result records it
too); a job refused for a reason the user can act on (`Refused`) is marked failed with that
reason alone. A job already finished is not run again, so running a task twice is safe; a
running job silent for JOB_STALE_MINUTES (its worker died) is marked failed when someone
looks at it.

Progress is visible while the work runs inside a transaction (an import writes everything in
one): on PostgreSQL it is written through a connection of its own; SQLite has one writer at a
time, so there the bar of work inside a transaction shows only where it started.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from core.models import Job

Progress = Callable[[int, int, str], None]
Work = Callable[[Progress], "tuple[bytes, str, str] | None"]
FAILED_TEXT = "The job stopped with an error: {error}. Nothing was changed; start it again."
STALE_TEXT = (
    "The job's worker stopped before it finished (no progress for {minutes} minutes). "
    "Nothing was changed; start it again."
)


class Refused(Exception):
    """A job that must not do its work, for a reason the user can act on (the message)."""


def result_days() -> int:
    return settings.TRACKER["JOB_RESULT_DAYS"]


def start(
    *,
    owner,
    kind: str,
    title: str,
    task,
    back_url: str = "",
    subject: str = "",
    result_page: tuple[str, str] | None = None,
    **arguments,
) -> Job:
    """A new job of `owner`'s, its task enqueued with the job's token and `arguments` once the
    job's row is committed. A job whose result is a page names it in `result_page` (its
    address, and what it is: "the preview"). Expired jobs (anyone's) are deleted on the way."""
    result_url, result_name = result_page or ("", "")
    cutoff = timezone.now() - datetime.timedelta(days=result_days())
    Job.objects.filter(created_at__lt=cutoff).delete()
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=title,
        back_url=back_url,
        subject=subject,
        result_url=result_url,
        result_name=result_name,
    )
    token = str(job.token)
    transaction.on_commit(lambda: task.enqueue(token, **arguments))
    return job


def latest(*, kind: str, subject: str) -> Job | None:
    """The last job of `kind` on `subject` (settled), if any."""
    job = Job.objects.defer("result").filter(kind=kind, subject=subject).first()
    return settle(job) if job is not None else None


def pending(*, kind: str, subject: str) -> Job | None:
    """The job of `kind` on `subject` still queued or running, if any."""
    job = latest(kind=kind, subject=subject)
    return job if job is not None and job.is_pending else None


def settle(job: Job) -> Job:
    """Marks `job` failed if it has been running without a sign of life for longer than
    JOB_STALE_MINUTES (its worker died); returns it as it now stands."""
    minutes = settings.TRACKER["JOB_STALE_MINUTES"]
    if job.status != Job.Status.RUNNING:
        return job
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    if (job.heartbeat_at or job.created_at) >= cutoff:
        return job
    error = STALE_TEXT.format(minutes=minutes)
    settled = Job.objects.filter(
        pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at
    )
    if settled.update(status=Job.Status.FAILED, error=error, finished_at=timezone.now()):
        job.status, job.error = Job.Status.FAILED, error
    return job


def progress_of(token: str) -> tuple[Progress, Callable[[], None]]:
    """A reporter that writes the job's progress (one UPDATE each call; callers throttle), and
    the function that closes what it opened."""
    side: list = []  # the connection of its own, opened inside a transaction on PostgreSQL
    outer = len(connection.atomic_blocks)  # transactions already open when the work started

    def report(done: int, total: int, stage: str) -> None:
        values = {
            "status": Job.Status.RUNNING,
            "done": done,
            "total": max(total, done),
            "stage": stage[:120],
            "heartbeat_at": timezone.now(),
        }
        if len(connection.atomic_blocks) <= outer:
            Job.objects.filter(token=token).update(**values)
        elif connection.vendor == "postgresql":
            if not side:
                side.append(connections.create_connection(DEFAULT_DB_ALIAS))
            _update_through(side[0], token, values)

    def close() -> None:
        for other in side:
            other.close()

    return report, close


def _update_through(other, token: str, values: dict) -> None:
    """The progress UPDATE through `other`, a connection outside the work's transaction."""
    table = other.ops.quote_name(Job._meta.db_table)
    columns = ", ".join(f"{other.ops.quote_name(name)} = %s" for name in values)
    with other.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {columns} WHERE token = %s",  # the names are the model's
            [*values.values(), uuid.UUID(token)],
        )


def run(token: str, work: Work) -> str:
    """Runs `work` for the job `token` and records its outcome; returns the job's status."""
    job = Job.objects.filter(token=token).only("status").first()
    if job is None or job.status in (Job.Status.DONE, Job.Status.FAILED):
        return job.status if job else "missing"
    Job.objects.filter(token=token).update(
        status=Job.Status.RUNNING, stage="Starting", heartbeat_at=timezone.now()
    )
    report, close = progress_of(token)
    try:
        outcome = work(report)
    except Refused as refusal:
        _finish(token, status=Job.Status.FAILED, error=str(refusal))
        return Job.Status.FAILED
    except Exception as error:
        _finish(
            token,
            status=Job.Status.FAILED,
            error=FAILED_TEXT.format(error=str(error) or error.__class__.__name__),
        )
        raise
    finally:
        close()
    if outcome is None:
        _finish(token, status=Job.Status.DONE, stage="Ready")
    else:
        data, name, content_type = outcome
        _finish(
            token,
            status=Job.Status.DONE,
            result=data,
            result_name=name,
            result_type=content_type,
            stage="Ready",
        )
    return Job.Status.DONE


def _finish(token: str, **values) -> None:
    Job.objects.filter(token=token).update(finished_at=timezone.now(), **values)


def every(step: int, report: Progress, seconds: float = 1.0) -> Progress:
    """A reporter that writes only every `step`-th call and at most once a `seconds` (and the
    last call), so each row can report without a write per row."""
    last = [-seconds]

    def throttled(done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if (total and done == total) or (done % step == 0 and now - last[0] >= seconds):
            last[0] = now
            report(done, total, stage)

    return throttled

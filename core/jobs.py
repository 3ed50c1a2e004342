"""Long work in the background with a progress bar (domain-free).

A view calls `start` (the job row, then the task enqueued once the row is committed) and
redirects to the job's page, which polls `core:job-status` until the result is ready. The
task calls `run(token, work)`: `work(progress)` does the job, calling `progress(done, total,
stage)` as it goes, and returns (file bytes, file name, content type). A job that fails is
marked failed with its reason (and the exception re-raised, so the task's own result records
it too); a job already finished is not run again, so running a task twice is safe.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import Job

Progress = Callable[[int, int, str], None]
Work = Callable[[Progress], tuple[bytes, str, str]]
FAILED_TEXT = "The job stopped with an error: {error}. Nothing was changed; start it again."


def result_days() -> int:
    return settings.TRACKER["JOB_RESULT_DAYS"]


def start(*, owner, kind: str, title: str, task, back_url: str = "", **arguments) -> Job:
    """A new job of `owner`'s, its task enqueued with the job's token and `arguments` once the
    job's row is committed. Expired jobs (anyone's) are deleted on the way."""
    cutoff = timezone.now() - datetime.timedelta(days=result_days())
    Job.objects.filter(created_at__lt=cutoff).delete()
    job = Job.objects.create(owner=owner, kind=kind, title=title, back_url=back_url)
    token = str(job.token)
    transaction.on_commit(lambda: task.enqueue(token, **arguments))
    return job


def progress_of(token: str) -> Progress:
    """A reporter that writes the job's progress (one UPDATE each call; callers throttle)."""

    def report(done: int, total: int, stage: str) -> None:
        Job.objects.filter(token=token).update(
            status=Job.Status.RUNNING, done=done, total=total, stage=stage[:120]
        )

    return report


def run(token: str, work: Work) -> str:
    """Runs `work` for the job `token` and records its outcome; returns the job's status."""
    job = Job.objects.filter(token=token).only("status").first()
    if job is None or job.status in (Job.Status.DONE, Job.Status.FAILED):
        return job.status if job else "missing"
    Job.objects.filter(token=token).update(status=Job.Status.RUNNING, stage="Starting")
    try:
        data, name, content_type = work(progress_of(token))
    except Exception as error:
        Job.objects.filter(token=token).update(
            status=Job.Status.FAILED,
            error=FAILED_TEXT.format(error=str(error) or error.__class__.__name__),
            finished_at=timezone.now(),
        )
        raise
    Job.objects.filter(token=token).update(
        status=Job.Status.DONE,
        result=data,
        result_name=name,
        result_type=content_type,
        stage="Ready",
        finished_at=timezone.now(),
    )
    return Job.Status.DONE


def every(step: int, report: Progress, seconds: float = 1.0) -> Progress:
    """A reporter that writes only every `step`-th call and at most once a `seconds` (and the
    last call), so each row can report without a write per row."""
    last = [-seconds]

    def throttled(done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if done >= total or (done % step == 0 and now - last[0] >= seconds):
            last[0] = now
            report(done, total, stage)

    return throttled

"""Background jobs of the certificates app (Django's tasks API, django-tasks backport)."""

from __future__ import annotations

import datetime
import io

from django.http import QueryDict
from django_tasks import task

from certificates.documents import issued_between, write_zip, zip_file_name
from certificates.exports import payroll_download
from certificates.models import PayPeriod
from certificates.team_download import team_workbook
from core import jobs
from core.spreadsheets.writing import XLSX_CONTENT_TYPE

REPORT_EVERY = 25  # certificates drawn between progress reports (and at most once a second)


@task()
def team_download_job(token: str, query: str = "") -> str:
    """The team download of the job `token`, for the team page's filters and sort `query`."""

    def work(progress):
        body, filename = team_workbook(QueryDict(query), progress)
        return body, filename, XLSX_CONTENT_TYPE

    return jobs.run(token, work)


@task()
def payroll_download_job(token: str, start: str, only_changes: bool, as_csv: bool) -> str:
    """The payroll export of the period starting on `start` (ISO date), as the page's link."""

    def work(progress):
        period = PayPeriod.objects.get(start=datetime.date.fromisoformat(start))
        file = payroll_download(
            period, only_changes=only_changes, as_csv=as_csv, progress=jobs.every(1, progress)
        )
        return file.body, file.name, file.content_type

    return jobs.run(token, work)


@task()
def certificate_zip_job(token: str, first: str, last: str) -> str:
    """Every certificate issued from `first` to `last` (ISO dates) as one zip of PDFs."""

    def work(progress):
        first_day, last_day = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
        out = io.BytesIO()
        certifications = issued_between(first_day, last_day).iterator(chunk_size=500)
        write_zip(certifications, out, jobs.every(REPORT_EVERY, progress))
        return out.getvalue(), zip_file_name(first_day, last_day), "application/zip"

    return jobs.run(token, work)

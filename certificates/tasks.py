"""Background jobs of the certificates app (Django's tasks API, django-tasks backport)."""

from __future__ import annotations

from django.http import QueryDict
from django_tasks import task

from certificates.team_download import XLSX, team_workbook
from core import jobs


@task()
def team_download_job(token: str, query: str = "") -> str:
    """The team download of the job `token`, for the team page's filters and sort `query`."""

    def work(progress):
        body, filename = team_workbook(QueryDict(query), progress)
        return body, filename, XLSX

    return jobs.run(token, work)

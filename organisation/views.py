"""Pages of the organisation workbook: upload, preview, confirm, and the administrator's export.

Administrators upload the whole organisation workbook; payroll uploads its roster (the
Employees sheet: any other sheet is reported on the preview and not read). An upload is checked
without writing and kept, bytes and fingerprint, in the database; its preview lists per sheet
what would be created, updated and left unchanged, and every problem by cell. Confirming imports
exactly those bytes (organisation/services.py refuses anything else).
"""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.roles import Role, user_roles
from core.spreadsheets.reading import FILE_TOO_LARGE, megabytes
from core.spreadsheets.writing import SheetData, write_workbook
from organisation.models import WorkbookUpload
from organisation.services import (
    UploadRefused,
    confirm_refusal,
    upload_expires_at,
    workbook_upload_confirm,
    workbook_upload_create,
    workbook_upload_store,
)
from organisation.tasks import workbook_check_job, workbook_confirm_job
from organisation.workbook import SHEETS, workbook_sheets
from skills.workbook import EMPLOYEES

NO_FILE = "Choose the .xlsx file to upload."
IMPORTED = "Imported {name}: {created} rows created, {updated} updated, {unchanged} unchanged."
NO_LONGER_CLEAN = (
    "The workbook no longer imports cleanly against the tracker's records; nothing was "
    "imported. The problems are listed below."
)
PREVIEW_REFRESHED = (
    "The tracker's records changed since the preview; this is the new preview. "
    "Look at it again and confirm if it is still right."
)

CHECK_UNFINISHED = "The check of this workbook did not finish; upload the file again."
CHECK_JOB, CONFIRM_JOB = "workbook-check", "workbook-confirm"

PREVIEW_CHANGES = 500  # changed values listed on the preview page; the download has all
CHANGE_HEADERS = ["Sheet", "Row", "Record", "Column", "Before", "After", "What"]
CHANGE_KINDS = {
    (False, False): "Changed",
    (True, False): "Cleared",
    (False, True): "Terminated",
    (True, True): "Cleared",
}

PAGES = {
    WorkbookUpload.Kind.WORKBOOK: {
        "url": "organisation:workbook-upload",
        "heading": "Import the organisation workbook",
        "eyebrow": "Import",
        "lead": (
            "Departments, people, skills, modules, tiers and the training history, from one "
            ".xlsx workbook. Every sheet is optional; a workbook with any problem is refused "
            "whole, with each problem listed by cell."
        ),
    },
    WorkbookUpload.Kind.ROSTER: {
        "url": "organisation:roster-upload",
        "heading": "Import the payroll roster",
        "eyebrow": "Import",
        "lead": (
            "The Employees sheet of a workbook: new people are added, changed ones updated, "
            "the others left as they are. A roster with any problem is refused whole, with "
            "each problem listed by cell."
        ),
    },
}


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="Workbook (.xlsx)",
        error_messages={"required": NO_FILE},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    blank_clears = forms.BooleanField(
        label="Blank cells clear values",
        required=False,
        help_text=(
            "Off (the default): a blank cell keeps what the tracker has. On: a blank cell in a "
            "column the file has clears that value. A column the file does not have never "
            "changes anything."
        ),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        limit = settings.MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                FILE_TOO_LARGE.format(size=megabytes(upload.size), limit=megabytes(limit))
            )
        return upload


class ConfirmForm(forms.Form):
    sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)


def workbook_upload(request):
    return _upload(request, WorkbookUpload.Kind.WORKBOOK)


def roster_upload(request):
    return _upload(request, WorkbookUpload.Kind.ROSTER)


def size_text(size: int) -> str:
    """256 KB, 1.5 MB: a file size as people read it."""
    return f"{size // 1024:,} KB" if size < 1024 * 1024 else megabytes(size)


def in_background(size: int) -> bool:
    """Whether a workbook of `size` bytes is checked and imported by a background job."""
    return size > settings.TRACKER["JOB_ABOVE_BYTES"]


def _upload(request, kind: str):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["workbook"]
        data = file.read(settings.MAX_UPLOAD_BYTES + 1)
        details = {
            "user": request.user,
            "kind": kind,
            "file_name": file.name,
            "data": data,
            "blank_clears": form.cleaned_data["blank_clears"],
        }
        if not in_background(len(data)):
            upload = workbook_upload_create(**details)
            return redirect("organisation:workbook-preview", token=upload.token)
        upload = workbook_upload_store(**details)
        job = jobs.start(
            owner=request.user,
            kind=CHECK_JOB,
            title=f"Checking {upload.file_name}",
            task=workbook_check_job,
            back_url=reverse(PAGES[kind]["url"]),
            subject=str(upload.token),
            result_page=(_preview_url(upload), "the preview"),
            upload=str(upload.token),
        )
        return redirect("core:job", token=job.token)
    context = {
        "form": form,
        "kind": kind,
        "page": PAGES[kind],
        "sheets": [spec for spec, _v in SHEETS]
        if kind == WorkbookUpload.Kind.WORKBOOK
        else [EMPLOYEES],
        "max_size": megabytes(settings.MAX_UPLOAD_BYTES),
        "background_size": size_text(settings.TRACKER["JOB_ABOVE_BYTES"]),
        "recent": WorkbookUpload.objects.filter(uploaded_by=request.user, kind=kind).only(
            "token", "file_name", "uploaded_at", "confirmed_at", "checked_at", "preview", "kind"
        )[:5],
    }
    return render(request, "organisation/workbook_upload.html", context)


def _visible_upload(request, token) -> WorkbookUpload:
    """The uploader sees their upload; administrators see everyone's (but confirm only theirs)."""
    upload = get_object_or_404(WorkbookUpload, token=token)
    if upload.uploaded_by_id != request.user.pk and Role.ADMINISTRATOR not in user_roles(
        request.user
    ):
        raise Http404("No such upload.")
    return upload


def _preview_url(upload: WorkbookUpload) -> str:
    return reverse("organisation:workbook-preview", kwargs={"token": upload.token})


def workbook_preview(request, token):
    upload = _visible_upload(request, token)
    problems: list[str] = []
    if upload.checked_at is None:
        check = jobs.latest(kind=CHECK_JOB, subject=str(upload.token))
        if check is not None and check.is_pending:
            return redirect("core:job", token=check.token)
        problems = [check.error if check is not None and check.error else CHECK_UNFINISHED]
    if request.GET.get("after") == "confirm":
        _confirm_outcome(request, upload)
    preview = upload.result if upload.confirmed_at else upload.preview
    expires = upload_expires_at(upload)
    summary = preview.get("summary", [])
    totals = {
        column: sum(row[column] for row in summary)
        for column in ("created", "updated", "unchanged")
    }
    changes = preview.get("changes", [])
    context = {
        "upload": upload,
        "page": PAGES[upload.kind],
        "changes": changes[:PREVIEW_CHANGES],
        "changes_count": len(changes),
        "changes_hidden": max(0, len(changes) - PREVIEW_CHANGES),
        "cleared": [c for c in changes if c["cleared"]],
        "terminated": [c for c in changes if c["terminated"]],
        "summary": summary,
        "totals": totals,
        "problems": problems or preview.get("problems", []),
        "warnings": preview.get("warnings", []),
        "expired": upload.confirmed_at is None and timezone.now() > expires,
        "expires": expires,
        "mine": upload.uploaded_by_id == request.user.pk,
        "confirm_form": ConfirmForm(initial={"sha256": upload.sha256}),
    }
    return render(request, "organisation/workbook_preview.html", context)


def workbook_confirm(request, token):
    if request.method != "POST":
        return redirect("organisation:workbook-preview", token=token)
    upload = get_object_or_404(WorkbookUpload, token=token, uploaded_by=request.user)
    form = ConfirmForm(request.POST)
    digest = form.cleaned_data["sha256"] if form.is_valid() else ""
    preview_url = _preview_url(upload)
    if in_background(upload.size):
        return _confirm_in_background(request, upload, digest)
    try:
        workbook_upload_confirm(upload=upload, user=request.user, digest=digest)
    except UploadRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(preview_url)
    upload.refresh_from_db()
    _confirm_outcome(request, upload)
    return redirect(preview_url)


def _confirm_in_background(request, upload: WorkbookUpload, digest: str):
    """Starts the import of a large upload as a job, or shows the one already under way (a
    double click, a second tab): one upload is imported by one job at a time."""
    subject = str(upload.token)
    # Looked for before any transaction: on SQLite one would wait for a running import's.
    running = jobs.pending(kind=CONFIRM_JOB, subject=subject)
    if running is not None:
        return redirect("core:job", token=running.token)
    with transaction.atomic():
        upload = WorkbookUpload.objects.select_for_update().get(pk=upload.pk)
        running = jobs.pending(kind=CONFIRM_JOB, subject=subject)
        if running is not None:
            return redirect("core:job", token=running.token)
        try:
            confirm_refusal(upload, request.user, digest)
        except UploadRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(_preview_url(upload))
        job = jobs.start(
            owner=request.user,
            kind=CONFIRM_JOB,
            title=f"Importing {upload.file_name}",
            task=workbook_confirm_job,
            back_url=_preview_url(upload),
            subject=subject,
            result_page=(f"{_preview_url(upload)}?after=confirm", "the import"),
            upload=subject,
            user=request.user.pk,
            digest=digest,
        )
    return redirect("core:job", token=job.token)


def _confirm_outcome(request, upload: WorkbookUpload) -> None:
    """The message that says what a confirmation did, from the upload as it now stands:
    imported, refused (the records changed and the workbook no longer fits them), or
    previewed again (the records changed; the new preview awaits a new confirmation)."""
    if upload.confirmed_at is not None:
        summary = upload.result.get("summary", [])
        messages.success(
            request,
            IMPORTED.format(
                name=upload.file_name,
                created=sum(c["created"] for c in summary),
                updated=sum(c["updated"] for c in summary),
                unchanged=sum(c["unchanged"] for c in summary),
            ),
        )
    elif upload.preview.get("problems"):
        messages.error(request, NO_LONGER_CLEAN)
    elif upload.preview.get("refreshed"):
        messages.warning(request, PREVIEW_REFRESHED)


def workbook_changes(request, token):
    """The preview's list of changed values, whole, as a workbook."""
    upload = _visible_upload(request, token)
    preview = upload.result if upload.confirmed_at else upload.preview
    rows = [
        [
            change["sheet"],
            change["row"],
            change["record"],
            change["column"],
            change["before"],
            change["after"],
            CHANGE_KINDS[(change["cleared"], change["terminated"])],
        ]
        for change in preview.get("changes", [])
    ]
    buffer = io.BytesIO()
    write_workbook(buffer, [SheetData("Changes", CHANGE_HEADERS, rows)])
    buffer.seek(0)
    stem = upload.file_name.rsplit(".", 1)[0]
    return FileResponse(buffer, as_attachment=True, filename=f"{stem}-changes.xlsx")


def workbook_export(request):
    """The whole organisation as a workbook in the import's format."""
    return _export(workbook_sheets(), "organisation")


def roster_export(request):
    """Everyone on the roster (the Employees sheet) in the import's format: payroll's template
    for the next roster upload."""
    return _export(workbook_sheets(only={EMPLOYEES.name}), "roster")


def _export(sheets, stem: str) -> FileResponse:
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    buffer.seek(0)
    name = f"{stem}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name)

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
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.roles import Role, user_roles
from core.spreadsheets.reading import FILE_TOO_LARGE, megabytes
from core.spreadsheets.writing import SheetData, write_workbook
from organisation.models import WorkbookUpload
from organisation.services import (
    CHANGED_SINCE_PREVIEW,
    UploadRefused,
    upload_expires_at,
    workbook_upload_confirm,
    workbook_upload_create,
)
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


def _upload(request, kind: str):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["workbook"]
        upload = workbook_upload_create(
            user=request.user,
            kind=kind,
            file_name=file.name,
            data=file.read(settings.MAX_UPLOAD_BYTES + 1),
            blank_clears=form.cleaned_data["blank_clears"],
        )
        return redirect("organisation:workbook-preview", token=upload.token)
    context = {
        "form": form,
        "kind": kind,
        "page": PAGES[kind],
        "sheets": [spec for spec, _v in SHEETS]
        if kind == WorkbookUpload.Kind.WORKBOOK
        else [EMPLOYEES],
        "max_size": megabytes(settings.MAX_UPLOAD_BYTES),
        "recent": WorkbookUpload.objects.filter(uploaded_by=request.user, kind=kind).only(
            "token", "file_name", "uploaded_at", "confirmed_at", "preview", "kind"
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


def workbook_preview(request, token):
    upload = _visible_upload(request, token)
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
        "problems": preview.get("problems", []),
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
    preview_url = reverse("organisation:workbook-preview", kwargs={"token": upload.token})
    try:
        result = workbook_upload_confirm(upload=upload, user=request.user, digest=digest)
    except UploadRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(preview_url)
    if result.written:
        messages.success(
            request,
            IMPORTED.format(
                name=upload.file_name,
                created=sum(c.created for c in result.summary),
                updated=sum(c.updated for c in result.summary),
                unchanged=sum(c.unchanged for c in result.summary),
            ),
        )
    elif result.problems == [CHANGED_SINCE_PREVIEW]:
        messages.warning(request, PREVIEW_REFRESHED)
    else:
        messages.error(request, NO_LONGER_CLEAN)
    return redirect(preview_url)


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

"""The trainer's pages: they parse input with forms, call one service or selector, and respond.

Who may open each page is core.access.ACCESS; the object-level rules (a session is corrected by
its own trainer or a manager; an employee sees only their own skills) are checked here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_filters.views import FilterView

from core import submissions
from core.forms import apply_errors, problem_list, whole_number
from core.roles import STAFF_ROLES, SUPERVISOR_ROLES, Role, user_roles
from core.tables import BoundedTableMixin
from core.text import day_text
from skills.models import Department, Employee, Skill
from skills.rules import QUALIFIED_LEVEL
from skills.selectors import own_record
from training import selectors
from training.filters import ModuleFilter, NewHireFilter, SessionFilter
from training.forms import (
    BLANK_ATTENDEE_ROWS,
    BLANK_SIGNOFF_ROWS,
    MORE_ROWS,
    AddGroupForm,
    CompletionBatchForm,
    CompletionForm,
    CorrectionForm,
    CorrectionRowForm,
    ModuleReviewForm,
    SessionForm,
    attendee_formset,
    signoff_formset,
    skill_boxes,
    skill_choices,
)
from training.models import TrainingSession, WorkflowModule
from training.services import (
    ATTENDEES,
    RESULTS,
    SIGNOFFS,
    completion_batch,
    completion_create,
    module_review,
    resolve_people,
    session_correct,
    session_record,
)
from training.tables import ModuleTable, NewHireTable, SessionTable

SECTION_LABELS = {ATTENDEES: "Attendees", SIGNOFFS: "Sign-offs", RESULTS: "Results"}
NOT_YOUR_SESSION = "Only the session's trainer, a manager or an administrator may correct it."
GROUP_EMPTY_CHOICE = "Choose a department or a shift to add."
# Buttons of the session form that post it back to add rows, without saving.
ROW_ACTIONS = ("add_group", "more_attendees", "more_signoffs")


def own_employee(user) -> Employee | None:
    return getattr(user, "employee", None)


def is_staff(user) -> bool:
    return bool(user_roles(user) & STAFF_ROLES)


def may_correct(user, session: TrainingSession) -> bool:
    if user_roles(user) & SUPERVISOR_ROLES:
        return True
    employee = own_employee(user)
    return (
        Role.TRAINER in user_roles(user)
        and employee is not None
        and employee.pk == session.trainer_id
    )


# --- Sessions --------------------------------------------------------------------------------


class SessionListView(BoundedTableMixin, FilterView):
    table_class = SessionTable
    filterset_class = SessionFilter
    template_name = "training/session_list.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return selectors.session_list()


def _session_forms_from_initial(data, *, choices, added=(), more_attendees=0, more_signoffs=0):
    """Unbound forms showing what was posted (plus `added` rows), without judging it yet."""
    form = SessionForm(
        initial={
            **{k: data.get(k, "") for k in SessionForm.base_fields if k != "skills"},
            "skills": data.getlist("skills"),
        }
    )
    attendees = _posted_rows(data, ATTENDEES, ("employee", "hours"))
    listed = {row["employee"].strip().upper() for row in attendees}
    trainer = (data.get("trainer_number") or "").strip().upper()
    fresh = [e for e in added if e.employee_number.upper() not in listed | {trainer}]
    attendees += [{"employee": e.employee_number, "hours": ""} for e in fresh]
    signoffs = _posted_rows(data, SIGNOFFS, ("employee", "skill", "level", "evidence"))
    attendee_extra = more_attendees or (BLANK_ATTENDEE_ROWS if not attendees else 2)
    signoff_extra = more_signoffs or (BLANK_SIGNOFF_ROWS if not signoffs else 1)
    return (
        form,
        attendee_formset(attendee_extra)(initial=attendees, prefix=ATTENDEES),
        signoff_formset(signoff_extra)(
            initial=signoffs, prefix=SIGNOFFS, form_kwargs={"skill_choices": choices}
        ),
        len(fresh),
        len(added) - len(fresh),
    )


def results_summary(module_code: str, done) -> str:
    """ "4 results of WF-101 saved; 3 passed; did not pass: Ana Lopes (E10012)."."""
    passed = sum(1 for c in done if c.passed)
    text = f"{len(done)} result{'' if len(done) == 1 else 's'} of {module_code} saved; "
    text += f"{'all' if passed == len(done) and passed > 1 else passed} passed"
    failed = [c.employee for c in done if not c.passed]
    if failed:
        text += "; did not pass: " + ", ".join(
            f"{e.full_name} ({e.employee_number})" for e in failed
        )
    return text + "."


def saved_summary(attendees: int, signoffs: int) -> str:
    """ "3 attendees and 2 sign-offs", "1 attendee and no sign-off"."""
    people = f"{attendees} attendee{'' if attendees == 1 else 's'}"
    given = f"{signoffs} sign-off{'' if signoffs == 1 else 's'}" if signoffs else "no sign-off"
    return f"{people} and {given}"


def _show_people(attendees, day: datetime.date | None) -> None:
    """Gives each attendee row the person its number or name stands for (`row.person`), so the
    form shows who is listed, with department and shift, not bare numbers (one query)."""
    typed = [(row["employee"].value() or "").strip() for row in attendees.forms]
    people = resolve_people(typed, day or timezone.localdate()) if any(typed) else {}
    for row, text in zip(attendees.forms, typed, strict=True):
        person = people.get(text)
        row.person = person if isinstance(person, Employee) else None


def _posted_rows(data, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 500)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        row = {f: (data.get(f"{prefix}-{index}-{f}") or "").strip() for f in fields}
        if any(row.values()):
            rows.append(row)
    return rows


def _posted_day(data) -> datetime.date:
    try:
        return parse_date(data.get("date") or "") or timezone.localdate()
    except ValueError:
        return timezone.localdate()


@never_cache
def session_create(request):
    """Records a session with its attendees and sign-offs in one request (PRG on success)."""
    choices = skill_choices()
    group_form = AddGroupForm(request.POST or None)
    notice = ""
    if request.method != "POST":
        employee = own_employee(request.user)
        form = SessionForm(
            initial={
                "date": timezone.localdate(),
                "trainer_number": employee.employee_number if employee else "",
            }
        )
        attendees = attendee_formset(BLANK_ATTENDEE_ROWS)(prefix=ATTENDEES)
        signoffs = signoff_formset(BLANK_SIGNOFF_ROWS)(
            prefix=SIGNOFFS, form_kwargs={"skill_choices": choices}
        )
        group_form = AddGroupForm()
    elif request.POST.get("action") in ROW_ACTIONS:
        action = request.POST["action"]
        day = _posted_day(request.POST)
        added = []
        if action == "add_group" and group_form.is_valid():
            department = group_form.cleaned_data["add_department"]
            shift = group_form.cleaned_data["add_shift"]
            if department is None and not shift:
                group_form.add_error(None, GROUP_EMPTY_CHOICE)
            else:
                added = selectors.employees_for_group(day=day, department=department, shift=shift)
        form, attendees, signoffs, fresh, skipped = _session_forms_from_initial(
            request.POST,
            choices=choices,
            added=added,
            more_attendees=MORE_ROWS if action == "more_attendees" else 0,
            more_signoffs=MORE_ROWS if action == "more_signoffs" else 0,
        )
        if action == "add_group" and not group_form.errors:
            notice = (
                f"Added {fresh} {'person' if fresh == 1 else 'people'} active on {day_text(day)}"
            )
            notice += f"; {skipped} already listed or the trainer." if skipped else "."
    else:
        form = SessionForm(request.POST)
        attendees = attendee_formset(0)(request.POST, prefix=ATTENDEES)
        signoffs = signoff_formset(0)(
            request.POST, prefix=SIGNOFFS, form_kwargs={"skill_choices": choices}
        )
        valid = [form.is_valid(), attendees.is_valid(), signoffs.is_valid()]
        if all(valid):
            try:
                session = submissions.once(
                    form.cleaned_data.get("submission"),
                    user=request.user,
                    kind="session",
                    write=lambda: _record(request, form, attendees, signoffs),
                    result_of=lambda s: s.session_ref if s else "",
                )
            except submissions.AlreadySubmitted as repeat:
                messages.info(
                    request, f"This form was already saved as session {repeat.result}: here it is."
                )
                return redirect("training:session-detail", session_ref=repeat.result)
            except ValidationError as error:
                apply_errors(error, form, {ATTENDEES: attendees, SIGNOFFS: signoffs})
                session = None
            if session is not None:
                messages.success(
                    request,
                    format_html(
                        'Session <a href="{}">{}</a> saved with {}. The form is ready for the '
                        "next one.",
                        reverse("training:session-detail", args=[session.session_ref]),
                        session.session_ref,
                        saved_summary(
                            session.attendances.count(),
                            sum(1 for f in signoffs.forms if f.cleaned_data.get("employee")),
                        ),
                    ),
                )
                return redirect("training:session-create")
    _show_people(attendees, _posted_day(request.POST) if request.method == "POST" else None)
    # Only a refused save lists problems; the other buttons re-show the form unjudged.
    saving = request.method == "POST" and request.POST.get("action") not in ROW_ACTIONS
    problems = (
        problem_list(form, {ATTENDEES: attendees, SIGNOFFS: signoffs}, SECTION_LABELS)
        if saving
        else []
    )
    return render(
        request,
        "training/session_form.html",
        {
            "form": form,
            "attendees": attendees,
            "signoffs": signoffs,
            "group_form": group_form,
            "skill_boxes": skill_boxes(form),
            "problems": problems,
            "notice": notice,
        },
    )


def _record(request, form, attendees, signoffs) -> TrainingSession:
    """Saves the session the forms describe; raises ValidationError by section and row."""
    data = form.cleaned_data
    ids = {f.cleaned_data.get("skill") for f in signoffs.forms if f.cleaned_data.get("skill")}
    skills = {s.pk: s for s in Skill.objects.filter(pk__in=ids)} if ids else {}
    return session_record(
        user=request.user,
        date=data["date"],
        host_department=data["host_department"],
        kind=data["kind"],
        trainer_number=data["trainer_number"],
        duration_hours=data["duration_hours"],
        skills=list(data["skills"]),
        notes=data["notes"],
        session_ref=data["session_ref"],
        attendees=[f.row(i) for i, f in enumerate(attendees.forms) if not f.is_blank()],
        signoffs=[f.row(i, skills) for i, f in enumerate(signoffs.forms) if not f.is_blank()],
    )


def _session_or_404(session_ref: str) -> TrainingSession:
    try:
        return selectors.session_get(session_ref)
    except TrainingSession.DoesNotExist:
        raise Http404("No such session.") from None


def session_detail(request, session_ref: str):
    session = _session_or_404(session_ref)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "signoffs": list(selectors.session_signoffs(session)),
            "corrections": selectors.session_corrections(session),
            "can_correct": may_correct(request.user, session),
        },
    )


@never_cache
def session_correct_view(request, session_ref: str):
    session = _session_or_404(session_ref)
    if not may_correct(request.user, session):
        raise PermissionDenied(NOT_YOUR_SESSION)
    rows = attendee_formset(0 if request.method == "POST" else 3, form=CorrectionRowForm)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        attendees = rows(request.POST, prefix=ATTENDEES)
        if form.is_valid() and attendees.is_valid():
            keep = [
                f.row(i)
                for i, f in enumerate(attendees.forms)
                if not f.is_blank() and not f.cleaned_data.get("remove")
            ]
            try:
                session_correct(
                    session=session,
                    attendees=keep,
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ValidationError as error:
                apply_errors(error, form, {ATTENDEES: attendees})
            else:
                messages.success(request, f"Session {session.session_ref} corrected.")
                return redirect("training:session-detail", session_ref=session.session_ref)
    else:
        form = CorrectionForm()
        attendees = rows(
            initial=[
                {"employee": a.employee.employee_number, "hours": a.hours}
                for a in session.attendances.all()
            ],
            prefix=ATTENDEES,
        )
    names = {a.employee.employee_number: a.employee for a in session.attendances.all()}
    initial_count = attendees.initial_form_count()
    for index, row in enumerate(attendees.forms):
        row.existing = index < initial_count
        row.person = names.get((row["employee"].value() or "").strip())
    formsets = {ATTENDEES: attendees}
    return render(
        request,
        "training/session_correct.html",
        {
            "session": session,
            "form": form,
            "attendees": attendees,
            "problems": problem_list(form, formsets, SECTION_LABELS)
            if request.method == "POST"
            else [],
        },
    )


@require_GET
def employee_search(request):
    """JSON for the attendee picker: up to 20 people active on `on` matching `q`."""
    day = parse_date(request.GET.get("on") or "") if _is_iso(request.GET.get("on")) else None
    department = None
    if request.GET.get("department"):
        department = Department.objects.filter(pk=whole_number(request.GET["department"])).first()
    results = selectors.employee_search(
        text=(request.GET.get("q") or "")[:100],
        day=day or timezone.localdate(),
        department=department,
        shift=(request.GET.get("shift") or "")[:10],
    )
    return JsonResponse({"results": results})


def _is_iso(text) -> bool:
    try:
        return bool(text) and parse_date(text) is not None
    except ValueError:
        return False


# --- An employee's skills -------------------------------------------------------------------


def employee_skills(request, employee_number: str):
    """An employee's skill history: every sign-off, expired and revoked ones included."""
    staff = is_staff(request.user)
    people = Employee.objects.select_related("department", "user")
    if staff:
        employee = get_object_or_404(people, employee_number=employee_number)
    else:
        employee = own_record(request.user, employee_number, people)
    today = timezone.localdate()
    history = selectors.employee_skill_history(employee, today)
    return render(
        request,
        "training/employee_skills.html",
        {
            "person": employee,
            "history": history,
            "qualified": sum(1 for item in history if item.level >= QUALIFIED_LEVEL),
            "attendances": selectors.employee_attendance(employee)[:50],
            "cross_hours": selectors.cross_training_hours(employee, today),
            "is_staff": staff,
            "is_self": employee.user_id == request.user.pk,
            "today": today,
        },
    )


# --- Modules, results and new hires ----------------------------------------------------------


class ModuleListView(BoundedTableMixin, FilterView):
    table_class = ModuleTable
    filterset_class = ModuleFilter
    template_name = "training/module_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.module_list()

    def get_table_kwargs(self):
        return {"can_review": bool(user_roles(self.request.user) & SUPERVISOR_ROLES)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review_months"] = settings.TRACKER["REVIEW_INTERVAL_MONTHS"]
        return context


def module_review_view(request, code: str):
    module = get_object_or_404(WorkflowModule.objects.select_related("owner"), code=code)
    form = ModuleReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module_review(
                module=module,
                reviewed_on=form.cleaned_data["reviewed_on"],
                version=form.cleaned_data["version"],
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(error, form, {})
        else:
            messages.success(request, f"Review of {module.code} recorded.")
            return redirect("training:module-list")
    return render(request, "training/module_review.html", {"module": module, "form": form})


def completion_create_view(request):
    if request.method == "POST":
        form = CompletionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                completion = completion_create(
                    employee=data["employee"],
                    module=data["module"],
                    completed_on=data["completed_on"],
                    score=data["score"],
                    version=data["version"],
                    user=request.user,
                )
            except ValidationError as error:
                apply_errors(error, form, {})
            else:
                verdict = "passed" if completion.passed else "did not pass"
                messages.success(
                    request,
                    f"{completion.employee.full_name} scored {completion.score} on "
                    f"{completion.module.code} and {verdict}.",
                )
                return redirect("training:completion-create")
    else:
        form = CompletionForm(initial={"employee": (request.GET.get("employee") or "")[:20]})
    return render(request, "training/completion_form.html", {"form": form})


@never_cache
def completion_batch_view(request):
    line_problems: list[str] = []
    form = CompletionBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = completion_batch(
                module=data["module"],
                completed_on=data["completed_on"],
                rows=data["results"],
                version=data["version"],
                user=request.user,
            )
        except ValidationError as error:
            lines = form.data["results"].splitlines()
            for key, messages_ in error.message_dict.items():
                section, _, rest = key.partition("-")
                if section != RESULTS or not rest:
                    for message in messages_:
                        form.add_error(key if key in form.fields else "results", message)
                    continue
                index, _, field = rest.partition("-")
                typed = lines[int(index)].strip()
                label = "score" if field == "score" else "person"
                for message in messages_:
                    line_problems.append(f"line {int(index) + 1} ({label}, “{typed}”): {message}")
            form.add_error(None, "Nothing was saved: correct the lines below and save again.")
        else:
            messages.success(request, results_summary(data["module"].code, done))
            return redirect("training:completion-batch")
    return render(
        request,
        "training/completion_batch.html",
        {"form": form, "line_problems": line_problems},
    )


class NewHireListView(BoundedTableMixin, FilterView):
    table_class = NewHireTable
    filterset_class = NewHireFilter
    template_name = "training/newhire_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return Employee.objects.all()

    def get_table_data(self):
        return selectors.new_hire_list(timezone.localdate(), self.object_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["follow_up_days"] = settings.TRACKER["NEW_HIRE_FOLLOW_UP_DAYS"]
        return context

"""Sign-off pages (record, revoke) and coverage pages: the department x skill heat map, who can
help a department, expiring sign-offs.

Who may open each page is core.access.ACCESS (trainers, managers, administrators).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_filters.views import FilterView

from core.forms import apply_errors, whole_number
from core.tables import BoundedTableMixin
from core.views import revoke_page
from skills.filters import GROUP_TRAINER, CoverageForm, ExpiringFilter, HelperFilter
from skills.forms import SignoffForm
from skills.models import Department, Employee, Signoff
from skills.selectors import (
    SHIFTS,
    coverage_matrix,
    employee_active_q,
    expiring_signoff_list,
    helper_list,
)
from skills.services import signoff_create, signoff_revoke
from skills.tables import SOON_DAYS, ExpiringTable, HelperTable

SHIFT_LABELS = dict(Employee.Shift.choices)
# The "per trainer" chips: the trainers with the most expiring sign-offs, the rest in the table.
TOP_TRAINERS = 8


def coverage(request):
    form = CoverageForm(request.GET or None)
    departments = coverage_matrix(timezone.localdate(), form.departments())
    spof_only = form.is_valid() and form.cleaned_data["spof_only"]
    if spof_only:
        departments = [d for d in departments if d.single_points_of_failure]
    skills = [s for d in departments for s in d.skills]
    return render(
        request,
        "skills/coverage.html",
        {
            "form": form,
            "departments": departments,
            "spof_only": spof_only,
            "shifts": [SHIFT_LABELS[s] for s in SHIFTS],
            "group_span": len(SHIFTS) + 1,
            "column_count": 2 * (len(SHIFTS) + 1) + 2,
            "skill_count": len(skills),
            "spof_count": sum(1 for s in skills if s.single_point_of_failure),
            "no_bench_count": sum(1 for s in skills if s.bench_total == 0),
            "heat_steps": range(6),
        },
    )


class CoverageHelpView(BoundedTableMixin, FilterView):
    """Who can help department X today: qualified people homed elsewhere, most skills first."""

    filterset_class = HelperFilter
    table_class = HelperTable
    table_pagination = {"per_page": 25}
    template_name = "skills/coverage_help.html"

    def get_queryset(self):
        self.department = get_object_or_404(Department, code=self.kwargs["code"])
        return Employee.objects.filter(employee_active_q(timezone.localdate()))

    def get_table_data(self):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return []
        employees = self.filterset.qs if self.filterset.narrowed() else None
        return helper_list(timezone.localdate(), self.department, employees=employees)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["department"] = self.department
        context["today"] = timezone.localdate()
        return context


class ExpiringView(BoundedTableMixin, FilterView):
    """Sign-offs expiring within N days, per employee or per trainer, to plan recertification."""

    filterset_class = ExpiringFilter
    table_class = ExpiringTable
    table_pagination = {"per_page": 25}
    template_name = "skills/expiring.html"

    def get_queryset(self):
        return Employee.objects.filter(employee_active_q(timezone.localdate()))

    def get_table_data(self):
        if self.filterset.is_bound and not self.filterset.is_valid():
            self.expiring = []
            return self.expiring
        options = self.filterset.options()
        self.expiring = expiring_signoff_list(
            timezone.localdate(),
            options["days"],
            employees=self.filterset.qs if options["narrowed"] else None,
            signoffs=options["signoffs"],
        )
        return self.expiring

    def get_table_kwargs(self):
        if self.filterset.options()["group"] == GROUP_TRAINER:
            return {
                "sequence": ("trainer", "employee", "..."),
                # One sort column (one arrow): each column's order ends with the expiry date.
                "order_by": ("trainer",),
            }
        return {"order_by": ("employee",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        options = self.filterset.options()
        expiring = self.expiring
        by_trainer: dict[tuple[str, str], int] = {}
        for e in expiring:
            key = (e.assessor_name, e.assessor_number)
            by_trainer[key] = by_trainer.get(key, 0) + 1
        context.update(
            {
                "days": options["days"],
                "group": options["group"],
                "expiring_count": len(expiring),
                "people_count": len({e.employee_number for e in expiring}),
                "trainer_count": len(by_trainer),
                "soon_count": sum(1 for e in expiring if e.days_left <= SOON_DAYS),
                "soon_days": SOON_DAYS,
                "top_trainers": sorted(by_trainer.items(), key=lambda i: (-i[1], i[0]))[
                    :TOP_TRAINERS
                ],
            }
        )
        return context


# --- Sign-offs ---------------------------------------------------------------------------------


@never_cache
def signoff_create_view(request):
    if request.method == "POST":
        form = SignoffForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signoff = signoff_create(
                    employee=data["employee"],
                    skill=data["skill"],
                    level=data["level"],
                    assessed_on=data["assessed_on"],
                    assessor=data["assessor"],
                    evidence=data["evidence"],
                    user=request.user,
                )
            except ValidationError as error:
                apply_errors(error, form, {})
            else:
                messages.success(
                    request,
                    f"{signoff.employee.full_name} signed off at level {signoff.level} on "
                    f"{signoff.skill.code}.",
                )
                return redirect(
                    "training:employee-skills", employee_number=signoff.employee.employee_number
                )
    else:
        employee = getattr(request.user, "employee", None)
        form = SignoffForm(
            initial={
                "employee": (request.GET.get("employee") or "")[:20],
                "assessor": employee.employee_number if employee else "",
                "skill": whole_number(request.GET.get("skill")),
            }
        )
    return render(request, "skills/signoff_form.html", {"form": form})


def signoff_revoke_view(request, pk: int):
    signoff = get_object_or_404(
        Signoff.objects.select_related("employee", "skill", "assessor", "revoked_by"), pk=pk
    )
    return revoke_page(
        request,
        signoff,
        revoke=partial(signoff_revoke, signoff=signoff),
        template="skills/signoff_revoke.html",
        name="signoff",
        message=(
            f"The level {signoff.level} sign-off of {signoff.employee.full_name} on "
            f"{signoff.skill.code} is revoked; it stays in the history."
        ),
        done_url=reverse("training:employee-skills", args=[signoff.employee.employee_number]),
    )

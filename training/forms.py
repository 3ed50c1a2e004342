"""Forms of the trainer's pages. They only parse what was typed; every rule is checked by
training.services (and the pure checks it uses), which the views call with the parsed rows.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.submissions import SubmissionField
from skills.forms import LEVEL_CHOICES, NUMBER_ATTRS, employee_for_number
from skills.models import Department, Employee, Skill
from training.models import TrainingSession, WorkflowModule
from training.services import AttendeeRow, ResultRow, SignoffRow

# Attendee and sign-off rows shown on an empty form, and added by "More rows" without script.
BLANK_ATTENDEE_ROWS = 5
BLANK_SIGNOFF_ROWS = 3
MORE_ROWS = 10
MAX_ROWS = 500

RESULT_LINE = re.compile(r"^(?P<who>.*?)[\s,;:]+(?P<score>[-+]?\d+(?:[.,]\d+)?)\s*%?$")
RESULT_LINE_UNREADABLE = (
    "line {line}: write the employee number or full name, then the score (e.g. E10234 85)"
)
SCORE_WHOLE = "line {line}: the score must be a whole number, not {score}"

# Sign-off rows pick among the attendees typed above, not the whole organisation.
PLAIN_NUMBER_ATTRS = {k: v for k, v in NUMBER_ATTRS.items() if k != "data-employee-picker"}
HOURS_ATTRS = {"autocomplete": "off", "inputmode": "decimal", "class": "input-hours"}


class QuickSelect(forms.Select):
    """A <select> rendered in Python: a 30-row form with 150 skills in each row's select
    renders in milliseconds instead of one template render per option."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


def decimal_field(**kwargs) -> forms.DecimalField:
    """A decimal typed as text: the service's checks word the problems (quarter hours, 12 max)."""
    return forms.DecimalField(
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}), **kwargs
    )


class SessionForm(forms.Form):
    """The session itself; its attendees and sign-offs are the two formsets below."""

    # Single-use: the same form saved twice (a double click, a retry) records one session.
    submission = SubmissionField()

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    host_department = forms.ModelChoiceField(
        queryset=Department.objects.all(),
        empty_label="Choose a department",
        help_text="Whose work is taught or done.",
    )
    kind = forms.ChoiceField(choices=TrainingSession.Kind.choices)
    trainer_number = forms.CharField(
        label="Trainer",
        max_length=150,
        help_text="Employee number or full name; defaults to you.",
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
    )
    duration_hours = decimal_field(
        label="Duration (hours)", help_text="In quarter hours, at most 12: e.g. 1.5 or 2.25."
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.select_related("department"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Skills covered",
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"})
    )
    session_ref = forms.CharField(
        label="Reference",
        required=False,
        max_length=40,
        help_text="Leave blank for the next S-YYYYMMDD-NNN of the session's date.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def skill_boxes(form: SessionForm) -> list[dict]:
    """The "skills covered" checkboxes as plain data, so the page renders them in one loop."""
    field = form["skills"]
    chosen = {str(v) for v in (field.value() or [])}
    return [
        {
            "id": f"id_skills_{index}",
            "value": str(value),
            "label": label,
            "checked": str(value) in chosen,
        }
        for index, (value, label) in enumerate(field.field.choices)
    ]


class AttendeeRowForm(forms.Form):
    employee = forms.CharField(
        label="Attendee", required=False, max_length=150, widget=forms.TextInput(attrs=NUMBER_ATTRS)
    )
    hours = forms.DecimalField(
        label="Hours", required=False, widget=forms.TextInput(attrs=HOURS_ATTRS)
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("employee") or "").strip() and data.get("hours") is None

    def row(self, index: int) -> AttendeeRow:
        return AttendeeRow(index, self.cleaned_data["employee"], self.cleaned_data.get("hours"))


class CorrectionRowForm(AttendeeRowForm):
    remove = forms.BooleanField(label="Remove", required=False)


class SignoffRowForm(forms.Form):
    """A sign-off given in the session; the skill choices are set once for all rows."""

    employee = forms.CharField(
        label="Attendee",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={**PLAIN_NUMBER_ATTRS, "list": "session-attendees"}),
    )
    skill = forms.TypedChoiceField(
        label="Skill", required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    level = forms.IntegerField(
        label="Level", required=False, widget=QuickSelect(choices=LEVEL_CHOICES)
    )
    evidence = forms.CharField(
        label="Evidence note",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, skill_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", "Choose a skill"), *skill_choices]

    def is_blank(self) -> bool:
        """No one, no level and no note: a skill alone (pre-chosen by the page) is still blank."""
        data = self.cleaned_data
        return not (
            (data.get("employee") or "").strip()
            or data.get("level") is not None
            or (data.get("evidence") or "").strip()
        )

    def row(self, index: int, skills: dict[int, Skill]) -> SignoffRow:
        data = self.cleaned_data
        return SignoffRow(
            index,
            data["employee"],
            skills.get(data["skill"]) if data.get("skill") else None,
            data.get("level"),
            data.get("evidence") or "",
        )


def attendee_formset(extra: int, form=AttendeeRowForm):
    return formset_factory(form, extra=extra, max_num=MAX_ROWS, absolute_max=MAX_ROWS)


def signoff_formset(extra: int):
    return formset_factory(SignoffRowForm, extra=extra, max_num=MAX_ROWS, absolute_max=MAX_ROWS)


def skill_choices() -> list[tuple[int, str]]:
    """The skill options of every sign-off row, read once (one query)."""
    return [(s.pk, f"{s.code} · {s.name}") for s in Skill.objects.only("pk", "code", "name")]


class AddGroupForm(forms.Form):
    """Adds a whole department or shift (or a shift of a department) as attendee rows."""

    add_department = forms.ModelChoiceField(
        label="Department",
        queryset=Department.objects.all(),
        required=False,
        empty_label="Any department",
    )
    add_shift = forms.ChoiceField(
        label="Shift",
        required=False,
        choices=[("", "Any shift"), *Employee.Shift.choices],
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="Why is this corrected?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text="Kept in the session's history with your name and the time.",
    )


class ModuleReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label="Reviewed on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    version = forms.CharField(
        label="New version",
        required=False,
        max_length=20,
        help_text="Leave blank when the review kept the current version.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate


class CompletionForm(forms.Form):
    employee = forms.CharField(
        label="Employee",
        max_length=20,
        help_text="Employee number; type a name or number to search.",
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
    )
    module = forms.ModelChoiceField(
        queryset=WorkflowModule.objects.all(), empty_label="Choose a module"
    )
    completed_on = forms.DateField(
        label="Completed on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    score = forms.IntegerField(
        label="Score (0–100)",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    version = forms.CharField(
        label="Version taken",
        required=False,
        max_length=20,
        help_text="Leave blank for the module's current version.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate

    def clean_employee(self) -> Employee:
        return employee_for_number(self.cleaned_data["employee"])


class CompletionBatchForm(forms.Form):
    """A class's results at once: one line per person, the number or full name then the score."""

    module = forms.ModelChoiceField(
        queryset=WorkflowModule.objects.all(), empty_label="Choose a module"
    )
    completed_on = forms.DateField(
        label="Completed on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    version = forms.CharField(
        label="Version taken",
        required=False,
        max_length=20,
        help_text="Leave blank for the module's current version.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    results = forms.CharField(
        label="Results",
        strip=False,  # line numbers in the messages count the lines as typed
        widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off", "spellcheck": "false"}),
        help_text="One person per line: employee number or full name, then the score. "
        "For example “E10234 85” or “Ada Lovelace, 92”. Pasting two spreadsheet columns works.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate

    def clean_results(self) -> list[ResultRow]:
        rows, problems = [], []
        for index, line in enumerate(self.cleaned_data["results"].splitlines()):
            if not line.strip():
                continue
            match = RESULT_LINE.match(line.strip())
            if not match or not match["who"].strip(" ,;:\t"):
                problems.append(RESULT_LINE_UNREADABLE.format(line=index + 1))
                continue
            score = Decimal(match["score"].replace(",", "."))
            if score != score.to_integral_value():
                problems.append(SCORE_WHOLE.format(line=index + 1, score=match["score"]))
                continue
            rows.append(ResultRow(index, match["who"].strip(" ,;:\t"), int(score)))
        if problems:
            raise forms.ValidationError(problems)
        return rows

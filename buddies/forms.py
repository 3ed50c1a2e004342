"""Forms of the buddies pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from certificates.filters import site_choices
from skills.models import Department, Employee

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SuggestionFilterForm(forms.Form):
    """Which suggestions the page shows (GET); the suggestion itself is everyone's."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(side=Department.Side.FRONT).order_by("code"),
        required=False,
        to_field_name="code",
        empty_label="All departments",
    )
    site = forms.ChoiceField(required=False)
    shift = forms.ChoiceField(required=False, choices=[("", "All shifts"), *Employee.Shift.choices])
    rotate = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Rotate pairings older than (days)",
        help_text="Also suggest new buddies for pairings at least this old.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", "All sites"), *site_choices()]


class EmployeeNumberField(forms.CharField):
    """An employee typed by number, read back as the record."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        number = super().clean(value).strip().upper()
        employee = (
            Employee.objects.select_related("department").filter(employee_number=number).first()
        )
        if employee is None:
            raise forms.ValidationError(f"no employee has the number {number}")
        return employee


class PairingEndForm(forms.Form):
    ended_on = forms.DateField(label="Ends on", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Why it ends", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate


class ExclusionForm(forms.Form):
    one = EmployeeNumberField(label="Employee number")
    other = EmployeeNumberField(label="Never to be paired with")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Seen by managers and administrators only.",
    )


class UnavailabilityForm(forms.Form):
    buddy = EmployeeNumberField(label="Buddy's employee number")
    starts_on = forms.DateField(label="Away from", widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label="Back after", widget=DATE_WIDGET, help_text="The last day away."
    )
    reason = forms.CharField(max_length=200, help_text="Leave, secondment, …")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate

    def clean(self):
        data = super().clean()
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", f"the absence ends on {last}, before it starts on {first}")
        buddy = data.get("buddy")
        if buddy is not None and buddy.department.side != Department.Side.BACK:
            self.add_error("buddy", f"{buddy.employee_number} is not a back-office buddy")
        return data

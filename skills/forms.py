"""Forms of the sign-off pages: they parse what was typed; the rules live in skills.services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from skills import rules
from skills.models import Employee, Level, Skill

LEVEL_CHOICES = [
    ("", "Choose a level"),
    *[(value, f"{value} · {label}") for value, label in Level.choices],
]

# People are typed by employee number; the attendee picker (training:employee-search) helps.
NUMBER_ATTRS = {
    "autocomplete": "off",
    "autocapitalize": "characters",
    "spellcheck": "false",
    "inputmode": "text",
    "data-employee-picker": "",
}


def employee_for_number(text: str) -> Employee:
    """The employee with this number (exact, else ignoring case), or a ValidationError."""
    number = (text or "").strip()
    employee = (
        Employee.objects.filter(employee_number=number).first()
        or Employee.objects.filter(employee_number__iexact=number).first()
    )
    if employee is None:
        raise forms.ValidationError(rules.UNKNOWN_EMPLOYEE.format(number=number))
    return employee


class SignoffForm(forms.Form):
    """One sign-off. The assessor defaults to the signed-in person's own employee record."""

    employee = forms.CharField(
        label="Employee",
        max_length=20,
        help_text="Employee number; type a name or number to search.",
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
    )
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.select_related("department"), empty_label="Choose a skill"
    )
    level = forms.IntegerField(
        label="Level reached", widget=forms.Select(choices=LEVEL_CHOICES), required=False
    )
    assessed_on = forms.DateField(
        label="Assessed on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    assessor = forms.CharField(
        label="Assessor",
        max_length=20,
        help_text="Employee number of the person who assessed: a trainer, or someone at level 4 "
        "on this skill. Defaults to you.",
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
    )
    evidence = forms.CharField(
        label="Evidence note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="What you observed, e.g. handled five live disputes unaided.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate

    def clean_employee(self) -> Employee:
        return employee_for_number(self.cleaned_data["employee"])

    def clean_assessor(self) -> Employee:
        return employee_for_number(self.cleaned_data["assessor"])

    def clean_level(self) -> int:
        level = self.cleaned_data.get("level")
        if level is None:
            raise forms.ValidationError(rules.LEVEL_REQUIRED)
        if problem := rules.check_level(level):
            raise forms.ValidationError(problem)
        return level


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's password reset, also for logins whose e-mail address is on their employee
    record rather than on the login itself (how the roster and the workbook record it)."""

    def get_users(self, email):
        email = (email or "").strip()
        users = (
            get_user_model()
            ._default_manager.filter(is_active=True)
            .filter(Q(email__iexact=email) | Q(employee__email__iexact=email))
        )
        return (user for user in users.distinct() if user.has_usable_password())

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs
    ):
        # The link goes to the address typed, which matched the login or its employee record
        # (the login's own address may be blank; the reset token does not depend on where
        # the mail goes).
        to_email = self.cleaned_data["email"].strip()
        super().send_mail(
            subject_template_name, email_template_name, context, from_email, to_email, **kwargs
        )

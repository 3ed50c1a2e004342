"""Forms of the certificates app: certify one person, the payroll page's filters and periods."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from certificates.models import Tier
from certificates.pay import PayChange
from core.text import day_text

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CertifyForm(forms.Form):
    # Chosen by rank, the number people use ("?tier=2" in the links to this form).
    tier = forms.ModelChoiceField(
        label="Tier",
        queryset=Tier.objects.order_by("rank"),
        to_field_name="rank",
        empty_label="Choose a tier",
    )
    certified_on = forms.DateField(
        label="Certified on",
        widget=DATE_WIDGET,
        help_text="The employee must be eligible for the tier on this day.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certified_on"].initial = timezone.localdate


class PayrollFilterForm(forms.Form):
    """The payroll page's choice of period and filters (GET)."""

    period = forms.DateField(required=False, widget=forms.HiddenInput)
    change = forms.ChoiceField(
        required=False, choices=[("", "Any change"), *[(c.value, c.value) for c in PayChange]]
    )
    department = forms.CharField(required=False, max_length=20, label="Department code")
    tier = forms.IntegerField(required=False, min_value=0, label="Paid tier")
    lapsed = forms.BooleanField(required=False, label="Lapsed only")
    changed = forms.BooleanField(required=False, label="Changes only")


class AddPeriodsForm(forms.Form):
    count = forms.IntegerField(
        label="Add the next", min_value=1, max_value=260, initial=26, help_text="periods"
    )


class CertificateArchiveForm(forms.Form):
    """The administrator's zip of certificates: a range of certified dates (GET)."""

    issued_from = forms.DateField(label="Issued from", widget=DATE_WIDGET)
    issued_to = forms.DateField(label="Issued to", widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["issued_from"].initial = today.replace(month=1, day=1)
        self.fields["issued_to"].initial = today

    def clean(self):
        data = super().clean()
        first, last = data.get("issued_from"), data.get("issued_to")
        if first and last and first > last:
            self.add_error(
                "issued_to",
                f"the range ends on {day_text(last)}, before it starts on {day_text(first)}",
            )
        return data

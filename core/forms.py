"""Form helpers every app uses: a service's errors put on the form, rows and sections they
concern, the summary of every problem of a long form, and the revocation form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def apply_errors(error: ValidationError, form, formsets: dict) -> None:
    """Puts each message of a service's ValidationError on its form, row or section."""
    for key, messages_ in error.message_dict.items():
        section, _, rest = key.partition("-")
        formset = formsets.get(section)
        if formset is not None and rest:
            index, _, field = rest.partition("-")
            row = formset.forms[int(index)]
            for message in messages_:
                row.add_error(field if field in row.fields else None, message)
        elif formset is not None:
            formset.non_form_errors().extend(messages_)
        else:
            for message in messages_:
                form.add_error(key if key in form.fields else None, message)


def problem_list(form, formsets: dict, labels: dict[str, str] | None = None) -> list[dict]:
    """Every problem as "where: what", for the summary at the top of a long form.

    `labels` names each formset's section as the page shows it (its prefix otherwise).
    """
    labels = labels or {}
    problems = []
    for name, errors in form.errors.items():
        label = form[name].label if name in form.fields else ""
        for message in errors:
            problems.append({"where": label, "message": message, "anchor": f"id_{name}"})
    for section, formset in formsets.items():
        title = labels.get(section, section)
        for message in formset.non_form_errors():
            problems.append({"where": title, "message": message, "anchor": f"{section}-section"})
        for index, row in enumerate(formset.forms):
            for name, errors in row.errors.items():
                field = row.fields[name].label if name in row.fields else ""
                where = f"{title}, row {index + 1}" + (f", {field.lower()}" if field else "")
                for message in errors:
                    problems.append(
                        {"where": where, "message": message, "anchor": f"{section}-row-{index}"}
                    )
    return problems


def whole_number(text) -> int | None:
    """A query-string value as a whole number; None when it is missing or is not one."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


class RevokeForm(forms.Form):
    """Why a record is revoked, and as of when (today by default): for every revocable record."""

    reason = forms.CharField(
        label="Why is it revoked?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="Kept in the history with your name and the date.",
    )
    revoked_on = forms.DateField(
        label="Revoked as of", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoked_on"].initial = timezone.localdate

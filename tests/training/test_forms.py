"""The trainer's forms parse what was typed; blank rows are skipped, class results are read."""

import pytest

from training.forms import AttendeeRowForm, CompletionBatchForm, SignoffRowForm
from training.services import ResultRow


def parse(text: str):
    form = CompletionBatchForm(data={"results": text})
    form.is_valid()
    return form.cleaned_data.get("results"), form.errors.get("results")


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ("E10234 85", ResultRow(0, "E10234", 85)),
        ("Ada Lovelace, 92", ResultRow(0, "Ada Lovelace", 92)),
        ("Ada Lovelace\t92", ResultRow(0, "Ada Lovelace", 92)),
        ("Zoë Ngô; 100%", ResultRow(0, "Zoë Ngô", 100)),
        ("E10234: 85.0", ResultRow(0, "E10234", 85)),
        ("E10234 -5", ResultRow(0, "E10234", -5)),
    ],
)
def test_batch_results_read_a_name_or_number_then_a_score(line, row):
    rows, errors = parse(line)

    assert errors is None
    assert rows == [row]


def test_batch_results_skip_blank_lines_and_keep_line_numbers():
    rows, _ = parse("\nE1 80\n\n  \nE2 90\n")

    assert rows == [ResultRow(1, "E1", 80), ResultRow(4, "E2", 90)]


def test_batch_results_name_the_unreadable_lines():
    _, errors = parse("E1 80\nE2\nE3 85.5")

    assert errors == [
        "line 2: write the employee number or full name, then the score (e.g. E10234 85)",
        "line 3: the score must be a whole number, not 85.5",
    ]


def test_attendee_row_is_blank_only_without_person_and_hours():
    blank = AttendeeRowForm(data={"employee": " ", "hours": ""})
    typed = AttendeeRowForm(data={"employee": "", "hours": "1"})

    assert blank.is_valid() and blank.is_blank()
    assert typed.is_valid() and not typed.is_blank()


def test_signoff_row_with_only_a_preselected_skill_is_blank():
    only_skill = SignoffRowForm(data={"skill": "7"}, skill_choices=[(7, "TONE")])
    with_level = SignoffRowForm(data={"skill": "7", "level": "3"}, skill_choices=[(7, "TONE")])

    assert only_skill.is_valid() and only_skill.is_blank()
    assert with_level.is_valid() and not with_level.is_blank()

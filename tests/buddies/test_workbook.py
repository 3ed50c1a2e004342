"""The buddies app's workbook sheet: Pairings."""

import pytest

from tests.factories.buddies import BuddyPairingFactory
from tests.factories.skills import EmployeeFactory
from tests.organisation.test_workbook_support import D, check, org, problems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [
        (
            1,
            "E102",
            "Pairings!B2 (buddy_number): the buddy E102 is not in a back-office department",
        ),
        (
            0,
            "E103",
            "Pairings!A2 (seeker_number): the seeker E103 is not in a front-office department",
        ),
        (1, "E101", "Pairings!B2 (buddy_number): E101 cannot be their own buddy"),
        (
            3,
            D(2025, 1, 6),
            "Pairings!D2 (ended_on): ended_on 2025-01-06 must be after started_on 2025-01-06",
        ),
    ],
)
def test_pairings_row_problems(column, value, line):
    sheets = org()
    sheets["Pairings"][1][column] = value

    assert problems(sheets) == [line]


def test_pairings_one_open_pairing_per_seeker():
    sheets = org()
    sheets["Employees"][4][8] = None  # E103 stays
    sheets["Pairings"].append(["E101", "E103", D(2025, 2, 1), None])

    assert problems(sheets) == [
        "Pairings!D3 (ended_on): E101 already has an open pairing (with E100 from 2025-01-06)"
    ]
    sheets["Pairings"][1][3] = D(2025, 2, 1)  # ending the first one makes room
    assert problems(sheets) == []


def test_pairings_open_pairing_in_the_tracker_counts():
    pairing = BuddyPairingFactory(started_on=D(2025, 1, 6))
    other = EmployeeFactory(back=True)
    sheets = {
        "Pairings": [
            org("Pairings")["Pairings"][0],
            [pairing.seeker.employee_number, other.employee_number, D(2025, 3, 1), None],
        ]
    }

    assert problems(sheets) == [
        f"Pairings!D2 (ended_on): {pairing.seeker.employee_number} already has an open pairing "
        f"(with {pairing.buddy.employee_number} from 2025-01-06)"
    ]


def test_an_open_pairing_of_someone_who_left_ends_on_their_last_day():
    sheets = org()
    sheets["Pairings"].append(["E102", "E103", D(2025, 2, 1), None])  # E103 left 2025-12-31
    pairings = check(sheets).table("Pairings").incoming
    assert pairings[("E102", "E103", D(2025, 2, 1))].ended_on == D(2025, 12, 31)
    assert pairings[("E101", "E100", D(2025, 1, 6))].ended_on is None

"""The payroll export: each period's rows, closing a period, the files and the commands."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from certificates import exports, services
from certificates.models import PayPeriod, PayrollRow, Tier
from certificates.pay import PAYROLL_COLUMNS, PayChange
from certificates.selectors import payroll_lines
from tests.certificates.conftest import PAY_WALK_START
from tests.factories.certificates import (
    CertificationFactory,
)
from tests.factories.skills import EmployeeFactory, SignoffFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST = PAY_WALK_START


def line_of(start):
    period = PayPeriod.objects.get(start=start)
    lines = [line for line in payroll_lines(period) if line.employee_number == "E1"]
    return lines[0] if lines else None


def test_payroll_walks_one_person_through_every_change(walk):
    person, manager = walk["person"], walk["manager"]

    new = line_of(D(2026, 1, 1))
    assert (new.paid_tier, new.previous_paid_tier, new.change) == (1, 0, PayChange.NEW)
    assert (new.tier_name, new.differential_per_hour, new.pay_code) == (
        "Tier I",
        Decimal("0.50"),
        "XT1",
    )
    same = line_of(D(2026, 1, 15))
    assert (same.paid_tier, same.change, same.lapsed_reason) == (1, PayChange.SAME, "")

    # The TONE sign-off of 20 Nov expired on 20 Jan: the period of 29 Jan pays nothing.
    lapsed = line_of(D(2026, 1, 29))
    assert (lapsed.paid_tier, lapsed.previous_paid_tier, lapsed.change) == (
        1 - 1,
        1,
        PayChange.REMOVED,
    )
    assert lapsed.lapsed
    assert lapsed.lapsed_reason.startswith("Tier I lapsed: TONE: level 0 of 3 needed")
    assert "expired on 20 Jan 2026" in lapsed.lapsed_reason
    assert (lapsed.tier_name, lapsed.differential_per_hour, lapsed.pay_code) == ("", 0, "")

    SignoffFactory(employee=person, skill=walk["tone"], level=3, assessed_on=D(2026, 2, 1))
    renewed = line_of(D(2026, 2, 12))
    assert (renewed.paid_tier, renewed.change, renewed.lapsed) == (1, PayChange.NEW, False)

    SignoffFactory(employee=person, skill=walk["bill"], level=3, assessed_on=D(2026, 2, 13))
    CertificationFactory(employee=person, tier=walk["tier2"], certified_by=manager,
                         certified_on=D(2026, 2, 20))  # fmt: skip
    up = line_of(D(2026, 2, 26))
    assert (up.paid_tier, up.previous_paid_tier, up.change, up.pay_code) == (
        2,
        1,
        PayChange.UP,
        "XT2",
    )

    person.termination_date = D(2026, 3, 5)
    person.save()
    removed = line_of(D(2026, 3, 12))
    assert (removed.paid_tier, removed.previous_paid_tier, removed.change) == (
        0,
        2,
        PayChange.REMOVED,
    )
    assert not removed.lapsed, "not paid because no longer employed, not because a tier lapsed"


def test_payroll_lists_only_people_paid_now_or_in_the_previous_period(walk):
    EmployeeFactory(employee_number="E9")  # never certified
    period = PayPeriod.objects.get(start=FIRST)
    assert [line.employee_number for line in payroll_lines(period)] == ["E1"]
    assert line_of(D(2026, 1, 29)).paid_tier == 0, "listed: paid in the period before"
    assert payroll_lines(PayPeriod.objects.get(start=D(2026, 2, 12))) == [], "0 now and before"


@pytest.mark.parametrize("people", [1, 6])
def test_payroll_lines_query_count_does_not_grow(walk, people, django_assert_max_num_queries):
    tier1 = Tier.objects.get(rank=1)
    for n in range(people):
        other = EmployeeFactory(employee_number=f"E5{n}", hire_date=D(2025, 1, 1))
        SignoffFactory(employee=other, skill=walk["tone"], level=3, assessed_on=D(2025, 12, 1))
        CertificationFactory(employee=other, tier=tier1, certified_by=walk["manager"],
                             certified_on=D(2025, 12, 20))  # fmt: skip
    period = PayPeriod.objects.get(start=D(2026, 1, 15))
    with django_assert_max_num_queries(12):
        lines = payroll_lines(period)
    assert len(lines) == people + 1


# --- Closing a period ---------------------------------------------------------------------------


def test_close_freezes_the_rows_whatever_changes_later(walk):
    first = PayPeriod.objects.get(start=FIRST)
    services.pay_period_close(period=first)
    exported = payroll_lines(PayPeriod.objects.get(pk=first.pk))

    walk["person"].last_name = "Renamed"
    walk["person"].save()
    Tier.objects.filter(rank=1).update(differential_per_hour=Decimal("9.99"))

    assert payroll_lines(PayPeriod.objects.get(pk=first.pk)) == exported
    assert exported[0].last_name == "Novák" and exported[0].differential_per_hour == Decimal("0.50")
    # The next period takes its previous tier from the frozen row.
    assert line_of(D(2026, 1, 15)).previous_paid_tier == 1


def test_close_twice_or_out_of_order_is_refused_and_writes_nothing(walk):
    second = PayPeriod.objects.get(start=D(2026, 1, 15))
    with pytest.raises(ValidationError, match="Close the period 2026-01-01 – 2026-01-14 first"):
        services.pay_period_close(period=second)
    assert not PayrollRow.objects.exists()

    first = PayPeriod.objects.get(start=FIRST)
    services.pay_period_close(period=first)
    with pytest.raises(ValidationError, match="was already closed on"):
        services.pay_period_close(period=first)
    assert PayrollRow.objects.count() == 1


# --- Creating periods ---------------------------------------------------------------------------


def test_periods_are_added_contiguously_and_a_gap_or_overlap_is_refused_whole():
    services.pay_periods_create(first_start=FIRST, days=14, count=2)
    services.pay_periods_create(first_start=D(2026, 1, 29), days=14, count=1)
    assert list(PayPeriod.objects.order_by("start").values_list("start", "end")) == [
        (D(2026, 1, 1), D(2026, 1, 14)),
        (D(2026, 1, 15), D(2026, 1, 28)),
        (D(2026, 1, 29), D(2026, 2, 11)),
    ]
    with pytest.raises(ValidationError) as gap:
        services.pay_periods_create(first_start=D(2026, 2, 20), days=14, count=3)
    assert gap.value.messages == [
        "pay periods are contiguous, but 2026-02-11 ends one period and the next starts on "
        "2026-02-20"
    ]
    with pytest.raises(ValidationError) as overlap:
        services.pay_periods_create(first_start=D(2026, 2, 5), days=14, count=2)
    assert overlap.value.messages[0] == (
        "the period 2026-02-05 – 2026-02-18 overlaps the period 2026-01-29 – 2026-02-11"
    )
    assert PayPeriod.objects.count() == 3


@pytest.mark.parametrize(
    ("days", "count", "message"),
    [
        (0, 1, "a pay period lasts 1 to 366 days, not 0"),
        (14, 0, "add 1 to 260 periods at a time, not 0"),
    ],
)
def test_periods_of_no_days_or_none_at_all_are_refused(days, count, message):
    with pytest.raises(ValidationError, match=message):
        services.pay_periods_create(first_start=FIRST, days=days, count=count)


# --- The files ----------------------------------------------------------------------------------


def test_xlsx_has_the_columns_typed_cells_and_a_summary(walk):
    walk["person"].last_name = '=HYPERLINK("http://x","y")'
    walk["person"].save()
    lines = payroll_lines(PayPeriod.objects.get(start=FIRST))

    book = openpyxl.load_workbook(io.BytesIO(exports.payroll_xlsx(lines)))
    sheet = book["Pay differentials"]
    assert [c.value for c in sheet[1]] == list(PAYROLL_COLUMNS)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M2"
    assert sheet["A1"].font.b
    row = dict(zip(PAYROLL_COLUMNS, sheet[2], strict=True))
    assert row["last_name"].value == '=HYPERLINK("http://x","y")'
    assert row["last_name"].data_type == "s", "a name is text, never a formula"
    assert row["period_start"].value.date() == FIRST and row["period_start"].is_date
    assert row["differential_per_hour"].value == 0.5
    assert "£" in row["differential_per_hour"].number_format
    assert (row["paid_tier"].value, row["change"].value, row["pay_code"].value) == (1, "NEW", "XT1")
    summary = [[c.value for c in r] for r in book["Summary"].iter_rows()]
    assert summary[1] == [1, "Tier I", "XT1", 1, 0.5]
    assert ["NEW", None, None, 1, None] in summary


def test_csv_has_the_same_columns_iso_dates_and_no_formula(walk):
    walk["person"].last_name = "=1+1"
    walk["person"].save()
    lines = payroll_lines(PayPeriod.objects.get(start=FIRST))

    rows = list(csv.reader(io.StringIO(exports.payroll_csv(lines))))
    assert rows[0] == list(PAYROLL_COLUMNS)
    assert rows[1] == [
        "E1", "'=1+1", walk["person"].first_name, walk["person"].department.code,
        "2026-01-01", "2026-01-14", "1", "Tier I", "0.50", "0", "NEW", "", "XT1",
    ]  # fmt: skip


def test_changes_only_leaves_out_same_rows(walk):
    lines = payroll_lines(PayPeriod.objects.get(start=D(2026, 1, 15)))
    assert [line.change for line in lines] == [PayChange.SAME]
    assert exports.changes_only(lines) == []


# --- The commands -------------------------------------------------------------------------------


def test_commands_create_close_and_export(walk, tmp_path):
    out = io.StringIO()
    call_command("create_pay_periods", "--first-start", "2026-03-26", "--count", "2", stdout=out)
    assert "Added 2 pay periods: 2026-03-26 – 2026-04-22." in out.getvalue()
    call_command("close_pay_period", "--period-start", "2026-01-01", stdout=out)
    assert "1 rows frozen" in out.getvalue()
    target = tmp_path / "pay.xlsx"
    call_command(
        "export_payroll", "--period-start", "2026-01-01", "--output", str(target), stdout=out
    )
    assert "Wrote 1 rows of the closed period" in out.getvalue()
    assert openpyxl.load_workbook(target)["Pay differentials"]["A2"].value == "E1"
    csv_target = tmp_path / "pay.csv"
    call_command("export_payroll", "--period-start", "2026-01-15", "--output", str(csv_target),
                 "--format", "csv", "--changes-only", stdout=out)  # fmt: skip
    assert csv_target.read_text(encoding="utf-8").splitlines() == [",".join(PAYROLL_COLUMNS)]


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [
        (
            "close_pay_period",
            ["--period-start", "2026-01-02"],
            "2026-01-02 is not the start of a pay period",
        ),
        (
            "close_pay_period",
            ["--period-start", "2026-01-15"],
            "Close the period 2026-01-01 – 2026-01-14 first",
        ),
        (
            "export_payroll",
            ["--period-start", "2026-01-02", "--output", "x.xlsx"],
            "2026-01-02 is not the start",
        ),
        (
            "export_payroll",
            ["--period-start", "2026-01-01", "--output", "/no/such/dir/x.xlsx"],
            "cannot write /no/such/dir/x.xlsx",
        ),
        (
            "create_pay_periods",
            ["--first-start", "2026-01-08", "--count", "1"],
            "overlaps the period 2026-01-01 – 2026-01-14",
        ),
    ],
)
def test_commands_refuse_bad_input_with_what_and_where(walk, command, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(command, *arguments)
    assert not PayrollRow.objects.exists()


def test_commands_refuse_a_date_in_the_wrong_format():
    with pytest.raises(CommandError, match="2026-13-01 is not a date"):
        call_command("export_payroll", "--period-start", "2026-13-01", "--output", "x.xlsx")

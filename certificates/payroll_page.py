"""What the payroll page shows of one period: its rows filtered, totals per tier, the trend."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count

from certificates import rank_cache
from certificates.models import PayPeriod, PayrollRow
from certificates.pay import PayChange, PayLine
from certificates.selectors import payroll_lines
from skills.models import Employee

TREND_PERIODS = 26


def period_for(day: datetime.date, start: datetime.date | None = None) -> PayPeriod | None:
    """The period starting on `start`, else the one containing `day`, else the latest one."""
    periods = PayPeriod.objects.select_related("closed_by")
    if start is not None:
        return periods.filter(start=start).first()
    return (
        periods.filter(start__lte=day, end__gte=day).first() or periods.order_by("-start").first()
    )


def page_lines(period: PayPeriod) -> list[PayLine]:
    """The period's rows for the payroll page: a closed period's frozen rows; an open one's
    kept in the shared cache with the data version they were computed from (certificates.
    rank_cache). After a write, only the people whose records changed are worked out again
    and their rows replaced, as the rank cache does; a change everyone's pay reads (a tier, a
    pay period…) starts afresh. The download always computes afresh (`payroll_lines`)."""
    if period.is_closed:
        return payroll_lines(period)
    # The version is read before any row is computed: a write landing meanwhile moves it
    # past this entry, and the next request works those people out again.
    versions = rank_cache.data_versions()
    key = rank_cache.cache_key(period.start, f"payroll-{period.start.isoformat()}")
    entry = cache.get(key)
    if entry and entry[0] == versions:
        return entry[1]
    changed = rank_cache.changed_employees(entry[0], versions) if entry else None
    if changed is None:
        lines = payroll_lines(period)
    else:
        numbers = set(
            Employee.objects.filter(pk__in=changed).values_list("employee_number", flat=True)
        )
        kept = [line for line in entry[1] if line.employee_number not in numbers]
        fresh = payroll_lines(period, employee_ids=changed) if changed else []
        lines = sorted([*kept, *fresh], key=lambda line: line.employee_number)
    cache.set(key, (versions, lines), rank_cache.TIMEOUT_SECONDS)
    return lines


def filtered_lines(
    lines: Sequence[PayLine],
    *,
    change: str = "",
    department: str = "",
    tier: int | None = None,
    lapsed: bool = False,
    changed: bool = False,
) -> list[PayLine]:
    return [
        line
        for line in lines
        if (not change or line.change == change)
        and (not department or line.department_code == department)
        and (tier is None or line.paid_tier == tier)
        and (not lapsed or line.lapsed)
        and (not changed or line.change != PayChange.SAME)
    ]


@dataclass(frozen=True)
class TierTotal:
    rank: int
    name: str
    people: int
    differential_per_hour: Decimal


def tier_totals(lines: Sequence[PayLine]) -> list[TierTotal]:
    """Per tier paid in the period: how many people, at what differential."""
    counts = Counter((line.paid_tier, line.tier_name, line.differential_per_hour) for line in lines)
    return [
        TierTotal(rank, name, people, money)
        for (rank, name, money), people in sorted(counts.items())
        if rank
    ]


@dataclass(frozen=True)
class TrendPoint:
    start: datetime.date
    counts: dict[int, int]  # paid tier rank -> people
    known: bool = True  # False: an open period other than the one shown, not worked out

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def head_count_trend(period: PayPeriod, lines: Sequence[PayLine]) -> list[TrendPoint]:
    """Paid head count per tier in the last TREND_PERIODS periods up to `period`, whose rows
    are `lines`: closed periods from their frozen rows (one query). Another open period is
    shown as not worked out: computing each would cost a whole export per period."""
    periods = list(
        PayPeriod.objects.filter(start__lte=period.start).order_by("-start")[:TREND_PERIODS]
    )[::-1]
    frozen: dict[int, dict[int, int]] = {}
    for period_id, rank, people in (
        PayrollRow.objects.filter(
            period__in=[p for p in periods if p.is_closed], paid_tier_rank__gt=0
        )
        .values_list("period_id", "paid_tier_rank")
        .annotate(people=Count("id"))
        .order_by()
    ):
        frozen.setdefault(period_id, {})[rank] = people
    points = []
    for p in periods:
        if p.is_closed:
            points.append(TrendPoint(p.start, frozen.get(p.pk, {})))
        elif p.pk == period.pk:
            counts = dict(Counter(line.paid_tier for line in lines if line.paid_tier))
            points.append(TrendPoint(p.start, counts))
        else:
            points.append(TrendPoint(p.start, {}, known=False))
    return points


# The trend chart: an inline SVG, sizes in its own units (it scales to the card's width).
TREND_WIDTH = 520
TREND_LABEL = 64
TREND_VALUE = 36
TREND_ROW = 16
TREND_BAR = 11


def trend_chart(points: Sequence[TrendPoint]) -> dict:
    """Geometry of the stacked bars of paid head count per tier, one bar a period."""
    top = max((p.total for p in points), default=0) or 1
    span = TREND_WIDTH - TREND_LABEL - TREND_VALUE
    rows = []
    for index, point in enumerate(points):
        x = float(TREND_LABEL)
        segments = []
        for rank in sorted(point.counts):
            width = point.counts[rank] / top * span
            segments.append({"rank": rank, "people": point.counts[rank], "x": round(x, 1),
                             "width": round(width, 1)})  # fmt: skip
            x += width
        rows.append(
            {
                "point": point,
                "y": index * TREND_ROW,
                "text_y": index * TREND_ROW + TREND_BAR - 1,
                "segments": segments,
                "value_x": round(x + 4, 1),
            }
        )
    return {
        "rows": rows,
        "width": TREND_WIDTH,
        "height": max(len(points) * TREND_ROW, TREND_ROW),
        "label_x": TREND_LABEL - 6,
        "bar_height": TREND_BAR,
    }

"""`manage.py tier_status`: every active employee's eligible tier and next-tier gaps on a date."""

import argparse
import datetime
import json as jsonlib

from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates.selectors import tier_status_list


def parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text} is not a date (use YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Prints each employee active on a date with their eligible tier and next-tier gaps."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=parse_day, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="print a JSON array")

    def handle(self, *args, as_of=None, json=False, **options):
        day = as_of or timezone.localdate()
        statuses = tier_status_list(day)
        if json:
            self.stdout.write(dump_json(statuses))
            return
        self.stdout.write(f"Tier status on {day:%d %b %Y}: {len(statuses)} active employees")
        self.stdout.write(f"{'employee':<12} {'tier':>4} {'hours':>8} {'other':>5}  next tier gaps")
        for s in statuses:
            gaps = "; ".join(s.next_tier_gaps) or "—"
            self.stdout.write(
                f"{s.employee_number:<12} {s.eligible_rank:>4} "
                f"{s.cross_training_hours:>8.2f} {s.other_side_skills:>5}  {gaps}"
            )


def dump_json(statuses) -> str:
    return jsonlib.dumps(
        [
            {
                "employee_number": s.employee_number,
                "eligible_tier": s.eligible_rank,
                "cross_training_hours": f"{s.cross_training_hours:.2f}",
                "other_side_skills": s.other_side_skills,
                "next_tier_gaps": s.next_tier_gaps,
            }
            for s in statuses
        ],
        ensure_ascii=False,
        indent=2,
    )

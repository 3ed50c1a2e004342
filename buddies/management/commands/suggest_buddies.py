"""`manage.py suggest_buddies`: the optimal go-to buddy for every seeker, with the reasons."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from buddies.suggestions import Options, as_json, suggestion
from certificates.management.commands.tier_status import parse_day
from skills.models import Department

UNKNOWN_DEPARTMENT = "no department has the code {code}"
NOT_FRONT = "{code} is a back-office department: seekers are in the front office"


def whole(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            from argparse import ArgumentTypeError

            raise ArgumentTypeError(f"{text} is not a whole number of at least {minimum}")
        return value

    return parse


class Command(BaseCommand):
    help = (
        "Suggests a back-office go-to buddy for each front-office employee without one: the "
        "assignment of least total cost that pairs as many as the free places allow."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=parse_day, help="YYYY-MM-DD (default today)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument("--capacity", type=whole(1), help="pairings a buddy may have")
        parser.add_argument("--min-buddy-tier", type=whole(0), help="a buddy's lowest tier")
        parser.add_argument("--department", metavar="CODE", help="seekers of this department")
        parser.add_argument(
            "--rotate-older-than",
            type=whole(1),
            metavar="DAYS",
            help="also suggest new buddies for pairings at least this many days old",
        )

    def handle(self, *args, **options):
        code = options["department"]
        if code:
            department = Department.objects.filter(code=code).first()
            if department is None:
                raise CommandError(UNKNOWN_DEPARTMENT.format(code=code))
            if department.side != Department.Side.FRONT:
                raise CommandError(NOT_FRONT.format(code=code))
        asked = Options.from_settings(
            options["as_of"] or timezone.localdate(),
            capacity=options["capacity"],
            min_buddy_tier=options["min_buddy_tier"],
            department=code,
            rotate_older_than=options["rotate_older_than"],
        )
        result = suggestion(asked)
        if options["json"]:
            # Compact: the indented encoder is pure Python and slower than the suggestion.
            self.stdout.write(json.dumps(as_json(asked, result), ensure_ascii=False))
            return
        self.write_table(asked, result)

    def write_table(self, asked, result):
        head = ("seeker", "buddy", "cost", "site", "shift", "before", "tier", "load")
        rows = [
            (
                p.seeker.number,
                p.buddy.number,
                *(str(v) for v in (p.cost, *p.reasons.as_dict().values())),
            )
            for p in result.pairs
        ]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
        self.stdout.write(
            f"Buddy suggestions for {asked.day:%d %b %Y} (capacity {asked.capacity}, "
            f"buddies from tier {asked.min_buddy_tier})"
        )
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip())
        for row in rows:
            self.stdout.write(
                "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write(f"{len(rows)} pairs, total cost {result.total_cost}.")
        if result.unpaired:
            names = ", ".join(s.number for s in result.unpaired)
            self.stdout.write(f"No free buddy for {len(result.unpaired)}: {names}")

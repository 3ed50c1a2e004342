"""`manage.py certificate_pdf`: certificates as PDF files, one per certification."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.documents import certificate_data, certificate_queryset, file_name
from certificates.management.commands.tier_status import parse_day
from certificates.pdf import render
from skills.models import Employee

CANNOT_WRITE = "cannot write {path}: {reason}"
NO_SUCH_EMPLOYEE = "no employee has the number {number}"
SAY_WHICH = "say whose certificates (--employee NUMBER) or since when (--since YYYY-MM-DD)"


class Command(BaseCommand):
    help = (
        "Writes one PDF per certification into DIR, each named by its certificate number: "
        "an employee's (--employee), every one issued since a day (--since), or both."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employee", metavar="NUMBER", help="an employee number, e.g. E10203")
        parser.add_argument(
            "--since", type=parse_day, help="YYYY-MM-DD: certificates issued on or after it"
        )
        parser.add_argument("--output", type=Path, required=True, metavar="DIR")

    def handle(self, *args, employee=None, since=None, output, **options):
        if employee is None and since is None:
            raise CommandError(SAY_WHICH)
        certifications = certificate_queryset().order_by("certified_on", "certificate_number")
        if employee is not None:
            holder = Employee.objects.filter(employee_number=employee.strip()).first()
            if holder is None:
                raise CommandError(NO_SUCH_EMPLOYEE.format(number=employee))
            certifications = certifications.filter(employee=holder)
        if since is not None:
            certifications = certifications.filter(certified_on__gte=since)
        rows = list(certifications)
        try:
            output.mkdir(parents=True, exist_ok=True)
            for certification, data in zip(rows, certificate_data(rows), strict=True):
                (output / file_name(certification)).write_bytes(render(data))
        except OSError as error:
            path = error.filename or output
            raise CommandError(CANNOT_WRITE.format(path=path, reason=error.strerror)) from error
        self.stdout.write(
            f"Wrote {len(rows)} certificate{'s' if len(rows) != 1 else ''} to {output}."
        )

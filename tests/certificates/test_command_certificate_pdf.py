"""`manage.py certificate_pdf`: one PDF per certification, named by its number."""

import datetime
import io

import pypdf
import pytest
from django.core.management import CommandError, call_command

from tests.factories.certificates import CertificationFactory
from tests.factories.skills import EmployeeFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def run(*args) -> str:
    out = io.StringIO()
    call_command("certificate_pdf", *args, stdout=out)
    return out.getvalue()


def test_writes_each_certificate_of_an_employee(tmp_path):
    person = EmployeeFactory(employee_number="E777", first_name="Оксана", last_name="Коваленко")
    made = [CertificationFactory(employee=person, certified_on=D(2026, m, 1)) for m in (3, 5)]
    CertificationFactory()  # someone else's

    assert run("--employee", "E777", "--output", str(tmp_path)) == (
        f"Wrote 2 certificates to {tmp_path}.\n"
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{c.certificate_number}.pdf" for c in made)
    text = pypdf.PdfReader(tmp_path / names[0]).pages[0].extract_text()
    assert "Оксана Коваленко" in text


def test_writes_every_certificate_issued_since_a_day(tmp_path):
    CertificationFactory(certified_on=D(2026, 1, 31))
    later = [CertificationFactory(certified_on=D(2026, 2, d)) for d in (1, 20)]
    run("--since", "2026-02-01", "--output", str(tmp_path / "new"))
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == sorted(
        f"{c.certificate_number}.pdf" for c in later
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "say whose certificates"),
        (("--employee", "E404"), "no employee has the number E404"),
    ],
)
def test_bad_requests_say_what_is_wrong(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--output", str(tmp_path))


def test_an_unwritable_directory_is_said_so(tmp_path):
    CertificationFactory(certified_on=D(2026, 1, 31))
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(CommandError, match="cannot write"):
        run("--since", "2026-01-01", "--output", str(blocker))

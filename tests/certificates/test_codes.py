"""Verification codes: Crockford's base32, grouped for reading, accepted however typed."""

import re

import pytest

from certificates import codes


def test_codes_are_16_unambiguous_characters_and_random():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{16}", code) for code in made)


def test_codes_are_grouped_in_fours():
    assert codes.grouped("7KQ2M9XD4HTAP3VW") == "7KQ2-M9XD-4HTA-P3VW"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        pytest.param("7KQ2-M9XD-4HTA-P3VW", "7KQ2M9XD4HTAP3VW", id="as printed"),
        pytest.param("7kq2m9xd4htap3vw", "7KQ2M9XD4HTAP3VW", id="lower case, no dashes"),
        pytest.param(" 7KQ2 M9XD 4HTA P3VW ", "7KQ2M9XD4HTAP3VW", id="spaces"),
        pytest.param("OKQ2-M9XD-4HTA-P3VW", "0KQ2M9XD4HTAP3VW", id="O read as zero"),
        pytest.param("IKQ2-M9XD-4HTA-P3VL", "1KQ2M9XD4HTAP3V1", id="I and L read as one"),
        pytest.param("7KQ2-M9XD-4HTA-P3V", None, id="too short"),
        pytest.param("7KQ2-M9XD-4HTA-P3VU", None, id="U is not in the alphabet"),
        pytest.param("", None, id="blank"),
    ],
)
def test_codes_are_accepted_with_or_without_dashes_in_any_case(typed, code):
    assert codes.normalised(typed) == code


@pytest.mark.django_db
def test_certifications_get_such_a_code():
    from tests.factories.certificates import CertificationFactory

    assert codes.normalised(CertificationFactory().verification_code) is not None


@pytest.mark.parametrize(
    ("year", "sequence", "number"),
    [
        (2026, 1, "CT-2026-000001"),
        (2026, 42, "CT-2026-000042"),
        (2027, 999_999, "CT-2027-999999"),
        (2027, 1_000_000, "CT-2027-1000000"),
    ],
)
def test_certificate_numbers_are_the_year_and_six_digits(year, sequence, number):
    assert codes.certificate_number(year, sequence) == number

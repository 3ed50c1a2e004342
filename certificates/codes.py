"""Certificate verification codes: 16 random characters of Crockford's base32, shown in groups.

Crockford's alphabet has no I, L, O or U, so a code read aloud or typed from paper cannot be
mistaken; on the way in, O is read as 0 and I or L as 1, as Crockford's decoding rules say,
and dashes, spaces and case do not matter. The code is random (`secrets`), never derived from
the certificate number, so numbers cannot be turned into codes.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
# Crockford's decoding: letters that look like digits are read as those digits.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
IGNORED = str.maketrans("", "", "- \t")


def new_code() -> str:
    """A fresh code, 16 characters of the alphabet (80 random bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def grouped(code: str) -> str:
    """`7KQ2M9XD4HTAP3VW` -> `7KQ2-M9XD-4HTA-P3VW`, for people to read."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalised(text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one."""
    code = (text or "").upper().translate(IGNORED).translate(LOOK_ALIKES)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


NUMBER_PREFIX = "CT"


def certificate_number(year: int, sequence: int) -> str:
    """`CT-2026-000042`: the 42nd certificate of 2026 (a seventh digit only past 999,999)."""
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"

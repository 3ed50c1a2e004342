"""Text folded for search and ordering: case and accents ignored, in every script.

`fold` is what both sides of a name search go through, so "попов" finds "Попов", "odegard"
finds "Ødegård" and "nguyen" finds "Nguyễn". `sort_key` orders names the same way on every
database: the folded letters and digits only, compared code point by code point.
"""

from __future__ import annotations

import datetime
import unicodedata

# Letters that are not a base letter plus a combining mark, so decomposition leaves them alone.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
    }
)


def day_text(day: datetime.date) -> str:
    """A date in a sentence, as every page writes it: "3 Dec 2026" (the `day` filter's)."""
    return f"{day.day} {day:%b %Y}"


def fold(text: str) -> str:
    """`text` without case or accents, its spaces collapsed: "Zoë  ØDEGÅRD" -> "zoe odegard"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_LETTERS).split())


def search_words(text: str) -> list[str]:
    """The folded words of a search box: each must occur in the person's search key."""
    return fold(text).split()


def sort_key(*parts: str) -> str:
    """An order key for names: each part folded to its letters and digits, the parts joined by
    a space (which sorts before any letter or digit), so "Dąbrowska" sorts with "Dabrowska"
    and "Ødegård" with "Odegard", identically on SQLite and on PostgreSQL's "C" collation."""
    return " ".join("".join(c for c in fold(part) if c.isalnum()) for part in parts)

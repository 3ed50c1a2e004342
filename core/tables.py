"""Lists shown with django-tables2: in-memory rows that sort quickly, and names in reading order.

django-tables2 sorts a list by comparing rows pairwise and resolving each column's accessor on
both rows at every comparison, which costs seconds on ten thousand rows. `SortedListData` reads
each sort value once per row and lets Python's stable sort do the rest: one pass per key, from
the least significant to the most, each in its own direction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate
from django_tables2 import Table
from django_tables2.data import TableListData
from django_tables2.utils import Accessor, OrderBy, OrderByTuple


def _sort_value(value):
    """A key that sorts None before any value, the way django-tables2 orders a missing value."""
    return (value is not None, value)


def _sort_key(path: str):
    """A key function reading `path` of a row: a plain attribute or key directly, else as
    django-tables2's Accessor does (related__field, callables)."""
    if Accessor.SEPARATOR in path or Accessor.LEGACY_SEPARATOR in path:
        accessor = Accessor(path)
        return lambda row: _sort_value(accessor.resolve(row, quiet=True))

    def key(row):
        value = row.get(path) if isinstance(row, dict) else getattr(row, path, None)
        return _sort_value(value() if callable(value) else value)

    return key


class SortedListData(TableListData):
    """A list of rows sorted by reading each row's sort values once."""

    def order_by(self, aliases) -> None:
        accessors: list[OrderBy] = []
        for alias in aliases:
            column = self.table.columns[OrderBy(alias).bare]
            # As django-tables2: the column's own order_by, flipped when the alias asks for it.
            if alias[0] != column.order_by_alias[0]:
                accessors += column.order_by.opposite
            else:
                accessors += column.order_by
        for order in reversed(OrderByTuple(accessors)):
            self.data.sort(key=_sort_key(order.bare), reverse=order.is_descending)


class ListTable(Table):
    """A table whose rows are a list (not a queryset): sorts through `SortedListData`."""

    def __init__(self, data=None, *args, **kwargs):
        if isinstance(data, list | tuple):
            data = SortedListData(list(data))
        super().__init__(data, *args, **kwargs)


def name_collation() -> str:
    """The collation names are ordered by (settings.NAME_COLLATIONS), or "" for the default."""
    return settings.NAME_COLLATIONS.get(connection.vendor, "")


def name_order(*fields: str) -> list:
    """Order expressions for `fields` (names) in the reading order of the configured collation.

    On PostgreSQL the default is ICU's root collation, so "Dąbrowska" sorts with "Dabrowska"
    whatever the database's locale; SQLite orders by code point (its only built-in order).
    """
    collation = name_collation()
    if not collation:
        return [F(f[1:]).desc() if f.startswith("-") else F(f).asc() for f in fields]
    return [
        Collate(F(f[1:]), collation).desc() if f.startswith("-") else Collate(F(f), collation).asc()
        for f in fields
    ]

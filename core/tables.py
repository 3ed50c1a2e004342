"""Lists shown with django-tables2: in-memory rows that sort quickly, and names in reading order.

django-tables2 sorts a list by comparing rows pairwise and resolving each column's accessor on
both rows at every comparison, which costs seconds on ten thousand rows. `SortedListData` reads
each sort value once per row and lets Python's stable sort do the rest: one pass per key, from
the least significant to the most, each in its own direction.
"""

from __future__ import annotations

import copy

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate
from django_tables2 import RequestConfig, SingleTableMixin, Table
from django_tables2.data import TableListData
from django_tables2.utils import Accessor, OrderBy, OrderByTuple

MAX_PER_PAGE = 200


class BoundedRequestConfig(RequestConfig):
    """django-tables2's request configuration, with `per_page` kept to 1–200 and `page` to
    whole numbers from 1: anything else in the address is ignored (the list's own default
    applies), so `?per_page=-1` or `?per_page=100000000` can neither crash nor flood a page."""

    def configure(self, table):
        wanted = self.request.GET.copy()
        for arg, highest in (("per_page", MAX_PER_PAGE), ("page", None)):
            name = getattr(table, f"prefixed_{arg}_field")
            try:
                number = int(wanted.get(name, ""))
            except ValueError:
                wanted.pop(name, None)
                continue
            if number < 1 or (highest is not None and number > highest):
                wanted.pop(name, None)
        original, self.request = self.request, copy.copy(self.request)
        self.request.GET = wanted
        try:
            return super().configure(table)
        finally:
            table.request = self.request = original


FILTERS_REFUSED = "Nothing is listed until the filters above are corrected."


class BoundedTableMixin(SingleTableMixin):
    """SingleTableMixin configured by BoundedRequestConfig: every list page's shared base.

    When the page's filters are refused, the empty table says so, instead of its usual
    "nothing matches" text beside the filter's own message.
    """

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        filterset = getattr(self, "filterset", None)
        if filterset is not None and filterset.is_bound and not filterset.is_valid():
            table.empty_text = FILTERS_REFUSED
        paginate = self.get_table_pagination(table)
        return BoundedRequestConfig(self.request, paginate=paginate).configure(table)


def _read(path: str):
    """A function reading `path` of a row: a plain attribute or key directly, else as
    django-tables2's Accessor does (related__field, callables)."""
    if Accessor.SEPARATOR in path or Accessor.LEGACY_SEPARATOR in path:
        accessor = Accessor(path)
        return lambda row: accessor.resolve(row, quiet=True)

    def read(row):
        value = row.get(path) if isinstance(row, dict) else getattr(row, path, None)
        return value() if callable(value) else value

    return read


def sort_rows(rows: list, path: str, *, descending: bool = False) -> list:
    """`rows` stably sorted by the value at `path`; None sorts before any value, as in
    django-tables2. Each value is read once."""
    read = _read(path)
    values = [read(row) for row in rows]
    if any(value is None for value in values):
        values = [(value is not None, value) for value in values]
    order = sorted(range(len(rows)), key=values.__getitem__, reverse=descending)
    return [rows[i] for i in order]


class SortedListData(TableListData):
    """A list of rows sorted by reading each row's sort values once.

    Sorting again in the order already applied does nothing: a table given its order when
    made is not sorted a second time when the request's order is set.
    """

    applied: tuple[str, ...] | None = None

    def order_by(self, aliases) -> None:
        aliases = tuple(aliases)
        if aliases == self.applied:
            return
        accessors: list[OrderBy] = []
        for alias in aliases:
            column = self.table.columns[OrderBy(alias).bare]
            # As django-tables2: the column's own order_by, flipped when the alias asks for it.
            if alias[0] != column.order_by_alias[0]:
                accessors += column.order_by.opposite
            else:
                accessors += column.order_by
        rows = self.data
        for order in reversed(OrderByTuple(accessors)):
            rows = sort_rows(rows, order.bare, descending=order.is_descending)
        self.data[:] = rows
        self.applied = aliases


class ListTable(Table):
    """A table whose rows are a list (not a queryset): sorts through `SortedListData`."""

    def __init__(self, data=None, *args, **kwargs):
        if isinstance(data, list | tuple):
            data = SortedListData(list(data))
        super().__init__(data, *args, **kwargs)


def name_order(*fields: str) -> list:
    """Order expressions for `fields`, compared code point by code point on every database.

    Names are ordered by the employee's stored `sort_key` (core.text: folded letters and
    digits), so this gives one order, accent- and case-insensitive, on SQLite (whose default
    is binary) and on PostgreSQL (whose default depends on the database's locale: "C" here).
    """

    def expression(name: str):
        return Collate(F(name), "C") if connection.vendor == "postgresql" else F(name)

    return [expression(f[1:]).desc() if f.startswith("-") else expression(f).asc() for f in fields]

"""Checking a workbook against itself and the database; domain-free.

`WorkbookCheck` is the state the validators of every app's sheets share while a workbook is
checked: one Table per sheet, merged from the workbook and the database, and the report.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.spreadsheets.reading import (
    DUPLICATE_KEY,
    BoundSheet,
    CellError,
    Key,
    Problem,
    Report,
    Row,
    Table,
    as_text,
    show,
)

TOO_LONG = "{value} is longer than {limit} characters"
NEVER_EDITED = (
    "this {what} is already recorded with {column} {old}; {what}s are never edited: "
    "revoke it in the tracker and record a new one"
)


@dataclass
class WorkbookCheck:
    """Everything the validators of every sheet share while a workbook is checked."""

    today: datetime.date
    loaders: dict[str, Callable[[Table], None]]
    report: Report = field(default_factory=Report)
    tables: dict[str, Table] = field(default_factory=dict)
    bound: dict[str, BoundSheet] = field(default_factory=dict)  # the workbook's sheets, by spec
    # A blank cell of an existing record keeps its value unless this is set; a column the
    # sheet does not have never changes anything (docs/workbook.md).
    blank_clears: bool = False

    def table(self, name: str) -> Table:
        """The named sheet's table, loaded from the database on first use."""
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = Table(name)
            self.loaders[name](table)
        return table

    def add(self, table: Table, row: Row, key: Key | None, record: tuple) -> bool:
        """Files a checked row under its key; a repeated key is a problem at its first cell."""
        if key is None:
            return False
        first = table.rows.get(key)
        if first is not None:
            shown = " / ".join(show(part) for part in (key if isinstance(key, tuple) else (key,)))
            row.fail(row.bound.spec.key[0], DUPLICATE_KEY.format(key=shown, row=first))
            return False
        table.rows[key] = row.number
        if row.ok:
            table.incoming[key] = self.kept(table, row, key, record)
            return True
        table.broken.add(key)
        return False

    def kept(self, table: Table, row: Row, key: Key, record: tuple) -> tuple:
        """`record` with the existing record's values where the row leaves them alone: the
        columns the sheet does not have and, unless blank cells clear values, its blank cells.
        """
        old = table.existing.get(key)
        if old is None:
            return record
        names = row.absent if self.blank_clears else row.absent + row.blank
        fields = record._fields
        keep = {name: getattr(old, name) for name in names if name in fields}
        return record._replace(**keep) if keep else record

    def refer(self, row: Row, column: str, name: str, key: Key | None, message: str) -> bool:
        """Whether `key` names a row of the workbook or a record of the database."""
        if key is None:
            return False
        table = self.table(name)
        if key in table.incoming or key in table.existing:
            return True
        if key in table.broken:
            row.fail(column, None)  # already reported on its own sheet
            return False
        row.fail(column, message)
        return False

    def check_unchanged(self, table: Table, row: Row, key: Key, record: tuple, what: str) -> None:
        """Records that are never edited: an existing one must come back exactly as it is."""
        old = table.existing.get(key)
        if old is not None:
            record = self.kept(table, row, key, record)
        if old is None or old == record or not row.ok or key in table.rows:
            return  # new, identical, already failing, or a repeat reported as such
        for name, before, after in zip(record._fields, old, record, strict=True):
            if before != after:
                shown = show(before) if before not in (None, "") else "(blank)"
                row.fail(name, NEVER_EDITED.format(what=what, column=name, old=shown))
                return

    def problem(self, message: str, location) -> None:
        self.report.problems.append(Problem(message, location))


def text_of(limit: int) -> Callable[[Any], str]:
    """A converter to text of at most `limit` characters."""

    def convert(value: Any) -> str:
        text = as_text(value)
        if len(text) > limit:
            raise CellError(TOO_LONG.format(value=text[:40] + "…", limit=limit))
        return text

    return convert


def field_limit(model, name: str) -> int:
    """The max_length of a model's text field, so a cell is held to the column's limit."""
    return model._meta.get_field(name).max_length

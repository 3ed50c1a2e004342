"""Factories for every model (one module per app) and `refused`, the database-refusal assertion."""

import contextlib
import re

import pytest
from django.db import IntegrityError, models, transaction


@contextlib.contextmanager
def refused(model: type[models.Model], name: str):
    """Expects the block to write a row that the database refuses by constraint `name`.

    `name` is a `Meta.constraints` name, or a field name for the field's own UNIQUE or
    `>= 0` check. The block runs in a savepoint, so the test database stays usable. The
    error must name the constraint (PostgreSQL names them all; SQLite names a CHECK by its
    name and a UNIQUE by its columns), so a row refused for another reason fails the test.
    """
    table = model._meta.db_table
    constraint = next((c for c in model._meta.constraints if c.name == name), None)
    if isinstance(constraint, models.UniqueConstraint):
        columns = ", ".join(f"{table}.{model._meta.get_field(f).column}" for f in constraint.fields)
        pattern = rf'"{name}"|UNIQUE constraint failed: {re.escape(columns)}$'
    elif constraint is not None:
        pattern = rf'"{name}"|CHECK constraint failed: {name}$'
    else:
        column = model._meta.get_field(name).column
        if model._meta.get_field(name).unique:
            pattern = rf"Key \({column}\)=|UNIQUE constraint failed: {table}\.{column}$"
        else:
            pattern = rf'"{table}_{column}_check"|CHECK constraint failed: {column}$'
    with pytest.raises(IntegrityError, match=pattern), transaction.atomic():
        yield

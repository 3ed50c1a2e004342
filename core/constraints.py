"""Database-checkable conditions shared by several models."""

from django.db.models import DecimalField, ExpressionWrapper, F, IntegerField, Q
from django.db.models.functions import Cast
from django.db.models.lookups import Exact


def quarter_hours_condition(field: str, *, maximum: int | None = None) -> Q:
    """`field` is above 0, a whole number of quarter hours and, when given, at most `maximum`."""
    quarters = ExpressionWrapper(F(field) * 4, output_field=DecimalField())
    condition = Q(**{f"{field}__gt": 0}) & Q(Exact(quarters, Cast(quarters, IntegerField())))
    if maximum is not None:
        condition &= Q(**{f"{field}__lte": maximum})
    return condition

"""SortedListData: django-tables2's order for in-memory rows, reading each value once."""

from dataclasses import dataclass

import django_tables2 as tables
import pytest

from core.tables import ListTable, SortedListData


@dataclass
class Row:
    name: str
    rank: int | None
    team: dict

    def label(self) -> str:
        return self.name.upper()


ROWS = [
    Row("dora", 2, {"code": "B"}),
    Row("ali", 1, {"code": "A"}),
    Row("cem", None, {"code": "B"}),
    Row("bea", 2, {"code": "A"}),
    Row("eli", 1, {"code": "B"}),
]


class RowTable(ListTable):
    name = tables.Column()
    rank = tables.Column(order_by=("rank", "name"))
    team = tables.Column(accessor="team__code", order_by=("team__code", "-rank"))
    label = tables.Column(accessor="label")
    bare_rank = tables.Column(accessor="rank")  # no tie-break of its own


def names(table) -> list[str]:
    return [row.record.name for row in table.rows]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["ali", "bea", "cem", "dora", "eli"]),
        ("-name", ["eli", "dora", "cem", "bea", "ali"]),
        # None sorts before any value, as django-tables2's own comparison puts it.
        ("rank", ["cem", "ali", "eli", "bea", "dora"]),
        ("-rank", ["dora", "bea", "eli", "ali", "cem"]),
        # Related paths and mixed directions within one column's order_by.
        ("team", ["bea", "ali", "dora", "eli", "cem"]),
        ("label", ["ali", "bea", "cem", "dora", "eli"]),
    ],
)
def test_sorted_list_data_orders_like_the_columns_say(sort, expected):
    table = RowTable(list(ROWS), order_by=sort)
    assert isinstance(table.data, SortedListData)
    assert names(table) == expected


def test_sorted_list_data_keeps_the_incoming_order_for_ties():
    # bea and dora tie on rank 2: they stay in the order they came in.
    table = RowTable([ROWS[3], ROWS[0]], order_by="-bare_rank")
    assert names(table) == ["bea", "dora"]
    table = RowTable([ROWS[0], ROWS[3]], order_by="-bare_rank")
    assert names(table) == ["dora", "bea"]


def test_sorted_list_data_matches_django_tables2_on_the_same_rows():
    class PlainTable(tables.Table):
        name = tables.Column()
        rank = tables.Column(order_by=("rank", "name"))
        team = tables.Column(accessor="team__code", order_by=("team__code", "-rank"))

    for sort in ("name", "-name", "rank", "-rank", "team", "-team"):
        ours = names(RowTable(list(ROWS), order_by=sort))
        theirs = names(PlainTable(list(ROWS), order_by=sort))
        assert ours == theirs, sort


def test_sorted_list_data_reads_dict_rows():
    class DictTable(ListTable):
        name = tables.Column()

    table = DictTable([{"name": "b"}, {"name": "a"}], order_by="-name")
    assert [row.record["name"] for row in table.rows] == ["b", "a"]

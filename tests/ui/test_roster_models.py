"""The roster's item models: qtmodeltester, lazy block fetching, sort requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt

from sqdesk.core import groups, roster
from sqdesk.ui.itemmodels.roster_model import (
    BLOCK,
    CACHE_ROWS,
    MEMBER_ID_ROLE,
    RosterColumn,
    RosterTableModel,
)
from sqdesk.ui.itemmodels.table_model import StaticTableModel


def _fill(ws, n: int) -> list[int]:
    with ws.write() as s:
        g = groups.create_group(s, "杭州一群")
        ids = []
        for i in range(n):
            m = roster.create_member(
                s,
                roster.MemberInput(
                    f"成员{i:04d}",
                    {"phone": f"138{i:08d}", "city": "杭州", "joined_on": dt.date(2024, 1, 1 + i % 28),
                     "status": "已清退" if i % 7 == 0 else "在群"},
                    tags=["设计", "杭州"] if i % 3 == 0 else [],
                    groups=[(g.id, f"昵称{i}", None)] if i % 2 == 0 else [],
                ),
            )
            ids.append(m.id)
    return ids


def _fetcher(ws, calls: list[int]):
    def fetch(ids: Sequence[int]) -> list[roster.MemberListRow]:
        calls.append(len(ids))
        with ws.read() as s:
            return roster.member_list_rows(s, ids)

    return fetch


def test_roster_model_passes_modeltester_and_shows_rows(qtmodeltester, ws) -> None:
    ids = _fill(ws, 30)
    calls: list[int] = []
    model = RosterTableModel(_fetcher(ws, calls))
    model.set_ids(list(reversed(ids)))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 30 and model.columnCount() == len(RosterColumn)
    # the last member inserted comes first: reversed order is kept
    first = model.index(0, RosterColumn.NAME)
    assert model.data(first) == "成员0029"
    assert model.data(first, MEMBER_ID_ROLE) == ids[-1]
    zero = model.row_of(ids[0])
    assert zero == 29
    assert model.data(model.index(zero, RosterColumn.TAGS)) == "#杭州 #设计"
    assert model.data(model.index(zero, RosterColumn.GROUPS)) == "杭州一群"
    assert model.data(model.index(zero, RosterColumn.PHONE)) == "13800000000"
    assert model.data(model.index(zero, RosterColumn.JOINED)) == "2024-01-01"
    # 已清退 members are greyed, the others use the palette
    assert model.data(model.index(zero, RosterColumn.NAME), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(2, RosterColumn.NAME), Qt.ItemDataRole.ForegroundRole) is None  # 成员0027
    model.set_ids([])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0


def _fake_rows(calls: list[list[int]], missing: frozenset[int] = frozenset()):
    def fetch(ids: Sequence[int]) -> list[roster.MemberListRow]:
        calls.append(list(ids))
        return [roster.MemberListRow(i, f"成员{i}", None, None, "成员", "在群", "", "", None)
                for i in ids if i not in missing]

    return fetch


def test_rows_are_fetched_lazily_in_blocks_and_cached_by_member() -> None:
    calls: list[list[int]] = []
    model = RosterTableModel(_fake_rows(calls, missing=frozenset({77})))
    model.set_ids(range(1, 100_001))
    assert calls == []  # 100k rows, nothing fetched until shown
    for _ in range(3):
        for col in range(model.columnCount()):
            model.data(model.index(5, col))
    assert calls == [list(range(1, BLOCK + 1))]  # one fetch for the whole block
    assert model.data(model.index(BLOCK * 3 + 1, 0)) == f"成员{BLOCK * 3 + 2}"
    assert calls[1] == list(range(BLOCK * 3 + 1, BLOCK * 4 + 1)) and model.fetch_count == 2
    assert model.data(model.index(76, 0)) == "（已删除）"  # an id gone meanwhile
    # a narrower query: rows already fetched are not fetched again, the rest in one call
    calls.clear()
    model.set_ids([7, 9, 100_000, 3, 99_999])
    assert [model.data(model.index(r, 0)) for r in range(5)] == [
        "成员7", "成员9", "成员100000", "成员3", "成员99999"]
    assert calls == [[100_000, 99_999]]
    # bounded: scrolling through everything keeps at most CACHE_ROWS rows
    model.set_ids(range(1, 100_001))
    for row in range(0, 100_000, BLOCK):
        model.data(model.index(row, 0))
    assert len(model._cache) <= CACHE_ROWS
    # new values after an edit: refresh_rows drops the cache
    calls.clear()
    model.refresh_rows()
    model.data(model.index(0, 0))
    assert calls == [list(range(1, BLOCK + 1))]


def test_sort_asks_for_sql_order_and_refuses_unsortable_columns(qtbot, ws) -> None:
    _fill(ws, 2)
    model = RosterTableModel(_fetcher(ws, []))
    with qtbot.waitSignal(model.sortRequested) as sig:
        model.sort(RosterColumn.JOINED, Qt.SortOrder.DescendingOrder)
    assert sig.args == ["joined_on", True]
    assert model.sort_key() == ("joined_on", True)
    with qtbot.waitSignal(model.sortRefused) as refused:
        model.sort(RosterColumn.TAGS, Qt.SortOrder.AscendingOrder)
    assert refused.args[0] == RosterColumn.JOINED
    assert model.sort_key() == ("joined_on", True)
    with qtbot.waitSignal(model.sortRequested) as back:
        model.sort(-1)
    assert back.args == ["id", False]


def test_ids_in_rows_follow_selection_ranges(ws) -> None:
    model = RosterTableModel(lambda ids: [])
    model.set_ids([10, 11, 12, 13, 14, 15])
    assert model.ids_in_rows([(4, 5), (0, 1), (1, 2)]) == [10, 11, 12, 14, 15]
    assert model.row_of(13) == 3 and model.row_of(99) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def test_static_table_model(qtmodeltester) -> None:
    model = StaticTableModel(["行", "列", "问题"])
    model.set_rows([(1, "手机号", "位数不对"), (2, None, "姓名为空")])
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(1, 1)) == ""
    assert model.data(model.index(0, 0)) == "1"
    assert model.headerData(2, Qt.Orientation.Horizontal) == "问题"
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)

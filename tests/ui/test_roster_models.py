"""The roster's item models: qtmodeltester, lazy block fetching, sort requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt

from sqdesk.core import groups, roster
from sqdesk.ui.itemmodels.roster_model import (
    BLOCK,
    CACHE_BLOCKS,
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


def test_rows_are_fetched_lazily_in_blocks_and_cache_is_bounded(ws) -> None:
    ids = _fill(ws, 3)
    calls: list[int] = []
    model = RosterTableModel(_fetcher(ws, calls))
    # 200k rows of 3 real ids: only the blocks touched are fetched
    many = (ids * (BLOCK * (CACHE_BLOCKS + 10) // 3 + 1))[: BLOCK * (CACHE_BLOCKS + 10)]
    model.set_ids(many)
    assert calls == []
    for _ in range(3):
        for col in range(model.columnCount()):
            model.data(model.index(5, col))
    assert calls == [BLOCK]
    model.data(model.index(BLOCK * 3 + 1, 0))
    assert calls == [BLOCK, BLOCK] and model.fetch_count == 2
    for b in range(CACHE_BLOCKS + 10):
        model.data(model.index(b * BLOCK, 0))
    assert len(model._cache) == CACHE_BLOCKS
    n = len(calls)
    model.data(model.index(0, 0))  # block 0 was evicted (LRU): fetched again
    assert len(calls) == n + 1
    # an id that no longer exists shows as deleted instead of raising in a paint
    model.set_ids([ids[0], 999_999])
    assert model.data(model.index(1, 0)) == "（已删除）"


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

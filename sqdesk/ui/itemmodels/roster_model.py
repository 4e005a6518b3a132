"""The roster table: a thin Qt adapter over an ordered list of member ids.

The model never holds ORM objects. It keeps the ids the current query returned (in
SQL order) and fetches display rows lazily through a ``fetch_rows`` callable: when a
row is missing, the not-yet-cached ids of its block of :data:`BLOCK` rows are fetched
in one call. Rows are cached by member id (at most :data:`CACHE_ROWS`, oldest dropped
first), so they survive a new query: typing "z", "zh", "zha" shows mostly members
already fetched. Each row is a tuple of ready-made display strings, so ``data()`` —
which a scroll frame calls for every role of every visible cell — is two lookups.

Sorting and filtering are not done here: ``sort()`` records the wish and emits
:attr:`RosterTableModel.sortRequested`; the view asks core for the ids in that order
(SQL ORDER BY) and calls :meth:`RosterTableModel.set_ids`, which resets the model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from enum import IntEnum
from itertools import islice
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from sqdesk.core.roster import MemberListRow
from sqdesk.ui.i18n import vocab

log = logging.getLogger(__name__)

BLOCK_SHIFT = 8
BLOCK = 1 << BLOCK_SHIFT  # rows per fetch (≈5 ms for 256 on SQLite)
CACHE_ROWS = 20_000  # display rows held (a few MB)

MEMBER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 2
# Plain ints: data() runs for every role of every visible cell on each paint, and an enum
# attribute lookup costs more than the rest of the call.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_MEMBER_ID = int(MEMBER_ID_ROLE)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_TIP_COLUMNS = (7, 8)  # RosterColumn.GROUPS, RosterColumn.TAGS

_Index = QModelIndex | QPersistentModelIndex


class RosterColumn(IntEnum):
    NAME = 0
    PHONE = 1
    WECHAT = 2
    ROLE = 3
    STATUS = 4
    LEVEL = 5
    CITY = 6
    GROUPS = 7
    TAGS = 8
    JOINED = 9


# column → key of core.roster.SORTABLE (columns missing here cannot be sorted in SQL)
SORT_KEYS: dict[RosterColumn, str] = {
    RosterColumn.NAME: "display_name",
    RosterColumn.PHONE: "phone",
    RosterColumn.ROLE: "role",
    RosterColumn.STATUS: "status",
    RosterColumn.LEVEL: "level",
    RosterColumn.CITY: "city",
    RosterColumn.JOINED: "joined_on",
}
COLUMN_COUNT = len(RosterColumn)
_INACTIVE = COLUMN_COUNT  # index of the "not in the community any more" flag in a row tuple

DisplayRow = tuple[Any, ...]  # COLUMN_COUNT strings + the inactive flag
RowFetcher = Callable[[Sequence[int]], list[MemberListRow]]


def display_row(r: MemberListRow) -> DisplayRow:
    """Everything a roster line shows, as strings, computed once per fetch."""
    return (
        r.display_name,
        r.phone or "",
        r.wechat_id or "",
        vocab(r.role),
        vocab(r.status),
        vocab(r.level),
        r.city,
        "、".join(r.groups),
        " ".join("#" + t for t in r.tags),
        r.joined_on.isoformat() if r.joined_on else "",
        r.status != "在群",
    )


class RosterTableModel(QAbstractTableModel):
    """Rows = member ids in query order; cells = lazily fetched display strings."""

    sortRequested = Signal(str, bool)  # core sort key, descending
    sortRefused = Signal(int, Qt.SortOrder)  # the column and order still in force

    def __init__(self, fetch_rows: RowFetcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None
        self._cache: dict[int, DisplayRow] = {}  # member id → display row, oldest first
        self._sort_column = -1  # -1: the order members were added (by id)
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._inactive_brush = QBrush(QColor("#8a8f98"))
        self._titles = self._column_titles()
        self._gone: DisplayRow = (self.tr("（已删除）"),) + ("",) * (COLUMN_COUNT - 1) + (True,)
        self.fetch_count = 0  # how many block fetches ran (tests and benchmarks read it)

    def _column_titles(self) -> list[str]:
        return [
            self.tr("姓名"), self.tr("手机号"), self.tr("微信号"), self.tr("角色"),
            self.tr("状态"), self.tr("活跃等级"), self.tr("城市"), self.tr("所在群"),
            self.tr("标签"), self.tr("入群时间"),
        ]

    # ---- the id list --------------------------------------------------------------
    def set_ids(self, ids: Sequence[int]) -> None:
        """Show these members in this order (a new query result). Cached rows are kept:
        member data did not change (after an edit the view calls :meth:`refresh_rows`)."""
        self.beginResetModel()
        self._ids = ids if isinstance(ids, list) else list(ids)  # the caller hands it over
        self._row_of = None
        self.endResetModel()

    def ids(self) -> list[int]:
        return self._ids

    def member_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, member_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {mid: i for i, mid in enumerate(self._ids)}
        return self._row_of.get(member_id)

    def ids_in_rows(self, ranges: Sequence[tuple[int, int]]) -> list[int]:
        """Ids of the inclusive row ranges (a selection), in row order, without duplicates."""
        seen: set[int] = set()
        out: list[int] = []
        for top, bottom in sorted(ranges):
            for mid in self._ids[top : bottom + 1]:
                if mid not in seen:
                    seen.add(mid)
                    out.append(mid)
        return out

    def refresh_rows(self) -> None:
        """The same ids, fresher values: drop the cache and repaint what is shown."""
        self._drop_cache()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, COLUMN_COUNT - 1)
            )

    def _drop_cache(self) -> None:
        self._cache.clear()

    # ---- row cache ----------------------------------------------------------------------
    def _fetch_block(self, row: int) -> None:
        """Fetch the uncached ids of ``row``'s block in one call."""
        start = (row >> BLOCK_SHIFT) << BLOCK_SHIFT
        cache = self._cache
        ids = [mid for mid in self._ids[start : start + BLOCK] if mid not in cache]
        self.fetch_count += 1
        try:
            fetched = self._fetch_rows(ids)
        except Exception:  # a paint must never raise; the rows show as unavailable
            log.exception("roster rows could not be fetched")
            fetched = []
        if len(cache) + len(ids) > CACHE_ROWS:
            for old in list(islice(cache, len(cache) + len(ids) - CACHE_ROWS // 2)):
                del cache[old]
        for r in fetched:
            cache[r.id] = display_row(r)
        gone = self._gone
        for mid in ids:
            if mid not in cache:
                cache[mid] = gone

    def display(self, row: int) -> DisplayRow:
        mid = self._ids[row]
        d = self._cache.get(mid)
        if d is None:
            self._fetch_block(row)
            d = self._cache[mid]
        return d

    # ---- QAbstractTableModel ---------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == _DISPLAY:
            row = index.row()
            if row < 0 or row >= len(self._ids):
                return None
            d = self._cache.get(self._ids[row])
            if d is None:
                d = self.display(row)
            return d[index.column()]
        if role == _FOREGROUND:
            row = index.row()
            if row < 0 or row >= len(self._ids):
                return None
            return self._inactive_brush if self.display(row)[_INACTIVE] else None
        if role == _MEMBER_ID:
            row = index.row()
            return self._ids[row] if 0 <= row < len(self._ids) else None
        if role == _TOOLTIP:
            row, column = index.row(), index.column()
            if column in _TIP_COLUMNS and 0 <= row < len(self._ids):
                return self.display(row)[column] or None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < COLUMN_COUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._titles[section]
            if role == SORT_KEY_ROLE:
                return SORT_KEYS.get(RosterColumn(section))
            if role == Qt.ItemDataRole.ToolTipRole and RosterColumn(section) not in SORT_KEYS:
                return self.tr("此列不能排序")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for a new order; the view re-queries core and calls :meth:`set_ids`.

        Column -1 means the order members were added. A column SQL cannot order by
        keeps the current order and emits :attr:`sortRefused` so the view can put the
        header's indicator back."""
        if column >= COLUMN_COUNT:
            return
        if column >= 0 and RosterColumn(column) not in SORT_KEYS:
            self.sortRefused.emit(self._sort_column, self._sort_order)
            return
        self._sort_column = column
        self._sort_order = order
        key, descending = self.sort_key()
        self.sortRequested.emit(key, descending)

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    def sort_key(self) -> tuple[str, bool]:
        """(core sort key, descending) of the current order."""
        if self._sort_column < 0:
            return "id", False
        return (
            SORT_KEYS[RosterColumn(self._sort_column)],
            self._sort_order == Qt.SortOrder.DescendingOrder,
        )

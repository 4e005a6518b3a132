"""The activity log (动态) as a table that grows page by page as the view scrolls.

The log can hold millions of lines, so the model never counts or loads all of them.
It holds the pages fetched so far, newest first; when the view scrolls near the end
Qt calls :meth:`ActivityLogModel.canFetchMore` / :meth:`fetchMore`, and the model asks
its ``loader`` for the page after the last row's keyset cursor
``(occurred_at, id)`` — ``core.activity.activity_page`` walks an index from there, so
page 5,000 costs what page 1 costs. The loader may answer at once (tests) or later
from the DB worker (the view); either way it calls :meth:`add_page` with the
generation it was asked for, and an answer for an older filter is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import IntEnum
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

from sqdesk.core.activity import ActivityRow
from sqdesk.ui.i18n import vocab

PAGE_SIZE = 200
ACTIVITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
Cursor = tuple[dt.datetime, int]
# loader(generation, cursor or None for the first page, limit): answers via add_page()
PageLoader = Callable[[int, Cursor | None, int], None]


class ActivityColumn(IntEnum):
    TIME = 0
    MEMBER = 1
    GROUP = 2
    KIND = 3
    VALUE = 4
    NOTE = 5
    SOURCE = 6


COLUMN_COUNT = len(ActivityColumn)


def _value_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class ActivityLogModel(QAbstractTableModel):
    pageLoaded = Signal(int)  # rows now in the model

    def __init__(self, loader: PageLoader, parent: QObject | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._loader = loader
        self.page_size = page_size
        self._rows: list[ActivityRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._generation = 0
        self._loading = False
        self._exhausted = True  # nothing to fetch until reset() asks for a first page
        self._system = QBrush(QColor("#475569"))
        self._titles = [self.tr("时间"), self.tr("成员"), self.tr("群"), self.tr("类型"), self.tr("数值"),
                        self.tr("备注"), self.tr("来源")]
        self._sources = {"manual": self.tr("手工"), "import": self.tr("导入"), "system": self.tr("系统")}
        self.pages_loaded = 0  # tests and benchmarks read it

    # ---- paging -----------------------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._generation

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def reset(self) -> None:
        """Forget every row and ask for the first page (a new filter, or fresh data)."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._cells = []
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._request(None)

    def _request(self, cursor: Cursor | None) -> None:
        self._loading = True
        self._loader(self._generation, cursor, self.page_size)

    def add_page(self, generation: int, rows: Sequence[ActivityRow]) -> None:
        """The loader's answer; ``rows`` fewer than a page means the log ends there."""
        if generation != self._generation:
            return  # an answer for a filter no longer shown
        self.pages_loaded += 1
        if rows:
            # still "loading" while inserting: a view reacting to the insert must not
            # ask for the page after the old last row again
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._cells.extend(self._display(r) for r in rows)
            self.endInsertRows()
        self._exhausted = len(rows) < self.page_size
        self._loading = False
        self.pageLoaded.emit(len(self._rows))

    def page_failed(self, generation: int) -> None:
        """The loader could not fetch: stop asking until the next reset."""
        if generation == self._generation:
            self._loading = False
            self._exhausted = True

    def _display(self, r: ActivityRow) -> tuple[str, ...]:
        return (
            r.occurred_at.strftime("%Y-%m-%d %H:%M"), r.member_name or f"#{r.member_id}", r.group_name,
            vocab(r.kind), _value_text(r.value), r.note.replace("\n", " "),
            self._sources.get(r.source, r.source) + (f" #{r.batch_id}" if r.batch_id is not None else ""),
        )

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._request(self._rows[-1].cursor if self._rows else None)

    # ---- rows ---------------------------------------------------------------------------
    def row(self, row: int) -> ActivityRow:
        return self._rows[row]

    def rows(self) -> list[ActivityRow]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == ACTIVITY_ID_ROLE:
            return self._rows[index.row()].id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == ActivityColumn.VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self._rows[index.row()].source == "system":
            return self._system
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == ActivityColumn.NOTE:
            return self._cells[index.row()][ActivityColumn.NOTE] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < COLUMN_COUNT:
            return self._titles[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

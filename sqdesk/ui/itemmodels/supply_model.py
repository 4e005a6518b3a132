"""供求 list: one row per offer/need, display strings made once when rows arrive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from sqdesk.core.supply_demand import MatchView, SupplyDemandView
from sqdesk.ui.i18n import vocab

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class SupplyColumn(IntEnum):
    KIND = 0
    MEMBER = 1
    CATEGORY = 2
    TEXT = 3
    KEYWORDS = 4
    CREATED = 5
    EXPIRES = 6
    STATUS = 7


COLUMN_COUNT = len(SupplyColumn)


class SupplyTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[SupplyDemandView] = []
        self._cells: list[tuple[str, ...]] = []
        self._today = dt.date.today()
        self._muted = QBrush(QColor("#64748b"))
        self._offer = QBrush(QColor("#047857"))
        self._need = QBrush(QColor("#b45309"))
        self._titles = [self.tr("类型"), self.tr("成员"), self.tr("类别"), self.tr("内容"), self.tr("关键词"),
                        self.tr("发布日期"), self.tr("有效期至"), self.tr("状态")]

    def set_items(self, items: Sequence[SupplyDemandView]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._today = dt.date.today()
        self._cells = [self._display(i) for i in self._items]
        self.endResetModel()

    def _display(self, i: SupplyDemandView) -> tuple[str, ...]:
        return (
            vocab(i.kind), i.member_name, vocab(i.category), i.text.replace("\n", " "),
            " ".join("#" + k for k in i.keywords), i.created_on.isoformat(),
            i.expires_on.isoformat() if i.expires_on else "", status_label(i.status),
        )

    def item(self, row: int) -> SupplyDemandView:
        return self._items[row]

    def items(self) -> list[SupplyDemandView]:
        return list(self._items)

    def row_of(self, item_id: int) -> int | None:
        for r, i in enumerate(self._items):
            if i.id == item_id:
                return r
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][col]
        item = self._items[row]
        if role == ITEM_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.status == "closed" or (item.expires_on is not None and item.expires_on < self._today):
                return self._muted
            if col == SupplyColumn.KIND:
                return self._offer if item.kind == "供给" else self._need
        if role == Qt.ItemDataRole.ToolTipRole and col in (SupplyColumn.TEXT, SupplyColumn.KEYWORDS):
            return self._cells[row][col] or None
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


def status_label(status: str) -> str:
    from PySide6.QtCore import QCoreApplication

    labels = {
        "open": QCoreApplication.translate("SupplyTableModel", "进行中"),
        "matched": QCoreApplication.translate("SupplyTableModel", "已匹配"),
        "closed": QCoreApplication.translate("SupplyTableModel", "已关闭"),
    }
    return labels.get(status, status)


def outcome_label(outcome: str) -> str:
    from PySide6.QtCore import QCoreApplication

    labels = {
        "proposed": QCoreApplication.translate("MatchesTableModel", "已提议"),
        "accepted": QCoreApplication.translate("MatchesTableModel", "双方同意"),
        "rejected": QCoreApplication.translate("MatchesTableModel", "未成"),
        "met": QCoreApplication.translate("MatchesTableModel", "已对接"),
        "no_result": QCoreApplication.translate("MatchesTableModel", "无结果"),
    }
    return labels.get(outcome, outcome)


class MatchesTableModel(QAbstractTableModel):
    """The matches recorded for one item: the other side, score, outcome, note."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._matches: list[MatchView] = []
        self._cells: list[tuple[str, ...]] = []
        self._titles = [self.tr("对方"), self.tr("对方内容"), self.tr("匹配分"), self.tr("结果"), self.tr("备注"),
                        self.tr("记录时间")]

    def set_matches(self, item_id: int | None, matches: Sequence[MatchView]) -> None:
        self.beginResetModel()
        self._matches = list(matches)
        self._cells = []
        for m in self._matches:
            other_name, other_text = (
                (m.need_member_name, m.need_text) if m.offer_id == item_id else (m.offer_member_name, m.offer_text)
            )
            self._cells.append((other_name, other_text.replace("\n", " "), f"{m.score:.2f}",
                                outcome_label(m.outcome), m.note, m.created_at.strftime("%Y-%m-%d %H:%M")))
        self.endResetModel()

    def match_at(self, row: int) -> MatchView:
        return self._matches[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._matches)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._matches):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == ITEM_ID_ROLE:
            return self._matches[index.row()].id
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return self._cells[index.row()][1] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self._titles):
            return self._titles[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

"""A read-only table of already-fetched plain rows (member page tabs, wizard previews).

Values are turned into display strings once in :meth:`StaticTableModel.set_rows`, so
``data()`` is a list lookup. ``PAYLOAD_ROLE`` hands back what the caller attached to a
row (an id, a Problem…).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.second == 0) else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class StaticTableModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[list[str]] = []
        self._payloads: list[Any] = []
        self._highlight: int | None = None

    def set_headers(self, headers: Sequence[str]) -> None:
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = [(r + [""] * len(self._headers))[: len(self._headers)] for r in self._rows]
        self.endResetModel()

    def set_rows(self, rows: Sequence[Sequence[Any]], payloads: Sequence[Any] | None = None) -> None:
        width = len(self._headers)
        self.beginResetModel()
        self._rows = [([cell_text(v) for v in r] + [""] * width)[:width] for r in rows]
        self._payloads = list(payloads) if payloads is not None else [None] * len(self._rows)
        self._highlight = None
        self.endResetModel()

    def set_highlighted_row(self, row: int | None) -> None:
        """Show one row in bold (the chosen header row of an import preview)."""
        old, self._highlight = self._highlight, row
        for r in (old, row):
            if r is not None and 0 <= r < len(self._rows) and self._headers:
                self.dataChanged.emit(self.index(r, 0), self.index(r, len(self._headers) - 1))

    def payload(self, row: int) -> Any:
        return self._payloads[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._rows[index.row()][index.column()]
            return text if len(text) > 30 else None
        if role == PAYLOAD_ROLE:
            return self._payloads[index.row()]
        if role == Qt.ItemDataRole.FontRole and index.row() == self._highlight:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

"""The registrations (报名) of one event as a table: member, status, waitlist place,
registered and checked-in times, masked phone.

Rows are plain :class:`~sqdesk.core.events.RegistrationView` values fetched on the DB
worker; display strings are made once in :meth:`RegistrationsModel.set_registrations`
so ``data()`` is a lookup.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from sqdesk.core.events import RegistrationView
from sqdesk.core.text import mask_phone
from sqdesk.ui.i18n import vocab

MEMBER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
REGISTRATION_ROLE = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex

# Foreground per stored status: readable on white and on the alternate-row grey.
STATUS_COLOURS = {
    "已报名": "#1d4ed8", "候补": "#b45309", "已签到": "#047857", "缺席": "#b91c1c", "已取消": "#64748b",
}


class RegColumn(enum.IntEnum):
    MEMBER = 0
    STATUS = 1
    WAITLIST = 2
    REGISTERED = 3
    CHECKED_IN = 4
    PHONE = 5


COLUMN_COUNT = len(RegColumn)


class RegistrationsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._regs: list[RegistrationView] = []
        self._rows: list[tuple[str, ...]] = []
        self._headers = [
            self.tr("成员"), self.tr("状态"), self.tr("候补位次"), self.tr("报名时间"),
            self.tr("签到时间"), self.tr("手机"),
        ]

    def set_registrations(self, regs: Sequence[RegistrationView]) -> None:
        self.beginResetModel()
        self._regs = list(regs)
        self._rows = [
            (
                r.member_name,
                vocab(r.status),
                str(r.waitlist_position) if r.waitlist_position is not None else "",
                f"{r.registered_at:%m-%d %H:%M}",
                f"{r.checked_in_at:%m-%d %H:%M}" if r.checked_in_at is not None else "",
                mask_phone(r.phone),
            )
            for r in self._regs
        ]
        self.endResetModel()

    def registration(self, row: int) -> RegistrationView:
        return self._regs[row]

    def row_of_member(self, member_id: int) -> int | None:
        for i, r in enumerate(self._regs):
            if r.member_id == member_id:
                return i
        return None

    def statuses(self) -> dict[str, str]:
        """member name → stored status (for tests and the status line)."""
        return {r.member_name: r.status for r in self._regs}

    # Qt ---------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[row][col]
        reg = self._regs[row]
        if role == MEMBER_ID_ROLE:
            return reg.member_id
        if role == STATUS_ROLE:
            return reg.status
        if role == REGISTRATION_ROLE:
            return reg
        if role == Qt.ItemDataRole.ForegroundRole and col == RegColumn.STATUS:
            return QBrush(QColor(STATUS_COLOURS.get(reg.status, "#0f172a")))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (RegColumn.WAITLIST,):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < COLUMN_COUNT else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

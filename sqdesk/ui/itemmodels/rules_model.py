"""The rule set as a table: one row per rule in the editor's order (position).

The model holds plain :class:`~sqdesk.core.rules_store.RuleView` rows (a rule set is
tens of rules, not thousands). It never writes: ticking 启用 emits
:attr:`RulesTableModel.enabledToggled` and dropping a dragged row emits
:attr:`RulesTableModel.moveRequested`; the view turns those into undoable commands
and reloads the model when the database has changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from sqdesk.core.rules_store import RuleView
from sqdesk.ui.i18n import vocab

RULE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MIME_TYPE = "application/x-sqdesk-rule-id"

_Index = QModelIndex | QPersistentModelIndex


class RuleColumn(IntEnum):
    NUMBER = 0
    ENABLED = 1
    TITLE = 2
    CATEGORY = 3
    ACTION = 4
    SCOPE = 5


COLUMN_COUNT = len(RuleColumn)


class RulesTableModel(QAbstractTableModel):
    enabledToggled = Signal(int, bool)  # rule id, wanted state
    moveRequested = Signal(int, int)  # rule id, new 0-based position

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rules: list[RuleView] = []
        self._cells: list[tuple[str, ...]] = []
        self._disabled_brush = QBrush(QColor("#64748b"))
        self._titles = [self.tr("序号"), self.tr("启用"), self.tr("标题"), self.tr("类别"), self.tr("处理动作"),
                        self.tr("适用范围")]

    # ---- data in --------------------------------------------------------------------
    def set_rules(self, rules: Sequence[RuleView]) -> None:
        self.beginResetModel()
        self._rules = list(rules)
        self._cells = [self._display(i, r) for i, r in enumerate(self._rules)]
        self.endResetModel()

    def _display(self, i: int, r: RuleView) -> tuple[str, ...]:
        action = vocab(r.action) if r.action else (self.tr("（仅文字）") if not r.condition else vocab("仅标记"))
        if r.action == "打标签" and r.action_arg:
            action += f" #{r.action_arg}"
        scope = self.tr("全部群") if r.all_groups else "、".join(r.group_names)
        return (str(i + 1), "", r.title, vocab(r.category), action, scope)

    def rules(self) -> list[RuleView]:
        return list(self._rules)

    def rule(self, row: int) -> RuleView:
        return self._rules[row]

    def row_of(self, rule_id: int) -> int | None:
        for i, r in enumerate(self._rules):
            if r.id == rule_id:
                return i
        return None

    # ---- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rules)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rules):
            return None
        row, col = index.row(), index.column()
        rule = self._rules[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][col]
        if role == Qt.ItemDataRole.CheckStateRole and col == RuleColumn.ENABLED:
            return Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked
        if role == RULE_ID_ROLE:
            return rule.id
        if role == Qt.ItemDataRole.ForegroundRole and not rule.enabled:
            return self._disabled_brush
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == RuleColumn.TITLE:
                return rule.body or None
            if col == RuleColumn.ACTION and rule.condition:
                return self.tr("条件：{condition}").format(condition=rule.condition)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid() or index.row() >= len(self._rules)
            or index.column() != RuleColumn.ENABLED or role != Qt.ItemDataRole.CheckStateRole
        ):
            return False
        wanted = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        rule = self._rules[index.row()]
        if wanted != rule.enabled:
            self.enabledToggled.emit(rule.id, wanted)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < COLUMN_COUNT:
            return self._titles[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        f = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
             | Qt.ItemFlag.ItemIsDragEnabled)
        if index.column() == RuleColumn.ENABLED:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    # ---- drag to reorder --------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            mime.setData(MIME_TYPE, QByteArray(str(self._rules[rows[0]].id).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: _Index) -> bool:
        return data.hasFormat(MIME_TYPE) and action == Qt.DropAction.MoveAction

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: _Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            rule_id = int(bytes(data.data(MIME_TYPE).data()).decode())
        except ValueError:
            return False
        source = self.row_of(rule_id)
        if source is None:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self._rules))
        # ``target`` counts the dragged row itself when it sits above the drop point
        new_position = target - 1 if target > source else target
        new_position = max(0, min(new_position, len(self._rules) - 1))
        if new_position != source:
            self.moveRequested.emit(rule_id, new_position)
        # The view reloads after the command ran; returning False keeps Qt from
        # removing the "moved" source row itself.
        return False


class TodoTableModel(QAbstractTableModel):
    """The to-do list: display strings made on the DB worker (a rule set over 100,000
    members can list tens of thousands of to-dos), so a reset costs the UI thread no
    per-cell work; ``item(row)`` is the engine's TodoItem."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cells: list[tuple[str, ...]] = []
        self._items: list[Any] = []
        self._titles = [self.tr("群规"), self.tr("成员"), self.tr("动作"), self.tr("阶段"), self.tr("到期"),
                        self.tr("依据")]

    def set_rows(self, cells: Sequence[tuple[str, ...]], items: Sequence[Any]) -> None:
        if len(cells) != len(items):
            raise ValueError("one display row per item")
        self.beginResetModel()
        self._cells = list(cells)
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> Any:
        return self._items[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._cells):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(self._titles) - 1:
            return self._cells[index.row()][index.column()] or None
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

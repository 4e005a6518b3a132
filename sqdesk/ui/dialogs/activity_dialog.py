"""动态 manual entry / edit dialog, plus two pieces the 供求 editor reuses:

* :class:`MemberPicker` — type a name, pinyin initials (zs), phone or WeChat id; the
  matches (core ``search_members`` on the DB worker, debounced) appear below; pick one.
* :class:`CommandFormDialog` — a form whose rows each have an error line under the
  field. Saving pushes an undoable command; the dialog stays open until the worker
  has written, and a ``ValidationError`` naming a column shows its message under that
  field (the command is taken off the undo stack), so the operator fixes and retries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core.activity import ACTIVITY_FIELDS, ActivityRow
from sqdesk.core.errors import UserError
from sqdesk.models.vocab import ACTIVITY_KINDS
from sqdesk.ui.i18n import vocab

if TYPE_CHECKING:
    from sqdesk.core.roster import MemberRow
    from sqdesk.ui.commands import CoreCommand
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

ERROR_STYLE = "color: #b91c1c;"
PICKER_LIMIT = 30
PICKER_DEBOUNCE_MS = 150
MANUAL_KINDS = tuple(k for k in ACTIVITY_KINDS)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(qdate(moment.date()), QTime(moment.hour, moment.minute, moment.second))


class MemberPicker(QWidget):
    """Search box + result list; ``member_id()`` is the chosen member (or None)."""

    memberChanged = Signal(object)  # int | None
    resultsShown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._member_id: int | None = None
        self._member_name = ""
        self._gen = 0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.search = QLineEdit(self)
        self.search.setObjectName("member_picker_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("输入姓名、拼音首字母、手机号或微信号查找成员"))
        self.results = QListWidget(self)
        self.results.setObjectName("member_picker_results")
        self.results.setMaximumHeight(self.fontMetrics().height() * 7)
        self.results.setVisible(False)
        self.chosen = QLabel(self)
        self.chosen.setObjectName("member_picker_chosen")
        lay.addWidget(self.search)
        lay.addWidget(self.results)
        lay.addWidget(self.chosen)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(PICKER_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._query)
        self.search.textEdited.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._query)
        self.results.itemActivated.connect(self._picked)
        self.results.itemClicked.connect(self._picked)
        self._show_chosen()

    def member_id(self) -> int | None:
        return self._member_id

    def member_name(self) -> str:
        return self._member_name

    def set_member(self, member_id: int | None, name: str = "") -> None:
        self._member_id = member_id
        self._member_name = name if member_id is not None else ""
        self._show_chosen()
        self.memberChanged.emit(member_id)

    def _show_chosen(self) -> None:
        if self._member_id is None:
            self.chosen.setText(self.tr("尚未选择成员"))
            self.chosen.setStyleSheet("color: #64748b;")
        else:
            self.chosen.setText(self.tr("已选：{name}（#{id}）").format(name=self._member_name, id=self._member_id))
            self.chosen.setStyleSheet("color: #0f172a; font-weight: 600;")

    def _query(self) -> None:
        self._debounce.stop()
        text = self.search.text().strip()
        self._gen += 1
        gen = self._gen
        if not text or not self.ctx.has_workspace:
            self.results.clear()
            self.results.setVisible(False)
            return

        def work(h: TaskHandle) -> tuple[int, list[MemberRow]] | None:
            if gen != self._gen:
                return None
            from sqdesk.core.roster import search_members

            with h.ws.read() as s:
                return gen, search_members(s, text, limit=PICKER_LIMIT)

        self.ctx.tasks.submit(work, on_done=self._arrived, owner=self)

    def _arrived(self, result: tuple[int, list[MemberRow]] | None) -> None:
        if result is None or result[0] != self._gen:
            return
        rows = result[1]
        self.results.clear()
        for r in rows:
            extra = " · ".join(x for x in (vocab(r.role), r.city, r.phone or "") if x)
            item = QListWidgetItem(f"{r.display_name}    {extra}" if extra else r.display_name)
            item.setData(Qt.ItemDataRole.UserRole, (r.id, r.display_name))
            self.results.addItem(item)
        if not rows:
            item = QListWidgetItem(self.tr("没有找到匹配的成员"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
        self.results.setVisible(True)
        self.resultsShown.emit(len(rows))

    def _picked(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if not data:
            return
        mid, name = data
        self.set_member(int(mid), str(name))
        self.results.setVisible(False)


class CommandFormDialog(QDialog):
    """A form of rows with error lines; :meth:`submit` pushes a command and waits."""

    saved = Signal(object)  # the command

    def __init__(self, ctx: AppContext, parent: QWidget | None, labels: dict[str, str]) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._label_to_key = {label: key for key, label in labels.items()}
        self._errors: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self.command: CoreCommand | None = None
        self._lay = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._lay.addLayout(self.form)
        self.general_error = QLabel(self)
        self.general_error.setObjectName("form_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        self._lay.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._lay.addWidget(self.buttons)

    def add_row(self, key: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget(self)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        v.addWidget(widget)
        error = QLabel(box)
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setVisible(False)
        v.addWidget(error)
        self.form.addRow(label, box)
        self._errors[key] = error
        self._widgets[key] = widget
        return widget

    def field_error(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if not label.isHidden() else ""

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.setVisible(False)
        self.general_error.clear()
        self.general_error.setVisible(False)

    def show_field_error(self, key: str, message: str) -> None:
        self._errors[key].setText(message)
        self._errors[key].setVisible(True)
        self._widgets[key].setFocus()

    def show_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, UserError):
            self.general_error.setText(self.tr("保存失败：{error}").format(error=exc))
            self.general_error.setVisible(True)
            if self.ctx.tasks.error_handler is not None:
                self.ctx.tasks.error_handler(exc)
            return
        key = self._label_to_key.get(exc.column or "")
        if key is not None and key in self._errors:
            self.show_field_error(key, exc.message)
        else:
            self.general_error.setText(str(exc))
            self.general_error.setVisible(True)

    def _set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    # subclasses --------------------------------------------------------------------------
    def make_command(self, on_done: Callable[[CoreCommand, bool], None],
                     on_error: Callable[[BaseException], None]) -> CoreCommand | None:
        """The command to push, or None after showing a field error."""
        raise NotImplementedError

    def save(self) -> None:
        self.clear_errors()
        first = [True]

        def done(cmd: CoreCommand, forward: bool) -> None:
            if forward and first[0]:
                first[0] = False
                self.saved.emit(cmd)
                self.accept()

        cmd = self.make_command(done, self.show_error)
        if cmd is None:
            return
        self.command = cmd
        self._set_busy(True)
        self.ctx.undo_stack.push(cmd)


def combo_with(items: Sequence[tuple[Any, str]], parent: QWidget, *, current: Any = None) -> QComboBox:
    combo = QComboBox(parent)
    for data, text in items:
        combo.addItem(text, data)
    if current is not None:
        i = combo.findData(current)
        if i >= 0:
            combo.setCurrentIndex(i)
    return combo


class ActivityDialog(CommandFormDialog):
    """补录 / 修改一条动态. ``row`` None: a new manual line."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        *,
        groups: Sequence[tuple[int, str]] = (),
        row: ActivityRow | None = None,
        member: tuple[int, str] | None = None,
    ) -> None:
        super().__init__(ctx, parent, ACTIVITY_FIELDS)
        self.row = row
        self.setWindowTitle(self.tr("补录动态") if row is None else self.tr("修改动态 #{id}").format(id=row.id))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.member = MemberPicker(ctx, self)
        self.add_row("member_id", self.tr("成员"), self.member)
        self.kind = combo_with([(k, vocab(k)) for k in MANUAL_KINDS], self,
                               current=row.kind if row else "签到")
        self.kind.setObjectName("activity_kind")
        self.add_row("kind", self.tr("类型"), self.kind)
        self.time = QDateTimeEdit(self)
        self.time.setObjectName("activity_time")
        self.time.setCalendarPopup(True)
        self.time.setDisplayFormat("yyyy-MM-dd HH:mm")
        moment = row.occurred_at if row else dt.datetime.now().replace(second=0, microsecond=0)
        self.time.setDateTime(qdatetime(moment))
        self.add_row("occurred_at", self.tr("时间"), self.time)
        self.value = QDoubleSpinBox(self)
        self.value.setObjectName("activity_value")
        self.value.setRange(-1e9, 1e9)
        self.value.setDecimals(2)
        self.value.setValue(row.value if row else 1.0)
        self.add_row("value", self.tr("数值"), self.value)
        self.group = combo_with([(None, self.tr("（不指定群）")), *groups], self,
                                current=row.group_id if row else None)
        self.group.setObjectName("activity_group")
        self.add_row("group_id", self.tr("群"), self.group)
        self.note = QLineEdit(self)
        self.note.setObjectName("activity_note")
        self.note.setText(row.note if row else "")
        self.add_row("note", self.tr("备注"), self.note)
        if row is not None:
            self.member.set_member(row.member_id, row.member_name)
        elif member is not None:
            self.member.set_member(*member)

    def values(self) -> dict[str, Any]:
        return {
            "member_id": self.member.member_id(),
            "kind": self.kind.currentData(),
            "occurred_at": self.time.dateTime().toPython(),
            "value": float(self.value.value()),
            "group_id": self.group.currentData(),
            "note": self.note.text(),
        }

    def make_command(self, on_done: Callable[[CoreCommand, bool], None],
                     on_error: Callable[[BaseException], None]) -> CoreCommand | None:
        from sqdesk.ui.commands_activity import AddActivityCommand, EditActivityCommand

        values = self.values()
        if values["member_id"] is None:
            self.show_field_error("member_id", self.tr("请先选择成员"))
            return None
        if self.row is None:
            return AddActivityCommand(self.ctx, member_name=self.member.member_name(), on_done=on_done,
                                      on_error=on_error, **values)
        old = {
            "member_id": self.row.member_id, "kind": self.row.kind, "occurred_at": self.row.occurred_at,
            "value": self.row.value, "group_id": self.row.group_id, "note": self.row.note,
        }
        changes = {k: v for k, v in values.items() if v != old[k]}
        if not changes:
            self.accept()
            return None
        return EditActivityCommand(self.ctx, self.row.id, changes, expected_version=self.row.version,
                                   on_done=on_done, on_error=on_error)

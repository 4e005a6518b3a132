"""The event editor (活动), and the member search used to pick hosts and to register.

Saving runs in two steps on the DB worker: first ``find_conflicts`` (which validates
the form as core would), then the undoable Create/Edit command. A validation error is
shown under its field (``ValidationError.column`` names it); overlapping events for the
same groups are listed with a choice to save anyway or go back and change the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sqdesk.core import events as core_events
from sqdesk.core.errors import ConflictError, NotFoundError, UserError
from sqdesk.core.text import mask_phone
from sqdesk.models.vocab import EVENT_KINDS, EVENT_STATUSES
from sqdesk.ui.commands_events import CreateEventCommand, EditEventCommand
from sqdesk.ui.i18n import vocab

if TYPE_CHECKING:
    from sqdesk.ui.commands import CoreCommand
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

SEARCH_DEBOUNCE_MS = 120
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ERROR_STYLE = "color: #b91c1c;"
INVALID_BORDER = "border: 1px solid #c62828;"


def to_qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


def from_qdatetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


# ---- member search ------------------------------------------------------------------

Hit = tuple[int, str, str]  # member id, display name, the line shown
SearchFn = Callable[[Session, str, int], list[Hit]]


def roster_hits(session: Session, text: str, limit: int) -> list[Hit]:
    """The default search: core's roster search (name, pinyin, initials, phone…)."""
    from sqdesk.core.roster import search_members

    hits = []
    for r in search_members(session, text, limit=limit):
        extra = " · ".join(p for p in (mask_phone(r.phone), r.city) if p)
        hits.append((r.id, r.display_name, f"{r.display_name}    {extra}" if extra else r.display_name))
    return hits


class MemberSearchBox(QWidget):
    """A search box over the roster (name, pinyin initials zs, full pinyin, phone) with
    the hits listed below it; Enter or a double-click picks the highlighted one."""

    picked = Signal(int, str)  # member id, display name
    results_ready = Signal(int)  # number of hits shown
    not_found = Signal(str)  # Enter on a text nobody matches

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, limit: int = 8,
                 placeholder: str = "", search: SearchFn = roster_hits) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.limit = limit
        self.search_fn = search
        self._gen = 0
        self._shown_gen = 0
        self.keep_results_visible = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.edit = QLineEdit(self)
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(placeholder or self.tr("搜索姓名、拼音首字母(zs)、全拼或手机号"))
        self.results = QListWidget(self)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setVisible(False)
        self.set_visible_rows(min(limit, 5))
        lay.addWidget(self.edit)
        lay.addWidget(self.results)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.edit.textChanged.connect(lambda _t: self._text_changed())
        self.edit.installEventFilter(self)
        self.results.itemActivated.connect(lambda _i: self.pick_current())

    def set_visible_rows(self, rows: int, padding: int = 4) -> None:
        self.results.setFixedHeight((self.results.fontMetrics().height() + padding) * rows + 8)

    def _text_changed(self) -> None:
        self._gen += 1
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # Ours: a dialog around the box must not take Enter for its default button.
                self.pick_current()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                row = self.results.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                self.results.setCurrentRow(max(0, min(row, self.results.count() - 1)))
                return True
        return super().eventFilter(watched, event)

    def search_now(self) -> None:
        self._timer.stop()
        text = self.edit.text().strip()
        gen = self._gen
        if not text:
            self._show(gen, [])
            return
        limit, fn = self.limit, self.search_fn

        def work(h: TaskHandle) -> tuple[int, list[Hit]] | None:
            if gen != self._gen:
                return None
            with h.ws.read() as s:
                return gen, fn(s, text, limit)

        def done(result: tuple[int, list[Hit]] | None) -> None:
            if result is not None:
                self._show(*result)

        self.ctx.tasks.submit(work, on_done=done, owner=self)

    def _show(self, gen: int, hits: Sequence[Hit]) -> None:
        if gen != self._gen:
            return
        self._shown_gen = gen
        self.results.clear()
        for member_id, name, line in hits:
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.UserRole, (member_id, name))
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        self.results.setVisible(self.keep_results_visible or bool(hits) or bool(self.edit.text().strip()))
        self.results_ready.emit(len(hits))

    def pick_current(self) -> None:
        """Pick the highlighted hit and empty the box for the next search."""
        if self._shown_gen != self._gen:
            # Enter typed faster than the search: the first hit for exactly this text is
            # picked when the answer comes; the box is free for the next name meanwhile.
            text = self.edit.text().strip()
            if text:
                self.clear()
                self._pick_first(text)
            return
        item = self.results.currentItem()
        if item is None:
            if self.edit.text().strip():
                self.not_found.emit(self.edit.text().strip())
            return
        member_id, name = item.data(Qt.ItemDataRole.UserRole)
        self.clear()
        self.picked.emit(member_id, name)

    def _pick_first(self, text: str) -> None:
        fn = self.search_fn

        def work(h: TaskHandle) -> list[Hit]:
            with h.ws.read() as s:
                return fn(s, text, 1)

        def done(hits: list[Hit]) -> None:
            if hits:
                self.picked.emit(hits[0][0], hits[0][1])
                return
            if not self.edit.text():
                self.edit.setText(text)  # give the unknown text back to be corrected
            self.not_found.emit(text)

        self.ctx.tasks.submit(work, on_done=done, owner=self)

    def clear(self) -> None:
        self.edit.clear()


class MemberPickDialog(QDialog):
    """报名…: find one member and confirm."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.member: tuple[int, str] | None = None
        lay = QVBoxLayout(self)
        self.search = MemberSearchBox(ctx, self)
        lay.addWidget(self.search)
        hint = QLabel(self.tr("输入后按回车选中第一个结果，或用 ↑↓ 选择。"), self)
        hint.setStyleSheet("color: #475569;")
        lay.addWidget(hint)
        cancel = QPushButton(self.tr("取消"), self)
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        lay.addLayout(row)
        self.search.picked.connect(self._picked)

    def _picked(self, member_id: int, name: str) -> None:
        self.member = (member_id, name)
        self.accept()


# ---- recurrence ----------------------------------------------------------------------

class RecurrenceEditor(QWidget):
    """None / 每天 / 每周 (days) / 每月, every N, until a date or N times — written out as
    an RRULE in an editable field for anything the simple controls can't say."""

    changed = Signal()
    FREQS = ("", "DAILY", "WEEKLY", "MONTHLY", "CUSTOM")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._start = dt.datetime.now().replace(second=0, microsecond=0)
        self._updating = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        top = QHBoxLayout()
        self.freq = QComboBox(self)
        for text in (self.tr("不重复"), self.tr("每天"), self.tr("每周"), self.tr("每月"), self.tr("自定义 RRULE")):
            self.freq.addItem(text)
        self.interval = QSpinBox(self)
        self.interval.setRange(1, 99)
        self.interval.setPrefix(self.tr("每 "))
        self.unit = QLabel(self)
        top.addWidget(self.freq)
        top.addWidget(self.interval)
        top.addWidget(self.unit)
        top.addStretch(1)
        lay.addLayout(top)

        self.days_row = QWidget(self)
        days = QHBoxLayout(self.days_row)
        days.setContentsMargins(0, 0, 0, 0)
        days.setSpacing(2)
        self.day_buttons: list[QToolButton] = []
        names = (self.tr("一"), self.tr("二"), self.tr("三"), self.tr("四"), self.tr("五"), self.tr("六"), self.tr("日"))
        for code, name in zip(DAY_CODES, names, strict=True):
            b = QToolButton(self.days_row)
            b.setText(name)
            b.setCheckable(True)
            b.setObjectName(f"day_{code}")
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance("Wed") + 14)
            b.toggled.connect(lambda _c: self._controls_changed())
            days.addWidget(b)
            self.day_buttons.append(b)
        days.addStretch(1)
        self.days_row.setStyleSheet(
            "QToolButton { border: 1px solid #cbd5e1; border-radius: 3px; padding: 2px 6px; background: #ffffff; }"
            "QToolButton:checked { background: #2563eb; color: #ffffff; border-color: #1d4ed8; }")
        lay.addWidget(self.days_row)

        end = QHBoxLayout()
        self.end_mode = QComboBox(self)
        for text in (self.tr("一直重复"), self.tr("截止到"), self.tr("重复次数")):
            self.end_mode.addItem(text)
        self.until = QDateEdit(self)
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.count = QSpinBox(self)
        self.count.setRange(1, 999)
        self.count.setValue(10)
        self.count.setSuffix(self.tr(" 次"))
        end.addWidget(self.end_mode)
        end.addWidget(self.until)
        end.addWidget(self.count)
        end.addStretch(1)
        self.end_row = QWidget(self)
        self.end_row.setLayout(end)
        end.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.end_row)

        self.raw = QLineEdit(self)
        self.raw.setObjectName("rrule_raw")
        self.raw.setPlaceholderText(self.tr("RRULE，如 FREQ=WEEKLY;BYDAY=WE（每周三）"))
        lay.addWidget(self.raw)
        self.preview = QLabel(self)
        self.preview.setStyleSheet("color: #475569;")
        lay.addWidget(self.preview)

        for w in (self.freq, self.end_mode):
            w.currentIndexChanged.connect(lambda _i: self._controls_changed())
        self.interval.valueChanged.connect(lambda _v: self._controls_changed())
        self.count.valueChanged.connect(lambda _v: self._controls_changed())
        self.until.dateChanged.connect(lambda _d: self._controls_changed())
        self.raw.textEdited.connect(lambda _t: self._raw_edited())
        self.until.setDate(QDate.currentDate().addMonths(3))
        self._sync_visibility()
        self._controls_changed()

    # the start time decides the default weekday / month day
    def set_start(self, start: dt.datetime) -> None:
        old = self._start
        self._start = start
        if self.freq.currentIndex() == 2:
            checked = [i for i, b in enumerate(self.day_buttons) if b.isChecked()]
            if checked == [old.weekday()] and old.weekday() != start.weekday():
                self._updating = True
                self.day_buttons[old.weekday()].setChecked(False)
                self.day_buttons[start.weekday()].setChecked(True)
                self._updating = False
        if self.freq.currentIndex() in (2, 3):
            self._controls_changed()

    def set_weekly(self, codes: Sequence[str]) -> None:
        """每周 on the given days (MO…SU)."""
        self._updating = True
        self.freq.setCurrentIndex(2)
        for code, b in zip(DAY_CODES, self.day_buttons, strict=True):
            b.setChecked(code in codes)
        self._updating = False
        self._controls_changed()

    def rule(self) -> str:
        return self.raw.text().strip()

    def set_rule(self, rule: str) -> None:
        self.raw.setText(rule)
        self._raw_edited()

    def _sync_visibility(self) -> None:
        i = self.freq.currentIndex()
        simple = i in (1, 2, 3)
        self.interval.setVisible(simple)
        self.unit.setVisible(simple)
        self.unit.setText({1: self.tr("天"), 2: self.tr("周"), 3: self.tr("个月")}.get(i, ""))
        self.days_row.setVisible(i == 2)
        self.end_row.setVisible(simple)
        self.until.setVisible(simple and self.end_mode.currentIndex() == 1)
        self.count.setVisible(simple and self.end_mode.currentIndex() == 2)
        self.raw.setVisible(i == 4 or bool(self.raw.text()))

    def _controls_changed(self) -> None:
        if self._updating:
            return
        i = self.freq.currentIndex()
        if i == 2 and not any(b.isChecked() for b in self.day_buttons):
            self._updating = True
            self.day_buttons[self._start.weekday()].setChecked(True)
            self._updating = False
        self._sync_visibility()
        if i == 4:
            self._update_preview()
            return
        parts: list[str] = []
        if i in (1, 2, 3):
            parts.append(f"FREQ={self.FREQS[i]}")
            if self.interval.value() > 1:
                parts.append(f"INTERVAL={self.interval.value()}")
            if i == 2:
                parts.append("BYDAY=" + ",".join(c for c, b in zip(DAY_CODES, self.day_buttons, strict=True)
                                                 if b.isChecked()))
            if i == 3:
                parts.append(f"BYMONTHDAY={self._start.day}")
            if self.end_mode.currentIndex() == 1:
                d = self.until.date()
                parts.append(f"UNTIL={d.year():04d}{d.month():02d}{d.day():02d}T235959")
            elif self.end_mode.currentIndex() == 2:
                parts.append(f"COUNT={self.count.value()}")
        self.raw.setText(";".join(parts))
        self._sync_visibility()
        self._update_preview()
        self.changed.emit()

    def _raw_edited(self) -> None:
        """A hand-written RRULE: show it in the simple controls when they can say it."""
        text = self.raw.text().strip().upper().removeprefix("RRULE:")
        parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
        freq = parts.pop("FREQ", "")
        simple = freq in ("DAILY", "WEEKLY", "MONTHLY") and set(parts) <= {"INTERVAL", "BYDAY", "BYMONTHDAY",
                                                                            "UNTIL", "COUNT"}
        if simple and freq != "WEEKLY" and "BYDAY" in parts:
            simple = False
        if simple and "BYDAY" in parts and not all(d in DAY_CODES for d in parts["BYDAY"].split(",")):
            simple = False
        if simple and "BYMONTHDAY" in parts and (freq != "MONTHLY" or parts["BYMONTHDAY"] != str(self._start.day)):
            simple = False
        self._updating = True
        try:
            if not text:
                self.freq.setCurrentIndex(0)
            elif simple:
                self.freq.setCurrentIndex(self.FREQS.index(freq))
                self.interval.setValue(int(parts.get("INTERVAL", "1")) if parts.get("INTERVAL", "1").isdigit() else 1)
                days = parts.get("BYDAY", "").split(",")
                for code, b in zip(DAY_CODES, self.day_buttons, strict=True):
                    b.setChecked(code in days)
                if "UNTIL" in parts and parts["UNTIL"][:8].isdigit():
                    u = parts["UNTIL"]
                    self.end_mode.setCurrentIndex(1)
                    self.until.setDate(QDate(int(u[:4]), int(u[4:6]), int(u[6:8])))
                elif "COUNT" in parts and parts["COUNT"].isdigit():
                    self.end_mode.setCurrentIndex(2)
                    self.count.setValue(int(parts["COUNT"]))
                else:
                    self.end_mode.setCurrentIndex(0)
            else:
                self.freq.setCurrentIndex(4)
        finally:
            self._updating = False
        self._sync_visibility()
        self._update_preview()
        self.changed.emit()

    def _update_preview(self) -> None:
        rule = self.rule()
        if not rule:
            self.preview.setText("")
            return
        try:
            canonical = core_events.normalize_rrule(rule, self._start)
        except UserError as exc:
            self.preview.setText(exc.message)
            self.preview.setStyleSheet(ERROR_STYLE)
            return
        self.preview.setStyleSheet("color: #475569;")
        self.preview.setText(self.tr("重复：{text}").format(text=core_events.describe_rrule(canonical)))


# ---- the editor -------------------------------------------------------------------------

class EventDialog(QDialog):
    """新建 / 编辑活动. ``saved(event_id)`` after the command has been applied."""

    saved = Signal(int)
    conflicts_shown = Signal(int)  # how many conflicting events are listed

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        event: core_events.EventView | None = None,
        start: dt.datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editing = event
        self.command: CoreCommand | None = None
        self._allow_conflicts = False
        self._busy = False
        self.conflicts: list[core_events.Conflict] = []
        self._last_start: dt.datetime | None = None
        self.setWindowTitle(self.tr("编辑活动") if event else self.tr("新建活动"))
        char = self.fontMetrics().averageCharWidth()
        self.setMinimumWidth(char * 118)
        self._errors: dict[str, tuple[QWidget, QLabel]] = {}
        self._build()
        if event is not None:
            self._load(event)
        else:
            begin = start or (dt.datetime.now() + dt.timedelta(days=1)).replace(hour=20, minute=0, second=0,
                                                                                 microsecond=0)
            self.starts.setDateTime(to_qdatetime(begin))
            self.ends.setDateTime(to_qdatetime(begin + dt.timedelta(hours=1, minutes=30)))
            self.status.setCurrentIndex(max(self.status.findData("报名中"), 0))
        self._load_groups()

    # ---- construction ----------------------------------------------------------------
    def _field(self, form: QFormLayout, label: str, column: str, widget: QWidget,
               extra: QWidget | None = None) -> None:
        box = QWidget(self)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        if extra is not None:
            row = QHBoxLayout()
            row.addWidget(widget, 1)
            row.addWidget(extra)
            v.addLayout(row)
        else:
            v.addWidget(widget)
        err = QLabel(box)
        err.setObjectName(f"error_{column}")
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.setVisible(False)
        v.addWidget(err)
        form.addRow(label, box)
        self._errors[column] = (widget, err)

    def _build(self) -> None:
        f = core_events.EVENT_FIELDS
        outer = QVBoxLayout(self)
        cols = QHBoxLayout()
        outer.addLayout(cols, 1)
        left = QFormLayout()
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        left.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        cols.addLayout(left, 3)

        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("event_title")
        self.title_edit.setPlaceholderText(self.tr("如 周三夜聊、杭州线下见面会"))
        self._field(left, self.tr("标题"), f["title"], self.title_edit)
        self.kind = QComboBox(self)
        for k in EVENT_KINDS:
            self.kind.addItem(vocab(k), k)
        self.status = QComboBox(self)
        for st in EVENT_STATUSES:
            self.status.addItem(vocab(st), st)
        self._field(left, self.tr("类型"), f["kind"], self.kind)
        self._field(left, self.tr("状态"), f["status"], self.status)
        self.starts = QDateTimeEdit(self)
        self.ends = QDateTimeEdit(self)
        for w in (self.starts, self.ends):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd  HH:mm  ddd")
        self.duration = QLabel(self)
        self.duration.setStyleSheet("color: #475569;")
        self._field(left, self.tr("开始"), f["starts_at"], self.starts)
        self._field(left, self.tr("结束"), f["ends_at"], self.ends, self.duration)
        self.location = QLineEdit(self)
        self.location.setPlaceholderText(self.tr("线下地址，或腾讯会议/直播链接"))
        self._field(left, self.tr("地点/链接"), f["location"], self.location)
        self.capacity = QSpinBox(self)
        self.capacity.setObjectName("event_capacity")
        self.capacity.setRange(0, 100_000)
        self.capacity.setSpecialValueText(self.tr("不限"))
        self.capacity.setSuffix(self.tr(" 人"))
        self._field(left, self.tr("人数上限"), f["capacity"], self.capacity)
        self.cost = QDoubleSpinBox(self)
        self.cost.setRange(0, 1_000_000)
        self.cost.setDecimals(2)
        self.cost.setSpecialValueText(self.tr("免费"))
        self.cost.setSuffix(self.tr(" 元"))
        self._field(left, self.tr("费用"), f["cost"], self.cost)
        self.recurrence = RecurrenceEditor(self)
        self._field(left, self.tr("重复"), f["rrule"], self.recurrence)

        right = QFormLayout()
        right.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        cols.addLayout(right, 2)
        hosts_box = QWidget(self)
        hv = QVBoxLayout(hosts_box)
        hv.setContentsMargins(0, 0, 0, 0)
        self.hosts = QListWidget(hosts_box)
        self.hosts.setObjectName("event_hosts")
        self.hosts.setFixedHeight(self.hosts.fontMetrics().height() * 3 + 14)
        self.hosts.setToolTip(self.tr("选中后按 Delete 移除"))
        self.hosts.installEventFilter(self)
        self.host_search = MemberSearchBox(self.ctx, hosts_box, limit=6,
                                           placeholder=self.tr("添加主讲：搜索成员，回车"))
        self.host_search.picked.connect(self._add_host)
        hv.addWidget(self.hosts)
        hv.addWidget(self.host_search)
        self._field(right, self.tr("主讲/主持"), f["host_ids"], hosts_box)
        self.groups = QListWidget(self)
        self.groups.setObjectName("event_groups")
        self.groups.setFixedHeight(self.groups.fontMetrics().height() * 5 + 14)
        groups_hint = QLabel(self.tr("都不勾选 = 面向全部群"), self)
        groups_hint.setStyleSheet("color: #475569;")
        gbox = QWidget(self)
        gv = QVBoxLayout(gbox)
        gv.setContentsMargins(0, 0, 0, 0)
        gv.setSpacing(1)
        gv.addWidget(self.groups)
        gv.addWidget(groups_hint)
        self._field(right, self.tr("面向的群"), f["group_ids"], gbox)
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText(self.tr("活动介绍、议程、注意事项"))
        self.description.setMinimumHeight(self.fontMetrics().height() * 4)
        self._field(right, self.tr("简介"), f["description"], self.description)

        self.conflict_box = QFrame(self)
        self.conflict_box.setObjectName("conflict_box")
        self.conflict_box.setStyleSheet(
            "QFrame#conflict_box { background: #fff7ed; border: 1px solid #fdba74; border-radius: 4px; }"
            "QLabel { color: #7c2d12; }")
        cb = QVBoxLayout(self.conflict_box)
        self.conflict_label = QLabel(self.conflict_box)
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setTextFormat(Qt.TextFormat.PlainText)
        cb.addWidget(self.conflict_label)
        self.conflict_box.setVisible(False)
        outer.addWidget(self.conflict_box)

        self.banner = QLabel(self)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        outer.addWidget(self.banner)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_anyway_button = QPushButton(self.tr("仍然保存"), self)
        self.save_anyway_button.setVisible(False)
        self.save_anyway_button.clicked.connect(self.save_anyway)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.clicked.connect(self.reject)
        for b in (self.save_anyway_button, self.save_button, self.cancel_button):
            buttons.addWidget(b)
        outer.addLayout(buttons)

        self.starts.dateTimeChanged.connect(self._start_changed)
        self.ends.dateTimeChanged.connect(lambda _d: self._update_duration())
        for line in (self.title_edit, self.location):
            line.textEdited.connect(lambda _t: self._form_changed())
        self.recurrence.changed.connect(self._form_changed)
        self.recurrence.changed.connect(lambda: QTimer.singleShot(0, self._grow))
        self.capacity.valueChanged.connect(lambda _v: self._form_changed())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.hosts and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                for item in self.hosts.selectedItems():
                    self.hosts.takeItem(self.hosts.row(item))
                self._form_changed()
                return True
        return super().eventFilter(watched, event)

    # ---- loading -----------------------------------------------------------------------
    def _load(self, ev: core_events.EventView) -> None:
        self.title_edit.setText(ev.title)
        self.kind.setCurrentIndex(max(self.kind.findData(ev.kind), 0))
        self.status.setCurrentIndex(max(self.status.findData(ev.status), 0))
        self.starts.setDateTime(to_qdatetime(ev.starts_at))
        self.ends.setDateTime(to_qdatetime(ev.ends_at))
        self.location.setText(ev.location)
        self.capacity.setValue(ev.capacity or 0)
        self.cost.setValue(ev.cost or 0)
        self.description.setPlainText(ev.description)
        for mid, name in zip(ev.host_ids, ev.host_names, strict=True):
            self._add_host(mid, name)
        self.recurrence.set_start(ev.starts_at)
        self.recurrence.set_rule(ev.rrule)

    def _load_groups(self) -> None:
        chosen = set(self.editing.group_ids) if self.editing is not None else set()

        def work(h: TaskHandle) -> list[tuple[int, str]]:
            from sqdesk.core.groups import group_ids_by_name

            with h.ws.read() as s:
                return sorted((gid, name) for name, gid in group_ids_by_name(s).items())

        def done(groups: list[tuple[int, str]]) -> None:
            self.groups.clear()
            for gid, name in groups:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, gid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if gid in chosen else Qt.CheckState.Unchecked)
                self.groups.addItem(item)

        self.ctx.tasks.submit(work, on_done=done, owner=self)

    def _add_host(self, member_id: int, name: str) -> None:
        if member_id in self.host_ids():
            return
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, member_id)
        self.hosts.addItem(item)
        self.host_search.clear()
        self._form_changed()

    def host_ids(self) -> list[int]:
        return [self.hosts.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.hosts.count())]

    def group_ids(self) -> list[int]:
        return [
            self.groups.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.groups.count())
            if self.groups.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_groups_checked(self, group_ids: Sequence[int]) -> None:
        for i in range(self.groups.count()):
            item = self.groups.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in group_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    # ---- form ------------------------------------------------------------------------
    def _start_changed(self, value: QDateTime) -> None:
        start = from_qdatetime(value)
        # Keep the duration when the start moves (like any calendar app).
        old_start = self._last_start
        if old_start is not None:
            delta = start - old_start
            self.ends.setDateTime(to_qdatetime(from_qdatetime(self.ends.dateTime()) + delta))
        self._last_start = start
        self.recurrence.set_start(start)
        self._update_duration()
        self._form_changed()

    def _duration_minutes(self) -> int:
        return int((from_qdatetime(self.ends.dateTime()) - from_qdatetime(self.starts.dateTime())).total_seconds() // 60)

    def _update_duration(self) -> None:
        minutes = self._duration_minutes()
        if minutes <= 0:
            self.duration.setText("")
        elif minutes % 60:
            self.duration.setText(self.tr("{h} 小时 {m} 分").format(h=minutes // 60, m=minutes % 60)
                                  if minutes >= 60 else self.tr("{m} 分钟").format(m=minutes))
        else:
            self.duration.setText(self.tr("{h} 小时").format(h=minutes // 60))

    def _form_changed(self) -> None:
        # Anything edited after a conflict warning must be checked again.
        if self._allow_conflicts or self.conflict_box.isVisible():
            self._allow_conflicts = False
            self.conflict_box.setVisible(False)
            self.save_anyway_button.setVisible(False)
            self.save_button.setText(self.tr("保存"))

    def event_input(self) -> core_events.EventInput:
        cost = self.cost.value()
        return core_events.EventInput(
            title=self.title_edit.text(),
            starts_at=from_qdatetime(self.starts.dateTime()),
            ends_at=from_qdatetime(self.ends.dateTime()),
            kind=self.kind.currentData(),
            location=self.location.text(),
            capacity=self.capacity.value() or None,
            host_ids=tuple(self.host_ids()),
            group_ids=tuple(self.group_ids()),
            description=self.description.toPlainText(),
            status=self.status.currentData(),
            rrule=self.recurrence.rule(),
            cost=cost if cost > 0 else None,
        )

    def field_error(self, column: str) -> str:
        """The message shown under a field (``EVENT_FIELDS`` label), '' when none."""
        _w, label = self._errors[column]
        return label.text() if label.isVisible() else ""

    def _clear_errors(self) -> None:
        for widget, label in self._errors.values():
            if label.isVisible():
                label.clear()
                label.setVisible(False)
                widget.setStyleSheet("")
        self.banner.setVisible(False)

    def _show_error(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # a later redo of this dialog's command failed after it closed
        self._busy = False
        self.save_button.setEnabled(True)
        self.save_anyway_button.setEnabled(True)
        if isinstance(exc, UserError) and exc.column in self._errors:
            widget, label = self._errors[exc.column or ""]
            label.setText(exc.message)
            label.setVisible(True)
            if not isinstance(widget, RecurrenceEditor):
                widget.setStyleSheet(INVALID_BORDER)
            widget.setFocus()
        elif isinstance(exc, (ConflictError, NotFoundError, UserError)):
            self.banner.setText(self.tr("未保存：{msg}").format(msg=str(exc)))
            self.banner.setVisible(True)
        else:
            self.banner.setText(self.tr("未保存：{msg}").format(msg=str(exc)))
            self.banner.setVisible(True)
            if self.ctx.tasks.error_handler is not None:
                self.ctx.tasks.error_handler(exc)

    # ---- saving ----------------------------------------------------------------------
    def save(self) -> None:
        """Validate and check for overlapping events on the worker; save when clear."""
        if self._busy:
            return
        self._clear_errors()
        data = self.event_input()
        exclude = self.editing.id if self.editing is not None else None
        self._busy = True
        self.save_button.setEnabled(False)

        def work(h: TaskHandle) -> list[core_events.Conflict]:
            with h.ws.read() as s:
                return core_events.find_conflicts(s, data, exclude_event_id=exclude)

        def done(conflicts: list[core_events.Conflict]) -> None:
            self.conflicts = conflicts
            if conflicts and not self._allow_conflicts:
                self._busy = False
                self.save_button.setEnabled(True)
                self._show_conflicts(conflicts)
                return
            self._push(data)

        self.ctx.tasks.submit(work, on_done=done, on_error=self._show_error, owner=self)

    def save_anyway(self) -> None:
        self._allow_conflicts = True
        self.save_anyway_button.setEnabled(False)
        self.save()

    def _show_conflicts(self, conflicts: list[core_events.Conflict]) -> None:
        lines = [self.tr("与 {n} 个活动时间重叠，且面向相同的成员：").format(n=len(conflicts))]
        lines += [f"• {c.description}" for c in conflicts[:8]]
        if len(conflicts) > 8:
            lines.append(self.tr("……还有 {n} 个").format(n=len(conflicts) - 8))
        lines.append(self.tr("可以修改时间或面向的群后再保存，或者「仍然保存」。"))
        self.conflict_label.setText("\n".join(lines))
        self.conflict_box.setVisible(True)
        self.save_anyway_button.setVisible(True)
        self.save_anyway_button.setEnabled(True)
        self.save_button.setText(self.tr("重新检查并保存"))
        self._grow()
        self.conflicts_shown.emit(len(conflicts))

    def _grow(self) -> None:
        """Rows that appear (recurrence controls, the conflict list) get room, never squeezed."""
        self.layout().activate()
        hint = self.sizeHint()
        if hint.height() > self.height() or hint.width() > self.width():
            self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def _push(self, data: core_events.EventInput) -> None:
        cmd: CoreCommand
        if self.editing is None:
            cmd = CreateEventCommand(self.ctx, data, on_done=self._applied, on_error=self._show_error)
        else:
            cmd = EditEventCommand(self.ctx, self.editing.id, data, expected_version=self.editing.version,
                                   on_done=self._applied, on_error=self._show_error)
        self.command = cmd
        self.ctx.undo_stack.push(cmd)

    def _applied(self, cmd: CoreCommand, forward: bool) -> None:
        if cmd is not self.command or not forward or not shiboken6.isValid(self):
            return
        self.command = None  # later undo/redo of it are the stack's business
        self._busy = False
        event_id = cmd.event_id if isinstance(cmd, (CreateEventCommand, EditEventCommand)) else None
        if event_id is not None:
            self.saved.emit(event_id)
        self.accept()


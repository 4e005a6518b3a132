"""The member page: profile form, groups, tags, offers/needs, events, activity timeline.

:class:`MemberPanel` sits beside the roster table in a splitter (it also serves for a
new member). Everything it shows is loaded in one background task; saving pushes an
:class:`~sqdesk.ui.commands.EditMemberCommand` / ``CreateMemberCommand`` on the undo
stack. Values are checked with core's ``validate_values`` before anything is queued,
and a ``ValidationError`` / ``ConflictError`` names its field (``.column`` is the
field's Chinese label), so the message appears under that field. A version conflict
(someone else saved first) is shown in a banner and the page reloads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core import roster
from sqdesk.core.errors import ConflictError, NotFoundError, UserError, ValidationError
from sqdesk.core.text import split_tags
from sqdesk.models.vocab import GENDERS, LEVELS, MEMBER_STATUSES, ROLES
from sqdesk.ui.commands import CoreCommand, CreateMemberCommand, EditMemberCommand
from sqdesk.ui.i18n import vocab
from sqdesk.ui.itemmodels.table_model import StaticTableModel

if TYPE_CHECKING:
    from sqdesk.core.activity import ActivityRow
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

TIMELINE_LIMIT = 200
LABEL_TO_FIELD = {label: key for key, label in roster.MEMBER_FIELDS.items()} | {"标签": "tags"}
ERROR_STYLE = "color: #c62828;"
BANNER_STYLE = (
    "background: #fff4e5; color: #6d4c00; border: 1px solid #f0c36d; border-radius: 4px;"
    " padding: 6px 8px;"
)


@dataclass
class MemberPageData:
    """Everything the page shows about one member (plain data from the worker)."""

    view: roster.MemberView
    offers_needs: list[roster.OfferNeedLine] = field(default_factory=list)
    events: list[roster.EventLine] = field(default_factory=list)
    timeline: list[ActivityRow] = field(default_factory=list)


def load_member_page(h: TaskHandle, member_id: int) -> MemberPageData:
    from sqdesk.core.activity import member_timeline

    with h.ws.read() as s:
        return MemberPageData(
            view=roster.get_member(s, member_id),
            offers_needs=roster.member_offers_needs(s, member_id),
            events=roster.member_events(s, member_id),
            timeline=member_timeline(s, member_id, limit=TIMELINE_LIMIT),
        )


class _Field:
    """One form row: the editor, its error line, and how to read/write it as text."""

    def __init__(self, key: str, widget: QWidget, error: QLabel) -> None:
        self.key = key
        self.widget = widget
        self.error = error

    def value(self) -> Any:
        w = self.widget
        if isinstance(w, QLineEdit):
            return w.text().strip()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText().strip()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        raise TypeError(type(w))

    def set_value(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QLineEdit):
            w.setText(_as_text(value))
            w.setCursorPosition(0)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(_as_text(value))
        elif isinstance(w, QComboBox):
            text = _as_text(value)
            i = w.findData(text)
            if i < 0:
                w.addItem(vocab(text), text)
                i = w.count() - 1
            w.setCurrentIndex(i)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.widget.setProperty("invalid", True)
        self.widget.setStyleSheet("border: 1px solid #c62828;")

    def clear_error(self) -> None:
        if self.error.isVisible():
            self.error.clear()
            self.error.setVisible(False)
            self.widget.setProperty("invalid", False)
            self.widget.setStyleSheet("")


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class MemberPanel(QWidget):
    """Profile editor plus the member's groups, 供求, events and timeline."""

    member_saved = Signal(int)  # a create or an edit reached the database
    loaded = Signal(int)  # the page now shows this member (tests wait on it)
    conflict = Signal(str)  # a version conflict was detected; the page reloads

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member_id: int | None = None
        self.data: MemberPageData | None = None
        self.is_new = False
        self._gen = 0
        self._baseline: dict[str, Any] = {}
        self._fields: dict[str, _Field] = {}
        self._saving = False
        self._build()
        self.show_member(None)
        ctx.changed.connect(self._on_changed)

    # ---- construction ---------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)

        self.empty = QLabel(self.tr("选择一名成员查看资料，\n或按 Ctrl+N 新建成员。"), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(mid); font-size: 14px;")
        self.stack.addWidget(self.empty)

        page = QWidget(self)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(8, 8, 8, 8)
        self.title_label = QLabel(page)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle_label = QLabel(page)
        self.subtitle_label.setStyleSheet("color: palette(mid);")
        self.banner = QLabel(page)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(False)
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.setInterval(20000)
        self._banner_timer.timeout.connect(self.banner.hide)
        lay.addWidget(self.title_label)
        lay.addWidget(self.subtitle_label)
        lay.addWidget(self.banner)

        self.tabs = QTabWidget(page)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_form(), self.tr("资料"))
        self.groups_model = StaticTableModel(
            [self.tr("群"), self.tr("群昵称"), self.tr("入群日期"), self.tr("退群日期")], self)
        self.offers_model = StaticTableModel(
            [self.tr("类型"), self.tr("类别"), self.tr("内容"), self.tr("关键词"), self.tr("发布日期"),
             self.tr("到期"), self.tr("状态")], self)
        self.events_model = StaticTableModel(
            [self.tr("活动"), self.tr("类型"), self.tr("时间"), self.tr("报名状态"), self.tr("签到时间")], self)
        self.timeline_model = StaticTableModel(
            [self.tr("时间"), self.tr("类型"), self.tr("群"), self.tr("数值"), self.tr("备注")], self)
        self.groups_table = self._table(self.groups_model)
        self.offers_table = self._table(self.offers_model)
        self.events_table = self._table(self.events_model)
        self.timeline_table = self._table(self.timeline_model)
        self.tabs.addTab(self.groups_table, self.tr("所在群"))
        self.tabs.addTab(self.offers_table, self.tr("供求"))
        self.tabs.addTab(self.events_table, self.tr("参加的活动"))
        self.tabs.addTab(self.timeline_table, self.tr("动态"))
        lay.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        self.status_label = QLabel(page)
        self.status_label.setStyleSheet("color: palette(mid);")
        self.revert_button = QPushButton(self.tr("放弃修改"), page)
        self.save_button = QPushButton(self.tr("保存"), page)
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("保存 (Ctrl+S)"))
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        lay.addLayout(buttons)
        self.stack.addWidget(page)
        self.page = page

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)

    def _table(self, model: StaticTableModel) -> QTableView:
        table = QTableView(self)
        table.setModel(model)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        return table

    def _build_form(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        def line(placeholder: str = "") -> QLineEdit:
            w = QLineEdit(body)
            w.setPlaceholderText(placeholder)
            w.setClearButtonEnabled(True)
            return w

        def combo(items: tuple[str, ...], blank: bool = False) -> QComboBox:
            w = QComboBox(body)
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(6)
            if blank:
                w.addItem("", "")
            for item in items:
                w.addItem(vocab(item), item)
            return w

        def text_box() -> QPlainTextEdit:
            w = QPlainTextEdit(body)
            w.setTabChangesFocus(True)
            w.setMinimumHeight(w.fontMetrics().height() * 4)
            w.setMaximumHeight(w.fontMetrics().height() * 7)
            return w

        rows: list[tuple[str, str, QWidget]] = [
            ("display_name", self.tr("姓名"), line(self.tr("必填"))),
            ("real_name", self.tr("真实姓名"), line()),
            ("phone", self.tr("手机号"), line(self.tr("如 138 0013 8000"))),
            ("wechat_id", self.tr("微信号"), line()),
            ("gender", self.tr("性别"), combo(GENDERS)),
            ("city", self.tr("城市"), line()),
            ("industry", self.tr("行业"), line()),
            ("company", self.tr("公司"), line()),
            ("title", self.tr("职位"), line()),
            ("role", self.tr("角色"), combo(ROLES)),
            ("status", self.tr("状态"), combo(MEMBER_STATUSES)),
            ("level", self.tr("活跃等级"), combo(LEVELS, blank=True)),
            ("tier", self.tr("会员等级"), line()),
            ("paid_until", self.tr("付费到期"), line(self.tr("如 2025-06-30"))),
            ("joined_on", self.tr("入群时间"), line(self.tr("如 2024-03-05"))),
            ("source", self.tr("来源"), line()),
            ("tags", self.tr("标签"), line(self.tr("用逗号或空格分隔，如 设计, 杭州"))),
            ("consent", self.tr("数据使用"), QCheckBox(self.tr("已同意使用其个人信息"), body)),
            ("intro", self.tr("自我介绍"), text_box()),
            ("notes", self.tr("备注"), text_box()),
        ]
        for key, label, widget in rows:
            error = QLabel(body)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.setVisible(False)
            error.setObjectName(f"error_{key}")
            widget.setObjectName(f"field_{key}")
            cell = QWidget(body)
            v = QVBoxLayout(cell)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(2)
            v.addWidget(widget)
            v.addWidget(error)
            form.addRow(label, cell)
            f = _Field(key, widget, error)
            self._fields[key] = f
            self._connect_edit(widget, f)
        self.inviter_label = QLabel(body)
        form.addRow(self.tr("邀请人"), self.inviter_label)
        scroll.setWidget(body)
        return scroll

    def _connect_edit(self, widget: QWidget, f: _Field) -> None:
        def clear(*_args: Any) -> None:
            f.clear_error()
            self._update_buttons()

        if isinstance(widget, QLineEdit):
            widget.textChanged.connect(clear)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(clear)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(clear)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(clear)

    # ---- public API ----------------------------------------------------------------
    def field_widget(self, key: str) -> QWidget:
        return self._fields[key].widget

    def field_error(self, key: str) -> str:
        """The message shown under a field ("" when none)."""
        label = self._fields[key].error
        return label.text() if label.isVisible() or label.text() else ""

    def show_member(self, member_id: int | None) -> None:
        """Load and show a member (None: the empty page). Unsaved edits are dropped."""
        self._gen += 1
        self.is_new = False
        self.member_id = member_id
        if member_id is None:
            self.data = None
            self.stack.setCurrentWidget(self.empty)
            return
        self._load(member_id, self._gen)

    def start_new(self) -> None:
        """An empty form for a new member; 保存 creates it."""
        self._gen += 1
        self.is_new = True
        self.member_id = None
        self.data = None
        self.banner.setVisible(False)
        self.title_label.setText(self.tr("新成员"))
        self.subtitle_label.setText(self.tr("填写资料后按「保存」"))
        for f in self._fields.values():
            f.clear_error()
            f.set_value("")
        self._fields["gender"].set_value("未知")
        self._fields["role"].set_value("成员")
        self._fields["status"].set_value("在群")
        self._fields["consent"].set_value(False)
        self.inviter_label.setText("")
        for m in (self.groups_model, self.offers_model, self.events_model, self.timeline_model):
            m.set_rows([])
        self._baseline = self._values()
        self.tabs.setCurrentIndex(0)
        self.stack.setCurrentWidget(self.page)
        self._update_buttons()
        self._fields["display_name"].widget.setFocus()

    def reload(self) -> None:
        if self.member_id is not None and not self.is_new:
            self._load(self.member_id, self._gen)

    def is_dirty(self) -> bool:
        return self.stack.currentWidget() is self.page and self._values() != self._baseline

    # ---- loading -----------------------------------------------------------------
    def _load(self, member_id: int, gen: int) -> None:
        if not self.ctx.has_workspace:
            return  # closed meanwhile
        self.ctx.tasks.submit(
            lambda h: load_member_page(h, member_id),
            on_done=lambda data: self._loaded(gen, data),
            on_error=lambda exc: self._load_failed(gen, member_id, exc),
            label=self.tr("正在载入成员资料…"), owner=self,
        )

    def _loaded(self, gen: int, data: MemberPageData) -> None:
        if gen != self._gen:
            return  # another member was chosen meanwhile
        self.data = data
        self._fill(data)
        self.stack.setCurrentWidget(self.page)
        self.loaded.emit(data.view.id)

    def _load_failed(self, gen: int, member_id: int, exc: BaseException) -> None:
        if gen != self._gen:
            return
        if isinstance(exc, NotFoundError):
            self.show_member(None)
            return
        self._show_banner(str(exc))

    def _fill(self, data: MemberPageData) -> None:
        v = data.view
        self.title_label.setText(v.display_name)
        bits = [vocab(v.role), vocab(v.status)] + ([vocab(v.level)] if v.level else []) + [f"#{v.id}"]
        self.subtitle_label.setText(" · ".join(bits))
        for key, f in self._fields.items():
            f.clear_error()
            if key == "tags":
                f.set_value(", ".join(v.tags))
            else:
                f.set_value(getattr(v, key))
        self.inviter_label.setText(f"{v.inviter_name} (#{v.inviter_id})" if v.inviter_id else "—")
        self.groups_model.set_rows([(g.group_name, g.nickname, g.joined_on, g.left_on) for g in v.groups])
        self.offers_model.set_rows(
            [(vocab(o.kind), vocab(o.category), o.text, o.keywords, o.created_on, o.expires_on,
              vocab(o.status))
             for o in data.offers_needs], [o.id for o in data.offers_needs])
        self.events_model.set_rows(
            [(e.title, vocab(e.kind), e.starts_at, vocab(e.status), e.checked_in_at) for e in data.events],
            [e.event_id for e in data.events])
        self.timeline_model.set_rows(
            [(a.occurred_at, vocab(a.kind), a.group_name, a.value, a.note) for a in data.timeline],
            [a.id for a in data.timeline])
        tab_names = [
            (1, self.tr("所在群"), len(v.groups)),
            (2, self.tr("供求"), len(data.offers_needs)),
            (3, self.tr("参加的活动"), len(data.events)),
        ]  # 动态 shows the latest TIMELINE_LIMIT lines: a count there would mislead
        for i, name, n in tab_names:
            self.tabs.setTabText(i, f"{name} ({n})" if n else name)
        cap = self.fontMetrics().horizontalAdvance("八" * 16)
        for table in (self.groups_table, self.offers_table, self.events_table, self.timeline_table):
            table.resizeColumnsToContents()  # ≤ a few hundred short rows: cheap
            header = table.horizontalHeader()
            for col in range(header.count()):
                if header.sectionSize(col) > cap:
                    header.resizeSection(col, cap)
        self._baseline = self._values()
        self._update_buttons()

    # ---- saving --------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        return {k: f.value() for k, f in self._fields.items()}

    def _changes(self) -> dict[str, Any]:
        now = self._values()
        return {k: v for k, v in now.items() if v != self._baseline.get(k)}

    def _update_buttons(self) -> None:
        dirty = self.is_dirty() or self.is_new
        self.save_button.setEnabled(dirty and not self._saving)
        self.revert_button.setEnabled(self.is_dirty() and not self._saving)
        self.status_label.setText(self.tr("有未保存的修改") if self.is_dirty() else "")

    def _revert(self) -> None:
        if self.is_new:
            self.show_member(None)
        elif self.data is not None:
            self._fill(self.data)

    def save(self) -> bool:
        """Validate and queue the save; False (with messages on the fields) if invalid."""
        if self._saving or self.stack.currentWidget() is not self.page:
            return False
        for f in self._fields.values():
            f.clear_error()
        changes = self._changes()
        tags = split_tags(changes.pop("tags")) if "tags" in changes else None
        if self.is_new:
            values = {k: v for k, v in self._values().items() if k not in ("tags",) and v not in ("", None)}
            name = str(values.pop("display_name", ""))
            try:
                roster.validate_values({"display_name": name, **values})
            except ValidationError as exc:
                self._show_error(exc)
                return False
            cmd: CoreCommand = CreateMemberCommand(
                self.ctx, roster.MemberInput(name, values, tags=tags or []),
                on_done=self._saved, on_error=self._save_failed,
            )
        else:
            if not changes and tags is None:
                return False
            assert self.data is not None
            try:
                roster.validate_values(changes, partial=True)
            except ValidationError as exc:
                self._show_error(exc)
                return False
            cmd = EditMemberCommand(
                self.ctx, self.data.view.id, changes, expected_version=self.data.view.version,
                tags=tags, name=self.data.view.display_name,
                on_done=self._saved, on_error=self._save_failed,
            )
        self._saving = True
        self._update_buttons()
        self.status_label.setText(self.tr("正在保存…"))
        self.ctx.undo_stack.push(cmd)
        return True

    def _saved(self, cmd: CoreCommand, forward: bool) -> None:
        self._saving = False
        if isinstance(cmd, CreateMemberCommand):
            if not forward or cmd.member_id is None:
                return
            if self.is_new:
                self.is_new = False
                self.member_id = cmd.member_id
                self._gen += 1
                self._load(cmd.member_id, self._gen)
            self.member_saved.emit(cmd.member_id)
        elif isinstance(cmd, EditMemberCommand):
            if cmd.member_id == self.member_id:
                self._load(cmd.member_id, self._gen)
            if forward:
                self.member_saved.emit(cmd.member_id)

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._update_buttons()
        if isinstance(exc, ConflictError) and not exc.column:
            self.conflict.emit(str(exc))
            self._show_banner(self.tr("保存失败：{msg}。已重新载入最新资料，请重新修改后再保存。").format(msg=exc.message))
            self.reload()
        elif isinstance(exc, NotFoundError):
            self._show_banner(self.tr("这名成员已被删除。"))
        elif isinstance(exc, UserError):
            self._show_error(exc)
        else:
            self._show_banner(self.tr("保存失败：{msg}").format(msg=exc))
            if self.ctx.tasks.error_handler is not None:
                self.ctx.tasks.error_handler(exc)

    def _show_error(self, exc: UserError) -> None:
        key = LABEL_TO_FIELD.get(exc.column or "")
        if key in self._fields:
            f = self._fields[key]
            f.show_error(exc.message)
            self.tabs.setCurrentIndex(0)
            f.widget.setFocus()
        else:
            self._show_banner(str(exc))
        self.status_label.setText(self.tr("未保存：请按提示修改"))

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)
        self._banner_timer.start()

    # ---- outside changes ---------------------------------------------------------------
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "workspace" in kinds:
            self.show_member(None)
            return
        if self.member_id is None or self.is_new or self._saving:
            return
        if kinds & {"members", "groups", "activity", "events", "supply"} and not self.is_dirty():
            self._load(self.member_id, self._gen)


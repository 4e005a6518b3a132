"""群规 — the rule set: the ordered list, the editor with a live dry run of the edited
condition, the to-do list that acts, each rule's history, and the published text as
of any date.

Who a condition catches is computed from the per-member metrics
(``analytics.metrics.member_metrics``, shared with the dashboard's to-do count), which
take seconds over 100,000 members; the view gets them once on the DB worker and keeps the
``MetricsTable`` until ``ctx.changed`` says members, activity, events, groups or
imports changed. Dry runs of the edited condition and the to-do list then cost a
column scan. Every edit — save, delete, reorder, enable, install the starter rules,
confirm to-dos — is an undoable command.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core.errors import UserError
from sqdesk.core.rules_store import RuleVersionView, RuleView
from sqdesk.ui.dialogs.activity_dialog import qdate
from sqdesk.ui.dialogs.rule_dialog import RuleEditor, variable_label
from sqdesk.ui.i18n import vocab
from sqdesk.ui.itemmodels.rules_model import RuleColumn, RulesTableModel, TodoTableModel
from sqdesk.ui.itemmodels.table_model import PAYLOAD_ROLE, StaticTableModel
from sqdesk.ui.widgets.actions import view_action

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sqdesk.analytics.metrics import ActivityEvidence, MetricsTable
    from sqdesk.rules.engine import TodoItem
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

PREVIEW_LIMIT = 200
PREVIEW_DEBOUNCE_MS = 500
METRIC_KINDS = frozenset({"members", "activity", "events", "groups", "imports", "workspace"})


# ---- the dry run of an edited condition (plain data, computed on the worker) -------------------

@dataclass(frozen=True)
class PreviewMember:
    member_id: int
    display_name: str
    values: dict[str, Any]


@dataclass(frozen=True)
class ConditionPreview:
    condition: str
    variables: tuple[str, ...]
    count: int
    members: tuple[PreviewMember, ...]
    as_of: dt.date


def preview_condition(
    session: Session,
    table: MetricsTable,
    condition: str,
    group_names: Sequence[str] | None = None,
    *,
    limit: int = PREVIEW_LIMIT,
) -> ConditionPreview:
    """Who ``condition`` catches now, as ``engine.dry_run`` would judge a saved rule
    with it: members 在群 unless the condition mentions ``status``; with
    ``group_names`` only members currently in one of those groups. Names and values
    for the first ``limit``."""
    from sqdesk.core.roster import member_rows
    from sqdesk.rules.engine import ACTIVE_STATUS
    from sqdesk.rules.evaluate import compile_condition

    compiled = compile_condition(condition)
    cols = table.columns
    mask = compiled.mask(table)
    if "status" not in compiled.variables:
        mask = [m and s == ACTIVE_STATUS for m, s in zip(mask, cols["status"], strict=True)]
    if group_names is not None:
        wanted = frozenset(group_names)
        mask = [m and g is not None and not wanted.isdisjoint(g)  # type: ignore[arg-type]
                for m, g in zip(mask, cols["groups"], strict=True)]
    rows = [i for i, hit in enumerate(mask) if hit]
    shown = rows[:limit]
    names = {r.id: r.display_name for r in member_rows(session, [table.member_ids[i] for i in shown])}
    members = tuple(
        PreviewMember(table.member_ids[i], names.get(table.member_ids[i], ""),
                      {v: cols[v][i] for v in compiled.variables})
        for i in shown
    )
    return ConditionPreview(condition, compiled.variables, len(rows), members, table.as_of)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("RulesView", "是") if value else QCoreApplication.translate("RulesView", "否")
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


def revision_text(v: RuleVersionView) -> list[str]:
    """A revision as the lines a diff compares (labels in the UI language)."""
    none = QCoreApplication.translate("RulesView", "（无）")
    scope = (QCoreApplication.translate("RulesView", "全部群") if v.all_groups
             else QCoreApplication.translate("RulesView", "指定的群 ") + "、".join(f"#{g}" for g in v.group_ids))
    return [
        QCoreApplication.translate("RulesView", "标题：") + v.title,
        QCoreApplication.translate("RulesView", "类别：") + vocab(v.category),
        QCoreApplication.translate("RulesView", "启用：")
        + (QCoreApplication.translate("RulesView", "是") if v.enabled else QCoreApplication.translate("RulesView", "否")),
        QCoreApplication.translate("RulesView", "适用范围：") + scope,
        QCoreApplication.translate("RulesView", "条件：") + (v.condition or none),
        QCoreApplication.translate("RulesView", "处理动作：") + (vocab(v.action) if v.action else none),
        QCoreApplication.translate("RulesView", "动作参数：") + (v.action_arg or none),
        QCoreApplication.translate("RulesView", "宽限天数：") + str(v.grace_days),
        QCoreApplication.translate("RulesView", "正文："),
        *(v.body.splitlines() or [""]),
    ]


class RulesView(QWidget):
    """The 群规 screen."""

    rules_loaded = Signal(int)
    preview_shown = Signal(int)  # members caught
    todo_loaded = Signal(int)
    history_loaded = Signal(int)
    published_loaded = Signal()
    published_exported = Signal(str)  # the file written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("群规")
        self._metrics: MetricsTable | None = None
        self._metrics_gen = 0
        self._metrics_loading = False
        self._metrics_waiters: list[Callable[[MetricsTable], None]] = []
        self.metrics_computed = 0  # how many times the metrics were computed (tests read it)
        self._preview_gen = 0
        self._todo_gen = 0
        self._todo_stale = True
        self._history_gen = 0
        self._pending_select: int | None = None
        self._first_load = True
        self._groups: list[tuple[int, str]] = []
        self.preview: ConditionPreview | None = None
        self.message_box: QWidget | None = None
        self.model = RulesTableModel(self)
        self.preview_model = StaticTableModel([self.tr("成员")], self)
        self.evidence_model = StaticTableModel(
            [self.tr("指标"), self.tr("时间"), self.tr("类型"), self.tr("数值"), self.tr("备注")], self)
        self.todo_model = TodoTableModel(self)
        self.history_model = StaticTableModel(
            [self.tr("版本"), self.tr("生效时间"), self.tr("修改人"), self.tr("标题"), self.tr("启用"),
             self.tr("条件"), self.tr("动作")], self)
        self._build()
        self._make_actions()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self.run_preview)

        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._current_changed())
        self.model.enabledToggled.connect(self.set_enabled)
        self.model.moveRequested.connect(self.move_rule_to)
        self.editor.saved.connect(self._rule_saved)
        self.editor.condition.conditionReady.connect(lambda _t: self._preview_timer.start())
        self.editor.condition.validityChanged.connect(lambda ok: None if ok else self._clear_preview())
        self.editor.scope_all.toggled.connect(lambda _c: self._preview_timer.start())
        self.editor.groups.itemChanged.connect(lambda _i: self._preview_timer.start())
        self.preview_table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_evidence())
        self.todo_table.selectionModel().selectionChanged.connect(lambda *_a: self._todo_selection_changed())
        self.history_table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_diff())
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        self.published_date.dateChanged.connect(lambda _d: self.load_published())
        ctx.changed.connect(self._on_changed)
        self._update_buttons()
        self._clear_preview()
        if ctx.has_workspace:
            self.reload()

    # ---- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.setSpacing(6)
        self.actions_bar = QToolBar(self)
        self.actions_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        lay.addWidget(self.actions_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        lay.addWidget(self.splitter, 1)

        left = QWidget(self.splitter)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.table = QTableView(left)
        self.table.setObjectName("rules_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setDragDropOverwriteMode(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(False)
        # a rule set is tens of rows: fit the short columns to their text in either language
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(RuleColumn.TITLE, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().horizontalAdvance("0")
        ll.addWidget(self.table, 1)
        self.empty_box = QWidget(left)
        eb = QVBoxLayout(self.empty_box)
        self.empty_label = QLabel(self.tr(
            "还没有群规。可以先安装推荐群规（新成员自我介绍、30/60 天未发言、违规清退、禁止广告、"
            "升为骨干、续费提醒），再按自己的社群修改。"), self.empty_box)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #334155;")
        self.install_button = QPushButton(self.tr("安装推荐群规"), self.empty_box)
        self.install_button.setObjectName("install_starter")
        self.install_button.clicked.connect(self.install_starter_rules)
        eb.addWidget(self.empty_label)
        eb.addWidget(self.install_button, 0, Qt.AlignmentFlag.AlignLeft)
        ll.addWidget(self.empty_box)
        move = QHBoxLayout()
        self.up_button = QPushButton(self.tr("上移"), left)
        self.up_button.setObjectName("rule_up")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton(self.tr("下移"), left)
        self.down_button.setObjectName("rule_down")
        self.down_button.clicked.connect(lambda: self.move_current(1))
        hint = QLabel(self.tr("也可以拖动调整顺序"), left)
        hint.setStyleSheet("color: #64748b;")
        move.addWidget(self.up_button)
        move.addWidget(self.down_button)
        move.addWidget(hint)
        move.addStretch(1)
        ll.addLayout(move)
        left.setMinimumWidth(char * 56)

        self.tabs = QTabWidget(self.splitter)
        self.tabs.setObjectName("rules_tabs")
        self.tabs.setDocumentMode(True)
        # editor + dry run
        edit_page = QSplitter(Qt.Orientation.Vertical, self.tabs)
        scroll = QScrollArea(edit_page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.editor = RuleEditor(self.ctx, scroll)
        scroll.setWidget(self.editor)
        edit_page.addWidget(scroll)
        dry = QWidget(edit_page)
        dl = QVBoxLayout(dry)
        dl.setContentsMargins(0, 4, 0, 0)
        head = QHBoxLayout()
        self.preview_label = QLabel(dry)
        self.preview_label.setObjectName("preview_label")
        self.preview_label.setWordWrap(True)
        self.preview_progress = QProgressBar(dry)
        self.preview_progress.setRange(0, 0)
        self.preview_progress.setMaximumWidth(char * 20)
        self.preview_progress.setVisible(False)
        self.preview_button = QPushButton(self.tr("试运行"), dry)
        self.preview_button.setObjectName("run_preview")
        self.preview_button.setToolTip(self.tr("用编辑中的条件查一遍：现在会命中哪些成员（不做任何改动）"))
        self.preview_button.clicked.connect(self.run_preview)
        head.addWidget(self.preview_label, 1)
        head.addWidget(self.preview_progress)
        head.addWidget(self.preview_button)
        dl.addLayout(head)
        pv = QSplitter(Qt.Orientation.Horizontal, dry)
        self.preview_table = self._table(pv, self.preview_model, "preview_table")
        self.evidence_table = self._table(pv, self.evidence_model, "evidence_table")
        for t in (self.preview_table, self.evidence_table):  # ≤ 200 rows: fit the columns
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        pv.addWidget(self.preview_table)
        pv.addWidget(self.evidence_table)
        pv.setStretchFactor(0, 3)
        pv.setStretchFactor(1, 2)
        dl.addWidget(pv, 1)
        edit_page.addWidget(dry)
        edit_page.setStretchFactor(0, 3)
        edit_page.setStretchFactor(1, 2)
        line = self.fontMetrics().height()
        edit_page.setSizes([line * 24, line * 14])
        self.tabs.addTab(edit_page, self.tr("编辑与试运行").replace("&", "&&"))
        # to-do
        todo = QWidget(self.tabs)
        tl = QVBoxLayout(todo)
        th = QHBoxLayout()
        self.todo_label = QLabel(todo)
        self.todo_label.setObjectName("todo_label")
        self.todo_progress = QProgressBar(todo)
        self.todo_progress.setRange(0, 0)
        self.todo_progress.setMaximumWidth(char * 20)
        self.todo_progress.setVisible(False)
        self.confirm_button = QPushButton(self.tr("确认所选"), todo)
        self.confirm_button.setObjectName("confirm_selected")
        self.confirm_button.setToolTip(self.tr("执行所选待办：记入动态，并按动作修改状态/角色/标签（可撤销）"))
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.confirm_all_button = QPushButton(self.tr("全部确认"), todo)
        self.confirm_all_button.setObjectName("confirm_all")
        self.confirm_all_button.clicked.connect(self.confirm_all)
        self.todo_refresh = QPushButton(self.tr("刷新"), todo)
        self.todo_refresh.clicked.connect(lambda: self.load_todo(force=True))
        th.addWidget(self.todo_label, 1)
        th.addWidget(self.todo_progress)
        th.addWidget(self.todo_refresh)
        th.addWidget(self.confirm_button)
        th.addWidget(self.confirm_all_button)
        tl.addLayout(th)
        self.todo_table = self._table(todo, self.todo_model, "todo_table")
        self.todo_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.todo_table.doubleClicked.connect(lambda _i: self.confirm_selected())
        tl.addWidget(self.todo_table, 1)
        self.todo_message = QLabel(todo)
        self.todo_message.setObjectName("todo_message")
        self.todo_message.setWordWrap(True)
        tl.addWidget(self.todo_message)
        self.tabs.addTab(todo, self.tr("待办"))
        # history
        hist = QSplitter(Qt.Orientation.Vertical, self.tabs)
        self.history_table = self._table(hist, self.history_model, "history_table")
        hist.addWidget(self.history_table)
        self.diff_view = QPlainTextEdit(hist)
        self.diff_view.setObjectName("history_diff")
        self.diff_view.setReadOnly(True)
        self.diff_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        hist.addWidget(self.diff_view)
        self.tabs.addTab(hist, self.tr("历史版本"))
        # published text
        pub = QWidget(self.tabs)
        pl = QVBoxLayout(pub)
        ph = QHBoxLayout()
        ph.addWidget(QLabel(self.tr("截至日期"), pub))
        self.published_date = QDateEdit(pub)
        self.published_date.setObjectName("published_date")
        self.published_date.setCalendarPopup(True)
        self.published_date.setDisplayFormat("yyyy-MM-dd")
        self.published_date.setDate(qdate(dt.date.today()))
        ph.addWidget(self.published_date)
        ph.addStretch(1)
        self.copy_button = QPushButton(self.tr("复制"), pub)
        self.copy_button.setObjectName("copy_published")
        self.copy_button.setToolTip(self.tr("复制群规全文，可直接粘贴到群公告"))
        self.copy_button.clicked.connect(self.copy_published)
        self.export_button = QPushButton(self.tr("导出…"), pub)
        self.export_button.clicked.connect(lambda: self.export_published())
        ph.addWidget(self.copy_button)
        ph.addWidget(self.export_button)
        pl.addLayout(ph)
        self.published = QPlainTextEdit(pub)
        self.published.setObjectName("published_text")
        self.published.setReadOnly(True)
        pl.addWidget(self.published, 1)
        self.published_message = QLabel(pub)
        self.published_message.setStyleSheet("color: #166534;")
        pl.addWidget(self.published_message)
        self.tabs.addTab(pub, self.tr("发布文本"))

        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([char * 72, char * 110])
        self.splitter.setChildrenCollapsible(False)

    def _table(self, parent: QWidget, model: QAbstractItemModel, name: str) -> QTableView:
        t = QTableView(parent)
        t.setObjectName(name)
        t.setModel(model)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setWordWrap(False)
        t.setAlternatingRowColors(True)
        t.verticalHeader().setVisible(False)
        t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        t.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        t.horizontalHeader().setStretchLastSection(True)
        t.horizontalHeader().setHighlightSections(False)
        return t

    def _make_actions(self) -> None:
        action = functools.partial(view_action, self, bar=self.actions_bar)

        self.act_new = action(self.tr("新建群规"), self.new_rule, QKeySequence.StandardKey.New,
                              self.tr("新建一条群规 (Ctrl+N)"))
        self.act_save = action(self.tr("保存"), self.editor.save, QKeySequence.StandardKey.Save,
                               self.tr("保存编辑中的群规 (Ctrl+S)"))
        self.act_delete = action(self.tr("删除"), self.delete_current, None,
                                 self.tr("删除所选群规（历史保留，可撤销）"))
        self.actions_bar.addSeparator()
        self.act_install = action(self.tr("安装推荐群规"), self.install_starter_rules, None,
                                  self.tr("添加常用的推荐群规（已有同名的跳过）"))
        self.act_todo = action(self.tr("查看待办"), lambda: self.tabs.setCurrentIndex(1), None,
                               self.tr("按群规检查全部成员，列出需要处理的人"))

    def toolbar_actions(self) -> list[QAction]:
        return [self.act_new, self.act_todo]

    # ---- the rule list ------------------------------------------------------------------------
    def reload(self) -> None:
        if not self.ctx.has_workspace:
            return
        def work(h: TaskHandle) -> tuple[list[RuleView], list[tuple[int, str]]]:
            from sqdesk.core.groups import group_ids_by_name
            from sqdesk.core.rules_store import list_rules

            with h.ws.read() as s:
                return list_rules(s), sorted((gid, name) for name, gid in group_ids_by_name(s).items())

        self.ctx.tasks.submit(work, on_done=self._rules_arrived, label=self.tr("正在读取群规…"), owner=self)

    def _rules_arrived(self, result: tuple[list[RuleView], list[tuple[int, str]]]) -> None:
        rules, groups = result
        current = self.current_rule()
        keep = self._pending_select if self._pending_select is not None else (current.id if current else None)
        self._pending_select = None
        if groups != self._groups:
            self._groups = groups
            self.editor.set_groups(groups)
        self.model.set_rules(rules)
        row = self.model.row_of(keep) if keep is not None else None
        sm = self.table.selectionModel()
        if row is not None:
            sm.blockSignals(True)
            self.table.selectRow(row)
            sm.blockSignals(False)
            rule = self.model.rule(row)
            # show the fresh version unless the operator is in the middle of an edit
            if not self.editor.is_dirty() or (self.editor.rule is not None and self.editor.rule.id != rule.id):
                self.editor.show_rule(rule)
                self._preview_timer.start()
            elif self.editor.rule is not None:
                self.editor.rule = rule
            self.load_history(rule.id)
        elif rules and self.editor.rule is None and not self.editor.is_dirty() and self._first_load:
            self.table.selectRow(0)  # open on the first rule rather than an empty form
        elif self.editor.rule is not None and not self.editor.is_dirty():
            self.editor.start_new()
            self.history_model.set_rows([])
            self.diff_view.clear()
        self._first_load = False
        self.empty_box.setVisible(not rules)
        self._update_buttons()
        self.rules_loaded.emit(len(rules))
        if self.tabs.currentIndex() == 3:
            self.load_published()

    def current_rule(self) -> RuleView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.rule(rows[0].row())

    def select_rule(self, rule_id: int) -> bool:
        row = self.model.row_of(rule_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _current_changed(self) -> None:
        rule = self.current_rule()
        if rule is not None and (self.editor.rule is None or self.editor.rule.id != rule.id):
            if self.editor.is_dirty():
                self._back_to_edited_rule()
                self.confirm_discard(lambda: self.select_rule(rule.id))
                return
            self.editor.show_rule(rule)
            self._preview_timer.start()
            self.load_history(rule.id)
        self._update_buttons()

    def _back_to_edited_rule(self) -> None:
        sm = self.table.selectionModel()
        sm.blockSignals(True)
        row = self.model.row_of(self.editor.rule.id) if self.editor.rule is not None else None
        if row is None:
            sm.clearSelection()
        else:
            self.table.selectRow(row)
        sm.blockSignals(False)
        self.table.viewport().update()

    def confirm_discard(self, then: Callable[[], Any]) -> None:
        """Run ``then`` — after asking, when the editor holds unsaved changes."""
        if not self.editor.is_dirty():
            then()
            return
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("未保存的修改"))
        title = self.editor.title.text().strip() or self.tr("新群规")
        box.setText(self.tr("「{title}」的修改还没有保存。").format(title=title))
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Save).setText(self.tr("保存"))
        box.button(QMessageBox.StandardButton.Discard).setText(self.tr("放弃修改"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("继续编辑"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: Any) -> None:
            choice = box.standardButton(button)
            if choice == QMessageBox.StandardButton.Save:
                self.editor.save()
            elif choice == QMessageBox.StandardButton.Discard:
                self.editor.revert()
                then()

        box.buttonClicked.connect(answered)
        box.finished.connect(lambda _r: setattr(self, "message_box", None))
        self.message_box = box
        box.open()

    def _update_buttons(self) -> None:
        rule = self.current_rule()
        n = self.model.rowCount()
        row = self.model.row_of(rule.id) if rule else None
        self.act_delete.setEnabled(rule is not None)
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < n - 1)

    def _rule_saved(self, rule_id: int) -> None:
        if not self.select_rule(rule_id):
            self._pending_select = rule_id

    # ---- edits ----------------------------------------------------------------------------------
    def new_rule(self) -> None:
        if self.editor.is_dirty():
            self.confirm_discard(self.new_rule)
            return
        self.table.selectionModel().clearSelection()
        self.editor.start_new()
        self.tabs.setCurrentIndex(0)
        self.history_model.set_rows([])
        self.diff_view.clear()
        self._clear_preview()

    def delete_current(self) -> None:
        from sqdesk.ui.commands_rules import DeleteRuleCommand

        rule = self.current_rule()
        if rule is not None:
            self.ctx.undo_stack.push(DeleteRuleCommand(self.ctx, rule.id, rule.title,
                                                       expected_version=rule.version))

    def set_enabled(self, rule_id: int, enabled: bool) -> None:
        from dataclasses import replace

        from sqdesk.ui.commands_rules import SaveRuleCommand

        row = self.model.row_of(rule_id)
        if row is None:
            return
        rule = self.model.rule(row)
        cmd = SaveRuleCommand(self.ctx, rule.id, replace(rule.to_input(), enabled=enabled),
                              expected_version=rule.version)
        cmd.setText(self.tr("启用群规「{title}」") if enabled else self.tr("停用群规「{title}」"))
        cmd.setText(cmd.text().format(title=rule.title))
        self.ctx.undo_stack.push(cmd)

    def move_current(self, step: int) -> None:
        rule = self.current_rule()
        if rule is None:
            return
        row = self.model.row_of(rule.id)
        if row is None:
            return
        self.move_rule_to(rule.id, row + step)

    def move_rule_to(self, rule_id: int, position: int) -> None:
        from sqdesk.ui.commands_rules import MoveRuleCommand

        row = self.model.row_of(rule_id)
        if row is None:
            return
        position = max(0, min(position, self.model.rowCount() - 1))
        if position == row:
            return
        self._pending_select = rule_id
        self.ctx.undo_stack.push(MoveRuleCommand(self.ctx, rule_id, row, position, self.model.rule(row).title))

    def install_starter_rules(self) -> None:
        from sqdesk.ui.commands_rules import InstallStarterRulesCommand

        self.ctx.undo_stack.push(InstallStarterRulesCommand(self.ctx))

    # ---- metrics cache ------------------------------------------------------------------------
    def with_metrics(self, fn: Callable[[MetricsTable], None]) -> None:
        """Call ``fn`` with the member metrics, computing them first if needed."""
        if self._metrics is not None:
            fn(self._metrics)
            return
        self._metrics_waiters.append(fn)
        if self._metrics_loading:
            return
        self._metrics_loading = True
        gen = self._metrics_gen
        self.preview_progress.setVisible(True)
        self.todo_progress.setVisible(True)

        def work(h: TaskHandle) -> MetricsTable:
            from sqdesk.analytics.metrics import member_metrics

            with h.ws.read() as s:  # shared with the dashboard's to-do count (sqdesk.db.memo)
                return member_metrics(s)

        def done(table: MetricsTable) -> None:
            self._metrics_loading = False
            self.metrics_computed += 1
            if gen != self._metrics_gen:  # data changed while computing: once more
                self.with_metrics(lambda _t: None)
                return
            self._metrics = table
            self.preview_progress.setVisible(False)
            self.todo_progress.setVisible(False)
            waiters, self._metrics_waiters = self._metrics_waiters, []
            for w in waiters:
                w(table)

        def failed(exc: BaseException) -> None:
            self._metrics_loading = False
            self._metrics_waiters.clear()
            self.preview_progress.setVisible(False)
            self.todo_progress.setVisible(False)
            self._report(exc)

        self.ctx.tasks.submit(work, on_done=done, on_error=failed,
                              label=self.tr("正在计算成员指标…"), owner=self)

    def invalidate_metrics(self) -> None:
        self._metrics = None
        self._metrics_gen += 1

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & METRIC_KINDS:
            self.invalidate_metrics()
            self._todo_stale = True
            if "workspace" in kinds:
                self._groups = []
                self._first_load = True
                self.editor.start_new()
        if kinds & {"rules", "groups", "workspace", "imports"}:
            self.reload()
            self._todo_stale = True
        if self._todo_stale and self.tabs.currentIndex() == 1:
            self.load_todo()
        elif kinds & METRIC_KINDS and self.preview is not None:
            self._preview_timer.start()

    # ---- dry run of the edited condition ---------------------------------------------------------
    def _clear_preview(self) -> None:
        self._preview_gen += 1
        self.preview = None
        self.preview_model.set_headers([self.tr("成员")])
        self.preview_model.set_rows([])
        self.evidence_model.set_rows([])
        cond = self.editor.condition
        if not cond.valid:
            self.preview_label.setText(self.tr("条件有误，改正后显示命中的成员。"))
        elif not cond.text().strip():
            self.preview_label.setText(self.tr("写好条件后，这里会列出现在符合条件的成员（试运行，不做任何改动）。"))
        else:
            self.preview_label.setText(self.tr("点「试运行」查看现在会命中哪些成员。"))

    def run_preview(self) -> None:
        self._preview_timer.stop()
        if not self.ctx.has_workspace:
            return
        cond = self.editor.condition
        text = cond.text().strip()
        if not text or not cond.check(move_cursor=False):
            self._clear_preview()
            return
        self._preview_gen += 1
        gen = self._preview_gen
        groups = None if self.editor.scope_all.isChecked() else self.editor.chosen_group_names()
        if self._metrics is None:
            self.preview_label.setText(self.tr("正在计算成员指标（成员多时需要几秒）…"))

        def with_table(table: MetricsTable) -> None:
            if gen != self._preview_gen:
                return

            def work(h: TaskHandle) -> ConditionPreview | None:
                if gen != self._preview_gen:
                    return None
                with h.ws.read() as s:
                    return preview_condition(s, table, text, groups)

            self.ctx.tasks.submit(work, on_done=lambda p: self._preview_arrived(gen, p),
                                  on_error=self._preview_failed, owner=self)

        self.with_metrics(with_table)

    def _preview_arrived(self, gen: int, p: ConditionPreview | None) -> None:
        if p is None or gen != self._preview_gen:
            return
        self.preview = p
        self.preview_model.set_headers([self.tr("成员")] + [variable_label(v) for v in p.variables])
        self.preview_model.set_rows(
            [[m.display_name, *(_shown(m.values[v]) for v in p.variables)] for m in p.members],
            payloads=list(p.members))
        self.evidence_model.set_rows([])
        if p.count > len(p.members):
            text = self.tr("试运行：现在有 {n} 人符合条件（截至 {date}），下面列出前 {k} 人。")
        else:
            text = self.tr("试运行：现在有 {n} 人符合条件（截至 {date}）。")
        self.preview_label.setText(text.format(n=f"{p.count:,}", date=p.as_of.isoformat(), k=len(p.members)))
        self.preview_shown.emit(p.count)

    def _preview_failed(self, exc: BaseException) -> None:
        from sqdesk.core.errors import UserError

        if isinstance(exc, UserError):
            self.preview_label.setText(str(exc))
        else:
            self._report(exc)

    def _show_evidence(self) -> None:
        index = self.preview_table.selectionModel().currentIndex()
        p = self.preview
        if p is None or not index.isValid():
            return
        member: PreviewMember = self.preview_model.data(index.siblingAtColumn(0), PAYLOAD_ROLE)
        condition, as_of = p.condition, p.as_of

        def work(h: TaskHandle) -> dict[str, list[ActivityEvidence]]:
            from sqdesk.rules.engine import member_evidence

            with h.ws.read() as s:
                return member_evidence(s, condition, member.member_id, as_of)

        def done(evidence: dict[str, list[ActivityEvidence]]) -> None:
            rows = []
            for var, items in evidence.items():
                alias = variable_label(var)
                for e in items[:50]:
                    rows.append([alias, e.at, vocab(e.kind), e.value, e.note])
            self.evidence_model.set_rows(rows)

        self.ctx.tasks.submit(work, on_done=done, on_error=self._preview_failed, owner=self)

    # ---- the to-do list ---------------------------------------------------------------------------
    def _tab_changed(self) -> None:
        i = self.tabs.currentIndex()
        if i == 1 and self._todo_stale:
            self.load_todo()
        elif i == 3:
            self.load_published()

    def load_todo(self, *, force: bool = False) -> None:
        if force:
            self.invalidate_metrics()
        self._todo_stale = False
        self._todo_gen += 1
        gen = self._todo_gen
        self.todo_label.setText(self.tr("正在按群规检查全部成员…"))

        grace, execute = self.tr("宽限提醒"), self.tr("执行")
        actions = {a: vocab(a) for a in ("提醒", "警告", "清退", "升为骨干", "打标签", "仅标记")}

        def with_table(table: MetricsTable) -> None:
            def work(h: TaskHandle) -> tuple[list[tuple[str, ...]], list[TodoItem]] | None:
                if gen != self._todo_gen:
                    return None
                from sqdesk.rules.engine import todo_list

                with h.ws.read() as s:
                    items = todo_list(s, metrics=table)
                cells: list[tuple[str, ...]] = [
                    (i.rule_title, i.member_name,
                     actions.get(i.action, i.action) + (f" #{i.action_arg}" if i.action_arg else ""),
                     grace if i.stage == "宽限提醒" else execute, i.due_on.isoformat(), i.reason)
                    for i in items
                ]
                return cells, items

            self.ctx.tasks.submit(work, on_done=lambda items: self._todo_arrived(gen, items),
                                  on_error=self._report, owner=self)

        self.with_metrics(with_table)

    def _todo_arrived(self, gen: int, result: tuple[list[tuple[str, ...]], list[TodoItem]] | None) -> None:
        if result is None or gen != self._todo_gen:
            return
        cells, items = result
        self.todo_model.set_rows(cells, items)
        self.todo_label.setText(
            self.tr("待处理 {n} 项").format(n=f"{len(items):,}") if items
            else self.tr("没有待处理的事项：现在没有成员触发群规。"))
        self._todo_selection_changed()
        self.todo_loaded.emit(len(items))

    def _todo_items(self, rows: Sequence[int]) -> list[TodoItem]:
        return [self.todo_model.item(r) for r in rows]

    def _todo_selection_changed(self) -> None:
        n = len(self.todo_table.selectionModel().selectedRows())
        self.confirm_button.setEnabled(n > 0)
        self.confirm_all_button.setEnabled(self.todo_model.rowCount() > 0)

    def confirm_selected(self) -> None:
        rows = sorted({i.row() for i in self.todo_table.selectionModel().selectedRows()})
        self._confirm(self._todo_items(rows))

    def confirm_all(self) -> None:
        self._confirm(self._todo_items(range(self.todo_model.rowCount())))

    def _confirm(self, items: list[TodoItem]) -> None:
        from sqdesk.ui.commands_rules import ConfirmTodoCommand

        if not items:
            return

        def done(cmd: Any, forward: bool) -> None:
            result = cmd.result
            if forward and result is not None:
                self.todo_message.setStyleSheet("color: #166534;")
                self.todo_message.setText(result.describe() + self.tr("（可撤销）"))
            elif not forward:
                self.todo_message.setStyleSheet("color: #334155;")
                self.todo_message.setText(self.tr("已撤销这次处理"))

        def failed(exc: BaseException) -> None:
            self.todo_message.setStyleSheet("color: #b91c1c;")
            self.todo_message.setText(str(exc))

        self.ctx.undo_stack.push(ConfirmTodoCommand(self.ctx, items, on_done=done, on_error=failed))

    # ---- history -----------------------------------------------------------------------------------
    def load_history(self, rule_id: int) -> None:
        self._history_gen += 1
        gen = self._history_gen

        def work(h: TaskHandle) -> list[RuleVersionView] | None:
            if gen != self._history_gen:
                return None
            from sqdesk.core.rules_store import rule_history

            with h.ws.read() as s:
                return rule_history(s, rule_id)

        def done(versions: list[RuleVersionView] | None) -> None:
            if versions is None or gen != self._history_gen:
                return
            versions = list(reversed(versions))  # newest first
            self.history_model.set_rows(
                [[f"#{v.revision}", v.valid_from, v.author or "—", v.title, v.enabled, v.condition,
                  vocab(v.action)] for v in versions],
                payloads=versions)
            self.diff_view.clear()
            if versions:
                self.history_table.selectRow(0)
                self._show_diff()
            self.history_loaded.emit(len(versions))

        self.ctx.tasks.submit(work, on_done=done, on_error=self._report, owner=self)

    def _show_diff(self) -> None:
        index = self.history_table.selectionModel().currentIndex()
        if not index.isValid():
            return
        row = index.row()
        version: RuleVersionView = self.history_model.payload(row)
        older: RuleVersionView | None = (
            self.history_model.payload(row + 1) if row + 1 < self.history_model.rowCount() else None)
        when = version.valid_from.strftime("%Y-%m-%d %H:%M")
        head = self.tr("第 {rev} 版，{when}，{who}").format(rev=version.revision, when=when,
                                                          who=version.author or "—")
        if older is None:
            body = "\n".join("+ " + line for line in revision_text(version))
            self.diff_view.setPlainText(head + self.tr("（最初的版本）") + "\n\n" + body)
            return
        lines = list(difflib.unified_diff(
            revision_text(older), revision_text(version),
            fromfile=self.tr("第 {rev} 版").format(rev=older.revision),
            tofile=self.tr("第 {rev} 版").format(rev=version.revision), lineterm="", n=1))
        self.diff_view.setPlainText(head + "\n\n" + ("\n".join(lines) if lines else self.tr("（内容没有变化）")))

    # ---- published text ------------------------------------------------------------------------------
    def load_published(self) -> None:
        day: dt.date = self.published_date.date().toPython()  # type: ignore[assignment]
        when = dt.datetime.combine(day, dt.time(23, 59, 59))

        def work(h: TaskHandle) -> str:
            from sqdesk.core.rules_store import published_text

            with h.ws.read() as s:
                return published_text(s, when)

        def done(text: str) -> None:
            self.published.setPlainText(text)
            self.published_message.clear()
            self.published_loaded.emit()

        self.ctx.tasks.submit(work, on_done=done, on_error=self._report, owner=self)

    def copy_published(self) -> None:
        QGuiApplication.clipboard().setText(self.published.toPlainText())
        self.published_message.setText(self.tr("已复制，可以粘贴到群公告。"))

    def export_published(self, path: str | Path | None = None) -> Path | None:
        """The published text for the chosen date, as .txt (for a group announcement) or
        .xlsx (for leaders), written by sqdesk.io.rules_export."""
        if path is None:
            day = self.published_date.date().toString("yyyy-MM-dd")
            chosen, _f = QFileDialog.getSaveFileName(
                self, self.tr("导出群规"), self.tr("群规_{day}.txt").format(day=day),
                self.tr("文本文件 (*.txt);;Excel 工作簿 (*.xlsx)"))
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        qd = self.published_date.date()
        when = dt.datetime(qd.year(), qd.month(), qd.day(), 23, 59, 59)

        def work(h: TaskHandle) -> Path:
            from sqdesk.io.rules_export import export_published_rules

            with h.ws.read() as s:
                export_published_rules(s, target, when)
            return target

        def done(written: Path) -> None:
            self.published_message.setText(self.tr("已导出到 {path}").format(path=written))
            self.published_exported.emit(str(written))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.published_message.setText(str(exc))
            else:
                self._report(exc)

        # file and database work stay off the UI thread
        self.ctx.tasks.submit(work, on_done=done, on_error=failed, owner=self, label=self.tr("导出群规"))
        return target

    def _report(self, exc: BaseException) -> None:
        if self.ctx.tasks.error_handler is not None:
            self.ctx.tasks.error_handler(exc)
        else:
            self.todo_message.setText(str(exc))

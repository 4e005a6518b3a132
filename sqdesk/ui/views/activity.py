"""动态 — the activity log: filters, a table that pages as it scrolls, manual entry,
edit/delete (undoable), import through the import wizard, and the import batches
with 撤销本批.

The table is an :class:`ActivityLogModel`; its pages come from
``core.activity.activity_page`` (keyset pagination) on the DB worker, so scrolling a
2,000,000-line log costs one index walk of 200 rows per page. The total for the
current filter (``count_activity``) is counted separately, also on the worker, and
shown when it arrives — the table does not wait for it.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core.activity import ActivityFilter, ActivityRow
from sqdesk.models.vocab import ACTIVITY_KINDS
from sqdesk.ui.dialogs.activity_dialog import qdate
from sqdesk.ui.i18n import vocab
from sqdesk.ui.itemmodels.activity_model import ActivityColumn, ActivityLogModel, Cursor
from sqdesk.ui.itemmodels.table_model import PAYLOAD_ROLE, StaticTableModel
from sqdesk.ui.widgets.actions import view_action
from sqdesk.ui.widgets.record_table import record_table

if TYPE_CHECKING:
    from sqdesk.core.imports import BatchView
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.dialogs.activity_dialog import ActivityDialog
    from sqdesk.ui.dialogs.import_wizard import ImportWizard
    from sqdesk.ui.tasks import TaskHandle

SEARCH_DEBOUNCE_MS = 250
# column widths as sample texts (CJK fonts make "average character" widths useless)
WIDTHS = {ActivityColumn.TIME: "2026-12-31 23:59", ActivityColumn.MEMBER: "欧阳某某某",
          ActivityColumn.GROUP: "星火创业者2群（QQ）", ActivityColumn.KIND: "参加活动",
          ActivityColumn.VALUE: "99999", ActivityColumn.NOTE: "邀请「某某某」入群，来自小红书的推荐"}


class DateRangeFilter(QWidget):
    """全部时间 / 今天 / 近 7 天 / 近 30 天 / 近 90 天 / 今年 / 自定义 (two date edits)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.preset = QComboBox(self)
        self.preset.setObjectName("date_preset")
        for key, text in (
            ("all", self.tr("全部时间")), ("today", self.tr("今天")), ("7", self.tr("近 7 天")),
            ("30", self.tr("近 30 天")), ("90", self.tr("近 90 天")), ("year", self.tr("今年")),
            ("custom", self.tr("自定义…")),
        ):
            self.preset.addItem(text, key)
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        today = dt.date.today()
        self.start = QDateEdit(self)
        self.start.setObjectName("date_start")
        self.end = QDateEdit(self)
        self.end.setObjectName("date_end")
        for edit, value in ((self.start, today - dt.timedelta(days=30)), (self.end, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(qdate(value))
            edit.setVisible(False)
            edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.dash = QLabel("–", self)
        self.dash.setVisible(False)
        lay.addWidget(self.preset)
        lay.addWidget(self.start)
        lay.addWidget(self.dash)
        lay.addWidget(self.end)
        self.preset.currentIndexChanged.connect(self._preset_changed)

    def _preset_changed(self, _i: int) -> None:
        custom = self.preset.currentData() == "custom"
        for w in (self.start, self.dash, self.end):
            w.setVisible(custom)
        self.changed.emit()

    def set_custom(self, start: dt.date, end: dt.date) -> None:
        self.blockSignals(True)
        self.start.setDate(qdate(start))
        self.end.setDate(qdate(end))
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.blockSignals(False)
        self.changed.emit()

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """Inclusive first and last day, or None for open ends."""
        key = self.preset.currentData()
        today = dt.date.today()
        if key == "today":
            return today, today
        if key in ("7", "30", "90"):
            return today - dt.timedelta(days=int(key) - 1), today
        if key == "year":
            return today.replace(month=1, day=1), today
        if key == "custom":
            return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]
        return None, None

    def datetime_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """``start`` inclusive, ``end`` exclusive (midnight after the last day)."""
        first, last = self.date_range()
        return (
            dt.datetime.combine(first, dt.time()) if first else None,
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time()) if last else None,
        )


class KindsFilter(QToolButton):
    """A button with a menu of checkable activity kinds (none checked: all kinds)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filter_kinds")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self._actions: dict[str, QAction] = {}
        clear = self.menu_.addAction(self.tr("全部类型"))
        clear.triggered.connect(self.clear)
        self.menu_.addSeparator()
        for kind in ACTIVITY_KINDS:
            a = self.menu_.addAction(vocab(kind))
            a.setCheckable(True)
            a.toggled.connect(lambda _c: self._update())
            self._actions[kind] = a
        self.setMenu(self.menu_)
        self._update(emit=False)

    def kinds(self) -> list[str]:
        return [k for k, a in self._actions.items() if a.isChecked()]

    def set_kinds(self, kinds: list[str]) -> None:
        for k, a in self._actions.items():
            a.blockSignals(True)
            a.setChecked(k in kinds)
            a.blockSignals(False)
        self._update()

    def clear(self) -> None:
        self.set_kinds([])

    def _update(self, emit: bool = True) -> None:
        kinds = self.kinds()
        if not kinds:
            self.setText(self.tr("全部类型"))
        elif len(kinds) <= 3:
            self.setText("、".join(vocab(k) for k in kinds))
        else:
            self.setText(self.tr("{n} 种类型").format(n=len(kinds)))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.text()) + 40)
        if emit:
            self.changed.emit()


class ActivityView(QWidget):
    """The 动态 screen."""

    count_shown = Signal(int)
    batches_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("动态")
        self._count_gen = 0
        self._groups: list[tuple[int, str]] = []
        self._batches: list[BatchView] = []
        self.total: int | None = None
        self.dialog: ActivityDialog | None = None
        self.wizard: ImportWizard | None = None
        self.message_box: QMessageBox | None = None
        self._filter = ActivityFilter()
        self._count_wanted = False
        self.model = ActivityLogModel(self._load_page, self)
        self.batch_model = StaticTableModel(
            [self.tr("批次"), self.tr("文件"), self.tr("导入时间"), self.tr("条数"), self.tr("状态")], self)
        self._build()
        self._make_actions()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.requery)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.requery)
        self.note_search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.group_combo, self.batch_combo):
            combo.currentIndexChanged.connect(lambda _i: self.requery())
        self.kinds.changed.connect(self.requery)
        self.dates.changed.connect(self.requery)
        self.model.pageLoaded.connect(lambda _n: self._page_loaded())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.batch_table.selectionModel().selectionChanged.connect(lambda *_a: self._batch_selection_changed())
        ctx.changed.connect(self._on_changed)
        self._selection_changed()
        self._batch_selection_changed()
        if ctx.has_workspace:
            self.reload_choices()
            self.requery()

    # ---- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.setSpacing(6)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("activity_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("成员：姓名、拼音首字母、手机号、#标签"))
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 26)
        top.addWidget(self.search, 2)
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("filter_group")
        self.group_combo.addItem(self.tr("全部群"), None)
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        top.addWidget(self.group_combo)
        self.kinds = KindsFilter(self)
        top.addWidget(self.kinds)
        self.dates = DateRangeFilter(self)
        top.addWidget(self.dates)
        self.batch_combo = QComboBox(self)
        self.batch_combo.setObjectName("filter_batch")
        self.batch_combo.addItem(self.tr("全部来源"), None)
        self.batch_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        top.addWidget(self.batch_combo)
        self.note_search = QLineEdit(self)
        self.note_search.setObjectName("activity_note_search")
        self.note_search.setClearButtonEnabled(True)
        self.note_search.setPlaceholderText(self.tr("备注包含…"))
        self.note_search.setToolTip(self.tr("按备注文字筛选；在很长的时间范围上会比较慢，可先选成员、群或日期"))
        top.addWidget(self.note_search, 1)
        lay.addLayout(top)

        self.actions_bar = QToolBar(self)
        self.actions_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        lay.addWidget(self.actions_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = record_table(self.splitter, self.model, "activity_table", context_menu=self._context_menu)
        hh = self.table.horizontalHeader()
        fm = self.fontMetrics()
        samples = dict(WIDTHS)
        samples[ActivityColumn.KIND] = max((vocab(k) for k in ACTIVITY_KINDS), key=fm.horizontalAdvance)
        for col, sample in samples.items():
            header = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            hh.resizeSection(col, max(fm.horizontalAdvance(sample) + 20, fm.horizontalAdvance(header) + 28))

        side = QWidget(self.splitter)
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(6, 0, 0, 0)
        heading = QLabel(self.tr("导入批次"), side)
        heading.setObjectName("sectionTitle")
        side_lay.addWidget(heading)
        self.batch_empty = QLabel(self.tr("还没有导入过动态。用「导入…」从聊天统计等表格导入后，每一批都会列在这里，可以整批撤销。"), side)
        self.batch_empty.setWordWrap(True)
        self.batch_empty.setStyleSheet("color: #475569;")
        self.batch_empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        side_lay.addWidget(self.batch_empty, 1)
        self.batch_table = QTableView(side)
        self.batch_table.setObjectName("activity_batches")
        self.batch_table.setModel(self.batch_model)
        self.batch_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.batch_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.batch_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.batch_table.verticalHeader().setVisible(False)
        self.batch_table.horizontalHeader().setStretchLastSection(True)
        self.batch_table.setWordWrap(False)
        side_lay.addWidget(self.batch_table, 1)
        row = QHBoxLayout()
        self.show_batch_button = QPushButton(self.tr("只看本批"), side)
        self.show_batch_button.clicked.connect(self.filter_by_selected_batch)
        self.undo_batch_button = QPushButton(self.tr("撤销本批"), side)
        self.undo_batch_button.setObjectName("undo_batch")
        self.undo_batch_button.setToolTip(self.tr("删除这一批导入的全部动态（整批撤销）"))
        self.undo_batch_button.clicked.connect(self.undo_selected_batch)
        row.addWidget(self.show_batch_button)
        row.addWidget(self.undo_batch_button)
        row.addStretch(1)
        side_lay.addLayout(row)
        self.batch_message = QLabel(side)
        self.batch_message.setObjectName("batch_message")
        self.batch_message.setWordWrap(True)
        side_lay.addWidget(self.batch_message)
        side.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 30)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([fm.horizontalAdvance("0") * 160, fm.horizontalAdvance("0") * 40])
        self.splitter.setChildrenCollapsible(False)
        lay.addWidget(self.splitter, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("activity_count")
        self.loaded_label = QLabel(self)
        self.loaded_label.setStyleSheet("color: #475569;")
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.loaded_label)
        lay.addLayout(bottom)

    def _make_actions(self) -> None:
        action = functools.partial(view_action, self, bar=self.actions_bar)

        self.act_new = action(self.tr("补录动态"), self.new_activity, QKeySequence.StandardKey.New,
                              self.tr("手动补录一条动态 (Ctrl+N)"))
        self.act_edit = action(self.tr("编辑"), self.edit_current, "Ctrl+E")
        self.act_delete = action(self.tr("删除"), self.delete_selected, QKeySequence.StandardKey.Delete,
                                 self.tr("删除所选动态 (Del)，可撤销"))
        self.actions_bar.addSeparator()
        self.act_import = action(self.tr("导入…"), self.open_import, "Ctrl+I",
                                 self.tr("从聊天统计等 Excel / CSV 导入动态 (Ctrl+I)"))
        self.act_clear = action(self.tr("清除筛选"), self.clear_filters)

    def toolbar_actions(self) -> list[QAction]:
        return [self.act_new, self.act_import]

    # ---- filters and paging ------------------------------------------------------------------
    def current_filter(self) -> ActivityFilter:
        start, end = self.dates.datetime_range()
        return ActivityFilter(
            group_id=self.group_combo.currentData(), kinds=tuple(self.kinds.kinds()), start=start, end=end,
            batch_id=self.batch_combo.currentData(), query=self.search.text(), note=self.note_search.text(),
        )

    def clear_filters(self) -> None:
        for w in (self.search, self.note_search, self.group_combo, self.batch_combo, self.kinds, self.dates):
            w.blockSignals(True)
        self.search.clear()
        self.note_search.clear()
        self.group_combo.setCurrentIndex(0)
        self.batch_combo.setCurrentIndex(0)
        self.kinds.clear()
        self.dates.preset.setCurrentIndex(0)
        for w in (self.search, self.note_search, self.group_combo, self.batch_combo, self.kinds, self.dates):
            w.blockSignals(False)
        self.requery()

    def requery(self) -> None:
        """A new filter (or new data): first page again, and a fresh count."""
        if not self.ctx.has_workspace:
            return
        self._debounce.stop()
        self._filter = self.current_filter()
        self.total = None
        # The count runs after the first page: on one DB worker, a count over millions
        # of lines queued in front would hold the page the operator is waiting for.
        self._count_wanted = True
        self.count_label.setText(self.tr("正在统计…"))
        self.model.reset()

    def _load_page(self, gen: int, cursor: Cursor | None, limit: int) -> None:
        flt = self._filter

        def work(h: TaskHandle) -> list[ActivityRow] | None:
            if gen != self.model.generation:
                return None  # a newer filter is queued behind this one
            from sqdesk.core.activity import activity_page

            with h.ws.read() as s:
                return activity_page(s, flt, before=cursor, limit=limit)

        def done(rows: list[ActivityRow] | None) -> None:
            if rows is None:
                self.model.page_failed(gen)
                return
            self.model.add_page(gen, rows)

        def failed(exc: BaseException) -> None:
            self.model.page_failed(gen)
            self._show_error(exc)

        self.ctx.tasks.submit(work, on_done=done, on_error=failed, label=self.tr("正在读取动态…"), owner=self)

    def _page_loaded(self) -> None:
        if self._count_wanted:
            self._count_wanted = False
            self._count()
        self._update_labels()

    def _count(self) -> None:
        self._count_gen += 1
        gen = self._count_gen
        flt = self._filter
        self.count_label.setText(self.tr("正在统计…"))

        def work(h: TaskHandle) -> tuple[int, int] | None:
            if gen != self._count_gen:
                return None
            from sqdesk.core.activity import count_activity

            with h.ws.read() as s:
                return gen, count_activity(s, flt)

        def done(result: tuple[int, int] | None) -> None:
            if result is None or result[0] != self._count_gen:
                return
            self.total = result[1]
            self._update_labels()
            self.count_shown.emit(self.total)

        self.ctx.tasks.submit(work, on_done=done, on_error=lambda _e: self.count_label.setText(""),
                              label=self.tr("正在统计动态条数…"), owner=self)

    def _update_labels(self) -> None:
        if self.total is not None:
            self.count_label.setText(self.tr("共 {n} 条").format(n=f"{self.total:,}"))
        shown = self.model.rowCount()
        self.loaded_label.setText(
            self.tr("已载入 {n} 条，向下滚动载入更多").format(n=f"{shown:,}") if not self.model.exhausted
            else self.tr("已载入 {n} 条").format(n=f"{shown:,}")
        )

    def reload_choices(self) -> None:
        """Groups and import batches for the filters and the batch list."""

        def work(h: TaskHandle) -> tuple[list[tuple[int, str]], list[BatchView]]:
            from sqdesk.core.groups import group_ids_by_name
            from sqdesk.core.imports import list_batches

            with h.ws.read() as s:
                groups = sorted((gid, name) for name, gid in group_ids_by_name(s).items())
                batches = [b for b in list_batches(s) if b.kind == "activity"]
            return groups, batches

        self.ctx.tasks.submit(work, on_done=self._choices_arrived, owner=self)

    def _choices_arrived(self, result: tuple[list[tuple[int, str]], list[BatchView]]) -> None:
        groups, batches = result
        self._groups = groups
        self._batches = batches
        changed = False
        committed = [b for b in batches if b.status == "committed"]
        for combo, items in (
            (self.group_combo, groups),
            (self.batch_combo, [(b.id, self.tr("导入 #{id} {file}").format(id=b.id, file=b.file_name))
                                for b in committed]),
        ):
            keep = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for data, text in items:
                combo.addItem(text, data)
            i = combo.findData(keep) if keep is not None else 0
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)
            changed |= keep is not None and i < 0
        selected = self.selected_batch()
        self.batch_model.set_rows(
            [(f"#{b.id}", b.file_name, b.created_at.strftime("%Y-%m-%d %H:%M"), b.rows_created,
              self.tr("已撤销") if b.status == "undone" else self.tr("已导入")) for b in batches],
            payloads=batches,
        )
        if selected is not None:
            for r, b in enumerate(batches):
                if b.id == selected.id:
                    self.batch_table.selectRow(r)
        self._batch_selection_changed()
        self.batch_empty.setVisible(not batches)
        self.batch_table.setVisible(bool(batches))
        if changed:
            self.requery()
        self.batches_loaded.emit()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "workspace" in kinds:
            self.clear_filters()
            self.reload_choices()
            return
        if kinds & {"groups", "imports"}:
            self.reload_choices()
        if kinds & {"activity", "members", "groups", "imports"}:
            self.requery()

    # ---- selection and editing -------------------------------------------------------------
    def selected_rows(self) -> list[ActivityRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row(r) for r in rows if r < self.model.rowCount()]

    def current_row(self) -> ActivityRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row(index.row())

    def _selection_changed(self) -> None:
        n = len(self.table.selectionModel().selectedRows())
        self.act_delete.setEnabled(n > 0)
        self.act_edit.setEnabled(n == 1)

    def _context_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        menu.addAction(self.act_edit)
        menu.addAction(self.act_delete)
        row = self.current_row()
        if row is not None:
            menu.addSeparator()
            only = menu.addAction(self.tr("只看「{name}」").format(name=row.member_name))
            only.triggered.connect(lambda _c=False: self.search.setText(row.member_name))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _open(self, dialog: ActivityDialog) -> ActivityDialog:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()
        return dialog

    def new_activity(self) -> ActivityDialog:
        from sqdesk.ui.dialogs.activity_dialog import ActivityDialog

        return self._open(ActivityDialog(self.ctx, self, groups=self._groups))

    def edit_current(self) -> ActivityDialog | None:
        from sqdesk.ui.dialogs.activity_dialog import ActivityDialog

        rows = self.selected_rows()
        row = rows[0] if len(rows) == 1 else self.current_row()
        if row is None:
            return None
        return self._open(ActivityDialog(self.ctx, self, groups=self._groups, row=row))

    def delete_selected(self) -> None:
        from sqdesk.ui.commands_activity import DeleteActivitiesCommand

        rows = self.selected_rows()
        if rows:
            self.ctx.undo_stack.push(DeleteActivitiesCommand(self.ctx, [r.id for r in rows]))

    # ---- import and batches ------------------------------------------------------------------
    def open_import(self, path: str | None = None) -> ImportWizard:
        from sqdesk.ui.dialogs.import_wizard import ImportWizard, activity_import_spec

        wizard = ImportWizard(self.ctx, activity_import_spec(), self)
        if path:
            wizard.set_path(path)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.destroyed.connect(lambda *_a: setattr(self, "wizard", None))
        self.wizard = wizard
        wizard.open()
        return wizard

    def selected_batch(self) -> BatchView | None:
        rows = self.batch_table.selectionModel().selectedRows()
        if not rows:
            return None
        batch: BatchView = self.batch_model.data(rows[0], PAYLOAD_ROLE)
        return batch

    def _batch_selection_changed(self) -> None:
        b = self.selected_batch()
        self.undo_batch_button.setEnabled(b is not None and b.status == "committed")
        self.show_batch_button.setEnabled(b is not None and b.status == "committed")

    def filter_by_selected_batch(self) -> None:
        b = self.selected_batch()
        if b is None:
            return
        i = self.batch_combo.findData(b.id)
        if i >= 0:
            self.batch_combo.setCurrentIndex(i)

    def undo_selected_batch(self, *, confirm: bool = True) -> None:
        b = self.selected_batch()
        if b is None or b.status != "committed":
            return
        if not confirm:
            self._undo_batch(b)
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("撤销本批"))
        box.setText(self.tr("撤销导入 #{id}「{file}」？").format(id=b.id, file=b.file_name))
        box.setInformativeText(self.tr("这一批导入的 {n} 条动态将全部删除。").format(n=b.rows_created))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("撤销导入"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._undo_batch(b))
        box.finished.connect(lambda _r: setattr(self, "message_box", None))
        self.message_box = box
        box.open()

    def _undo_batch(self, batch: BatchView) -> None:
        def work(h: TaskHandle) -> Any:
            from sqdesk.core.imports import undo_import

            with h.ws.write() as s:
                return undo_import(s, batch.id, operator=h.ws.operator)

        def done(result: Any) -> None:
            self.batch_message.setStyleSheet("color: #166534;")
            self.batch_message.setText(result.describe())
            self.ctx.notify("activity", "imports", "members")

        self.ctx.tasks.submit(work, on_done=done, on_error=self._batch_failed,
                              label=self.tr("正在撤销导入…"), progress_parent=self)

    def _batch_failed(self, exc: BaseException) -> None:
        from sqdesk.core.errors import UserError

        if not isinstance(exc, UserError):
            self._show_error(exc)
            return
        self.batch_message.setStyleSheet("color: #b91c1c;")
        self.batch_message.setText(str(exc))
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("无法撤销这批导入"))
        box.setText(str(exc))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: setattr(self, "message_box", None))
        self.message_box = box
        box.open()
        self.reload_choices()

    def _show_error(self, exc: BaseException) -> None:
        if self.ctx.tasks.error_handler is not None:
            self.ctx.tasks.error_handler(exc)
        else:
            self.count_label.setText(str(exc))

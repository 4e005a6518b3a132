"""成员 — the roster screen: search-as-you-type, filters, a table over all members,
bulk actions, the member page beside it, import and undo of the last import.

The table is a :class:`RosterTableModel` over the ordered member ids core returns for
the current search text, filters and sort column. Every change of those runs one
``search_member_ids`` on the DB worker; a result that arrives after a newer request
was made (an older keystroke) is dropped, and a request still waiting in the queue
when a newer one is made does not even run. Display rows are fetched by the model
in blocks as they scroll into view (a few ms per block, on the UI thread, reading
while the worker may write: SQLite WAL / PostgreSQL MVCC keep readers unblocked).

Every edit is a QUndoCommand on ``ctx.undo_stack`` (see :mod:`sqdesk.ui.commands`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core import roster
from sqdesk.core.text import split_tags
from sqdesk.models.vocab import LEVELS, MEMBER_STATUSES, ROLES
from sqdesk.ui.commands import (
    BulkTagCommand,
    BulkUpdateCommand,
    DeleteMembersCommand,
    MoveToGroupCommand,
)
from sqdesk.ui.dialogs.choice_dialog import ChoiceDialog
from sqdesk.ui.dialogs.member_dialog import MemberPanel
from sqdesk.ui.i18n import vocab
from sqdesk.ui.itemmodels.roster_model import COLUMN_COUNT, RosterColumn, RosterTableModel
from sqdesk.ui.widgets.actions import view_action
from sqdesk.ui.widgets.record_table import record_table

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.dialogs.import_wizard import ImportWizard
    from sqdesk.ui.tasks import TaskHandle

SEARCH_DEBOUNCE_MS = 150
MAX_RESELECT = 5000  # keep a selection across a refresh up to this many members
HEADER_STATE_KEY = "roster/header"
SPLITTER_STATE_KEY = "roster/splitter"
# default column widths: what typical content needs (CJK text is wide; measured, not guessed)
WIDTH_SAMPLES = {
    RosterColumn.NAME: "欧阳娜娜娜", RosterColumn.PHONE: "13800138000",
    RosterColumn.WECHAT: "wxid_abcdefgh", RosterColumn.ROLE: "管理员",
    RosterColumn.STATUS: "已清退", RosterColumn.LEVEL: "活跃",
    RosterColumn.CITY: "哈尔滨", RosterColumn.GROUPS: "杭州创业者一群、二群",
    RosterColumn.TAGS: "#投资人 #程序员", RosterColumn.JOINED: "2024-11-28",
}
WARM_INDEX_AFTER_MS = 1500
TABLE_SHARE = 0.55  # of the splitter's width, until the operator moves it


class RosterView(QWidget):
    """The 成员 screen."""

    ids_applied = Signal(int)  # a query result is in the table (its row count)
    filters_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("成员")
        self._gen = 0
        self._query_started = 0.0
        self.last_query_ms = 0.0  # request → model reset, for the status line and benchmarks
        self._total = 0
        self.last_batch: Any = None  # the newest import batch of members still committed
        self.wizard: ImportWizard | None = None
        self.dialog: QWidget | None = None  # the prompt of a bulk action, while open
        self._groups: list[tuple[int, str]] = []
        self._tags: list[str] = []
        self._pending_select: int | None = None
        self._shown_first = False

        self.model = RosterTableModel(self._fetch_rows, self)
        self._build()
        self._make_actions()
        self._restore_state()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.requery)
        self._panel_timer = QTimer(self)
        self._panel_timer.setSingleShot(True)
        self._panel_timer.setInterval(80)
        self._panel_timer.timeout.connect(self._show_current_in_panel)
        # core keeps an in-memory search index per SQLite workspace, rebuilt after any
        # commit (≈1 s at 100k members). Until it is warm again, queries go to SQL so the
        # table never waits for it; the rebuild runs once things are quiet.
        self._index_warm = False
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.setInterval(WARM_INDEX_AFTER_MS)
        self._warm_timer.timeout.connect(self._warm_index)

        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.requery)
        for combo in self._filter_combos():
            combo.currentIndexChanged.connect(lambda _i: self.requery())
        self.model.sortRequested.connect(lambda _k, _d: self.requery())
        self.model.sortRefused.connect(self._restore_sort_indicator)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._panel_timer.start())
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.panel.member_saved.connect(self._member_saved)
        self.table.horizontalHeader().sectionResized.connect(lambda *_a: self._save_header())
        self.splitter.splitterMoved.connect(lambda *_a: self._save_splitter())
        ctx.changed.connect(self._on_changed)

        self._selection_changed()
        if ctx.has_workspace:
            self.requery()
            self.reload_filters()

    # ---- construction ------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.setSpacing(6)

        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("roster_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索姓名、拼音或首字母(zs)、手机号、微信号、#标签"))
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        top.addWidget(self.search, 3)
        self.group_combo = self._combo(self.tr("全部群"), "group")
        self.role_combo = self._combo(self.tr("全部角色"), "role", ROLES)
        self.level_combo = self._combo(self.tr("全部等级"), "level", LEVELS)
        self.tag_combo = self._combo(self.tr("全部标签"), "tag")
        self.status_combo = self._combo(self.tr("全部状态"), "status", MEMBER_STATUSES)
        for combo in self._filter_combos():
            top.addWidget(combo)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("roster_count")
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("共 100,000 人") + 12)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.count_label)
        lay.addLayout(top)

        self.actions_bar = QToolBar(self)
        self.actions_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        lay.addWidget(self.actions_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = record_table(self.splitter, self.model, "roster_table", context_menu=self._context_menu)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setCornerButtonEnabled(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setHighlightSections(False)
        hh.setSortIndicatorClearable(True)
        cell_fm = self.table.fontMetrics()
        head_font = hh.font()
        head_font.setBold(True)
        head_fm = QFontMetrics(head_font)
        vocab_columns = {RosterColumn.ROLE: ROLES, RosterColumn.STATUS: MEMBER_STATUSES,
                         RosterColumn.LEVEL: LEVELS}
        for col, sample in WIDTH_SAMPLES.items():
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            samples = [sample, *(vocab(v) for v in vocab_columns.get(col, ()))]  # as translated
            hh.resizeSection(col, max(max(cell_fm.horizontalAdvance(x) for x in samples) + 14,
                                      head_fm.horizontalAdvance(title) + 28))
        hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.panel = MemberPanel(self.ctx, self.splitter)
        self.panel.setMinimumWidth(self.fontMetrics().horizontalAdvance("自我介绍") + 240)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        lay.addWidget(self.splitter, 1)

        bottom = QHBoxLayout()
        self.selection_label = QLabel(self)
        self.hint_label = QLabel(self)
        self.hint_label.setStyleSheet("color: palette(mid);")
        self.hint_label.setText(self.tr("Ctrl+F 搜索 · Ctrl+N 新建 · Del 删除 · Ctrl+Z 撤销"))
        bottom.addWidget(self.selection_label)
        bottom.addStretch(1)
        bottom.addWidget(self.hint_label)
        lay.addLayout(bottom)

    def _combo(self, all_text: str, name: str, items: Sequence[str] = ()) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(f"filter_{name}")
        combo.addItem(all_text, None)
        for item in items:
            combo.addItem(vocab(item), item)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumContentsLength(4)
        return combo

    def _filter_combos(self) -> list[QComboBox]:
        return [self.group_combo, self.role_combo, self.level_combo, self.tag_combo, self.status_combo]

    def _make_actions(self) -> None:
        action = functools.partial(view_action, self)

        self.act_new = action(self.tr("新建成员"), self.new_member, QKeySequence.StandardKey.New,
                              self.tr("新建成员 (Ctrl+N)"))
        self.act_edit = action(self.tr("编辑"), self.edit_current, "Ctrl+E", self.tr("编辑所选成员 (Ctrl+E)"))
        self.act_delete = action(self.tr("删除"), self.delete_selected, QKeySequence.StandardKey.Delete,
                                 self.tr("删除所选成员 (Del)，可撤销"))
        self.act_tag = action(self.tr("打标签"), self.tag_selected, "Ctrl+T", self.tr("给所选成员打标签 (Ctrl+T)"))
        self.act_move = action(self.tr("移到群"), self.move_selected, None, self.tr("把所选成员加入一个群"))
        self.act_role = action(self.tr("改角色"), self.change_role_selected, None, self.tr("修改所选成员的角色"))
        self.act_remove = action(self.tr("标记已清退"), self.mark_removed_selected, None,
                                 self.tr("把所选成员的状态改为「已清退」"))
        self.act_import = action(self.tr("导入…"), self.open_import, "Ctrl+I",
                                 self.tr("从 Excel / CSV 导入成员名单 (Ctrl+I)"))
        self.act_undo_import = action(self.tr("撤销本次导入"), self.undo_last_import, None,
                                      self.tr("整批撤销最近一次导入的成员"))
        self.act_search = action(self.tr("搜索"), self.focus_search, QKeySequence.StandardKey.Find)
        self.act_undo_import.setEnabled(False)
        for a in (self.act_new, self.act_edit, self.act_delete):
            self.actions_bar.addAction(a)
        self.actions_bar.addSeparator()
        for a in (self.act_tag, self.act_move, self.act_role, self.act_remove):
            self.actions_bar.addAction(a)
        self.actions_bar.addSeparator()
        for a in (self.act_import, self.act_undo_import):
            self.actions_bar.addAction(a)
        for a in self.actions_bar.actions():
            w = self.actions_bar.widgetForAction(a)
            if isinstance(w, QToolButton):
                w.setObjectName("roster_action")

    def toolbar_actions(self) -> list[QAction]:
        return [self.act_new, self.act_import]

    # ---- settings -----------------------------------------------------------------------
    def _restore_state(self) -> None:
        header = self.ctx.settings.state(HEADER_STATE_KEY)
        if header is not None:
            hh = self.table.horizontalHeader()
            hh.restoreState(header)
            # The sort indicator comes back with the header; adopt it without a query yet.
            section, order = hh.sortIndicatorSection(), hh.sortIndicatorOrder()
            self.model.blockSignals(True)
            self.model.sort(section if section < COLUMN_COUNT else -1, order)
            self.model.blockSignals(False)
            if self.model.sort_state()[0] != section:
                self._restore_sort_indicator(*self.model.sort_state())
        splitter = self.ctx.settings.state(SPLITTER_STATE_KEY)
        self._splitter_restored = splitter is not None and self.splitter.restoreState(splitter)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._splitter_restored:
            self._splitter_restored = True
            width = max(self.splitter.width(), 1)
            self.splitter.setSizes([int(width * TABLE_SHARE), width - int(width * TABLE_SHARE)])

    def _save_header(self) -> None:
        self.ctx.settings.set_state(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())

    def _save_splitter(self) -> None:
        self.ctx.settings.set_state(SPLITTER_STATE_KEY, QByteArray(self.splitter.saveState()))

    def _restore_sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        hh = self.table.horizontalHeader()
        hh.blockSignals(True)
        hh.setSortIndicator(column, order)
        hh.blockSignals(False)
        hh.viewport().update()

    # ---- querying -------------------------------------------------------------------------
    def current_filter(self) -> roster.MemberFilter:
        return roster.MemberFilter(
            group_id=self.group_combo.currentData(),
            role=self.role_combo.currentData(),
            level=self.level_combo.currentData(),
            tag=self.tag_combo.currentData(),
            status=self.status_combo.currentData(),
        )

    def requery(self) -> None:
        """Ask core for the ids matching the search and filters, in the header's order."""
        if not self.ctx.has_workspace:
            return
        self._debounce.stop()
        self._gen += 1
        gen = self._gen
        text = self.search.text()
        flt = self.current_filter()
        key, descending = self.model.sort_key()
        self._query_started = time.perf_counter()
        search = roster.search_member_ids if self._index_warm else roster.search_member_ids_sql
        if not self._index_warm and not self._warm_timer.isActive():
            self._warm_timer.start()

        def work(h: TaskHandle) -> tuple[int, list[int]] | None:
            if gen != self._gen:
                return None  # a newer request is queued behind this one
            with h.ws.read() as s:
                return gen, search(s, text, flt, order_by=key, descending=descending)

        self.ctx.tasks.submit(work, on_done=self._ids_arrived, label=self.tr("正在查询成员…"), owner=self)

    def _warm_index(self) -> None:
        if not self.ctx.has_workspace:
            return

        def work(h: TaskHandle) -> None:
            with h.ws.read() as s:
                roster.search_member_ids(s, "", limit=1)

        self.ctx.tasks.submit(work, on_done=lambda _r: setattr(self, "_index_warm", True), owner=self)

    def _ids_arrived(self, result: tuple[int, list[int]] | None) -> None:
        if result is None or result[0] != self._gen:
            return  # stale: an older keystroke's answer
        ids = result[1]
        selected = self.selected_ids() if self._selection_size() <= MAX_RESELECT else []
        current = self.current_member_id()
        scroll = self.table.verticalScrollBar().value()
        self.model.set_ids(ids)
        self._reselect(selected, current, scroll)
        self.last_query_ms = (time.perf_counter() - self._query_started) * 1000
        self._update_count()
        if not self._shown_first and ids and current is None and not self.panel.is_new:
            self._shown_first = True  # open on the first member, so the page is not empty
            self.select_member(ids[0])
        self._selection_changed()
        self._select_pending()
        self.ids_applied.emit(len(ids))

    def _reselect(self, selected: list[int], current: int | None, scroll: int) -> None:
        sm = self.table.selectionModel()
        rows = sorted(r for r in (self.model.row_of(m) for m in selected) if r is not None)
        if rows:
            selection = QItemSelection()
            start = prev = rows[0]
            for r in [*rows[1:], None]:
                if r is not None and r == prev + 1:
                    prev = r
                    continue
                selection.select(self.model.index(start, 0), self.model.index(prev, COLUMN_COUNT - 1))
                if r is not None:
                    start = prev = r
            sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        row = self.model.row_of(current) if current is not None else None
        if row is not None:
            sm.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.verticalScrollBar().setValue(scroll)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.table.verticalScrollBar().setValue(scroll)
            if current is not None and self.panel.member_id == current and not self.panel.is_new:
                self.panel.show_member(None)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(self.tr("共 {n} 人").format(n=f"{n:,}"))

    def reload_filters(self) -> None:
        """Refill the group and tag choices (they change with the data)."""
        if not self.ctx.has_workspace:
            return

        def work(h: TaskHandle) -> tuple[list[tuple[int, str]], list[str]]:
            from sqdesk.core.groups import group_ids_by_name

            with h.ws.read() as s:
                by_name = group_ids_by_name(s)
                return sorted(((gid, name) for name, gid in by_name.items())), roster.list_tags(s)

        self.ctx.tasks.submit(work, on_done=self._filters_arrived, owner=self)
        self._refresh_last_batch()

    def _filters_arrived(self, result: tuple[list[tuple[int, str]], list[str]]) -> None:
        groups, tags = result
        self._groups = groups
        self._tags = tags
        changed = False
        for combo, items in ((self.group_combo, groups), (self.tag_combo, [(t, t) for t in tags])):
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
        if changed:  # the chosen group/tag is gone: show everyone again
            self.requery()
        self.filters_loaded.emit()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        self._index_warm = False  # something was committed: core's index is stale
        self._warm_timer.start()
        if "workspace" in kinds:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            for combo in self._filter_combos():
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
            self.model.set_ids([])
            self._shown_first = False
            self.requery()
            self.reload_filters()
            return
        if kinds & {"members", "groups", "imports"}:
            self.requery()
            self.model.refresh_rows()
            self.reload_filters()

    # ---- rows ------------------------------------------------------------------------------
    def _fetch_rows(self, ids: Sequence[int]) -> list[roster.MemberListRow]:
        if not self.ctx.has_workspace or not ids:
            return []
        with self.ctx.ws.read() as s:
            return roster.member_list_rows(s, ids)

    def _ranges(self) -> list[tuple[int, int]]:
        selection: Any = self.table.selectionModel().selection()  # a list of ranges
        return [(r.top(), r.bottom()) for r in selection]

    def _selection_size(self) -> int:
        return sum(b - t + 1 for t, b in self._ranges())

    def selected_ids(self) -> list[int]:
        return self.model.ids_in_rows(self._ranges())

    def current_member_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.member_id(index.row())

    def select_member(self, member_id: int) -> bool:
        row = self.model.row_of(member_id)
        if row is None:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _selection_changed(self, *_args: Any) -> None:
        n = self._selection_size()
        self.selection_label.setText(self.tr("已选 {n} 人").format(n=f"{n:,}") if n else "")
        for a in (self.act_delete, self.act_tag, self.act_move, self.act_role, self.act_remove):
            a.setEnabled(n > 0)
        self.act_edit.setEnabled(n == 1 or self.current_member_id() is not None)

    def _show_current_in_panel(self) -> None:
        if not self.ctx.has_workspace:
            return
        mid = self.current_member_id()
        if self.panel.is_new and self.panel.is_dirty():
            return  # don't throw away a half-typed new member
        if mid == self.panel.member_id and not self.panel.is_new:
            return
        if self.panel.is_dirty() and not self.panel.is_new and self.panel.member_id is not None:
            # moving on saves the edits (undoable like any save); invalid ones keep the
            # operator on that member with the messages under the fields
            if not self.panel.save():
                self._select_quietly(self.panel.member_id)
                return
        self.panel.show_member(mid)

    def _select_quietly(self, member_id: int) -> None:
        sm = self.table.selectionModel()
        sm.blockSignals(True)
        self.select_member(member_id)
        sm.blockSignals(False)
        self.table.viewport().update()
        self._selection_changed()

    def _member_saved(self, member_id: int) -> None:
        # After the refresh the new/edited member is selected and shown — unless the
        # operator has moved on to another member meanwhile (save on leaving).
        if self.panel.member_id == member_id:
            self._pending_select = member_id

    def _select_pending(self) -> None:
        mid = self._pending_select
        if mid is not None:
            self._pending_select = None
            self._select_quietly(mid)
            found = self.model.row_of(mid) is not None
            if found and self.panel.member_id != mid:
                self.panel.show_member(mid)

    def _context_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        for a in (self.act_edit, self.act_delete):
            menu.addAction(a)
        menu.addSeparator()
        for a in (self.act_tag, self.act_move, self.act_role, self.act_remove):
            menu.addAction(a)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # ---- actions ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_member(self) -> None:
        self.panel.start_new()

    def edit_current(self) -> None:
        mid = self.current_member_id()
        if mid is None:
            return
        if self.panel.member_id != mid:
            self.panel.show_member(mid)
        self.panel.tabs.setCurrentIndex(0)
        self.panel.field_widget("display_name").setFocus()

    def _open_dialog(self, dialog: QWidget, on_accept: Any) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_accept)  # type: ignore[attr-defined]
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))  # type: ignore[attr-defined]
        dialog.open()  # type: ignore[attr-defined]

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        name = self.model.display(self.model.row_of(ids[0]) or 0)[RosterColumn.NAME] if len(ids) == 1 else ""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("删除成员"))
        box.setText(
            self.tr("删除成员「{name}」？").format(name=name) if name
            else self.tr("删除所选的 {n} 名成员？").format(n=f"{len(ids):,}")
        )
        box.setInformativeText(self.tr("他们的群成员关系、报名、供求和动态记录也会一并删除。可以用「撤销」(Ctrl+Z) 恢复。"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("删除"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self._open_dialog(box, lambda: self.ctx.undo_stack.push(
            DeleteMembersCommand(self.ctx, ids, name=name)))

    def tag_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dlg = ChoiceDialog(
            self, self.tr("打标签"),
            self.tr("给所选的 {n} 名成员加上标签（多个标签用逗号或空格分隔）：").format(n=f"{len(ids):,}"),
            self._tags, editable=True, placeholder=self.tr("如 待跟进, 设计"),
        )

        def accepted() -> None:
            tags = split_tags(dlg.text())
            if tags:
                self.ctx.undo_stack.push(BulkTagCommand(self.ctx, ids, tags))

        self._open_dialog(dlg, accepted)

    def move_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if not self._groups:
            QMessageBox.information(self, self.tr("移到群"), self.tr("工作区里还没有群。"))
            return
        from_gid = self.group_combo.currentData()
        from_name = self.group_combo.currentText()
        choices = [(gid, name) for gid, name in self._groups if gid != from_gid]
        if not choices:
            return
        dlg = ChoiceDialog(
            self, self.tr("移到群"),
            self.tr("把所选的 {n} 名成员加入：").format(n=f"{len(ids):,}"),
            [name for _, name in choices], data=[gid for gid, _ in choices],
            check_text=(self.tr("同时记为退出「{group}」").format(group=from_name)
                        if from_gid is not None else None),
        )

        def accepted() -> None:
            gid = dlg.value()
            self.ctx.undo_stack.push(MoveToGroupCommand(
                self.ctx, ids, gid, dlg.text(),
                from_group_id=from_gid if dlg.checked() else None))

        self._open_dialog(dlg, accepted)

    def change_role_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dlg = ChoiceDialog(self, self.tr("改角色"),
                           self.tr("把所选的 {n} 名成员的角色改为：").format(n=f"{len(ids):,}"),
                           [vocab(r) for r in ROLES], data=list(ROLES))
        dlg.combo.setCurrentIndex(ROLES.index("成员"))

        def accepted() -> None:
            role = dlg.value()
            self.ctx.undo_stack.push(BulkUpdateCommand(
                self.ctx, ids, {"role": role},
                self.tr("把 {n} 名成员改为{role}").format(n=len(ids), role=vocab(role))))

        self._open_dialog(dlg, accepted)

    def mark_removed_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("标记已清退"))
        box.setText(self.tr("把所选的 {n} 名成员标记为「已清退」？").format(n=f"{len(ids):,}"))
        box.setInformativeText(self.tr("只改变状态，不删除任何记录；可以撤销。"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("标记已清退"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        self._open_dialog(box, lambda: self.ctx.undo_stack.push(BulkUpdateCommand(
            self.ctx, ids, {"status": "已清退"},
            self.tr("把 {n} 名成员标记为已清退").format(n=len(ids)))))

    # ---- import ---------------------------------------------------------------------------
    def open_import(self, path: str | None = None) -> ImportWizard:
        from sqdesk.ui.dialogs.import_wizard import ImportWizard, roster_import_spec

        wizard = ImportWizard(self.ctx, roster_import_spec(), self)
        if path:
            wizard.set_path(path)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.destroyed.connect(lambda *_a: setattr(self, "wizard", None))
        self.wizard = wizard
        wizard.open()
        return wizard

    def _refresh_last_batch(self) -> None:
        def work(h: TaskHandle) -> Any:
            try:
                from sqdesk.core.imports import list_batches
            except ImportError:
                return None
            with h.ws.read() as s:
                batches = [b for b in list_batches(s) if b.kind == "members" and b.status == "committed"]
            return max(batches, key=lambda b: b.id) if batches else None

        def done(batch: Any) -> None:
            self.last_batch = batch
            self.act_undo_import.setEnabled(batch is not None)
            if batch is not None:
                self.act_undo_import.setToolTip(
                    self.tr("整批撤销导入 #{id}「{file}」（新增 {created}，更新 {updated}）").format(
                        id=batch.id, file=batch.file_name, created=batch.rows_created,
                        updated=batch.rows_updated))

        self.ctx.tasks.submit(work, on_done=done, owner=self)

    def undo_last_import(self) -> None:
        batch = self.last_batch
        if batch is None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("撤销本次导入"))
        box.setText(self.tr("撤销导入 #{id}「{file}」？").format(id=batch.id, file=batch.file_name))
        box.setInformativeText(self.tr(
            "这次导入新增的 {created} 名成员将被删除，更新过的 {updated} 名成员恢复为导入前的资料。"
        ).format(created=batch.rows_created, updated=batch.rows_updated))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("撤销导入"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        self._open_dialog(box, lambda: undo_import_batch(self.ctx, batch.id, self))


def undo_import_batch(ctx: AppContext, batch_id: int, parent: QWidget | None,
                      on_done: Any = None) -> None:
    """Undo a whole import batch on the worker, then tell every view."""

    def work(h: TaskHandle) -> Any:
        from sqdesk.core.imports import undo_import

        with h.ws.write() as s:
            return undo_import(s, batch_id, operator=h.ws.operator)

    def done(result: Any) -> None:
        ctx.notify("members", "groups", "activity", "imports")
        if on_done is not None:
            on_done(result)

    ctx.tasks.submit(work, on_done=done, label=QCoreApplication.translate("RosterView", "正在撤销导入…"), progress_parent=parent)

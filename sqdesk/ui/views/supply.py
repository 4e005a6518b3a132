"""供求 — offers and needs: filters, the list, the editor, and for the chosen item
its recorded matches with their outcomes. Every edit is undoable.

Suggested matches (category/keyword overlap, engagement, recency) come from the
matcher of the brief/matching issue; the 推荐匹配 box below the matches is where they
will be listed once that exists.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core.supply_demand import MatchView, SupplyDemandView
from sqdesk.models.vocab import MATCH_OUTCOMES, SD_CATEGORIES, SD_KINDS, SD_STATUSES
from sqdesk.ui.i18n import vocab
from sqdesk.ui.itemmodels.supply_model import (
    MatchesTableModel,
    SupplyColumn,
    SupplyTableModel,
    outcome_label,
    status_label,
)
from sqdesk.ui.views.activity import DateRangeFilter
from sqdesk.ui.widgets.actions import view_action
from sqdesk.ui.widgets.record_table import record_table

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.dialogs.supply_dialog import SupplyDialog
    from sqdesk.ui.tasks import TaskHandle

LIST_LIMIT = 5000
SEARCH_DEBOUNCE_MS = 200
# column widths as sample texts (CJK fonts make "average character" widths useless)
WIDTHS = {SupplyColumn.KIND: "需求 ", SupplyColumn.MEMBER: "欧阳某某某", SupplyColumn.CATEGORY: "合作 ",
          SupplyColumn.TEXT: "寻找渠道合作伙伴，我们有 5 万私域用户，可以一起做点事", SupplyColumn.KEYWORDS: "#短视频 #剪辑 #抖音",
          SupplyColumn.CREATED: "2026-12-31", SupplyColumn.EXPIRES: "2026-12-31"}


class SupplyView(QWidget):
    """The 供求 screen."""

    items_loaded = Signal(int)
    matches_loaded = Signal(int)
    suggestions_loaded = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("供求")
        self._gen = 0
        self._match_gen = 0
        self._pending_select: int | None = None
        self.dialog: SupplyDialog | None = None
        self.model = SupplyTableModel(self)
        self.matches_model = MatchesTableModel(self)
        self._build()
        self._make_actions()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.requery)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.requery)
        for combo in (self.kind_combo, self.category_combo, self.status_combo):
            combo.currentIndexChanged.connect(lambda _i: self.requery())
        self.dates.changed.connect(self.requery)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.matches_table.selectionModel().selectionChanged.connect(lambda *_a: self._match_selection_changed())
        ctx.changed.connect(self._on_changed)
        self._selection_changed()
        if ctx.has_workspace:
            self.requery()

    # ---- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.setSpacing(6)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("supply_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索内容、关键词或成员（姓名、拼音首字母）"))
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        top.addWidget(self.search, 3)
        self.kind_combo = self._combo("filter_kind", self.tr("供给和需求"), [(k, vocab(k)) for k in SD_KINDS])
        self.category_combo = self._combo("filter_category", self.tr("全部类别"),
                                          [(c, vocab(c)) for c in SD_CATEGORIES])
        self.status_combo = self._combo("filter_status", self.tr("全部状态"),
                                        [(s, status_label(s)) for s in SD_STATUSES])
        for combo in (self.kind_combo, self.category_combo, self.status_combo):
            top.addWidget(combo)
        self.dates = DateRangeFilter(self)
        self.dates.setToolTip(self.tr("按发布日期筛选"))
        top.addWidget(self.dates)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("supply_count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("共 10,000 条") + 12)
        top.addWidget(self.count_label)
        lay.addLayout(top)

        self.actions_bar = QToolBar(self)
        self.actions_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        lay.addWidget(self.actions_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = record_table(self.splitter, self.model, "supply_table", context_menu=self._context_menu)
        hh = self.table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        fm = self.fontMetrics()
        samples = dict(WIDTHS)
        samples[SupplyColumn.CATEGORY] = max((vocab(c) for c in SD_CATEGORIES), key=fm.horizontalAdvance)
        samples[SupplyColumn.KIND] = max((vocab(k) for k in SD_KINDS), key=fm.horizontalAdvance)
        for col, sample in samples.items():
            header = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            hh.resizeSection(col, max(fm.horizontalAdvance(sample) + 20, fm.horizontalAdvance(header) + 28))

        side = QWidget(self.splitter)
        side.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 48)
        sl = QVBoxLayout(side)
        sl.setContentsMargins(6, 0, 0, 0)
        self.detail_title = QLabel(self.tr("选择一条供给或需求查看详情"), side)
        self.detail_title.setObjectName("sectionTitle")
        self.detail_title.setWordWrap(True)
        sl.addWidget(self.detail_title)
        self.detail = QLabel(side)
        self.detail.setObjectName("supply_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        sl.addWidget(self.detail)
        matches_box = QGroupBox(self.tr("已记录的匹配"), side)
        ml = QVBoxLayout(matches_box)
        self.matches_table = QTableView(matches_box)
        self.matches_table.setObjectName("supply_matches")
        self.matches_table.setModel(self.matches_model)
        self.matches_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matches_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matches_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matches_table.verticalHeader().setVisible(False)
        mh = self.matches_table.horizontalHeader()
        mh.setStretchLastSection(False)
        mh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for section, chars in ((0, 10), (2, 6), (3, 8), (4, 10), (5, 16)):
            mh.resizeSection(section, chars * self.fontMetrics().averageCharWidth() + 16)
        self.matches_table.setWordWrap(False)
        ml.addWidget(self.matches_table, 1)
        self.matches_empty = QLabel(self.tr("这条还没有记录过匹配。"), matches_box)
        self.matches_empty.setStyleSheet("color: #475569;")
        ml.addWidget(self.matches_empty)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("结果："), matches_box))
        self.outcome_combo = QComboBox(matches_box)
        self.outcome_combo.setObjectName("match_outcome")
        for o in MATCH_OUTCOMES:
            self.outcome_combo.addItem(outcome_label(o), o)
        row.addWidget(self.outcome_combo)
        self.outcome_note = QLineEdit(matches_box)
        self.outcome_note.setObjectName("match_note")
        self.outcome_note.setPlaceholderText(self.tr("备注（可选）"))
        row.addWidget(self.outcome_note, 1)
        self.outcome_button = QPushButton(self.tr("记录结果"), matches_box)
        self.outcome_button.setObjectName("set_outcome")
        self.outcome_button.clicked.connect(self.set_outcome)
        row.addWidget(self.outcome_button)
        ml.addLayout(row)
        self.match_message = QLabel(matches_box)
        self.match_message.setWordWrap(True)
        self.match_message.setStyleSheet("color: #b91c1c;")
        self.match_message.setVisible(False)
        ml.addWidget(self.match_message)
        sl.addWidget(matches_box, 2)
        suggest_box = QGroupBox(self.tr("推荐匹配"), side)
        suggest_box.setObjectName("suggested_matches")
        gl = QVBoxLayout(suggest_box)
        self.suggest_note = QLabel(self.tr("选择一条需求，查看可以对接的供给。"), suggest_box)
        self.suggest_note.setWordWrap(True)
        self.suggest_note.setStyleSheet("color: #475569;")
        gl.addWidget(self.suggest_note)
        self.suggest_list = QListWidget(suggest_box)
        self.suggest_list.setObjectName("suggestion_list")
        self.suggest_list.setWordWrap(True)
        self.suggest_list.itemSelectionChanged.connect(self._suggestion_selection_changed)
        gl.addWidget(self.suggest_list, 1)
        srow = QHBoxLayout()
        srow.addStretch(1)
        self.accept_button = QPushButton(self.tr("接受推荐"), suggest_box)
        self.accept_button.setObjectName("accept_suggestion")
        self.accept_button.clicked.connect(lambda: self.decide_suggestion(True))
        self.reject_button = QPushButton(self.tr("不合适"), suggest_box)
        self.reject_button.setObjectName("reject_suggestion")
        self.reject_button.clicked.connect(lambda: self.decide_suggestion(False))
        srow.addWidget(self.accept_button)
        srow.addWidget(self.reject_button)
        gl.addLayout(srow)
        self._suggestions: list[Any] = []
        self._suggest_gen = 0
        self._suggestion_selection_changed()
        sl.addWidget(suggest_box, 2)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([char * 140, char * 70])
        self.splitter.setChildrenCollapsible(False)
        lay.addWidget(self.splitter, 1)

    def _combo(self, name: str, all_text: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(all_text, None)
        for data, text in items:
            combo.addItem(text, data)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _make_actions(self) -> None:
        action = functools.partial(view_action, self, bar=self.actions_bar)

        self.act_new_offer = action(self.tr("新建供给"), lambda: self.new_item("供给"),
                                    QKeySequence.StandardKey.New, self.tr("新建一条供给 (Ctrl+N)"))
        self.act_new_need = action(self.tr("新建需求"), lambda: self.new_item("需求"), "Ctrl+Shift+N",
                                   self.tr("新建一条需求 (Ctrl+Shift+N)"))
        self.act_edit = action(self.tr("编辑"), self.edit_current, "Ctrl+E")
        self.act_delete = action(self.tr("删除"), self.delete_selected, QKeySequence.StandardKey.Delete,
                                 self.tr("删除所选供求及其匹配记录 (Del)，可撤销"))

    def toolbar_actions(self) -> list[QAction]:
        return [self.act_new_offer, self.act_new_need]

    # ---- querying ------------------------------------------------------------------------------
    def requery(self) -> None:
        if not self.ctx.has_workspace:
            return
        self._debounce.stop()
        self._gen += 1
        gen = self._gen
        since, until = self.dates.date_range()
        args = {
            "kind": self.kind_combo.currentData(), "category": self.category_combo.currentData(),
            "status": self.status_combo.currentData(), "since": since, "until": until,
            "query": self.search.text(),
        }

        def work(h: TaskHandle) -> tuple[int, list[SupplyDemandView]] | None:
            if gen != self._gen:
                return None
            from sqdesk.core.supply_demand import list_supply_demand

            with h.ws.read() as s:
                return gen, list_supply_demand(s, **args, limit=LIST_LIMIT + 1)

        self.ctx.tasks.submit(work, on_done=self._arrived, label=self.tr("正在读取供求…"), owner=self)

    def _arrived(self, result: tuple[int, list[SupplyDemandView]] | None) -> None:
        if result is None or result[0] != self._gen:
            return
        items = result[1]
        more = len(items) > LIST_LIMIT
        items = items[:LIST_LIMIT]
        current = self.current_item()
        keep = self._pending_select if self._pending_select is not None else (current.id if current else None)
        self._pending_select = None
        self.model.set_items(items)
        self.count_label.setText(
            self.tr("前 {n} 条（请缩小筛选）").format(n=f"{len(items):,}") if more
            else self.tr("共 {n} 条").format(n=f"{len(items):,}"))
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.table.selectRow(row)
        self._selection_changed()
        self.items_loaded.emit(len(items))

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"supply", "members", "imports", "workspace"}:
            self.requery()

    # ---- selection -------------------------------------------------------------------------------
    def selected_items(self) -> list[SupplyDemandView]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.item(r) for r in rows if r < self.model.rowCount()]

    def current_item(self) -> SupplyDemandView | None:
        items = self.selected_items()
        return items[0] if len(items) == 1 else None

    def select_item(self, item_id: int) -> bool:
        row = self.model.row_of(item_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _selection_changed(self) -> None:
        items = self.selected_items()
        self.act_delete.setEnabled(bool(items))
        self.act_edit.setEnabled(len(items) == 1)
        item = items[0] if len(items) == 1 else None
        self._show_detail(item)

    def _show_detail(self, item: SupplyDemandView | None) -> None:
        self._match_gen += 1
        gen = self._match_gen
        self.match_message.setVisible(False)
        if item is None:
            self.detail_title.setText(self.tr("选择一条供给或需求查看详情"))
            self.detail.clear()
            self.matches_model.set_matches(None, [])
            self.matches_empty.setVisible(False)
            self._match_selection_changed()
            return
        self.detail_title.setText(self.tr("{member} 的{kind}").format(member=item.member_name, kind=vocab(item.kind)))
        lines = [item.text]
        facts = [vocab(item.category), status_label(item.status),
                 self.tr("发布于 {date}").format(date=item.created_on.isoformat())]
        if item.expires_on:
            facts.append(self.tr("有效期至 {date}").format(date=item.expires_on.isoformat()))
        lines.append(" · ".join(facts))
        if item.keywords:
            lines.append(" ".join("#" + k for k in item.keywords))
        self.detail.setText("\n".join(lines))
        item_id = item.id
        is_offer = item.kind == "供给"

        def work(h: TaskHandle) -> list[MatchView] | None:
            if gen != self._match_gen:
                return None
            from sqdesk.core.supply_demand import list_matches

            with h.ws.read() as s:
                return list_matches(s, offer_id=item_id) if is_offer else list_matches(s, need_id=item_id)

        def done(matches: list[MatchView] | None) -> None:
            if matches is None or gen != self._match_gen:
                return
            self.matches_model.set_matches(item_id, matches)
            self.matches_empty.setVisible(not matches)
            self._match_selection_changed()
            self.matches_loaded.emit(len(matches))

        self.ctx.tasks.submit(work, on_done=done, owner=self)
        self._load_suggestions(item)

    # ---- suggested matches (sqdesk.core.matching) ---------------------------------------------------
    def _load_suggestions(self, item: SupplyDemandView | None) -> None:
        self._suggest_gen += 1
        gen = self._suggest_gen
        self._suggestions = []
        self.suggest_list.clear()
        self._suggestion_selection_changed()
        if item is None or item.kind != "需求" or item.status != "open":
            self.suggest_note.setText(self.tr("选择一条待撮合的需求，查看可以对接的供给。"))
            return
        self.suggest_note.setText(self.tr("正在寻找可以对接的供给…"))
        need_id = item.id

        def work(h: TaskHandle) -> list[Any] | None:
            if gen != self._suggest_gen:
                return None
            from sqdesk.core.matching import suggest_matches

            with h.ws.read() as s:
                return suggest_matches(s, need_ids=[need_id], per_need=5)

        def done(found: list[Any] | None) -> None:
            if found is None or gen != self._suggest_gen:
                return
            self._suggestions = list(found)
            for sug in self._suggestions:
                text = self.tr("{member}：{text}\n匹配度 {score:.0%} · {reason}").format(
                    member=sug.offer_member_name, text=sug.offer_text[:60], score=sug.score, reason=sug.reason)
                self.suggest_list.addItem(QListWidgetItem(text))
            self.suggest_note.setText(
                self.tr("按类别、内容和关键词、同城同群、活跃度与发布时间推荐 {n} 条：").format(n=len(found))
                if found else self.tr("暂时没有合适的供给。"))
            self._suggestion_selection_changed()
            self.suggestions_loaded.emit(len(found))

        self.ctx.tasks.submit(work, on_done=done, owner=self, label=self.tr("寻找推荐匹配"))

    def selected_suggestion(self) -> Any | None:
        row = self.suggest_list.currentRow()
        return self._suggestions[row] if 0 <= row < len(self._suggestions) and self.suggest_list.selectedItems() else None

    def _suggestion_selection_changed(self) -> None:
        has = self.selected_suggestion() is not None
        self.accept_button.setEnabled(has)
        self.reject_button.setEnabled(has)

    def decide_suggestion(self, accept: bool) -> None:
        from sqdesk.ui.commands_supply import SuggestionVerdictCommand

        sug = self.selected_suggestion()
        if sug is None:
            return

        def failed(exc: BaseException) -> None:
            self.match_message.setText(str(exc))
            self.match_message.setVisible(True)

        self.ctx.undo_stack.push(SuggestionVerdictCommand(self.ctx, sug, accept, on_error=failed))

    def selected_match(self) -> MatchView | None:
        rows = self.matches_table.selectionModel().selectedRows()
        return self.matches_model.match_at(rows[0].row()) if rows else None

    def _match_selection_changed(self) -> None:
        m = self.selected_match()
        self.outcome_button.setEnabled(m is not None)
        if m is not None:
            self.outcome_combo.setCurrentIndex(max(0, self.outcome_combo.findData(m.outcome)))
            self.outcome_note.setText(m.note)

    def _context_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        for a in (self.act_edit, self.act_delete):
            menu.addAction(a)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # ---- editing -----------------------------------------------------------------------------------
    def _open(self, dialog: SupplyDialog) -> SupplyDialog:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()
        return dialog

    def _saved(self, command: Any) -> None:
        item_id = getattr(command, "item_id", None)
        if item_id is not None and not self.select_item(item_id):
            self._pending_select = item_id

    def new_item(self, kind: str = "供给") -> SupplyDialog:
        from sqdesk.ui.dialogs.supply_dialog import SupplyDialog

        return self._open(SupplyDialog(self.ctx, self, kind=kind))

    def edit_current(self) -> SupplyDialog | None:
        from sqdesk.ui.dialogs.supply_dialog import SupplyDialog

        item = self.current_item()
        if item is None:
            return None
        return self._open(SupplyDialog(self.ctx, self, item=item))

    def delete_selected(self) -> None:
        from sqdesk.ui.commands_supply import DeleteSupplyCommand

        items = self.selected_items()
        if items:
            self.ctx.undo_stack.push(DeleteSupplyCommand(self.ctx, [i.id for i in items]))

    def set_outcome(self) -> None:
        from sqdesk.ui.commands_supply import SetMatchOutcomeCommand

        m = self.selected_match()
        if m is None:
            return
        outcome = self.outcome_combo.currentData()
        self.match_message.setVisible(False)

        def failed(exc: BaseException) -> None:
            self.match_message.setText(str(exc))
            self.match_message.setVisible(True)

        self.ctx.undo_stack.push(SetMatchOutcomeCommand(
            self.ctx, m.id, outcome, self.outcome_note.text(), expected_version=m.version,
            label=outcome_label(outcome), on_error=failed))

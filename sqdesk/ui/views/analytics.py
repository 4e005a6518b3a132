"""分析 — every analytics chart with period and group pickers, drill-down to the members.

The chart list on the left is :data:`sqdesk.charts.CHARTS` (the same list the CLI uses).
Picking a chart computes its data on the worker thread (``ctx.tasks``) for the chosen
scope; results are cached per (chart, scope) until ``ctx.changed`` reports that members,
groups, activity or events changed. The figure is built from the cached data and drawn
on the chart render thread (:mod:`sqdesk.ui.widgets.chart_canvas`), never on the UI thread.

Clicking a bar or a cell asks the chart's ``evidence`` function (worker thread) for the
rows behind it and lists the members in the table below the chart. "保存为 PNG…" saves
the current chart as drawn by :func:`sqdesk.charts.render_png`, on the render thread too.
Charts, their titles in the list and the drill-down labels are in the UI language
(context ``charts``).

matplotlib is imported off the UI thread when the first chart is computed, never at app start.
"""

from __future__ import annotations

import datetime as dt
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sqdesk.charts.cli import CHART_NAMES
from sqdesk.ui.i18n import vocab
from sqdesk.ui.widgets.chart_canvas import ChartCanvas, render_thread
from sqdesk.ui.widgets.icons import icon

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.figure import Figure

    from sqdesk.analytics.community import Scope
    from sqdesk.charts.base import DrillKey
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

SHOWN_KINDS = frozenset({"members", "groups", "activity", "events", "workspace"})
DRILL_LIMIT = 5000
PRESETS = (("3", QT_TRANSLATE_NOOP("AnalyticsView", "近 3 个月")),
           ("6", QT_TRANSLATE_NOOP("AnalyticsView", "近 6 个月")),
           ("12", QT_TRANSLATE_NOOP("AnalyticsView", "近 12 个月")),
           ("24", QT_TRANSLATE_NOOP("AnalyticsView", "近 2 年")),
           ("year", QT_TRANSLATE_NOOP("AnalyticsView", "今年")),
           ("custom", QT_TRANSLATE_NOOP("AnalyticsView", "自定义…")))


def months_back(end: dt.date, months: int) -> dt.date:
    """The first day of the month ``months - 1`` months before ``end``'s month."""
    m = end.year * 12 + end.month - 1 - (months - 1)
    return dt.date(m // 12, m % 12 + 1, 1)


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def chart_title(name: str) -> str:
    """The chart's title in the chart list, in the UI language."""
    return QCoreApplication.translate("charts", CHART_NAMES.get(name, name))


def chart_figure(name: str, data: Any) -> Figure:
    """Chart ``name`` drawn from ``data`` in the UI language (the render thread calls it)."""
    from sqdesk.charts.registry import chart_spec

    return chart_spec(name).draw(data, translate=QCoreApplication.translate)


def save_chart_png(factory: Callable[[], Figure], path: Path, dpi: int) -> Path:
    """Render thread: the figure ``factory`` builds, at its natural size, as a PNG."""
    from sqdesk.charts import render_png

    return render_png(factory(), path, dpi=dpi)


class AnalyticsView(QWidget):
    """The 分析 screen."""

    chart_shown = Signal(str)        # the chart's name, once drawn (or its empty/error message shown)
    drill_loaded = Signal(int)       # rows in the drill-down table
    png_saved = Signal(str)          # the path of a PNG save_png() wrote

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("分析")
        self.cache: dict[tuple[str, Scope], Any] = {}
        self.current_name = next(iter(CHART_NAMES))
        self.current_data: Any = None
        self.current_scope: Scope | None = None
        self.last_key: DrillKey | None = None
        self.drill_rows: list[Any] = []
        self._gen = 0
        self._drawn_gen = -1             # the _gen whose chart the canvas was last given
        self._drill_gen = 0
        self._saving = 0                 # PNGs being written on the render thread
        self._stale = False
        self._build()
        self._make_actions()
        ctx.changed.connect(self._on_changed)
        self.reload_groups()
        self.show_chart(self.current_name)

    # building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.preset = QComboBox(self)
        self.preset.setObjectName("periodPreset")
        for key, text in PRESETS:
            self.preset.addItem(self.tr(text), key)
        self.preset.setCurrentIndex(self.preset.findData("6"))
        today = dt.date.today()
        self.start_edit = QDateEdit(_qdate(months_back(today, 6)), self)
        self.end_edit = QDateEdit(_qdate(today), self)
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda _d: self._period_edited())
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("groupPicker")
        self.group_combo.addItem(self.tr("全部群"), None)
        self.group_combo.setMinimumContentsLength(12)
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.staff_check = QCheckBox(self.tr("含群主/管理员"), self)
        self.staff_check.setToolTip(self.tr("默认不把群主和管理员计入活跃、留存等健康指标"))
        self.save_button = QPushButton(self.tr("保存为 PNG…"), self)
        self.save_button.setObjectName("savePng")

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(QLabel(self.tr("时间"), self))
        bar.addWidget(self.preset)
        bar.addWidget(self.start_edit)
        bar.addWidget(QLabel("–", self))
        bar.addWidget(self.end_edit)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("群"), self))
        bar.addWidget(self.group_combo, 1)
        bar.addWidget(self.staff_check)
        bar.addStretch()
        bar.addWidget(self.save_button)

        self.chart_list = QListWidget(self)
        self.chart_list.setObjectName("chartList")
        for name in CHART_NAMES:
            item = QListWidgetItem(chart_title(name), self.chart_list)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"sqdesk chart {name}")
        self.chart_list.setCurrentRow(0)
        self.chart_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chart_list.setMinimumWidth(self.chart_list.sizeHintForColumn(0) + 2 * self.chart_list.frameWidth() + 12)

        self.canvas = ChartCanvas(None, self)
        self.drill_title = QLabel(self.tr("点击图表中的柱子或格子，查看背后的成员。"), self)
        self.drill_title.setObjectName("drillTitle")
        self.drill_title.setWordWrap(True)
        font = self.drill_title.font()
        font.setBold(True)
        self.drill_title.setFont(font)
        self.drill_table = QTableWidget(0, 7, self)
        self.drill_table.setObjectName("drillTable")
        self.drill_table.setHorizontalHeaderLabels([
            self.tr("编号"), self.tr("姓名"), self.tr("角色"), self.tr("等级"), self.tr("状态"),
            self.tr("入群日期"), self.tr("相关记录"),
        ])
        self.drill_table.verticalHeader().setVisible(False)
        self.drill_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.drill_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.drill_table.setSortingEnabled(True)
        header = self.drill_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        drill = QWidget(self)
        drill_layout = QVBoxLayout(drill)
        drill_layout.setContentsMargins(0, 4, 0, 0)
        drill_layout.addWidget(self.drill_title)
        drill_layout.addWidget(self.drill_table)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.canvas)
        right.addWidget(drill)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        right.setChildrenCollapsible(False)
        right.setSizes([560, 240])
        self.right_splitter = right
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.chart_list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([self.chart_list.minimumWidth(), 1000])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.preset.currentIndexChanged.connect(lambda _i: self._preset_changed())
        self.group_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.staff_check.toggled.connect(lambda _b: self.refresh())
        self.chart_list.currentItemChanged.connect(self._chart_picked)
        self.canvas.drilled.connect(self.drill)
        self.canvas.ready.connect(self._chart_drawn)
        self.canvas.failed.connect(self._chart_failed)
        self.save_button.clicked.connect(self.save_png_dialog)

    def _make_actions(self) -> None:
        self.refresh_action = QAction(icon("refresh"), self.tr("重新计算"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.setToolTip(self.tr("丢弃缓存，重新计算当前图表（F5）"))
        self.refresh_action.triggered.connect(self.recompute)
        self.save_action = QAction(self.tr("保存为 PNG…"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save_png_dialog)

    def toolbar_actions(self) -> list[QAction]:
        return [self.refresh_action, self.save_action]

    def is_busy(self) -> bool:
        """The chart is being built or drawn (its data comes from ``ctx.tasks``, which the
        caller watches), or a PNG is being written."""
        return self.canvas.is_pending() or self._saving > 0

    # scope ----------------------------------------------------------------------------------------
    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        custom = key == "custom"
        for edit in (self.start_edit, self.end_edit):
            edit.setEnabled(custom)
        if not custom:
            today = dt.date.today()
            start = dt.date(today.year, 1, 1) if key == "year" else months_back(today, int(key))
            for edit, value in ((self.start_edit, start), (self.end_edit, today)):
                edit.blockSignals(True)
                edit.setDate(_qdate(value))
                edit.blockSignals(False)
        self.refresh()

    def _period_edited(self) -> None:
        if self.preset.currentData() == "custom":
            self.refresh()

    def set_period(self, start: dt.date, end: dt.date) -> None:
        """Choose a custom period (and recompute)."""
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.blockSignals(False)
        for edit, value in ((self.start_edit, start), (self.end_edit, end)):
            edit.setEnabled(True)
            edit.blockSignals(True)
            edit.setDate(_qdate(value))
            edit.blockSignals(False)
        self.refresh()

    def set_group(self, group_id: int | None) -> None:
        i = self.group_combo.findData(group_id)
        if i < 0:
            raise KeyError(group_id)
        self.group_combo.setCurrentIndex(i)

    def scope(self) -> Scope:
        from sqdesk.analytics.community import Scope

        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        if start > end:
            start, end = end, start
        gid = self.group_combo.currentData()
        return Scope(start, end, (int(gid),) if gid is not None else None, self.staff_check.isChecked())

    def reload_groups(self) -> None:
        if not self.ctx.has_workspace:
            return

        def work(h: TaskHandle) -> list[tuple[int, str]]:
            from sqlalchemy import select

            from sqdesk.models import Group

            with h.ws.read() as s:
                return [(int(i), str(n)) for i, n in s.execute(select(Group.id, Group.name).order_by(Group.id))]

        def done(groups: list[tuple[int, str]]) -> None:
            chosen = self.group_combo.currentData()
            self.group_combo.blockSignals(True)
            self.group_combo.clear()
            self.group_combo.addItem(self.tr("全部群"), None)
            for gid, name in groups:
                self.group_combo.addItem(name, gid)
            i = self.group_combo.findData(chosen)
            self.group_combo.setCurrentIndex(max(i, 0))
            self.group_combo.blockSignals(False)
            if chosen is not None and i < 0:
                self.refresh()

        self.ctx.tasks.submit(work, on_done=done, owner=self, label=self.tr("正在读取群列表…"))

    # charts ---------------------------------------------------------------------------------------
    def _chart_picked(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_chart(str(item.data(Qt.ItemDataRole.UserRole)))

    def select_chart(self, name: str) -> None:
        for row in range(self.chart_list.count()):
            if self.chart_list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.chart_list.setCurrentRow(row)
                return
        raise KeyError(name)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if not kinds & SHOWN_KINDS:
            return
        self.cache.clear()
        if "groups" in kinds or "workspace" in kinds:
            self.reload_groups()
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 — Qt override
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def recompute(self) -> None:
        self.cache.clear()
        self.refresh()

    def refresh(self) -> None:
        self.show_chart(self.current_name)

    def show_chart(self, name: str) -> None:
        """Show chart ``name`` for the current scope: from the cache, else computed in the background."""
        self.current_name = name
        self._gen += 1
        gen = self._gen
        self._clear_drill()
        if not self.ctx.has_workspace:
            self.canvas.show_message(self.tr("还没有打开工作区。"))
            return
        scope = self.scope()
        key = (name, scope)
        if key in self.cache:
            self._draw(name, scope, self.cache[key])
            return
        title = chart_title(name)
        self.canvas.show_message(self.tr("正在计算「{title}」…").format(title=title))

        def work(h: TaskHandle) -> Any:
            from sqdesk.charts.registry import chart_spec

            spec = chart_spec(name)
            with h.ws.read() as s:
                return spec.compute(s, scope)

        def done(data: Any) -> None:
            self.cache[key] = data
            if gen == self._gen:
                self._draw(name, scope, data)

        def failed(exc: BaseException) -> None:
            if gen == self._gen:
                self.canvas.show_message(self.tr("计算失败：{error}").format(error=exc))
                self.chart_shown.emit(name)
            if self.ctx.tasks.error_handler is not None:
                self.ctx.tasks.error_handler(exc)

        self.ctx.tasks.submit(work, on_done=done, on_error=failed, owner=self,
                              label=self.tr("正在计算「{title}」…").format(title=title))

    def _draw(self, name: str, scope: Scope, data: Any) -> None:
        """Build and draw the figure on the render thread; ``chart_shown`` once it is on screen."""
        self.current_data = data
        self.current_scope = scope
        self._drawn_gen = self._gen
        self.canvas.show_chart(partial(chart_figure, name, data))

    def _chart_drawn(self) -> None:
        if self._drawn_gen == self._gen:
            self.chart_shown.emit(self.current_name)

    def _chart_failed(self, exc: BaseException) -> None:
        if self._drawn_gen == self._gen:
            self.chart_shown.emit(self.current_name)
        self._report(exc)

    def _report(self, exc: BaseException) -> None:
        if self.ctx.tasks.error_handler is not None:
            self.ctx.tasks.error_handler(exc)
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    # drill-down ---------------------------------------------------------------------------------------
    def _clear_drill(self) -> None:
        self._drill_gen += 1
        self.last_key = None
        self.drill_rows = []
        self.drill_table.setSortingEnabled(False)
        self.drill_table.setRowCount(0)
        self.drill_table.setSortingEnabled(True)
        self.drill_title.setText(self.tr("点击图表中的柱子或格子，查看背后的成员。"))

    def drill(self, key: DrillKey) -> None:
        """List the members behind ``key`` (evidence computed on the worker)."""
        if self.current_scope is None or key.chart != self.current_name:
            return
        self._drill_gen += 1
        gen = self._drill_gen
        self.last_key = key
        scope, data, name = self.current_scope, self.current_data, self.current_name
        self.drill_title.setText(self.tr("{what}：正在查找…").format(what=key.label))

        def work(h: TaskHandle) -> tuple[Any, list[Any]]:
            from sqdesk.charts.registry import chart_spec, evidence_members

            with h.ws.read() as s:
                ev = chart_spec(name).evidence(s, scope, data, key)
                return ev, evidence_members(s, ev, limit=DRILL_LIMIT)

        def done(result: tuple[Any, list[Any]]) -> None:
            if gen == self._drill_gen:
                self._fill_drill(key, *result)

        self.ctx.tasks.submit(work, on_done=done, owner=self, label=self.tr("正在查找成员…"))

    def _fill_drill(self, key: DrillKey, evidence: Any, rows: list[Any]) -> None:
        self.drill_rows = rows
        total = len(evidence.member_ids)
        records = len(evidence.activity_ids) + len(evidence.registration_ids)
        text = self.tr("{what}：{n} 人").format(what=key.label, n=f"{total:,}")
        if records:
            text += self.tr("，{m} 条记录").format(m=f"{records:,}")
        if total > len(rows):
            text += self.tr("（列出前 {k} 人）").format(k=f"{len(rows):,}")
        self.drill_title.setText(text)
        table = self.drill_table
        table.setColumnHidden(6, records == 0)     # "相关记录" only when the figure has rows behind it
        table.setSortingEnabled(False)
        table.setRowCount(len(rows))
        for r, m in enumerate(rows):
            values: list[Any] = [m.member_id, m.name, vocab(m.role) if m.role else "", vocab(m.level) if m.level else "",
                                 vocab(m.status) if m.status else "", m.joined_on.isoformat() if m.joined_on else "", m.rows]
            for col, value in enumerate(values):
                item = QTableWidgetItem()
                if isinstance(value, int):
                    item.setData(Qt.ItemDataRole.DisplayRole, value)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setText(str(value))
                item.setData(Qt.ItemDataRole.UserRole, m.member_id)
                table.setItem(r, col, item)
        table.setSortingEnabled(True)
        self.drill_loaded.emit(len(rows))

    # PNG ----------------------------------------------------------------------------------------------
    def save_png(self, path: str | Path, dpi: int = 150) -> None:
        """Write the current chart, drawn afresh at its natural size, as a PNG — on the
        render thread: ``png_saved(path)`` when it is written; a failure goes to the error
        handler (a file that cannot be written as a plain message)."""
        if self.current_data is None:
            raise RuntimeError("no chart is shown")
        factory = partial(chart_figure, self.current_name, self.current_data)
        self._saving += 1
        render_thread().submit(partial(save_chart_png, factory, Path(path), dpi),
                               on_done=self._png_written, on_error=partial(self._png_failed, Path(path)), owner=self)

    def _png_written(self, path: Path) -> None:
        self._saving -= 1
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(self.tr("已保存 {file}").format(file=str(path)), 5000)
        self.png_saved.emit(str(path))

    def _png_failed(self, path: Path, exc: BaseException) -> None:
        self._saving -= 1
        if isinstance(exc, OSError):
            from sqdesk.core.errors import UserError

            exc = UserError(f"无法保存 {path.name}：{exc.strerror or exc}")
        self._report(exc)

    def save_png_dialog(self) -> None:
        if self.current_data is None or self.current_scope is None:
            return
        sc = self.current_scope
        title = "".join("-" if ch in '\\/:*?"<>|' else ch for ch in chart_title(self.current_name))  # "20/50/30"
        suggested = f"{title}_{sc.start:%Y%m%d}-{sc.end:%Y%m%d}.png"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("保存图表为 PNG"), suggested, self.tr("PNG 图片 (*.png)"))
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        self.save_png(path)

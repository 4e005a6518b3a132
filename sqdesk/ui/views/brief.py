"""简报 — the 供求简报: pick a period and groups, preview every sheet of the workbook,
export it (in the background, with progress and cancel), or copy the plain-text brief
for a chat group.

The preview is :func:`sqdesk.io.brief.collect_brief` — the very rows the file will
hold, already masked — so what the operator sees is what leaders get (the file is in
Chinese; in the English UI the column headers and key-figure names are translated, in
context ``BriefSheet``, and the cells are shown as the file holds them). Contacts are
masked unless the operator unticks 打码 and confirms; an unmasked export is recorded
in the audit log by the export itself.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sqdesk.io.brief import BriefData, Column, SheetData

if TYPE_CHECKING:
    from sqdesk.io.brief import BriefSummary
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

RELOAD_KINDS = frozenset({"members", "groups", "events", "rules", "activity", "supply", "workspace"})
PRESETS = ("this_week", "last_week", "this_month", "last_month", "custom")
_Index = QModelIndex | QPersistentModelIndex


def period_of(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days of a preset period (Monday-first weeks, calendar months)."""
    monday = today - dt.timedelta(days=today.weekday())
    if preset == "this_week":
        return monday, monday + dt.timedelta(days=6)
    if preset == "last_week":
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)
    first = today.replace(day=1)
    if preset == "this_month":
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return first, nxt - dt.timedelta(days=1)
    if preset == "last_month":
        prev_last = first - dt.timedelta(days=1)
        return prev_last.replace(day=1), prev_last
    raise ValueError(preset)


class SheetModel(QAbstractTableModel):
    """One sheet of the brief, read-only: numbers right-aligned, dates as dates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns: tuple[Column, ...] = ()
        self._rows: list[tuple[Any, ...]] = []

    def set_sheet(self, columns: tuple[Column, ...], rows: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self._columns, self._rows = columns, rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return sheet_word(self._columns[section].header)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        col = self._columns[index.column()]
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(value, col.kind)
        if role == Qt.ItemDataRole.ToolTipRole and col.kind == "wrap" and isinstance(value, str) and len(value) > 30:
            return value[:2000]
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind in ("int", "float", "pct", "signed", "shown"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def display(value: Any, kind: str) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        if kind == "pct" and isinstance(value, (int, float)):
            return f"{value:.1%}"
        if kind == "signed" and isinstance(value, (int, float)):
            return f"{value:+,}" if isinstance(value, int) else f"{value:+.1f}"
        if isinstance(value, float):
            return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
        if isinstance(value, int):
            return f"{value:,}"
        text = str(value)
        return text if len(text) <= 200 else text[:199] + "…"


OVERVIEW_COLUMNS = (Column("指标", "text", 12), Column("本期", "shown", 10), Column("上期", "shown", 10),
                    Column("变化", "shown", 14), Column("变化率", "pct", 10))

# The words of the sheets that the preview shows in the UI language: the column headers of
# every sheet (sqdesk.io.brief's *_COLUMNS and OVERVIEW_COLUMNS) and the key figures' names
# (sqdesk.io.brief.FIGURE_ORDER). A test checks that this list covers them.
SHEET_CONTEXT = "BriefSheet"
SHEET_WORDS = (
    QT_TRANSLATE_NOOP("BriefSheet", "指标"), QT_TRANSLATE_NOOP("BriefSheet", "本期"),
    QT_TRANSLATE_NOOP("BriefSheet", "上期"), QT_TRANSLATE_NOOP("BriefSheet", "变化"),
    QT_TRANSLATE_NOOP("BriefSheet", "变化率"),
    QT_TRANSLATE_NOOP("BriefSheet", "编号"), QT_TRANSLATE_NOOP("BriefSheet", "成员"),
    QT_TRANSLATE_NOOP("BriefSheet", "城市"), QT_TRANSLATE_NOOP("BriefSheet", "类别"),
    QT_TRANSLATE_NOOP("BriefSheet", "内容"), QT_TRANSLATE_NOOP("BriefSheet", "关键词"),
    QT_TRANSLATE_NOOP("BriefSheet", "发布日期"), QT_TRANSLATE_NOOP("BriefSheet", "有效期至"),
    QT_TRANSLATE_NOOP("BriefSheet", "状态"), QT_TRANSLATE_NOOP("BriefSheet", "手机"),
    QT_TRANSLATE_NOOP("BriefSheet", "微信"),
    QT_TRANSLATE_NOOP("BriefSheet", "需求编号"), QT_TRANSLATE_NOOP("BriefSheet", "需求方"),
    QT_TRANSLATE_NOOP("BriefSheet", "需求内容"), QT_TRANSLATE_NOOP("BriefSheet", "供给编号"),
    QT_TRANSLATE_NOOP("BriefSheet", "供给方"), QT_TRANSLATE_NOOP("BriefSheet", "供给内容"),
    QT_TRANSLATE_NOOP("BriefSheet", "匹配度"), QT_TRANSLATE_NOOP("BriefSheet", "理由"),
    QT_TRANSLATE_NOOP("BriefSheet", "阶段"), QT_TRANSLATE_NOOP("BriefSheet", "开始"),
    QT_TRANSLATE_NOOP("BriefSheet", "活动"), QT_TRANSLATE_NOOP("BriefSheet", "类型"),
    QT_TRANSLATE_NOOP("BriefSheet", "地点"), QT_TRANSLATE_NOOP("BriefSheet", "人数上限"),
    QT_TRANSLATE_NOOP("BriefSheet", "已报名"), QT_TRANSLATE_NOOP("BriefSheet", "已签到"),
    QT_TRANSLATE_NOOP("BriefSheet", "缺席"), QT_TRANSLATE_NOOP("BriefSheet", "候补"),
    QT_TRANSLATE_NOOP("BriefSheet", "到场率"),
    QT_TRANSLATE_NOOP("BriefSheet", "排名"), QT_TRANSLATE_NOOP("BriefSheet", "角色"),
    QT_TRANSLATE_NOOP("BriefSheet", "等级"), QT_TRANSLATE_NOOP("BriefSheet", "活跃分"),
    QT_TRANSLATE_NOOP("BriefSheet", "近7天发言"), QT_TRANSLATE_NOOP("BriefSheet", "近30天发言"),
    QT_TRANSLATE_NOOP("BriefSheet", "近90天发言"), QT_TRANSLATE_NOOP("BriefSheet", "近30天分享"),
    QT_TRANSLATE_NOOP("BriefSheet", "近90天参加活动"), QT_TRANSLATE_NOOP("BriefSheet", "近90天缺席"),
    QT_TRANSLATE_NOOP("BriefSheet", "邀请留存"), QT_TRANSLATE_NOOP("BriefSheet", "最近参与"),
    QT_TRANSLATE_NOOP("BriefSheet", "入群天数"),
    QT_TRANSLATE_NOOP("BriefSheet", "群规"), QT_TRANSLATE_NOOP("BriefSheet", "处理"),
    QT_TRANSLATE_NOOP("BriefSheet", "截止日期"), QT_TRANSLATE_NOOP("BriefSheet", "依据"),
    QT_TRANSLATE_NOOP("BriefSheet", "新发布供给"), QT_TRANSLATE_NOOP("BriefSheet", "新发布需求"),
    QT_TRANSLATE_NOOP("BriefSheet", "新记录撮合"), QT_TRANSLATE_NOOP("BriefSheet", "其中已对接"),
    QT_TRANSLATE_NOOP("BriefSheet", "活跃成员"), QT_TRANSLATE_NOOP("BriefSheet", "入群"),
    QT_TRANSLATE_NOOP("BriefSheet", "退群"), QT_TRANSLATE_NOOP("BriefSheet", "活动场次"),
    QT_TRANSLATE_NOOP("BriefSheet", "报名人次"), QT_TRANSLATE_NOOP("BriefSheet", "签到人次"),
    QT_TRANSLATE_NOOP("BriefSheet", "缺席率"),
)


def sheet_word(text: str) -> str:
    """A column header or key-figure name of the brief in the UI language."""
    return QCoreApplication.translate(SHEET_CONTEXT, text)


def overview_rows(data: BriefData) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for k in data.overview.figures:
        if k.kind == "pct":
            shown = [SheetModel.display(v, "pct") for v in (k.current, k.previous)]
            change = "" if k.change is None else QCoreApplication.translate("BriefSheet", "{change} 个百分点").format(
                change=f"{k.change * 100:+.1f}")
        else:
            shown = [SheetModel.display(v, "int") for v in (k.current, k.previous)]
            change = "" if k.change is None else (f"{int(k.change):+,}" if k.change else "0")
        rows.append((sheet_word(k.label), *shown, change, k.change_rate))
    return rows


# the workbook's sheet names, shown as tab titles (translated in the BriefView context)
SHEET_TABS = (
    QT_TRANSLATE_NOOP("BriefView", "概览"), QT_TRANSLATE_NOOP("BriefView", "供给"),
    QT_TRANSLATE_NOOP("BriefView", "需求"), QT_TRANSLATE_NOOP("BriefView", "匹配建议"),
    QT_TRANSLATE_NOOP("BriefView", "活动"), QT_TRANSLATE_NOOP("BriefView", "活跃度"),
    QT_TRANSLATE_NOOP("BriefView", "待办"),
)


class BriefView(QWidget):
    """The 简报 screen."""

    preview_loaded = Signal()
    exported = Signal(object)  # BriefSummary
    text_copied = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("简报")
        self.data: BriefData | None = None
        self._gen = 0
        self._groups: list[tuple[int, str]] = []
        self._chosen: set[int] = set()
        self.models: dict[str, SheetModel] = {}
        self._build()
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(300)
        self._reload.timeout.connect(self.refresh)
        ctx.changed.connect(self._on_changed)
        self.set_preset("this_week")
        if ctx.has_workspace:
            self._load_groups()
            self.refresh()

    # ---- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("时间："), self))
        self.preset = QComboBox(self)
        self.preset.setObjectName("brief_period")
        for key, text in zip(PRESETS, (self.tr("本周"), self.tr("上周"), self.tr("本月"), self.tr("上月"),
                                       self.tr("自定义…")), strict=True):
            self.preset.addItem(text, key)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        top.addWidget(self.preset)
        self.start_edit = QDateEdit(self)
        self.start_edit.setObjectName("brief_start")
        self.end_edit = QDateEdit(self)
        self.end_edit.setObjectName("brief_end")
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._dates_edited)
        top.addWidget(self.start_edit)
        top.addWidget(QLabel("–", self))
        top.addWidget(self.end_edit)
        top.addSpacing(12)
        self.group_button = QToolButton(self)
        self.group_button.setObjectName("brief_groups")
        self.group_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.group_menu = QMenu(self.group_button)
        self.group_button.setMenu(self.group_menu)
        self.group_button.setMinimumWidth(self.fontMetrics().horizontalAdvance("群：全部全部全部") + 24)
        top.addWidget(self.group_button)
        top.addSpacing(12)
        self.mask_box = QCheckBox(self.tr("手机、微信打码"), self)
        self.mask_box.setObjectName("brief_mask")
        self.mask_box.setChecked(True)
        self.mask_box.setToolTip(self.tr("默认打码（138****8000、wx****88）；不打码需要确认，并记入操作日志"))
        self.mask_box.clicked.connect(self._mask_clicked)
        top.addWidget(self.mask_box)
        self.short_box = QCheckBox(self.tr("姓名缩写（张*）"), self)
        self.short_box.setObjectName("brief_short_names")
        self.short_box.toggled.connect(lambda _on: self.schedule_refresh())
        top.addWidget(self.short_box)
        top.addStretch(1)
        self.copy_button = QPushButton(self.tr("复制文本"), self)
        self.copy_button.setObjectName("brief_copy")
        self.copy_button.setToolTip(self.tr("复制可以直接发到群里的文字版简报"))
        self.copy_button.clicked.connect(self.copy_text)
        top.addWidget(self.copy_button)
        self.export_button = QPushButton(self.tr("导出…"), self)
        self.export_button.setObjectName("brief_export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        top.addWidget(self.export_button)
        lay.addLayout(top)

        self.summary = QLabel(self)
        self.summary.setObjectName("brief_summary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.message = QLabel(self)
        self.message.setObjectName("brief_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setVisible(False)
        lay.addWidget(self.message)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("brief_tabs")
        for name in SHEET_TABS:
            model = SheetModel(self)
            table = QTableView(self.tabs)
            table.setObjectName(f"brief_table_{name}")
            table.setModel(model)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setAlternatingRowColors(True)
            table.setWordWrap(False)
            vh = table.verticalHeader()
            vh.setVisible(False)
            vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
            table.horizontalHeader().setStretchLastSection(name != "概览")
            self.models[name] = model
            self.tabs.addTab(table, self.tr(name))
        lay.addWidget(self.tabs, 1)

        self.copy_action = QAction(self.tr("复制文本"), self)
        self.copy_action.triggered.connect(self.copy_text)
        self.export_action = QAction(self.tr("导出简报…"), self)
        self.export_action.triggered.connect(self.export)

    def toolbar_actions(self) -> list[QAction]:
        return [self.export_action, self.copy_action]

    def is_busy(self) -> bool:
        """A preview is scheduled (the task queue shows the rest)."""
        return self._reload.isActive()

    # ---- period and groups ------------------------------------------------------------------------
    def set_preset(self, key: str) -> None:
        self.preset.setCurrentIndex(PRESETS.index(key))
        self._preset_changed(self.preset.currentIndex())

    def _preset_changed(self, _i: int) -> None:
        key = self.preset.currentData()
        custom = key == "custom"
        for edit in (self.start_edit, self.end_edit):
            edit.setEnabled(custom)
        if not custom:
            start, end = period_of(key, dt.date.today())
            for edit, day in ((self.start_edit, start), (self.end_edit, end)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.schedule_refresh()

    def _dates_edited(self, _d: QDate) -> None:
        if self.preset.currentData() == "custom":
            self.schedule_refresh()

    def set_period(self, start: dt.date, end: dt.date) -> None:
        """Choose a custom period (also for scripts and tests)."""
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(PRESETS.index("custom"))
        self.preset.blockSignals(False)
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.setEnabled(True)
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.schedule_refresh()

    def period(self) -> tuple[dt.date, dt.date]:
        return self.start_edit.date().toPython(), self.end_edit.date().toPython()  # type: ignore[return-value]

    def group_ids(self) -> list[int] | None:
        return sorted(self._chosen) if self._chosen else None

    def set_groups(self, ids: list[int] | None) -> None:
        self._chosen = set(ids or ())
        self._fill_group_menu()
        self.schedule_refresh()

    def _load_groups(self) -> None:
        def run(h: TaskHandle) -> list[tuple[int, str]]:
            from sqlalchemy import select

            from sqdesk.models import Group

            with h.ws.read() as s:
                return [(int(i), str(n)) for i, n in s.execute(select(Group.id, Group.name).order_by(Group.name))]

        def done(groups: list[tuple[int, str]]) -> None:
            self._groups = groups
            self._chosen &= {g for g, _n in groups}
            self._fill_group_menu()

        self.ctx.tasks.submit(run, on_done=done, owner=self, label=self.tr("读取群列表"))

    def _fill_group_menu(self) -> None:
        self.group_menu.clear()
        every = self.group_menu.addAction(self.tr("全部群"))
        every.setCheckable(True)
        every.setChecked(not self._chosen)
        every.triggered.connect(lambda _c=False: self.set_groups(None))
        self.group_menu.addSeparator()
        for gid, name in self._groups:
            act = self.group_menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(gid in self._chosen)
            act.toggled.connect(lambda on, g=gid: self._toggle_group(g, on))
        if not self._chosen:
            self.group_button.setText(self.tr("群：全部"))
        else:
            names = [n for g, n in self._groups if g in self._chosen]
            text = "、".join(names) if len(names) <= 2 else self.tr("{n} 个群").format(n=len(names))
            self.group_button.setText(self.tr("群：{names}").format(names=text))

    def _toggle_group(self, gid: int, on: bool) -> None:
        if on:
            self._chosen.add(gid)
        else:
            self._chosen.discard(gid)
        self._fill_group_menu()
        self.schedule_refresh()

    # ---- privacy options ------------------------------------------------------------------------------
    def _mask_clicked(self, checked: bool) -> None:
        if not checked and not self.confirm_unmask():
            self.mask_box.setChecked(True)
            return
        self.schedule_refresh()

    def confirm_unmask(self) -> bool:
        """Ask before showing contacts in full (tests replace this)."""
        answer = QMessageBox.warning(
            self, self.tr("不打码导出"),
            self.tr("不打码时，简报会包含成员完整的手机号和微信号。\n请只在确有需要、且接收人可信时这样做；"
                    "每次不打码的导出都会记入操作日志。\n\n确定不打码吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def options(self) -> dict[str, Any]:
        start, end = self.period()
        return {"start": start, "end": end, "group_ids": self.group_ids(), "mask": self.mask_box.isChecked(),
                "shorten_names": self.short_box.isChecked()}

    # ---- preview -----------------------------------------------------------------------------------------
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "groups" in kinds or "workspace" in kinds:
            self._load_groups()
        if kinds & RELOAD_KINDS:
            self.schedule_refresh()

    def schedule_refresh(self) -> None:
        self._reload.start()

    def refresh(self) -> None:
        self._reload.stop()
        if not self.ctx.has_workspace:
            return
        opts = self.options()
        if opts["start"] > opts["end"]:
            self._say(self.tr("开始日期晚于结束日期"), error=True)
            return
        self._gen += 1
        gen = self._gen
        self.summary.setText(self.tr("正在生成预览…"))

        def run(h: TaskHandle) -> BriefData:
            from sqdesk.io.brief import collect_brief

            with h.ws.read() as s:
                return collect_brief(s, opts["start"], opts["end"], group_ids=opts["group_ids"], mask=opts["mask"],
                                     shorten_names=opts["shorten_names"], progress=h.progress)

        def done(data: BriefData) -> None:
            if gen == self._gen:
                self._show(data)

        self.ctx.tasks.submit(run, on_done=done, on_error=self._failed, owner=self, label=self.tr("生成简报预览"))

    def _show(self, data: BriefData) -> None:
        self.data = data
        self.models["概览"].set_sheet(OVERVIEW_COLUMNS, overview_rows(data))
        for sheet in data.sheets:
            self.models[sheet.name].set_sheet(sheet.columns, sheet.rows)
        for i in range(self.tabs.count()):
            name = list(self.models)[i]
            n = self.models[name].rowCount()
            self.tabs.setTabText(i, self.tr(name) if name == "概览" else f"{self.tr(name)} ({n:,})")
        self._size_columns()
        parts = [f"{self.tr(s.name)} {len(s.rows):,}" for s in data.sheets]
        period = self.tr("{start} 至 {end}").format(start=data.start.isoformat(), end=data.end.isoformat())
        text = self.tr("{period}：{parts}").format(period=period, parts="　".join(parts))
        if data.unconsented:
            text += self.tr("　（{n} 人未授权，未列出）").format(n=data.unconsented)
        if not data.masked:
            text += self.tr("　注意：未打码")
        self.summary.setText(text)
        self._say("")
        self.preview_loaded.emit()

    def _size_columns(self) -> None:
        char = self.fontMetrics().averageCharWidth()
        for i, name in enumerate(self.models):
            table = self.tabs.widget(i)
            assert isinstance(table, QTableView)
            model = self.models[name]
            for j in range(model.columnCount()):
                col = model._columns[j]
                header = sheet_word(col.header)
                width = len(header) * 2 + 2 if any(ord(ch) > 0x2E7F for ch in header) else len(header) + 2
                chars = {"wrap": 36, "date": 11, "datetime": 16}.get(col.kind, max(col.min_width, width))
                size = min(chars, 40) * char + 14
                if name == "概览" and j == 0:    # the key figures' names (longer in English)
                    size = max(size, table.sizeHintForColumn(0))
                table.horizontalHeader().resizeSection(j, size)

    def sheet(self, name: str) -> SheetData | None:
        if self.data is None:
            return None
        return next((s for s in self.data.sheets if s.name == name), None)

    # ---- export and copy -------------------------------------------------------------------------------------
    def export(self) -> None:
        start, end = self.period()
        suggested = f"供求简报_{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("导出供求简报"), suggested, self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write the workbook in the background with a cancellable progress dialog."""
        opts = self.options()
        self.export_button.setEnabled(False)

        def run(h: TaskHandle) -> BriefSummary:
            from sqdesk.io.brief import build_brief_workbook

            def progress(done: int, total: int) -> None:
                h.check_cancelled()
                h.progress(done, total)

            session = h.ws.read() if opts["mask"] else h.ws.write()  # the unmasked export writes its audit entry
            with session as s:
                return build_brief_workbook(s, path, start=opts["start"], end=opts["end"], group_ids=opts["group_ids"],
                                            mask=opts["mask"], shorten_names=opts["shorten_names"],
                                            progress=progress, operator=h.ws.operator)

        def done(summary: BriefSummary) -> None:
            self.export_button.setEnabled(True)
            self._say(summary.describe())
            self.exported.emit(summary)

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self._failed(exc)

        def cancelled() -> None:
            self.export_button.setEnabled(True)
            self._say(self.tr("已取消导出，原有文件未改动"))

        self.ctx.tasks.submit(run, on_done=done, on_error=failed, on_cancel=cancelled, owner=self,
                              progress_parent=self, cancellable=True, label=self.tr("导出供求简报"))

    def copy_text(self) -> None:
        opts = self.options()

        def run(h: TaskHandle) -> str:
            from sqdesk.io.brief_text import brief_text, record_unmasked_text

            with h.ws.read() as s:
                text = brief_text(s, opts["start"], opts["end"], opts["group_ids"], opts["mask"],
                                  shorten_names=opts["shorten_names"])
            if not opts["mask"]:
                with h.ws.write() as s:
                    record_unmasked_text(s, h.ws.operator, opts["start"], opts["end"], opts["group_ids"])
            return text

        def done(text: str) -> None:
            from sqdesk.io.brief_text import DIVIDER

            QGuiApplication.clipboard().setText(text)
            parts = text.count(DIVIDER) + 1
            note = self.tr("已复制文字版简报") + (self.tr("（共 {n} 条消息，请分条发送）").format(n=parts) if parts > 1 else "")
            self._say(note)
            self.text_copied.emit(text)

        self.ctx.tasks.submit(run, on_done=done, on_error=self._failed, owner=self, label=self.tr("生成文字版简报"))

    # ---- messages ----------------------------------------------------------------------------------------------
    def _failed(self, exc: BaseException) -> None:
        from sqdesk.core.errors import UserError

        if isinstance(exc, UserError):
            self._say(str(exc), error=True)
        elif self.ctx.tasks.error_handler is not None:
            self.ctx.tasks.error_handler(exc)  # the crash handler
        else:
            raise exc

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b91c1c;" if error else "color: #166534;")
        self.message.setVisible(bool(text))

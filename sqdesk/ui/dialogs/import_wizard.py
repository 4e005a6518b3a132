"""The import wizard: file → sheet and header row → column mapping → preview → import → result.

One wizard for every kind of import: an :class:`ImportSpec` names the preview and
commit functions of :mod:`sqdesk.io` (roster, activity…), their header synonyms and
field labels, and how to list a preview's problems and duplicates. Reading the file,
the preview (every row validated) and the commit all run on the DB worker; the UI
thread only shows results. The commit runs in one write transaction: 取消 makes the
commit raise ImportCancelled between chunks, the transaction rolls back, and the
workspace is exactly as before. The result page offers 撤销本次导入 (undo the batch).
"""

from __future__ import annotations

import gc
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from sqdesk.core.errors import Problem, UserError
from sqdesk.ui.itemmodels.table_model import StaticTableModel, cell_text

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

PREVIEW_ROWS = 20  # rows of the file shown on the sheet page
SCAN_ROWS = 30
MAX_LISTED = 2000  # problems / duplicates listed on the preview page (the rest counted)
IGNORE = ""  # mapping target: leave the column out
CUSTOM = "custom:"  # mapping target prefix: keep as a custom field (roster)


def _tr(text: str) -> str:
    """Translate a string held in a variable (its source is listed with QT_TRANSLATE_NOOP)."""
    return QCoreApplication.translate("ImportFields", text)


# Field names and duplicate policies come from sqdesk.io (Chinese); listed here so the
# translation tools see them.
_FIELD_NAMES = (
    QT_TRANSLATE_NOOP("ImportFields", "姓名"), QT_TRANSLATE_NOOP("ImportFields", "真实姓名"),
    QT_TRANSLATE_NOOP("ImportFields", "手机号"), QT_TRANSLATE_NOOP("ImportFields", "微信号"),
    QT_TRANSLATE_NOOP("ImportFields", "性别"), QT_TRANSLATE_NOOP("ImportFields", "城市"),
    QT_TRANSLATE_NOOP("ImportFields", "行业"), QT_TRANSLATE_NOOP("ImportFields", "公司"),
    QT_TRANSLATE_NOOP("ImportFields", "职位"), QT_TRANSLATE_NOOP("ImportFields", "自我介绍"),
    QT_TRANSLATE_NOOP("ImportFields", "入群时间"), QT_TRANSLATE_NOOP("ImportFields", "来源"),
    QT_TRANSLATE_NOOP("ImportFields", "邀请人"), QT_TRANSLATE_NOOP("ImportFields", "角色"),
    QT_TRANSLATE_NOOP("ImportFields", "会员等级"), QT_TRANSLATE_NOOP("ImportFields", "付费到期"),
    QT_TRANSLATE_NOOP("ImportFields", "状态"), QT_TRANSLATE_NOOP("ImportFields", "同意使用数据"),
    QT_TRANSLATE_NOOP("ImportFields", "备注"), QT_TRANSLATE_NOOP("ImportFields", "群昵称"),
    QT_TRANSLATE_NOOP("ImportFields", "所在群"), QT_TRANSLATE_NOOP("ImportFields", "标签"),
    QT_TRANSLATE_NOOP("ImportFields", "各群入群时间"), QT_TRANSLATE_NOOP("ImportFields", "各群退群时间"),
    QT_TRANSLATE_NOOP("ImportFields", "时间"), QT_TRANSLATE_NOOP("ImportFields", "群"),
    QT_TRANSLATE_NOOP("ImportFields", "成员"), QT_TRANSLATE_NOOP("ImportFields", "类型"),
    QT_TRANSLATE_NOOP("ImportFields", "数量"),
    QT_TRANSLATE_NOOP("ImportFields", "跳过"), QT_TRANSLATE_NOOP("ImportFields", "更新已有成员"),
    QT_TRANSLATE_NOOP("ImportFields", "仍作为新成员导入"),
)


# ---- what varies between imports ----------------------------------------------------------

@dataclass(frozen=True)
class ImportSpec:
    """Everything the wizard needs to know about one kind of import."""

    kind: str  # "members" / "activity" (import_batches.kind)
    title: str
    synonyms: dict[str, tuple[str, ...]]
    field_labels: dict[str, str]  # field → label shown in the mapping combos
    preview: Callable[..., Any]  # (session, path, *, mapping, sheet, header_row[, on_duplicate])
    commit: Callable[..., Any]  # (session, preview, *, operator, progress, cancel) → result
    problems: Callable[[Any], list[Problem]]
    problem_total: Callable[[Any], int]
    duplicates: Callable[[Any], list[tuple[Any, ...]]]  # rows for the duplicates table
    duplicate_headers: tuple[str, ...]
    importable: Callable[[Any], int]  # rows the commit would write
    summary: Callable[[Any], str]
    required: tuple[tuple[str, ...], ...] = ()  # each: at least one of these fields mapped
    policies: tuple[tuple[str, str], ...] = ()  # (value, label) of the duplicate policy
    default_policy: str = ""
    custom_fields: bool = False  # unmapped columns can be kept as custom fields
    ignored_headers: frozenset[str] = frozenset()  # normalised headers left out by default (序号)
    notify: tuple[str, ...] = ("members", "imports")


def roster_import_spec() -> ImportSpec:
    from sqdesk.io import roster_import as ri

    labels = {f: _tr(ri._field_label(f)) for f in ri.ROSTER_SYNONYMS}

    def duplicates(p: ri.RosterPreview) -> list[tuple[Any, ...]]:
        return [
            (d.row, d.key, d.value,
             QCoreApplication.translate("ImportWizard", "成员「{name}」(#{id})").format(name=d.member_name, id=d.member_id) if d.member_id
             else QCoreApplication.translate("ImportWizard", "本文件第 {row} 行").format(row=d.first_row))
            for d in p.duplicates[:MAX_LISTED]
        ]

    def problems(p: ri.RosterPreview) -> list[Problem]:
        file = p.file.name
        return [Problem(x.row, x.column, x.message, x.file or file) for x in p.problems[:MAX_LISTED]]

    def summary(p: ri.RosterPreview) -> str:
        c = p.counts()
        return QCoreApplication.translate("ImportWizard", "数据 {rows} 行：将新增 {create} 人，更新 {update} 人；跳过空行/合计行 {skipped} 行，重复 {dups} 处（跳过 {dup_skipped} 行），有错误不导入 {errors} 行。").format(rows=c["rows"], create=c["create"], update=c["update"], skipped=c["skipped"],
                 dups=c["duplicates"], dup_skipped=c["duplicates_skipped"], errors=c["error_rows"])

    return ImportSpec(
        kind="members",
        title=QCoreApplication.translate("ImportWizard", "导入成员名单"),
        synonyms=dict(ri.ROSTER_SYNONYMS),
        field_labels=labels,
        preview=ri.preview_roster_import,
        commit=ri.commit_roster_import,
        problems=problems,
        problem_total=lambda p: len(p.problems),
        duplicates=duplicates,
        duplicate_headers=(QCoreApplication.translate("ImportWizard", "行"), QCoreApplication.translate("ImportWizard", "重复项"), QCoreApplication.translate("ImportWizard", "值"), QCoreApplication.translate("ImportWizard", "与谁重复")),
        importable=lambda p: p.to_create + p.to_update,
        summary=summary,
        required=(("display_name", "nickname"),),
        policies=tuple((k, _tr(v)) for k, v in ri.POLICY_LABELS.items()),
        default_policy="skip",
        custom_fields=True,
        ignored_headers=frozenset(ri.IGNORED_HEADERS),
        notify=("members", "groups", "imports"),
    )


def activity_import_spec() -> ImportSpec:
    from sqdesk.io import activity_import as ai

    def problems(p: ai.ActivityPreview) -> list[Problem]:
        return [Problem(x.row, x.column, x.message, x.file or p.file_name) for x in p.problems[:MAX_LISTED]]

    return ImportSpec(
        kind="activity",
        title=QCoreApplication.translate("ImportWizard", "导入动态记录"),
        synonyms=dict(ai.ACTIVITY_SYNONYMS),
        field_labels={f: _tr(label) for f, label in ai.FIELD_LABELS.items()},
        preview=ai.preview_activity_import,
        commit=ai.commit_activity_import,
        problems=problems,
        problem_total=lambda p: p.problem_count,
        duplicates=lambda p: [(n, QCoreApplication.translate("ImportWizard", "与之前导入的记录完全相同")) for n in p.duplicate_lines[:MAX_LISTED]],
        duplicate_headers=(QCoreApplication.translate("ImportWizard", "行"), QCoreApplication.translate("ImportWizard", "说明")),
        importable=lambda p: p.to_import,
        summary=lambda p: QCoreApplication.translate("ImportWizard", "共 {rows} 行数据，可导入 {n} 条动态；跳过重复 {dups} 行，有问题未导入 {bad} 行。").format(
            rows=p.total_rows, n=p.to_import, dups=p.duplicates, bad=p.problem_count),
        required=(("time",), ("member", "wechat_id", "phone")),
        notify=("activity", "imports"),
    )


# ---- plain results of the worker steps ------------------------------------------------------

@dataclass
class SheetData:
    sheets: list[str]
    sheet: str
    rows: list[list[Any]]  # the first SCAN_ROWS rows, raw
    guessed_header: int | None  # 0-based
    notes: list[str] = field(default_factory=list)


@dataclass
class PreviewData:
    preview: Any
    summary: str
    details: str
    importable: int
    problems: list[tuple[Any, ...]]
    problem_total: int
    duplicates: list[tuple[Any, ...]]


def read_sheet(path: str, sheet: str | None, synonyms: dict[str, tuple[str, ...]]) -> SheetData:
    from sqdesk.io.tables import find_header_row, open_table

    with open_table(path) as src:
        names = src.sheet_names()
        chosen = sheet if sheet in names else (names[0] if names else "")
        rows = [list(r) for r in islice(src.rows(chosen or None), SCAN_ROWS)]
        header = find_header_row(rows, synonyms, max_scan=PREVIEW_ROWS)
        if sheet is None and header is None and src.kind != "csv":
            # an instructions sheet first (as core's preview does): the first sheet
            # whose first rows hold a recognisable header
            for other in names[1:]:
                other_rows = [list(r) for r in islice(src.rows(other), SCAN_ROWS)]
                found = find_header_row(other_rows, synonyms, max_scan=PREVIEW_ROWS)
                if found is not None:
                    chosen, rows, header = other, other_rows, found
                    break
        notes = list(src.notes)
    return SheetData(names, chosen, rows, header, notes)


def column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = string.ascii_uppercase[r] + letters
    return letters


@contextmanager
def quiet_gc() -> Iterator[None]:
    """Keep the cyclic garbage collector from stalling the UI thread during big work.

    A preview of 100,000 rows holds millions of objects; each automatic full
    collection scans all of them with the GIL held (measured: pauses of 0.3–0.6 s on
    the UI thread). So collection is paused while the worker builds or writes, and
    what survives (the preview the next pages show) is frozen out of later full
    collections; :meth:`ImportWizard.done` unfreezes when the wizard closes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class _ProgressRelay(QObject):
    """Carries (done, total) from the worker to the import page (queued across threads)."""

    changed = Signal(int, int)


# ---- pages --------------------------------------------------------------------------------------

class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("选择文件"))
        self.setSubTitle(self.tr("支持 Excel 工作簿 (.xlsx / .xls) 和 CSV / 文本文件（UTF-8、GBK 均可）。"))
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("import_path")
        self.path_edit.setPlaceholderText(self.tr("文件路径"))
        self.browse = QPushButton(self.tr("浏览…"), self)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        lay.addLayout(row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        lay.addStretch(1)
        self.path_edit.textChanged.connect(self._changed)
        self.browse.clicked.connect(self._browse)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择要导入的文件"), "",
            self.tr("表格文件 (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv);;所有文件 (*)"),
        )
        if path:
            self.path_edit.setText(path)

    def _changed(self, _text: str) -> None:
        p = self.path()
        if p and not Path(p).is_file():
            self.message.setText(self.tr("找不到这个文件"))
        else:
            self.message.clear()
        self.completeChanged.emit()

    def path(self) -> str:
        return self.path_edit.text().strip()

    def isComplete(self) -> bool:
        p = self.path()
        return bool(p) and Path(p).is_file()


class SheetPage(QWizardPage):
    """Which sheet, and which row holds the column names (first rows shown)."""

    loaded = Signal()  # the file was read, or could not be (see .error)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.error: BaseException | None = None
        self.setTitle(self.tr("工作表和表头"))
        self.setSubTitle(self.tr("确认数据所在的工作表，以及哪一行是列名（表头）。点击下表中的一行即可选为表头。"))
        self.data: SheetData | None = None
        self._gen = 0
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setMinimumContentsLength(16)
        self.header_spin = QSpinBox(self)
        self.header_spin.setRange(1, SCAN_ROWS)
        self.header_spin.setPrefix(self.tr("第 "))
        self.header_spin.setSuffix(self.tr(" 行"))
        form.addRow(self.tr("工作表"), self.sheet_combo)
        form.addRow(self.tr("表头所在行"), self.header_spin)
        lay.addLayout(form)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.model = StaticTableModel([], self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(self.fontMetrics().averageCharWidth() * 14)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        lay.addWidget(self.table, 1)
        self.sheet_combo.currentIndexChanged.connect(lambda _i: self._load(self.sheet_combo.currentText()))
        self.header_spin.valueChanged.connect(self._header_changed)
        self.table.clicked.connect(lambda idx: self.header_spin.setValue(idx.row() + 1))

    def initializePage(self) -> None:
        if self.data is None or self._path != self.w.path():
            self._load(None)

    def _load(self, sheet: str | None) -> None:
        self._gen += 1
        gen = self._gen
        self._path = path = self.w.path()
        self.data = None
        self.error = None
        self.status.setText(self.tr("正在读取文件…"))
        self.completeChanged.emit()
        synonyms = self.w.spec.synonyms
        self.w.ctx.tasks.submit(
            lambda _h: _quiet(read_sheet, path, sheet, synonyms),
            on_done=lambda d: self._loaded(gen, d),
            on_error=lambda e: self._failed(gen, e),
            label=self.tr("正在读取文件…"), owner=self,
        )

    _path = ""

    def _loaded(self, gen: int, data: SheetData) -> None:
        if gen != self._gen:
            return
        self.data = data
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(data.sheets)
        self.sheet_combo.setCurrentText(data.sheet)
        self.sheet_combo.setEnabled(len(data.sheets) > 1)
        self.sheet_combo.blockSignals(False)
        shown = data.rows[:PREVIEW_ROWS]
        width = max((len(r) for r in shown), default=0)
        self.model.set_headers([column_letter(i) for i in range(width)])
        self.model.set_rows(shown)
        header = data.guessed_header if data.guessed_header is not None else 0
        self.header_spin.setMaximum(max(len(shown), 1))
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(header + 1)
        self.header_spin.blockSignals(False)
        self._header_changed(header + 1)
        notes = list(data.notes)
        if data.guessed_header is None:
            notes.insert(0, self.tr("没能自动找到表头，请点击列名所在的那一行。"))
        if not shown:
            notes.insert(0, self.tr("这个工作表是空的。"))
        self.status.setText("\n".join(notes))
        self.completeChanged.emit()
        self.loaded.emit()

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen:
            return
        self.data = None
        self.model.set_rows([])
        self.error = exc
        self.status.setText(f'<span style="color:#c62828">{_html(str(exc))}</span>')
        self.completeChanged.emit()
        self.loaded.emit()
        if not isinstance(exc, UserError):
            self.w.report_unexpected(exc)

    def _header_changed(self, value: int) -> None:
        self.model.set_highlighted_row(value - 1)
        self.table.selectRow(value - 1)
        self.completeChanged.emit()

    def header_row(self) -> int:
        """0-based index of the header row among the rows read."""
        return self.header_spin.value() - 1

    def header_cells(self) -> list[Any]:
        assert self.data is not None
        rows = self.data.rows
        h = self.header_row()
        return list(rows[h]) if h < len(rows) else []

    def sample_rows(self) -> list[list[Any]]:
        assert self.data is not None
        return self.data.rows[self.header_row() + 1 : self.header_row() + 3]

    def isComplete(self) -> bool:
        return (
            self.data is not None and bool(self.data.rows)
            and self.header_row() < len(self.data.rows)
            and any(c not in (None, "") for c in self.data.rows[self.header_row()])
        )


class MappingPage(QWizardPage):
    """One combo per source column, pre-filled by the core's guess."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("列对应"))
        self.setSubTitle(self.tr("每一列要导入到哪个字段？已按列名自动识别，可以修改。"))
        lay = QVBoxLayout(self)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        lay.addWidget(self.scroll_area, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        lay.addWidget(self.message)
        self.combos: list[tuple[int, str, QComboBox]] = []  # (column index, header text, combo)
        self._key: tuple[Any, ...] | None = None

    def initializePage(self) -> None:
        from sqdesk.io.tables import match_columns, normalize_header

        sheet_page = self.w.sheet_page
        header = sheet_page.header_cells()
        key = (self.w.path(), sheet_page.sheet_combo.currentText(), sheet_page.header_row(), tuple(map(str, header)))
        if key == self._key:
            return  # keep the operator's choices when coming back
        self._key = key
        guess = {i: f for f, i in match_columns(header, self.w.spec.synonyms).items()}
        samples = sheet_page.sample_rows()
        body = QWidget(self.scroll_area)
        grid = QGridLayout(body)
        grid.setColumnStretch(1, 0)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(16)
        for c, title in enumerate((self.tr("文件中的列"), self.tr("导入为"), self.tr("示例"))):
            grid.addWidget(QLabel(f"<b>{title}</b>", body), 0, c)
        self.combos = []
        spec = self.w.spec
        for i, cell in enumerate(header):
            text = cell_text(cell).strip()
            if not text:
                continue
            row = len(self.combos) + 1
            example = "；".join(cell_text(r[i]) for r in samples if i < len(r) and r[i] not in (None, ""))
            name = QLabel(f"{column_letter(i)}　{text}", body)
            sample = QLabel(example[:60], body)
            sample.setStyleSheet("color: palette(mid);")
            combo = QComboBox(body)
            combo.setObjectName(f"map_{i}")
            combo.addItem(self.tr("不导入"), IGNORE)
            if spec.custom_fields:
                combo.addItem(self.tr("作为自定义字段"), CUSTOM + text)
            for f, field_label in spec.field_labels.items():
                combo.addItem(field_label, f)
            guessed = guess.get(i)
            if guessed is not None:
                combo.setCurrentIndex(combo.findData(guessed))
            elif spec.custom_fields and normalize_header(text) not in spec.ignored_headers:
                combo.setCurrentIndex(1)
            combo.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
            grid.addWidget(name, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(sample, row, 2)
            self.combos.append((i, text, combo))
        grid.setRowStretch(len(self.combos) + 1, 1)
        self.scroll_area.setWidget(body)
        self.completeChanged.emit()

    def combo_for(self, header_text: str) -> QComboBox:
        for _i, text, combo in self.combos:
            if text == header_text:
                return combo
        raise KeyError(header_text)

    def mapping(self) -> dict[str, str]:
        """header text → field / "" (ignore) / custom:名称, for the preview function."""
        return {text: combo.currentData() for _i, text, combo in self.combos}

    def _problem(self) -> str:
        chosen = [combo.currentData() for _i, _t, combo in self.combos]
        fields = [f for f in chosen if f and not f.startswith(CUSTOM)]
        twice = sorted({f for f in fields if fields.count(f) > 1})
        labels = self.w.spec.field_labels
        if twice:
            return self.tr("「{field}」对应了不止一列，请只保留一列。").format(
                field="、".join(labels.get(f, f) for f in twice))
        for need in self.w.spec.required:
            if not set(need) & set(fields):
                return self.tr("还没有列对应到「{field}」。").format(
                    field=self.tr("」或「").join(labels.get(f, f) for f in need))
        return ""

    def isComplete(self) -> bool:
        problem = self._problem()
        self.message.setText(problem)
        return not problem and bool(self.combos)


class PreviewPage(QWizardPage):
    """Every row checked: what will be created/updated, per-row errors, duplicates."""

    loaded = Signal()

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("预览"))
        self.setSubTitle(self.tr("检查结果：有错误的行不会导入；确认无误后按「导入」。"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("导入"))
        self.data: PreviewData | None = None
        self.error: BaseException | None = None
        self._gen = 0
        lay = QVBoxLayout(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        lay.addWidget(self.busy)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        self.policy_box = QWidget(self)
        policy_lay = QHBoxLayout(self.policy_box)
        policy_lay.setContentsMargins(0, 0, 0, 0)
        policy_lay.addWidget(QLabel(self.tr("与已有成员重复（手机号或微信号相同）时："), self.policy_box))
        self.policy_group = QButtonGroup(self)
        self.policy_buttons: dict[str, QRadioButton] = {}
        for value, label in wizard.spec.policies:
            rb = QRadioButton(label, self.policy_box)
            rb.setObjectName(f"policy_{value}")
            rb.setChecked(value == wizard.spec.default_policy)
            self.policy_group.addButton(rb)
            self.policy_buttons[value] = rb
            policy_lay.addWidget(rb)
            rb.toggled.connect(self._policy_toggled)
        policy_lay.addStretch(1)
        self.policy_box.setVisible(bool(wizard.spec.policies))
        lay.addWidget(self.policy_box)
        self.tabs = QTabWidget(self)
        self.problems_model = StaticTableModel(
            [self.tr("文件"), self.tr("行"), self.tr("列"), self.tr("问题")], self)
        self.duplicates_model = StaticTableModel(list(wizard.spec.duplicate_headers), self)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.problems_table = _table(self, self.problems_model)
        self.duplicates_table = _table(self, self.duplicates_model)
        self.tabs.addTab(self.problems_table, self.tr("错误"))
        self.tabs.addTab(self.duplicates_table, self.tr("重复"))
        self.tabs.addTab(self.details, self.tr("详情"))
        lay.addWidget(self.tabs, 1)

    def _policy_toggled(self, on: bool) -> None:
        if on:  # the newly chosen policy (the other button's toggle-off is ignored)
            self._start()

    def policy(self) -> str:
        for value, rb in self.policy_buttons.items():
            if rb.isChecked():
                return value
        return self.w.spec.default_policy

    def initializePage(self) -> None:
        self._start()

    def _start(self) -> None:
        self._gen += 1
        gen = self._gen
        self.data = None
        self.error = None
        self.busy.setVisible(True)
        self.summary.setText(self.tr("正在逐行检查…"))
        self.completeChanged.emit()
        spec = self.w.spec
        path = self.w.path()
        kwargs: dict[str, Any] = {
            "mapping": self.w.mapping_page.mapping(),
            "sheet": self.w.sheet_page.sheet_combo.currentText() or None,
            "header_row": self.w.sheet_page.header_row() + 1,
        }
        if spec.policies:
            kwargs["on_duplicate"] = self.policy()

        def work(h: TaskHandle) -> PreviewData | None:
            if gen != self._gen:
                return None
            with quiet_gc(), h.ws.read() as s:
                preview = spec.preview(s, path, **kwargs)
            problems = spec.problems(preview)
            return PreviewData(
                preview=preview,
                summary=spec.summary(preview),
                details=preview.describe(),
                importable=spec.importable(preview),
                problems=[(p.file and Path(p.file).name, p.row, p.column, p.message) for p in problems],
                problem_total=spec.problem_total(preview),
                duplicates=spec.duplicates(preview),
            )

        self.w.ctx.tasks.submit(
            work, on_done=lambda d: self._loaded(gen, d), on_error=lambda e: self._failed(gen, e),
            label=self.tr("正在检查导入文件…"), owner=self,
        )

    def _loaded(self, gen: int, data: PreviewData | None) -> None:
        if data is None or gen != self._gen:
            return
        self.data = data
        self.busy.setVisible(False)
        text = data.summary
        if data.importable == 0:
            text += "\n" + self.tr("没有可以导入的行。")
        self.summary.setText(text)
        self.problems_model.set_rows(data.problems)
        self.duplicates_model.set_rows(data.duplicates)
        more = data.problem_total - len(data.problems)
        self.tabs.setTabText(0, self.tr("错误 ({n})").format(n=data.problem_total)
                             + (self.tr("，仅列出前 {n} 条").format(n=len(data.problems)) if more > 0 else ""))
        self.tabs.setTabText(1, self.tr("重复 ({n})").format(n=len(data.duplicates)))
        self.details.setPlainText(data.details)
        if not data.problems and data.duplicates:
            self.tabs.setCurrentIndex(1)
        self.completeChanged.emit()
        self.loaded.emit()

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen:
            return
        self.error = exc
        self.busy.setVisible(False)
        self.summary.setText(f'<span style="color:#c62828">{_html(str(exc))}</span>')
        self.problems_model.set_rows([])
        self.duplicates_model.set_rows([])
        self.completeChanged.emit()
        self.loaded.emit()
        if not isinstance(exc, UserError):
            self.w.report_unexpected(exc)

    def isComplete(self) -> bool:
        return self.data is not None and self.data.importable > 0


class ImportPage(QWizardPage):
    """The commit, in the background, with progress and 取消."""

    finished = Signal(bool)  # True: imported; False: cancelled or failed

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("正在导入"))
        self.setSubTitle(self.tr("导入在后台进行，可以随时取消：取消后工作区保持导入前的样子。"))
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.running = False
        self._handle: Any = None
        lay = QVBoxLayout(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.setObjectName("import_cancel")
        self.retry_button = QPushButton(self.tr("重新导入"), self)
        self.retry_button.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.retry_button)
        lay.addWidget(self.label)
        lay.addLayout(row)
        lay.addStretch(1)
        self.relay = _ProgressRelay(self)
        self.relay.changed.connect(self._progress)
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button.clicked.connect(self.start)

    def initializePage(self) -> None:
        if not self.running and self.result is None:
            self.start()

    def start(self) -> None:
        data = self.w.preview_page.data
        assert data is not None
        self.result = None
        self.error = None
        self.cancelled = False
        self.running = True
        self.bar.setRange(0, 0)
        self.label.setText(self.tr("正在写入 {n} 行…").format(n=f"{data.importable:,}"))
        self.cancel_button.setEnabled(True)
        self.retry_button.setVisible(False)
        spec = self.w.spec
        relay = self.relay

        def work(h: TaskHandle) -> Any:
            def progress(done: int, total: int) -> None:
                h.progress(done, total)
                relay.changed.emit(done, total)

            with quiet_gc(), h.ws.write() as s:
                return spec.commit(s, data.preview, operator=h.ws.operator, progress=progress,
                                   cancel=h.cancelled)

        self._handle = self.w.ctx.tasks.submit(
            work, on_done=self._done, on_error=self._failed, on_cancel=self._cancelled,
            label=spec.title, owner=self,
        )
        self.completeChanged.emit()

    def _progress(self, done: int, total: int) -> None:
        if not self.running:
            return
        if total > 0:
            if self.bar.maximum() != total:
                self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.label.setText(self.tr("已写入 {done} / {total} 行…").format(done=f"{done:,}", total=f"{total:,}"))

    def cancel(self) -> None:
        if self.running and self._handle is not None:
            self._handle.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("正在取消，已写入的部分将全部撤回…"))

    def _done(self, result: Any) -> None:
        self.running = False
        self.result = result
        self.cancel_button.setEnabled(False)
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.w.ctx.notify(*self.w.spec.notify)
        self.completeChanged.emit()
        self.finished.emit(True)
        if self.w.currentPage() is self:
            self.w.next()

    def _failed(self, exc: BaseException) -> None:
        from sqdesk.core.imports import ImportCancelled

        if isinstance(exc, ImportCancelled):
            self._cancelled()
            return
        self.running = False
        self.error = exc
        self.cancel_button.setEnabled(False)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.label.setText(f'<span style="color:#c62828">{_html(self.tr("导入失败，工作区没有任何改动：") + str(exc))}</span>')
        self.retry_button.setVisible(True)
        self.completeChanged.emit()
        self.finished.emit(False)
        self.w.import_stopped()
        if not isinstance(exc, UserError):
            self.w.report_unexpected(exc)

    def _cancelled(self) -> None:
        self.running = False
        self.cancelled = True
        self.cancel_button.setEnabled(False)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.label.setText(self.tr("已取消导入，工作区没有任何改动。"))
        self.retry_button.setVisible(True)
        self.completeChanged.emit()
        self.finished.emit(False)
        self.w.import_stopped()

    def isComplete(self) -> bool:
        return self.result is not None


class ResultPage(QWizardPage):
    undone = Signal()

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("导入完成"))
        lay = QVBoxLayout(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.text)
        self.undo_button = QPushButton(self.tr("撤销本次导入"), self)
        self.undo_button.setObjectName("import_undo")
        self.undo_button.setToolTip(self.tr("整批撤销：删除这次新增的记录，更新过的成员恢复原样"))
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.undo_label = QLabel(self)
        self.undo_label.setWordWrap(True)
        lay.addWidget(self.undo_label)
        lay.addStretch(1)
        self.undo_button.clicked.connect(self.undo_import)
        self.undo_result: Any = None

    def initializePage(self) -> None:
        result = self.w.import_page.result
        self.text.setText(self._describe(result))
        self.undo_button.setEnabled(True)
        self.undo_label.clear()

    def _describe(self, result: Any) -> str:
        created = getattr(result, "created", 0)
        updated = getattr(result, "updated", 0)
        not_imported = getattr(result, "errors", None)
        if not_imported is None:
            not_imported = getattr(result, "not_imported", 0)
        text = self.tr("已导入「{file}」（批次 #{id}）：新增 {created}，更新 {updated}。").format(
            file=getattr(result, "file_name", Path(self.w.path()).name), id=result.batch_id,
            created=f"{created:,}", updated=f"{updated:,}")
        if not_imported:
            text += self.tr("有错误未导入 {n} 行。").format(n=f"{not_imported:,}")
        return text + "\n" + self.tr("如果导入的内容不对，可以按下面的按钮整批撤销。")

    def undo_import(self) -> None:
        result = self.w.import_page.result
        self.undo_button.setEnabled(False)
        self.undo_label.setText(self.tr("正在撤销…"))
        batch_id = result.batch_id
        notify = self.w.spec.notify

        def work(h: TaskHandle) -> Any:
            from sqdesk.core.imports import undo_import

            with h.ws.write() as s:
                return undo_import(s, batch_id, operator=h.ws.operator)

        def done(res: Any) -> None:
            self.undo_result = res
            self.w.ctx.notify(*notify)
            self.undo_label.setText(_plain_describe(res) or self.tr("已撤销本次导入。"))
            self.undone.emit()

        def failed(exc: BaseException) -> None:
            self.undo_button.setEnabled(True)
            self.undo_label.setText(f'<span style="color:#c62828">{_html(str(exc))}</span>')
            if not isinstance(exc, UserError):
                self.w.report_unexpected(exc)

        self.w.ctx.tasks.submit(work, on_done=done, on_error=failed,
                                label=self.tr("正在撤销导入…"), owner=self)


def _quiet(fn: Callable[..., Any], *args: Any) -> Any:
    with quiet_gc():
        return fn(*args)


def _plain_describe(obj: Any) -> str:
    describe = getattr(obj, "describe", None)
    return describe() if callable(describe) else ""


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


def _table(parent: QWidget, model: StaticTableModel) -> QTableView:
    t = QTableView(parent)
    t.setModel(model)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setWordWrap(False)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 8)
    t.horizontalHeader().setStretchLastSection(True)
    return t


# ---- the wizard ---------------------------------------------------------------------------------

class ImportWizard(QWizard):
    """``ImportWizard(ctx, roster_import_spec(), parent).open()``."""

    def __init__(self, ctx: AppContext, spec: ImportSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.setWindowTitle(spec.title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("导入"))
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.sheet_page, self.mapping_page, self.preview_page,
                     self.import_page, self.result_page):
            self.addPage(page)
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 120, fm.height() * 34)
        self._closing = False

    def path(self) -> str:
        return self.file_page.path()

    def set_path(self, path: str | Path) -> None:
        self.file_page.path_edit.setText(str(path))

    def report_unexpected(self, exc: BaseException) -> None:
        handler = self.ctx.tasks.error_handler
        if handler is not None:
            handler(exc)

    def import_stopped(self) -> None:
        if self._closing:
            self._closing = False
            super().reject()

    def done(self, result: int) -> None:
        gc.unfreeze()  # see quiet_gc: the preview goes with the wizard
        super().done(result)

    def reject(self) -> None:
        """Closing while the import runs cancels it first (it rolls back), then closes."""
        if self.import_page.running:
            self._closing = True
            self.import_page.cancel()
            return
        super().reject()


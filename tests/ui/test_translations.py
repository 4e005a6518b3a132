"""The English UI: every catalogue under resources/translations is complete and keeps the
source's placeholders, markup and accelerators; its shipped .qm is compiled from it; and
with English installed the screens show English chrome on a demo workspace."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QHeaderView,
    QTabWidget,
    QToolBar,
    QWidget,
)

from sqdesk.ui.context import AppContext
from sqdesk.ui.i18n import CATALOGUE_SOURCES, PACKAGE, TRANSLATIONS, VOCAB_CONTEXT, lupdate_command

TIMEOUT = 30_000
CATALOGUES = sorted(TRANSLATIONS.glob("*_en.ts"))

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:[!:][^{}]*)?\}|%L?\d+|%n")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Known: the 供求 screen's label is "Offers & needs" in the sidebar (shown literally) and in
# the View menu (where the lone '&' underlines the space); test_shell pins the sidebar text.
KNOWN_LONE_AMPERSANDS = {("Views", "供求"), ("SupplyView", "供求")}


@dataclass(frozen=True)
class Entry:
    catalogue: str
    context: str
    source: str
    translation: str
    unfinished: bool


def read_catalogue(ts: Path) -> list[Entry]:
    root = ET.parse(ts).getroot()
    assert root.tag == "TS" and root.get("language") == "en", ts.name
    out = []
    for c in root.iter("context"):
        for m in c.iter("message"):
            t = m.find("translation")
            assert t is not None, (ts.name, m.findtext("source"))
            out.append(Entry(ts.name, c.findtext("name") or "", m.findtext("source") or "",
                             t.text or "", t.get("type") in ("unfinished", "obsolete", "vanished")))
    return out


def accelerators(text: str) -> int:
    """How many '&' mnemonics a label has ('&&' is a literal ampersand)."""
    return len(re.findall(r"&(?!&)", text.replace("&&", "")))


def test_there_are_catalogues_for_the_shell_and_the_screens() -> None:
    names = {p.name for p in CATALOGUES}
    assert {"sqdesk_en.ts", "analytics_en.ts", "brief_en.ts"} <= names
    for ts in CATALOGUES:
        assert ts.with_suffix(".qm").is_file(), f"{ts.name} has no compiled .qm"


@pytest.mark.parametrize("ts", CATALOGUES, ids=[p.stem for p in CATALOGUES])
def test_catalogue_is_complete_and_keeps_placeholders(ts: Path) -> None:
    entries = read_catalogue(ts)
    assert entries, ts.name
    # An empty translation is never used (Qt shows the Chinese); a blank one is fine only for
    # an affix such as a spin box's " 行" suffix, which English does without.
    unfinished = [(e.context, e.source) for e in entries if e.unfinished or not e.translation
                  or (not e.translation.strip() and not e.source[:1].isspace())]
    assert unfinished == []
    # Strings found outside any class end up in an empty context, which self.tr() never asks for.
    assert [e.source for e in entries if not e.context] == []
    problems = []
    for e in entries:
        if Counter(PLACEHOLDER.findall(e.source)) != Counter(PLACEHOLDER.findall(e.translation)):
            problems.append(("placeholders", e.context, e.source, e.translation))
        if Counter(TAG.findall(e.source.lower())) != Counter(TAG.findall(e.translation.lower())):
            problems.append(("markup", e.context, e.source, e.translation))
        if ("<" not in e.source and accelerators(e.source) != accelerators(e.translation)
                and (e.context, e.source) not in KNOWN_LONE_AMPERSANDS):
            problems.append(("accelerator", e.context, e.source, e.translation))
        if not set(CJK.findall(e.translation)) <= set(CJK.findall(e.source)):
            problems.append(("chinese left in the English", e.context, e.source, e.translation))
    assert problems == []


@pytest.mark.parametrize("ts", CATALOGUES, ids=[p.stem for p in CATALOGUES])
def test_shipped_qm_is_compiled_from_its_catalogue(qapp: QApplication, ts: Path) -> None:
    qm = QTranslator()
    assert qm.load(str(ts.with_suffix(".qm")))
    for e in read_catalogue(ts):
        assert qm.translate(e.context, e.source) == e.translation, (e.context, e.source)


def test_catalogues_agree_where_they_overlap() -> None:
    """All catalogues are installed at once: a (context, source) in two of them would be
    translated by whichever happens to be searched first."""
    seen: dict[tuple[str, str], Entry] = {}
    clashes = []
    for ts in CATALOGUES:
        for e in read_catalogue(ts):
            other = seen.setdefault((e.context, e.source), e)
            if other.catalogue != e.catalogue and other.translation != e.translation:
                clashes.append((e.context, e.source, other.catalogue, other.translation, e.catalogue, e.translation))
    assert clashes == []


@pytest.mark.parametrize("ts_name", sorted(CATALOGUE_SOURCES))
def test_catalogue_holds_what_lupdate_finds_in_its_sources(tmp_path: Path, ts_name: str) -> None:
    """A string marked in the sources but never extracted would stay Chinese while the
    completeness test above passes: the catalogue must be current with its sources."""
    shipped = TRANSLATIONS / ts_name
    fresh = tmp_path / ts_name
    fresh.write_bytes(shipped.read_bytes())
    files = [str(PACKAGE / f) for f in CATALOGUE_SOURCES[ts_name]]
    subprocess.run(lupdate_command(fresh, files), check=True, capture_output=True)
    keys = {(e.context, e.source) for e in read_catalogue(shipped)}
    assert {(e.context, e.source) for e in read_catalogue(fresh)} == keys


def test_charts_use_the_shells_vocabulary_context() -> None:
    from sqdesk.charts.i18n import VOCAB

    assert VOCAB == VOCAB_CONTEXT


def test_placeholder_check_catches_a_dropped_placeholder() -> None:
    assert Counter(PLACEHOLDER.findall("{what}：{n} 人")) != Counter(PLACEHOLDER.findall("{what}: people"))
    assert Counter(PLACEHOLDER.findall("已导出 %1 行")) == Counter(PLACEHOLDER.findall("%1 rows exported"))
    assert accelerators("工作区(&W)") == accelerators("&Workspace") == 1
    assert accelerators("Mask phone & WeChat") == 1 and accelerators("Q&&A") == 0
    assert Counter(TAG.findall("<b>{n}</b> 人")) != Counter(TAG.findall("{n} people"))
    assert TAG.findall("< 上一步") == TAG.findall("< Back") == []


# ---- the English UI end to end ---------------------------------------------------------------------

@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    from sqdesk.ui.i18n import install_translators

    assert install_translators(qapp, "en") == "en"
    try:
        yield
    finally:
        install_translators(qapp, "zh")


@pytest.fixture
def demo_window(english: None, qtbot: Any, ctx: AppContext) -> Iterator[Any]:
    from sqdesk.core.demo import build_demo
    from sqdesk.ui.main_window import MainWindow

    build_demo(ctx.ws, members=80)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=TIMEOUT)
    yield win
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=TIMEOUT)


def _open(qtbot: Any, win: Any, ctx: AppContext, key: str) -> Any:
    view = win.show_view(key)
    assert view is not None and view.isVisible()
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=TIMEOUT)
    return view


def chrome(view: QWidget, window: Any) -> list[str]:
    """The screen's own words: buttons and check boxes, tool bar actions, tab titles and
    column headers (data such as names and group names are never among them)."""
    texts = [b.text() for b in view.findChildren(QAbstractButton) if b.isVisible() and b.text()]
    bar = window.findChild(QToolBar, "mainToolbar")
    texts += [a.text() for a in bar.actions() if a.text()] if bar is not None else []
    for tabs in view.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for header in view.findChildren(QHeaderView):
        model = header.model()
        if header.orientation() == Qt.Orientation.Horizontal and model is not None and header.isVisible():
            texts += [str(model.headerData(i, Qt.Orientation.Horizontal) or "") for i in range(model.columnCount())]
    return texts


def combo_items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_analytics_screen_is_english(qtbot: Any, demo_window: Any, ctx: AppContext) -> None:
    view = _open(qtbot, demo_window, ctx, "analytics")
    qtbot.waitUntil(lambda: view.current_data is not None and ctx.tasks.is_idle() and not view.is_busy(),
                    timeout=TIMEOUT)
    assert demo_window.header.text() == view.title == "Analytics"
    assert combo_items(view.preset) == ["Last 3 months", "Last 6 months", "Last 12 months", "Last 2 years",
                                        "This year", "Custom…"]
    assert view.group_combo.itemText(0) == "All groups"
    assert view.staff_check.text() == "Include owners/admins"
    assert view.save_button.text() == "Save as PNG…"
    assert view.drill_title.text() == "Click a bar or cell in the chart to see the members behind it."
    headers = [view.drill_table.horizontalHeaderItem(i).text() for i in range(view.drill_table.columnCount())]
    assert headers == ["ID", "Name", "Role", "Level", "Status", "Joined", "Records"]
    assert [a.text() for a in view.toolbar_actions()] == ["Recalculate", "Save as PNG…"]
    assert [t for t in chrome(view, demo_window) if CJK.search(t)] == []
    charts = [view.chart_list.item(i).text() for i in range(view.chart_list.count())]
    assert charts[0] == "Weekly active members and active rate" and not [t for t in charts if CJK.search(t)]
    from tests.charts.test_chart_language import CHINESE, figure_words

    assert view.canvas.figure is not None and view.current_name == "weekly_active"
    assert [w for w in figure_words(view.canvas.figure) if CHINESE.search(w)] == []


def test_every_chart_is_english(english: None, sqlite_ws: Any) -> None:
    """Every chart drawn through the installed English catalogues: no Chinese in titles,
    axis and tick labels, legends, annotations or drill-down labels (the community's
    names are Latin here, so any Chinese would be untranslated chart wording)."""
    from tests.charts.test_chart_language import CHINESE, chart_figures, figure_words, latin_demo

    scope = latin_demo(sqlite_ws)
    seen: dict[str, list[str]] = {}
    for name, fig in chart_figures(sqlite_ws, scope, QCoreApplication.translate):
        seen[name] = words = figure_words(fig)
        assert [w for w in words if CHINESE.search(w)] == [], name
    assert "Weekly active members and active rate" in seen["weekly_active"]
    assert {"Mon", "Sun", "20:00"} <= set(seen["heatmap"])
    assert {"Core", "Active+Casual", "Lurker+Silent"} <= set(seen["levels"])
    assert "No posts in the chosen period" in seen["heatmap (empty)"]

    from sqdesk.charts.cli import CHART_NAMES
    from sqdesk.ui.widgets.chart_canvas import DASHBOARD_CHARTS, dashboard_data, dashboard_figure

    for name in DASHBOARD_CHARTS:
        with sqlite_ws.read() as s:
            words = figure_words(dashboard_figure(name, dashboard_data(s, name, scope.end)))
        assert [w for w in words if CHINESE.search(w)] == [], name
        assert name != "growth" or "Joins and leaves, last 12 weeks" in words
    titles = [QCoreApplication.translate("charts", t) for t in CHART_NAMES.values()]
    assert titles[0] == "Weekly active members and active rate" and not [t for t in titles if CHINESE.search(t)]


def test_dashboard_charts_are_english(qtbot: Any, demo_window: Any, ctx: AppContext) -> None:
    from tests.charts.test_chart_language import CHINESE, figure_words

    view = _open(qtbot, demo_window, ctx, "dashboard")
    qtbot.waitUntil(lambda: not view.is_busy() and ctx.tasks.is_idle(), timeout=TIMEOUT)
    for name, canvas in view.charts.canvases.items():
        assert canvas.figure is not None, name
        assert [w for w in figure_words(canvas.figure) if CHINESE.search(w)] == [], name


def test_brief_screen_is_english(qtbot: Any, demo_window: Any, ctx: AppContext) -> None:
    view = _open(qtbot, demo_window, ctx, "brief")
    assert demo_window.header.text() == view.title == "Brief"
    assert combo_items(view.preset) == ["This week", "Last week", "This month", "Last month", "Custom…"]
    assert view.mask_box.text() == "Mask phones and WeChat IDs"
    assert view.copy_button.text() == "Copy text" and view.export_button.text() == "Export…"
    assert [a.text() for a in view.toolbar_actions()] == ["Export brief…", "Copy text"]
    assert view.group_button.text() == "Groups: all"


def test_brief_tabs_stay_english_after_the_preview(qtbot: Any, demo_window: Any, ctx: AppContext) -> None:
    view = _open(qtbot, demo_window, ctx, "brief")
    qtbot.waitUntil(lambda: view.data is not None and ctx.tasks.is_idle(), timeout=TIMEOUT)
    assert view.tabs.tabText(0) == "Overview"
    assert view.tabs.tabText(1).startswith("Offers")
    assert [t for t in chrome(view, demo_window) if CJK.search(t)] == []
    # Every sheet's column headers (not only the shown tab's), the key figures' names and the summary.
    headers = {name: [str(m.headerData(i, Qt.Orientation.Horizontal)) for i in range(m.columnCount())]
               for name, m in view.models.items()}
    assert all(headers.values()) and [h for hs in headers.values() for h in hs if CJK.search(h)] == []
    assert headers["概览"] == ["Figure", "This period", "Previous", "Change", "Change %"]
    overview = view.models["概览"]
    names = [overview.data(overview.index(r, 0)) for r in range(overview.rowCount())]
    assert names[0] == "New offers" and [n for n in names if CJK.search(n)] == []
    assert view.summary.text().startswith(f"{view.data.start.isoformat()} to {view.data.end.isoformat()}: Offers ")
    assert not CJK.search(view.summary.text())


def test_every_brief_column_header_has_english() -> None:
    """The brief's sheets are built in sqdesk.io.brief: a column or key figure added there
    must be added to the screen's SHEET_WORDS (and so to brief_en.ts), or it shows in Chinese."""
    import sqdesk.io.brief as brief
    from sqdesk.io.brief import FIGURE_ORDER, Column
    from sqdesk.ui.views.brief import OVERVIEW_COLUMNS, SHEET_WORDS

    column_sets = [v for v in vars(brief).values()
                   if isinstance(v, tuple) and v and all(isinstance(c, Column) for c in v)]
    assert len(column_sets) >= 5
    words = {c.header for cols in [*column_sets, OVERVIEW_COLUMNS] for c in cols} | set(FIGURE_ORDER)
    assert sorted(words - set(SHEET_WORDS)) == []
    english = {e.source: e.translation for e in read_catalogue(TRANSLATIONS / "brief_en.ts") if e.context == "BriefSheet"}
    assert sorted(words - set(english)) == []


def test_rules_screen_is_english(qtbot: Any, demo_window: Any, ctx: AppContext) -> None:
    view = _open(qtbot, demo_window, ctx, "rules")
    qtbot.waitUntil(lambda: view.table.model().rowCount() > 0 and ctx.tasks.is_idle(), timeout=TIMEOUT)
    assert demo_window.header.text() == view.title == "Rules"
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Edit and dry run", "To-dos", "History", "Published text"]
    assert view.preview_button.text() == "Dry run"
    assert (view.up_button.text(), view.down_button.text()) == ("Move up", "Move down")
    assert [a.text() for a in view.toolbar_actions()] == ["New rule", "Check to-dos"]
    model = view.table.model()
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())] == [
        "#", "On", "Title", "Category", "Action", "Applies to"]
    assert [t for t in chrome(view, demo_window) if CJK.search(t)] == []


def test_activity_screen_is_english(qtbot: Any, demo_window: Any, ctx: AppContext) -> None:
    view = _open(qtbot, demo_window, ctx, "activity")
    qtbot.waitUntil(lambda: view.table.model().rowCount() > 0 and ctx.tasks.is_idle(), timeout=TIMEOUT)
    assert demo_window.header.text() == view.title == "Activity"
    model = view.table.model()
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())] == [
        "When", "Member", "Group", "Kind", "Value", "Note", "Source"]
    assert view.group_combo.itemText(0) == "All groups" and view.batch_combo.itemText(0) == "All sources"
    assert view.kinds.text() == "All kinds"
    assert re.fullmatch(r"[\d,]+ records", view.count_label.text())
    assert (view.show_batch_button.text(), view.undo_batch_button.text()) == ("Show this batch", "Undo this batch")
    assert [t for t in chrome(view, demo_window) if CJK.search(t)] == []


def test_supply_screen_is_english(qtbot: Any, demo_window: Any, ctx: AppContext) -> None:
    view = _open(qtbot, demo_window, ctx, "supply")
    qtbot.waitUntil(lambda: view.table.model().rowCount() > 0 and ctx.tasks.is_idle(), timeout=TIMEOUT)
    assert demo_window.header.text() == view.title == "Offers & needs"
    model = view.table.model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers[:4] == ["Type", "Member", "Category", "Details"]
    assert combo_items(view.kind_combo) == ["Offers and needs", "Offer", "Need"]
    assert view.category_combo.itemText(0) == "All categories" and view.status_combo.itemText(0) == "All statuses"
    assert view.outcome_button.text() == "Record outcome"
    assert [a.text() for a in view.toolbar_actions()] == ["New offer", "New need"]
    kinds = {model.index(r, 0).data() for r in range(model.rowCount())}
    assert kinds <= {"Offer", "Need"}
    assert [t for t in chrome(view, demo_window) if CJK.search(t)] == []


def test_roster_screen_is_english(qtbot: Any, demo_window: Any, ctx: AppContext) -> None:
    view = _open(qtbot, demo_window, ctx, "roster")
    qtbot.waitUntil(lambda: view.table.model().rowCount() > 0 and ctx.tasks.is_idle(), timeout=TIMEOUT)
    assert demo_window.header.text() == view.title == "Members"
    assert [c.itemText(0) for c in (view.group_combo, view.role_combo, view.level_combo, view.tag_combo,
                                    view.status_combo)] == [
        "All groups", "All roles", "All levels", "All tags", "All statuses"]
    assert [a.text() for a in view.toolbar_actions()] == ["New member", "Import…"]
    assert [t for t in chrome(view, demo_window) if CJK.search(t)] == []

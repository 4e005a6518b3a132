"""分析 screen: loads from the view registry, computes charts in the background and caches
them until the data changes, switches charts (drawn off the UI thread), drills down from a
real mouse click on a bar to exactly the members the analytics' evidence names, and saves
the chart as PNG."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from sqlalchemy import insert

from sqdesk.analytics import community as c
from sqdesk.models import Activity
from sqdesk.ui.views import BY_KEY, load_view_class
from tests.analytics.world import AS_OF, START, Planted, planted

TIMEOUT = 30_000


@pytest.fixture
def world(ctx_any_db) -> tuple[object, Planted]:
    p = planted()
    with ctx_any_db.ws.write() as s:
        p.world.save(s)
    return ctx_any_db, p


@pytest.fixture
def view(world, qtbot):  # type: ignore[no-untyped-def]
    ctx, _p = world
    cls = load_view_class(BY_KEY["analytics"])
    assert cls is not None and cls.__name__ == "AnalyticsView"
    v = cls(ctx)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    v.show()
    qtbot.waitUntil(lambda: ctx.tasks.is_idle(), timeout=TIMEOUT)
    with qtbot.waitSignal(v.chart_shown, timeout=TIMEOUT):
        v.set_period(START, AS_OF)
    qtbot.waitUntil(lambda: ctx.tasks.is_idle() and v.group_combo.count() == 3, timeout=TIMEOUT)
    return v


def _title(v) -> str:  # type: ignore[no-untyped-def]
    fig = v.canvas.figure
    texts = [ax.get_title() for ax in fig.axes] + ([fig._suptitle.get_text()] if fig._suptitle else [])
    return " ".join(t for t in texts if t)


def _drawn(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    """The canvas shows its figure drawn at its current size (data → pixel is what is on screen)."""
    qtbot.waitUntil(lambda: canvas.rendered() is not None and not canvas.is_pending(), timeout=TIMEOUT)
    image, drawn = canvas.image(), canvas.rendered()
    assert drawn.size == (canvas.width(), canvas.height()) and drawn.figure is canvas.figure
    assert (image.width(), image.height()) == (drawn.width, drawn.height)
    white = QColor("white")
    assert sum(image.pixelColor(x, y) != white for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)) > 200


def _click(qtbot, v, ax, x: float, y: float) -> None:  # type: ignore[no-untyped-def]
    canvas = v.canvas
    _drawn(qtbot, canvas)
    px, py = canvas.data_to_widget(ax, x, y)
    with qtbot.waitSignal(v.drill_loaded, timeout=TIMEOUT):
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(px, py))


def _table_ids(v) -> list[int]:  # type: ignore[no-untyped-def]
    t = v.drill_table
    return sorted(int(t.item(r, 0).data(Qt.ItemDataRole.DisplayRole)) for r in range(t.rowCount()))


def test_view_loads_switches_charts_and_caches(view, world, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, p = world
    v = view
    assert v.title == "分析" and v.current_name == "weekly_active"
    assert "每周活跃成员与活跃率" in _title(v)
    assert isinstance(v.current_data, c.ActiveSeries)
    assert v.current_scope == c.Scope(START, AS_OF)
    with qtbot.waitSignal(v.chart_shown, timeout=TIMEOUT):
        v.select_chart("retention")
    assert "留存" in _title(v) and isinstance(v.current_data, c.Retention)
    assert [co.month for co in v.current_data.cohorts][:2] == [dt.date(2025, 1, 1), dt.date(2025, 2, 1)]
    # Back to a chart already computed: drawn from the cache, no background work.
    with qtbot.waitSignal(v.chart_shown, timeout=1000):
        v.select_chart("weekly_active")
    assert ctx.tasks.is_idle()
    first = v.current_data
    # New activity + ctx.changed: the cache is dropped and the figure recomputed.
    monday = dt.date(2025, 6, 23)
    with ctx.ws.write() as s:
        s.execute(insert(Activity), [{"member_id": m, "kind": "发言", "occurred_at": dt.datetime(2025, 6, 24, 9),
                                      "value": 1.0, "group_id": p.g_healthy} for m in p.jan_cohort])
    with qtbot.waitSignal(v.chart_shown, timeout=TIMEOUT):
        ctx.notify("activity")
    last_old = next(pt for pt in first.points if pt.period.start == monday)
    last_new = next(pt for pt in v.current_data.points if pt.period.start == monday)
    assert last_new.active == last_old.active + len(p.jan_cohort)
    # Every chart draws in the view.
    for name in ("growth", "levels", "decentralisation", "heatmap", "inviters", "attendance",
                 "inequality", "backbone", "streaks"):
        with qtbot.waitSignal(v.chart_shown, timeout=TIMEOUT):
            v.select_chart(name)
        assert v.canvas.figure is not None and v.canvas.figure.axes, name
        _drawn(qtbot, v.canvas)


def test_drill_down_on_a_bar_lists_the_evidence_members(view, world, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, p = world
    v = view
    from sqdesk.charts.base import drillable_axes

    # A weekly bar: the members the analytics counts as active that week.
    series: c.ActiveSeries = v.current_data
    i = next(i for i, pt in enumerate(series.points) if pt.period.start == dt.date(2025, 2, 3))
    ax = drillable_axes(v.canvas.figure)[0]
    _click(qtbot, v, ax, i, series.points[i].active / 2)
    pt = series.points[i]
    with ctx.ws.read() as s:
        ev = c.active_evidence(s, c.Scope(START, AS_OF), pt.period.start, pt.period.end)
    assert _table_ids(v) == ev.member_ids and len(ev.member_ids) == pt.active
    assert v.last_key is not None and v.last_key.args == (pt.period.start, pt.period.end)
    assert f"{pt.active} 人" in v.drill_title.text()
    marker = v.canvas.marker                       # the clicked bar is outlined
    assert marker is not None and marker.axes is ax
    assert marker.box == (i - 0.45, i + 0.45, 0, pt.active)
    rect = v.canvas.marker_rect()
    assert rect is not None
    ratio = v.canvas.devicePixelRatioF()
    edge = v.canvas.grab().toImage().pixelColor(round(rect.left() * ratio), round(rect.center().y() * ratio))
    assert max(edge.red(), edge.green(), edge.blue()) < 60     # painted over the (blue) bar

    # The inviter whose invitees all left: their "邀请入群" bar lists exactly those four.
    with qtbot.waitSignal(v.chart_shown, timeout=TIMEOUT):
        v.select_chart("inviters")
    assert v.drill_table.rowCount() == 0          # switching charts clears the drill-down
    rows = [q.inviter_id for q in v.current_data]
    ax = drillable_axes(v.canvas.figure)[0]
    row = rows.index(p.bad_inviter)
    _click(qtbot, v, ax, 2, row - 0.26)
    assert _table_ids(v) == sorted(p.bad_invitees)
    names = {v.drill_table.item(r, 1).text() for r in range(v.drill_table.rowCount())}
    assert names == {f"甲邀{i}" for i in range(4)}

    # The owner-run group, restricted by the group picker: its orange part is the owner.
    with qtbot.waitSignal(v.chart_shown, timeout=TIMEOUT):
        v.select_chart("decentralisation")
    with qtbot.waitSignal(v.chart_shown, timeout=TIMEOUT):
        v.set_group(p.g_owned)
    assert [g.group_id for g in v.current_data.groups] == [p.g_owned]
    ax = drillable_axes(v.canvas.figure)[0]
    _click(qtbot, v, ax, 0.95, 0)
    assert _table_ids(v) == [p.owner]


def test_save_png(view, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    v = view
    with qtbot.waitSignal(v.chart_shown, timeout=TIMEOUT):
        v.select_chart("heatmap")
    target = tmp_path / "热力图"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PNG 图片 (*.png)"))
    out = target.with_suffix(".png")
    with qtbot.waitSignal(v.png_saved, timeout=TIMEOUT) as sig:
        v.save_button.click()
        assert v.is_busy()                    # written on the render thread
    assert sig.args == [str(out)]
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 15_000
    from PySide6.QtGui import QImage

    assert QImage(str(out)).size().toTuple() == (1350, 570)     # the heatmap's 9 × 3.8 in at 150 dpi
    # A folder that does not exist: one plain message, no crash.
    errors: list[BaseException] = []
    monkeypatch.setattr(v.ctx.tasks, "error_handler", errors.append)
    v.save_png(tmp_path / "无" / "图.png")
    qtbot.waitUntil(lambda: not v.is_busy(), timeout=TIMEOUT)
    assert len(errors) == 1 and str(errors[0]).startswith("无法保存 图.png：")


def test_screen_and_canvas_modules_do_not_load_matplotlib() -> None:
    code = ("import sys, sqdesk.ui.widgets.chart_canvas, sqdesk.charts, sqdesk.charts.cli\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib loaded'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# ---- the 总览 dashboard's four charts ---------------------------------------------------------------

def test_dashboard_shows_the_main_four_charts_after_its_figures(qtbot, ctx_any_db) -> None:  # type: ignore[no-untyped-def]
    from sqdesk.charts.registry import DASHBOARD_CHARTS
    from sqdesk.core.demo import build_demo
    from sqdesk.ui.views.dashboard import DashboardView
    from sqdesk.ui.widgets import chart_canvas

    ctx = ctx_any_db
    assert chart_canvas.DASHBOARD_CHARTS == DASHBOARD_CHARTS
    build_demo(ctx.ws, members=120)
    view = DashboardView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    charts = view.charts
    assert all(c.figure is None and c.image() is None for c in charts.canvases.values())   # nothing before the figures
    loaded: set[str] = set()
    charts.chart_loaded.connect(loaded.add)
    qtbot.waitUntil(lambda: view.overview is not None, timeout=TIMEOUT)
    assert view.is_busy()          # the charts are scheduled, though the task queue may be idle
    qtbot.waitUntil(lambda: loaded == set(DASHBOARD_CHARTS) and ctx.tasks.is_idle(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=TIMEOUT)
    today = dt.date.today()
    with ctx.ws.read() as s:
        for name in DASHBOARD_CHARTS:
            assert charts.data[name] == chart_canvas.dashboard_data(s, name, today), name
    series = charts.data["weekly_active"]
    assert len(series.points) == chart_canvas.DASHBOARD_WEEKS and any(p.active for p in series.points)
    assert charts.data["levels"].total > 0
    for name, canvas in charts.canvases.items():
        assert canvas.figure is not None and canvas.figure.axes, name
        _drawn(qtbot, canvas)
    # A click on a bar asks for the 分析 screen with that chart.
    from sqdesk.charts.base import drillable_axes

    canvas = charts.canvases["weekly_active"]
    ax = drillable_axes(canvas.figure)[0]
    with qtbot.waitSignal(charts.open_chart, timeout=2000) as sig:
        canvas.click_data(ax, len(series.points) - 1, 0.5)
    assert sig.args == ["weekly_active"]
    # New data: the charts refresh by themselves.
    loaded.clear()
    with ctx.ws.write() as s:
        s.execute(insert(Activity), [{"member_id": 1, "kind": "发言", "occurred_at": dt.datetime.combine(today, dt.time(8)),
                                      "value": 3.0}])
    ctx.notify("activity")
    qtbot.waitUntil(lambda: loaded == set(DASHBOARD_CHARTS), timeout=TIMEOUT)


def test_a_click_on_a_dashboard_chart_opens_it_in_the_analytics_screen(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from sqdesk.core.demo import build_demo
    from sqdesk.ui.main_window import MainWindow

    build_demo(ctx.ws, members=60)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1280, 900)
    win.show()
    qtbot.waitUntil(lambda: win.view_widget("dashboard") is not None, timeout=TIMEOUT)
    dash = win.view_widget("dashboard")
    qtbot.waitUntil(lambda: len(dash.charts.data) == 4 and ctx.tasks.is_idle() and not dash.is_busy(),
                    timeout=TIMEOUT)
    from sqdesk.charts.base import drillable_axes

    canvas = dash.charts.canvases["growth"]
    _drawn(qtbot, canvas)
    x, y = canvas.data_to_widget(drillable_axes(canvas.figure)[0], 0, 0.5)
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
    assert win.current_view_key == "analytics"
    view = win.view_widget("analytics")
    assert view is not None and view.current_name == "growth"
    assert view.chart_list.currentItem().data(Qt.ItemDataRole.UserRole) == "growth"
    qtbot.waitUntil(lambda: ctx.tasks.is_idle() and view.current_data is not None, timeout=TIMEOUT)
    assert isinstance(view.current_data, c.Growth)


def test_a_dashboard_screenshot_waits_for_the_charts(tmp_path: Path) -> None:
    """``--screenshot`` shows the charts, which are computed a second after the figures."""
    from PySide6.QtGui import QImage

    from tests.ui.test_shell import _env

    ws, out, env = tmp_path / "demo.sqdesk", tmp_path / "dashboard.png", _env(tmp_path)
    made = subprocess.run([sys.executable, "-m", "sqdesk", "demo", "--workspace", str(ws), "--members", "120"],
                          capture_output=True, text=True, env=env, timeout=180)
    assert made.returncode == 0, made.stderr
    done = subprocess.run([sys.executable, "-m", "sqdesk", "--workspace", str(ws), "--screenshot", str(out),
                           "--view", "dashboard", "--lang", "en"], capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)

    def near(x: int, y: int, rgb: tuple[int, int, int]) -> bool:
        c = image.pixelColor(x, y)
        return abs(c.red() - rgb[0]) + abs(c.green() - rgb[1]) + abs(c.blue() - rgb[2]) < 30

    # The first two charts' bars and legend keys (blue active members, green joins) below the events table.
    band = [(x, y) for y in range(450, 780) for x in range(180, 1270)]
    assert sum(near(x, y, (0x4C, 0x78, 0xA8)) for x, y in band) > 200
    assert sum(near(x, y, (0x54, 0xA2, 0x4B)) for x, y in band) > 200

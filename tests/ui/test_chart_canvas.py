"""ChartCanvas: figures are built and drawn on the render thread, never on the UI thread;
the image is shown at the widget's size and device pixel ratio; hover and click on a bar
(real mouse events at the pixel the drawn figure puts it) give the pointing cursor, the
tooltip, the ``drilled`` key and the outline painted over the image."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import threading
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from sqdesk.analytics import community as c
from sqdesk.ui.widgets import chart_canvas
from sqdesk.ui.widgets.chart_canvas import ChartCanvas

TIMEOUT = 30_000
ACTIVE = [40, 55, 30, 70, 65, 20, 80, 45]


def series() -> c.ActiveSeries:
    monday = dt.date(2026, 3, 2)
    points = []
    for i, n in enumerate(ACTIVE):
        start = monday + dt.timedelta(weeks=i)
        points.append(c.ActivePoint(c.Period(start, start + dt.timedelta(days=6)), n, 200, n / 200))
    return c.ActiveSeries("week", points)


def weekly_active_figure(data: c.ActiveSeries) -> Any:
    from sqdesk.charts import figures

    return figures.weekly_active(data)


def failing_figure() -> Any:
    raise ValueError("坏数据")


@pytest.fixture
def canvas(qtbot: Any) -> ChartCanvas:
    widget = ChartCanvas(None)
    qtbot.addWidget(widget)
    widget.resize(700, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show(qtbot: Any, canvas: ChartCanvas, data: c.ActiveSeries) -> None:
    """Show the weekly chart of ``data`` and wait until its image at the canvas' size is painted."""
    from functools import partial

    with qtbot.waitSignal(canvas.ready, timeout=TIMEOUT):
        canvas.show_chart(partial(weekly_active_figure, data))
    qtbot.waitUntil(lambda: not canvas.is_pending(), timeout=TIMEOUT)


def host_axes(canvas: ChartCanvas) -> Any:
    from sqdesk.charts.base import drillable_axes

    assert canvas.figure is not None
    return drillable_axes(canvas.figure)[0]


def dark(colour: QColor) -> bool:
    return colour.red() < 60 and colour.green() < 60 and colour.blue() < 60


def test_figures_are_built_and_drawn_off_the_ui_thread(qtbot: Any, canvas: ChartCanvas,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    built: list[threading.Thread] = []
    drawn: list[threading.Thread] = []
    original_init, original_draw = Figure.__init__, FigureCanvasAgg.draw

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(threading.current_thread())
        original_init(self, *args, **kwargs)

    def draw(self: Any) -> None:
        drawn.append(threading.current_thread())
        original_draw(self)

    monkeypatch.setattr(Figure, "__init__", init)
    monkeypatch.setattr(FigureCanvasAgg, "draw", draw)
    assert canvas.message() == "正在准备图表…" and canvas.image() is None
    show(qtbot, canvas, series())
    assert canvas.message() == "" and canvas.image() is not None
    # A resize draws the figure again, also off the UI thread.
    canvas.resize(820, 500)
    qtbot.waitUntil(lambda: not canvas.is_pending() and canvas.rendered().size == (820, 500), timeout=TIMEOUT)
    assert len(built) == 1 and len(drawn) >= 2
    main = threading.main_thread()
    assert main not in built and main not in drawn
    assert {t.name for t in built + drawn} == {"sqdesk-chart-render"}


def test_the_image_fills_the_widget_and_follows_its_size(qtbot: Any, canvas: ChartCanvas) -> None:
    show(qtbot, canvas, series())
    ratio = canvas.devicePixelRatioF()
    image = canvas.image()
    assert image is not None
    assert (image.width(), image.height()) == (int(700 * ratio), int(420 * ratio))
    assert image.devicePixelRatio() == ratio
    grabbed = canvas.grab().toImage()
    blue = QColor("#4C78A8")
    assert sum(grabbed.pixelColor(x, y) == blue for x in range(0, 700, 3) for y in range(0, 420, 3)) > 300
    ax = host_axes(canvas)
    before = canvas.data_to_widget(ax, 3, 35)
    canvas.resize(900, 540)
    # Until the new size is drawn, the old image is shown scaled (and hit-tested as shown).
    assert canvas.is_pending() and canvas.image() is image
    scaled = canvas.data_to_widget(ax, 3, 35)
    assert abs(scaled[0] - before[0] * 900 / 700) <= 2 and abs(scaled[1] - before[1] * 540 / 420) <= 2
    qtbot.waitUntil(lambda: not canvas.is_pending(), timeout=TIMEOUT)
    image = canvas.image()
    assert image is not None and (image.width(), image.height()) == (int(900 * ratio), int(540 * ratio))
    assert canvas.sizeHint() == QSize(800, 450)      # the figure's natural size, at 100 dpi


def test_hover_and_click_on_a_bar_drill_into_it(qtbot: Any, canvas: ChartCanvas) -> None:
    data = series()
    show(qtbot, canvas, data)
    ax = host_axes(canvas)
    i = 3
    x, y = canvas.data_to_widget(ax, i, ACTIVE[i] / 2)
    # Hover: pointing hand and a tooltip naming the bar.
    QTest.mouseMove(canvas, QPoint(x, y))
    qtbot.waitUntil(lambda: canvas.cursor().shape() == Qt.CursorShape.PointingHandCursor, timeout=2000)
    period = data.points[i].period
    assert canvas.toolTip() == f"点击查看：{period.label} 活跃的成员（{ACTIVE[i]} 人）"
    # Left of the axes (the y axis' labels): nothing to click.
    drawn = canvas.rendered()
    assert drawn is not None and drawn.area_of(ax) is not None
    above = (int(drawn.area_of(ax).box[0] / drawn.ratio) - 12, y)
    assert above[0] > 0
    QTest.mouseMove(canvas, QPoint(*above))
    qtbot.waitUntil(lambda: canvas.cursor().shape() == Qt.CursorShape.ArrowCursor, timeout=2000)
    assert canvas.toolTip() == ""
    with qtbot.assertNotEmitted(canvas.drilled):
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*above))
    # A real click on the bar: its key, and its outline painted over the image.
    rect_before = canvas.grab().toImage()
    with qtbot.waitSignal(canvas.drilled, timeout=2000) as sig:
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
    key = sig.args[0]
    assert (key.chart, key.kind, key.args) == ("weekly_active", "active", (period.start, period.end))
    assert canvas.marker is not None and canvas.marker.axes is ax
    assert canvas.marker.box == (i - 0.45, i + 0.45, 0, ACTIVE[i])
    rect = canvas.marker_rect()
    assert rect is not None
    left, top = canvas.data_to_widget(ax, i - 0.45, ACTIVE[i])
    assert abs(rect.left() - left) <= 1 and abs(rect.top() - top) <= 1
    edge = QPoint(round(rect.left()), round(rect.center().y()))
    after = canvas.grab().toImage()
    ratio = canvas.devicePixelRatioF()
    at = QPoint(round(edge.x() * ratio), round(edge.y() * ratio))
    assert dark(after.pixelColor(at)) and not dark(rect_before.pixelColor(at))
    # Another bar moves the outline; the same click a second time keeps it.
    x2, y2 = canvas.data_to_widget(ax, 6, ACTIVE[6] / 2)
    with qtbot.waitSignal(canvas.drilled, timeout=2000) as sig:
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x2, y2))
    assert sig.args[0].args[0] == data.points[6].period.start
    assert canvas.marker is not None and canvas.marker.box[0] == 6 - 0.45


def test_clicks_after_a_resize_hit_the_bars_where_they_are_now(qtbot: Any, canvas: ChartCanvas) -> None:
    data = series()
    show(qtbot, canvas, data)
    ax = host_axes(canvas)
    old = canvas.data_to_widget(ax, 1, ACTIVE[1] / 2)
    canvas.resize(1000, 600)
    qtbot.waitUntil(lambda: not canvas.is_pending(), timeout=TIMEOUT)
    new = canvas.data_to_widget(ax, 1, ACTIVE[1] / 2)
    assert new != old
    with qtbot.waitSignal(canvas.drilled, timeout=2000) as sig:
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*new))
    assert sig.args[0].args[0] == data.points[1].period.start


def test_only_the_last_figure_given_is_shown(qtbot: Any, canvas: ChartCanvas) -> None:
    from functools import partial

    first, second = series(), series()
    second.points[0].active = 99
    ready: list[int] = []
    canvas.ready.connect(lambda: ready.append(1))
    canvas.show_chart(partial(weekly_active_figure, first))
    canvas.show_chart(partial(weekly_active_figure, second))
    qtbot.waitUntil(lambda: bool(ready) and not canvas.is_pending(), timeout=TIMEOUT)
    qtbot.wait(200)
    assert ready == [1]
    ax = host_axes(canvas)
    assert canvas.click_data(ax, 0, 1) is not None and canvas.marker is not None
    assert canvas.marker.box[3] == 99
    # A message replaces the chart; a render still on its way is not shown.
    canvas.show_chart(partial(weekly_active_figure, first))
    canvas.show_message("别的")
    qtbot.waitUntil(lambda: not canvas.is_pending(), timeout=TIMEOUT)
    qtbot.wait(100)
    assert canvas.message() == "别的" and canvas.image() is None and canvas.figure is None and ready == [1]


def test_a_figure_that_fails_says_so(qtbot: Any, canvas: ChartCanvas) -> None:
    with qtbot.waitSignal(canvas.failed, timeout=TIMEOUT) as sig:
        canvas.show_chart(failing_figure)
    assert isinstance(sig.args[0], ValueError)
    assert canvas.message() == "图表绘制失败：坏数据" and canvas.image() is None
    assert not canvas.is_pending() and chart_canvas.render_idle()


HIDPI_PROBE = textwrap.dedent("""
    import json, sys, threading
    first = {}

    class Spy:
        def find_spec(self, name, path=None, target=None):
            if name == "matplotlib" and "thread" not in first:
                first["thread"] = threading.current_thread().name
            return None

    sys.meta_path.insert(0, Spy())
    from functools import partial
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from tests.ui.test_chart_canvas import series, weekly_active_figure
    from sqdesk.ui.widgets.chart_canvas import ChartCanvas
    canvas = ChartCanvas(None)
    canvas.resize(600, 400)
    canvas.show()
    assert "matplotlib" not in sys.modules
    def done():
        if canvas.is_pending():
            QTimer.singleShot(50, done)
            return
        image = canvas.image()
        print(json.dumps({"ratio": canvas.devicePixelRatioF(), "image": [image.width(), image.height()],
                          "image_ratio": image.devicePixelRatio(), "size": list(canvas.rendered().size),
                          "import": first.get("thread")}), flush=True)
        app.quit()
    canvas.ready.connect(lambda: QTimer.singleShot(0, done))
    canvas.show_chart(partial(weekly_active_figure, series()))
    app.exec()
""")


def test_a_hidpi_screen_gets_an_image_at_its_pixel_ratio_and_matplotlib_loads_off_the_ui_thread() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    done = subprocess.run([sys.executable, "-c", HIDPI_PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ratio"] == 2.0 and report["image_ratio"] == 2.0
    assert report["size"] == [600, 400] and report["image"] == [1200, 800]
    assert report["import"] == "sqdesk-chart-render"

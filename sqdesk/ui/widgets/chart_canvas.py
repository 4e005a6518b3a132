"""ChartCanvas: a matplotlib Figure embedded with FigureCanvasQTAgg, drill-down by click.

Drop-in for any screen::

    canvas = ChartCanvas(lambda: figures.weekly_active(series), parent)   # draws now
    canvas = ChartCanvas(None, parent); ...; canvas.set_figure(fig)        # later
    canvas.drilled.connect(on_key)     # a DrillKey: which bar/cell was clicked

Importing this module does not import matplotlib (the app must start without it); the
first figure shown does. Until then, and while work runs, a centred message is shown
(:meth:`show_message`). Drawing happens inside the chart rcParams (CJK font), so a
figure built by :mod:`sqdesk.charts` keeps its Chinese labels when Qt repaints it.
Figures are drawn in the UI language: pass ``translate=QCoreApplication.translate`` to
the chart functions (the ``charts`` context, catalogue ``charts_en.ts``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QWidget

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sqdesk.charts.base import DrillKey

_canvas_class: type | None = None


def _qt_canvas_class() -> type:
    """FigureCanvasQTAgg drawing inside the chart rcParams (built on first use)."""
    global _canvas_class
    if _canvas_class is None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        # type() and a module-level method rather than a class or def nested in this
        # function: after one of those, lupdate files the next class's self.tr() strings
        # under no context at all.
        _canvas_class = type("_Canvas", (FigureCanvasQTAgg,), {"draw": _draw_in_chart_context})
    return _canvas_class


def _draw_in_chart_context(canvas: Any) -> None:
    """``_Canvas.draw``: FigureCanvasQTAgg's, inside the chart rcParams."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    from sqdesk.charts.base import chart_context

    with chart_context():
        FigureCanvasQTAgg.draw(canvas)  # type: ignore[no-untyped-call]


class ChartCanvas(QWidget):
    """One chart. ``figure_factory`` (called at once when given) builds the Figure."""

    drilled = Signal(object)  # DrillKey

    def __init__(self, figure_factory: Callable[[], Figure] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartCanvas")
        self._figure: Figure | None = None
        self._canvas: Any = None
        self._marker: Any = None
        self._message = QLabel(self)
        self._message.setObjectName("chartMessage")
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._layout = QStackedLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._message)
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if figure_factory is not None:
            self.set_figure(figure_factory())
        else:
            self.show_message(self.tr("正在准备图表…"))

    # public -----------------------------------------------------------------------------
    @property
    def figure(self) -> Figure | None:
        return self._figure

    @property
    def mpl_canvas(self) -> Any:
        """The FigureCanvasQTAgg showing the figure (None while a message is shown)."""
        return self._canvas

    def show_message(self, text: str) -> None:
        self._message.setText(text)
        self._layout.setCurrentWidget(self._message)

    def message(self) -> str:
        return self._message.text() if self._layout.currentWidget() is self._message else ""

    def set_figure(self, fig: Figure | None) -> None:
        """Show ``fig`` (replacing the previous figure and its Qt canvas)."""
        old = self._canvas
        self._canvas = None
        self._marker = None
        self._figure = fig
        if old is not None:
            self._layout.removeWidget(old)
            old.setParent(None)
            old.deleteLater()
        if fig is None:
            self.show_message(self.tr("没有图表"))
            return
        canvas = _qt_canvas_class()(fig)
        canvas.setParent(self)
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        canvas.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        canvas.mpl_connect("button_press_event", self._on_press)
        canvas.mpl_connect("motion_notify_event", self._on_motion)
        self._canvas = canvas
        self._layout.addWidget(canvas)
        self._layout.setCurrentWidget(canvas)
        canvas.draw_idle()

    def key_at(self, ax: Any, x: float | None, y: float | None) -> DrillKey | None:
        from sqdesk.charts.base import drill_at

        return drill_at(ax, x, y)

    def click_data(self, ax: Any, x: float, y: float) -> DrillKey | None:
        """Drill as a click at data (x, y) of ``ax`` would (keyboard and tests)."""
        key = self.key_at(ax, x, y)
        if key is not None:
            self._drill(ax, key)
        return key

    def _drill(self, ax: Any, key: DrillKey) -> None:
        self.mark(ax, key)
        self.drilled.emit(key)

    def mark(self, ax: Any, key: DrillKey | None) -> None:
        """Outline what ``key`` names (the previous outline goes); None clears it."""
        if self._marker is not None:
            try:
                self._marker.remove()
            except (ValueError, NotImplementedError):
                pass
            self._marker = None
        if key is not None and key.mark is not None and ax is not None:
            from matplotlib.patches import Rectangle

            from sqdesk.charts.base import mark_axes

            ax = mark_axes(ax)

            x0, x1, y0, y1 = key.mark
            self._marker = Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#111111",
                                     linewidth=2.2, zorder=10, in_layout=False)
            ax.add_artist(self._marker)   # add_artist: the axes limits stay as they are
        if self._canvas is not None:
            self._canvas.draw_idle()

    def data_to_widget(self, ax: Any, x: float, y: float) -> tuple[int, int]:
        """Where data (x, y) of ``ax`` is, in this widget's logical pixels."""
        canvas = self._canvas
        assert canvas is not None
        px, py = ax.transData.transform((x, y))
        ratio = canvas.device_pixel_ratio or 1.0
        height = canvas.figure.bbox.height
        return int(px / ratio), int((height - py) / ratio)

    # matplotlib events --------------------------------------------------------------------
    def _on_press(self, event: Any) -> None:
        if getattr(event, "button", None) != 1:
            return
        key = self.key_at(event.inaxes, event.xdata, event.ydata)
        if key is not None:
            self._drill(event.inaxes, key)

    def _on_motion(self, event: Any) -> None:
        canvas = self._canvas
        if canvas is None:
            return
        key = self.key_at(event.inaxes, event.xdata, event.ydata)
        if key is not None:
            canvas.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
            canvas.setToolTip(self.tr("点击查看：{what}").format(what=key.label))
        else:
            canvas.unsetCursor()
            canvas.setToolTip("")


# ---- the 总览 dashboard's charts ------------------------------------------------------------------

# The main four (sqdesk.charts.registry.DASHBOARD_CHARTS; repeated here so that importing
# this module stays free of matplotlib — a test checks they agree).
DASHBOARD_CHARTS: tuple[str, ...] = ("weekly_active", "growth", "retention", "levels")
DASHBOARD_WEEKS = 12
DASHBOARD_MONTHS = 6
DASHBOARD_KINDS = frozenset({"members", "groups", "activity", "events", "workspace"})


def dashboard_data(session: Any, name: str, today: Any) -> Any:
    """The analytics data of one dashboard chart (worker thread; no matplotlib): the last
    12 weeks of activity and growth, six monthly cohorts, today's levels."""
    import datetime as dt

    from sqdesk.analytics import community as c

    monday = today - dt.timedelta(days=today.weekday())
    weeks = c.Scope(monday - dt.timedelta(weeks=DASHBOARD_WEEKS - 1), today)
    if name == "weekly_active":
        return c.active_series(session, weeks, "week")
    if name == "growth":
        return c.growth(session, weeks, "week")
    if name == "retention":
        m = today.year * 12 + today.month - 1 - (DASHBOARD_MONTHS - 1)
        return c.retention(session, c.Scope(dt.date(m // 12, m % 12 + 1, 1), today), DASHBOARD_MONTHS)
    if name == "levels":
        return c.level_distribution(session, c.Scope(today, today))
    raise KeyError(name)


def dashboard_figure(name: str, data: Any) -> Figure:
    """Dashboard chart ``name`` drawn from ``data``, in the UI language."""
    from sqdesk.charts import figures

    titles = {
        "weekly_active": QCoreApplication.translate("DashboardCharts", "近 {n} 周活跃成员与活跃率").format(n=DASHBOARD_WEEKS),
        "growth": QCoreApplication.translate("DashboardCharts", "近 {n} 周入群与退群").format(n=DASHBOARD_WEEKS),
        "retention": QCoreApplication.translate("DashboardCharts", "近 {n} 个月入群成员的留存").format(n=DASHBOARD_MONTHS),
        "levels": None,
    }
    draw: Callable[..., Figure] = getattr(figures, name)
    return draw(data, title=titles[name], translate=QCoreApplication.translate)


class DashboardCharts(QWidget):
    """The main four charts in a 2 × 2 grid, for the 总览 dashboard.

    Nothing is computed (and matplotlib is not imported) until :meth:`schedule` is called —
    the dashboard calls it once its figures are shown, so the window and the numbers come
    first. Each chart is computed by its own task on ``ctx.tasks`` and drawn when it
    arrives; ``ctx.changed`` (members, groups, activity, events) schedules a refresh.
    Clicking a bar emits ``open_chart(name)`` (the 分析 screen has the drill-down).
    """

    open_chart = Signal(str)
    chart_loaded = Signal(str)

    def __init__(self, ctx: Any, parent: QWidget | None = None, *, delay_ms: int = 1000) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QGridLayout

        super().__init__(parent)
        self.setObjectName("dashboardCharts")
        self.ctx = ctx
        self.delay_ms = delay_ms
        self.data: dict[str, Any] = {}
        self._gen = 0
        self._pending: set[str] = set()  # charts of the current load not drawn (or failed) yet
        self.canvases: dict[str, ChartCanvas] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        for i, name in enumerate(DASHBOARD_CHARTS):
            canvas = ChartCanvas(None, self)
            canvas.setObjectName(f"dashboardChart_{name}")
            canvas.setMinimumHeight(280)
            canvas.show_message(self.tr("图表稍后显示…"))
            canvas.drilled.connect(lambda key, n=name: self.open_chart.emit(n))
            self.canvases[name] = canvas
            grid.addWidget(canvas, i // 2, i % 2)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.reload)
        ctx.changed.connect(self._on_changed)

    def schedule(self, delay_ms: int | None = None) -> None:
        """(Re)load the charts after ``delay_ms`` (default: the widget's delay)."""
        self._timer.start(self.delay_ms if delay_ms is None else delay_ms)

    def is_busy(self) -> bool:
        """A load is scheduled or some chart of it is still being computed."""
        return self._timer.isActive() or bool(self._pending)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & DASHBOARD_KINDS and self.data:
            self.schedule()

    def reload(self) -> None:
        import datetime as dt

        if not self.ctx.has_workspace:
            return
        self._gen += 1
        gen = self._gen
        self._pending = set(DASHBOARD_CHARTS)
        today = dt.date.today()
        for name in DASHBOARD_CHARTS:
            def work(h: Any, name: str = name) -> Any:
                with h.ws.read() as s:
                    return dashboard_data(s, name, today)

            def done(data: Any, name: str = name) -> None:
                if gen != self._gen:
                    return
                self.data[name] = data
                self.canvases[name].set_figure(dashboard_figure(name, data))
                self._pending.discard(name)
                self.chart_loaded.emit(name)

            def failed(exc: BaseException, name: str = name) -> None:
                if gen == self._gen:
                    self._pending.discard(name)
                    self.canvases[name].show_message(self.tr("图表计算失败：{error}").format(error=exc))

            def cancelled(name: str = name) -> None:
                if gen == self._gen:
                    self._pending.discard(name)

            self.ctx.tasks.submit(work, on_done=done, on_error=failed, on_cancel=cancelled, owner=self,
                                  label=self.tr("正在绘制总览图表…"))

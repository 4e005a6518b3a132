"""ChartCanvas: a matplotlib Figure built and drawn OFF the UI thread, shown as an image;
hover and click drill down into the bar or cell under the mouse.

Drop-in for any screen::

    canvas = ChartCanvas(None, parent)
    canvas.show_chart(partial(figures.weekly_active, series))   # built and drawn off the UI thread
    canvas.set_figure(fig)             # a Figure built elsewhere: drawn off the UI thread
    canvas.ready.connect(on_ready)     # the first image of that figure is on screen
    canvas.failed.connect(on_error)    # building or drawing it raised (a message says so)
    canvas.drilled.connect(on_key)     # a DrillKey: which bar/cell was clicked

The UI thread never builds, lays out or draws a figure, nor imports matplotlib. ONE
render thread (:func:`render_thread`, which imports matplotlib) calls the figure factory,
sizes the Figure to the widget (inches from its logical size, dpi × devicePixelRatio),
draws it with matplotlib's Agg canvas inside :func:`sqdesk.charts.base.chart_context`
and hands back plain data: the pixels and, per axes, its box and frozen data → pixel
transform (:class:`RenderedChart`). The UI thread paints those pixels — the previous
image, scaled, while a re-render for a new size is on its way (resizes are debounced) —
and hit-tests the mouse against that snapshot, so it never reads a figure the render
thread may be drawing at the same moment. The outline of the drilled bar or cell is
painted by Qt over the image; no re-render.

A factory runs on the render thread, so it must not touch widgets (plain data and
``QCoreApplication.translate`` only; charts don't touch the database either). Until the
first image, and while work runs, a centred message is shown (:meth:`show_message`).
Figures are drawn in the UI language: pass ``translate=QCoreApplication.translate`` to
the chart functions (the ``charts`` context, catalogue ``charts_en.ts``).
"""

from __future__ import annotations

import itertools
import queue
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QCursor, QImage, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sqdesk.charts.base import DrillKey

# A figure's size before it is built (sqdesk.charts.base.DEFAULT_SIZE at 100 dpi): what the
# canvas asks its layout for, so the layout does not jump when the first image arrives.
DEFAULT_PIXELS = (800, 450)
RESIZE_DELAY_MS = 80          # a re-render waits for the size to stop changing this long
MARK_COLOUR = "#111111"
MARK_WIDTH_PT = 2.2


# ---- the render thread ------------------------------------------------------------------------

class _RenderBridge(QObject):
    """Lives on the UI thread: the render thread emits, Qt queues the signals across, and
    the callbacks (which hold widgets) stay here. Never deleted (no parent; the render
    thread holds it), so a render finishing while the application quits signals into a
    live object whose events are simply never handled."""

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self) -> None:
        super().__init__(None)
        self.callbacks: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None], QObject | None]] = {}
        self.finished.connect(self._on_finished)
        self.failed.connect(self._on_failed)

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: object) -> None:
        entry = self.callbacks.pop(job_id, None)
        if entry is not None and _alive(entry[2]):
            entry[0](result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: BaseException) -> None:
        entry = self.callbacks.pop(job_id, None)
        if entry is not None and _alive(entry[2]):
            entry[1](exc)


class RenderThread:
    """ONE background thread for everything matplotlib does for the screens: building
    figures, drawing them, saving PNGs. Jobs run one at a time in submission order (so
    two never touch one figure, nor matplotlib's global rcParams, at once); ``on_done`` /
    ``on_error`` run on the UI thread, and not at all once their ``owner`` is deleted.

    The thread holds nothing but the job's callable, which must hold no widget; it lets
    go of the callable and of the result before signalling, so a Qt object is never
    freed off the UI thread."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[int, Callable[[], Any]]] = queue.SimpleQueue()
        self._ids = itertools.count(1)
        self._bridge: _RenderBridge | None = None
        self._thread: threading.Thread | None = None

    def submit(self, fn: Callable[[], Any], *, on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None], owner: QObject | None = None) -> int:
        """Run ``fn()`` on the render thread (UI thread only); returns the job's id."""
        bridge = self._bridge
        if bridge is None:
            if QCoreApplication.instance() is None:
                raise RuntimeError("charts are rendered for a running Qt application")
            bridge = self._bridge = _RenderBridge()
        job_id = next(self._ids)
        bridge.callbacks[job_id] = (on_done, on_error, owner)
        self._queue.put((job_id, fn))
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sqdesk-chart-render", daemon=True)
            self._thread.start()
        return job_id

    def pending(self) -> int:
        """Jobs submitted whose result has not been delivered yet (UI thread)."""
        bridge = self._bridge
        return len(bridge.callbacks) if bridge is not None else 0

    def is_idle(self) -> bool:
        return self.pending() == 0

    def _run(self) -> None:
        while True:
            job_id, fn = self._queue.get()
            ok, payload = True, None
            try:
                payload = fn()
            except BaseException as exc:  # noqa: BLE001 — every failure goes back to the UI thread
                traceback.clear_frames(exc.__traceback__)
                ok, payload = False, exc
            del fn
            bridge = self._bridge
            assert bridge is not None   # made by submit() before the first job was queued
            (bridge.finished if ok else bridge.failed).emit(job_id, payload)
            del payload, bridge


_RENDER_THREAD = RenderThread()


def render_thread() -> RenderThread:
    """The process' chart render thread (started by its first job)."""
    return _RENDER_THREAD


def _alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)


# ---- what the render thread hands back ----------------------------------------------------------

@dataclass(frozen=True, eq=False)
class AxesArea:
    """One axes of a drawn figure: its box in figure pixels (origin bottom-left, as
    matplotlib counts) and its data → pixel transform, both frozen as drawn."""

    axes: Any
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    zorder: float
    to_pixels: Any   # matplotlib Transform (frozen)
    to_data: Any     # its inverse

    def contains(self, fx: float, fy: float) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 <= fx <= x1 and y0 <= fy <= y1


@dataclass(frozen=True, eq=False)
class RenderedChart:
    """A figure as the render thread drew it: plain data only."""

    figure: Any
    pixels: bytes                   # premultiplied ARGB32 (QImage.Format_ARGB32_Premultiplied), rows top first
    width: int                      # pixels
    height: int
    fig_size: tuple[float, float]   # the figure's size in (device) pixels as matplotlib has it
    size: tuple[int, int]           # the widget's logical size it was drawn for
    ratio: float                    # device pixels per logical pixel
    dpi: float                      # the figure's own dpi (points → logical pixels: dpi / 72)
    natural: tuple[int, int]        # the figure's size as built, in logical pixels
    areas: tuple[AxesArea, ...]     # figure.axes, visible ones, in their order

    def area_of(self, ax: Any) -> AxesArea | None:
        return next((a for a in self.areas if a.axes is ax), None)


class _Content:
    """The figure a canvas shows, shared with the render thread: built there from
    ``factory`` by its first render; ``dropped`` once the canvas shows something else
    (a queued render of it is then skipped)."""

    __slots__ = ("dropped", "factory", "figure", "natural")

    def __init__(self, factory: Callable[[], Figure] | None, figure: Figure | None) -> None:
        self.factory = factory
        self.figure = figure
        self.natural: tuple[int, int] | None = None
        self.dropped = False


def render_content(content: _Content, width: int, height: int, ratio: float) -> RenderedChart | None:
    """Render thread: build ``content``'s figure if need be and draw it for a widget of
    ``width`` × ``height`` logical pixels at ``ratio`` device pixels per pixel (None: the
    canvas has moved on)."""
    if content.dropped:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from sqdesk.charts.base import chart_context

    with chart_context():
        fig = content.figure
        if fig is None:
            assert content.factory is not None
            fig = content.factory()
            content.figure, content.factory = fig, None
        base = float(getattr(fig, "_original_dpi", None) or fig.dpi)
        if content.natural is None:
            w_in, h_in = fig.get_size_inches()
            content.natural = (round(w_in * base), round(h_in * base))
        agg = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        fig.set_dpi(base * ratio)
        fig.set_size_inches(width / base, height / base, forward=False)
        _draw_figure(agg)
        rgba = agg.buffer_rgba()  # type: ignore[no-untyped-call]
        areas = tuple(_axes_area(ax) for ax in fig.axes if ax.get_visible())
        fig_size = (float(fig.bbox.width), float(fig.bbox.height))
    h_px, w_px = rgba.shape[0], rgba.shape[1]
    return RenderedChart(fig, _premultiplied_argb32(rgba), w_px, h_px, fig_size, (width, height), ratio,
                         base, content.natural, areas)


def _draw_figure(agg: Any) -> None:
    """The one place a chart is laid out and rasterised (the render thread; a test checks)."""
    agg.draw()


def _axes_area(ax: Any) -> AxesArea:
    to_pixels = ax.transData.frozen()
    x0, y0, x1, y1 = (float(v) for v in ax.bbox.extents)
    return AxesArea(ax, (x0, y0, x1, y1), float(ax.get_zorder()), to_pixels, to_pixels.inverted())


def _premultiplied_argb32(rgba: Any) -> bytes:
    """Agg's straight RGBA as premultiplied ARGB32 in native byte order (what Qt paints fastest)."""
    import numpy as np

    src = np.asarray(rgba)
    little = sys.byteorder == "little"
    out = np.ascontiguousarray(src[..., [2, 1, 0, 3] if little else [3, 0, 1, 2]])
    alpha = src[..., 3]
    if (alpha != 255).any():
        colour = [0, 1, 2] if little else [1, 2, 3]
        a = alpha.astype(np.uint16)[..., None]
        out[..., colour] = ((out[..., colour].astype(np.uint16) * a + 127) // 255).astype(np.uint8)
    return out.tobytes()


@dataclass(frozen=True)
class Marker:
    """The outlined bar or cell: ``box`` = (x0, x1, y0, y1) in ``axes``' data coordinates."""

    axes: Any
    box: tuple[float, float, float, float]


# ---- the widget ---------------------------------------------------------------------------------

class ChartCanvas(QWidget):
    """One chart. ``figure_factory``, when given, is built and drawn at once on the render
    thread (see :meth:`show_chart`)."""

    drilled = Signal(object)  # DrillKey
    ready = Signal()          # the first image of the figure set last is on screen
    failed = Signal(object)   # building or drawing it raised this exception (a message says so)

    def __init__(self, figure_factory: Callable[[], Figure] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartCanvas")
        self._content: _Content | None = None    # what is to be shown
        self._figure: Figure | None = None
        self._shown: RenderedChart | None = None  # what is painted (maybe of an older content)
        self._shown_content: _Content | None = None
        self._image: QImage | None = None
        self._marker: Marker | None = None
        self._job = 0                             # the render job in flight (0: none)
        self._again = False                       # render once more when it lands
        self._message = QLabel(self)
        self._message.setObjectName("chartMessage")
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self._render)
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(True)
        if figure_factory is not None:
            self.show_chart(figure_factory)
        else:
            self.show_message(self.tr("正在准备图表…"))

    # public -----------------------------------------------------------------------------
    @property
    def figure(self) -> Figure | None:
        """The figure shown (None while it is being built, or a message is shown). It may be
        being redrawn for a new size on the render thread: read it, don't change it."""
        return self._figure

    @property
    def marker(self) -> Marker | None:
        return self._marker

    def image(self) -> QImage | None:
        """The figure's image as painted (None while a message is shown)."""
        return self._image

    def rendered(self) -> RenderedChart | None:
        """What the image shows, when it is of the current figure."""
        return self._shown if self._shown_content is self._content and self._content is not None else None

    def is_pending(self) -> bool:
        """A render is on its way or about to be asked for (a resize being debounced)."""
        return self._job != 0 or self._resize_timer.isActive()

    def show_message(self, text: str) -> None:
        self._drop()
        self._set_image(None, None)
        self._message.setText(text)
        self._message.show()

    def message(self) -> str:
        return self._message.text() if not self._message.isHidden() else ""

    def set_figure(self, fig: Figure | None) -> None:
        """Show ``fig`` (built elsewhere; drawn on the render thread)."""
        if fig is None:
            self.show_message(self.tr("没有图表"))
            return
        self._set_content(_Content(None, fig), keep_image=False)

    def show_chart(self, factory: Callable[[], Figure], *, keep_image: bool = False) -> None:
        """Show the figure ``factory()`` builds — called on the render thread, so it must
        not touch widgets. Meanwhile the message "正在准备图表…" is shown, or with
        ``keep_image`` the previous image (not clickable) for a chart that is only refreshed."""
        self._set_content(_Content(factory, None), keep_image=keep_image)

    def key_at(self, ax: Any, x: float | None, y: float | None) -> DrillKey | None:
        from sqdesk.charts.base import drill_at

        return drill_at(ax, x, y)

    def click_data(self, ax: Any, x: float, y: float) -> DrillKey | None:
        """Drill as a click at data (x, y) of ``ax`` would (keyboard and tests)."""
        key = self.key_at(ax, x, y)
        if key is not None:
            self._drill(ax, key)
        return key

    def mark(self, ax: Any, key: DrillKey | None) -> None:
        """Outline what ``key`` names (the previous outline goes); None clears it."""
        self._marker = None
        if key is not None and key.mark is not None and ax is not None:
            from sqdesk.charts.base import mark_axes

            self._marker = Marker(mark_axes(ax), key.mark)
        self.update()

    def data_to_widget(self, ax: Any, x: float, y: float) -> tuple[int, int]:
        """Where data (x, y) of ``ax`` is, in this widget's logical pixels (as drawn)."""
        shown = self.rendered()
        area = shown.area_of(ax) if shown is not None else None
        assert shown is not None and area is not None, "the chart is not drawn yet"
        fx, fy = area.to_pixels.transform((x, y))
        wx, wy = self._to_widget(shown, float(fx), float(fy))
        return int(wx), int(wy)

    def marker_rect(self) -> QRectF | None:
        """The outline's rectangle in this widget's logical pixels (None: nothing outlined)."""
        shown, marker = self.rendered(), self._marker
        area = shown.area_of(marker.axes) if shown is not None and marker is not None else None
        if shown is None or marker is None or area is None:
            return None
        x0, x1, y0, y1 = marker.box
        (ax0, ay0), (ax1, ay1) = area.to_pixels.transform([(x0, y0), (x1, y1)])
        p0 = self._to_widget(shown, float(ax0), float(ay0))
        p1 = self._to_widget(shown, float(ax1), float(ay1))
        return QRectF(QPointF(*p0), QPointF(*p1)).normalized()

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override
        content = self._content
        natural = content.natural if content is not None else None
        return QSize(*(natural or DEFAULT_PIXELS))

    # showing ----------------------------------------------------------------------------
    def _drop(self) -> None:
        if self._content is not None:
            self._content.dropped = True
        self._content = None
        self._figure = None
        self._marker = None
        self._resize_timer.stop()
        self._hover(None)

    def _set_content(self, content: _Content, *, keep_image: bool) -> None:
        self._drop()
        self._content = content
        self._figure = content.figure
        if not keep_image or self._image is None:
            self._set_image(None, None)
            self._message.setText(self.tr("正在准备图表…"))
            self._message.show()
        self._render()

    def _set_image(self, shown: RenderedChart | None, content: _Content | None) -> None:
        self._shown, self._shown_content = shown, content
        if shown is None:
            self._image = None
        else:
            image = QImage(shown.pixels, shown.width, shown.height, shown.width * 4,
                           QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(shown.ratio)
            self._image = image
            self._message.hide()
        self.update()

    def _wanted(self) -> tuple[int, int, float]:
        return max(1, self.width()), max(1, self.height()), float(self.devicePixelRatioF())

    def _render(self) -> None:
        """Ask the render thread for the current figure at the current size (one job in
        flight per canvas: a request meanwhile is served when that job lands)."""
        self._resize_timer.stop()
        content = self._content
        if content is None:
            return
        if self._job:
            self._again = True
            return
        width, height, ratio = self._wanted()
        shown = self._shown
        if shown is not None and self._shown_content is content and (shown.size, shown.ratio) == ((width, height), ratio):
            return
        self._again = False
        self._job = render_thread().submit(
            partial(render_content, content, width, height, ratio),
            on_done=partial(self._rendered, content), on_error=partial(self._render_failed, content), owner=self)

    def _rendered(self, content: _Content, result: RenderedChart | None) -> None:
        self._job = 0
        if content is self._content and result is not None:
            first = self._shown_content is not content
            self._figure = result.figure
            self._set_image(result, content)
            if first:
                if result.natural != DEFAULT_PIXELS:
                    self.updateGeometry()
                self.ready.emit()
            if (result.size, result.ratio) != (self._wanted()[:2], self._wanted()[2]):
                self._resize_timer.start()
        if self._again and self._content is not None:
            self._render()

    def _render_failed(self, content: _Content, exc: BaseException) -> None:
        self._job = 0
        if content is self._content:
            self.show_message(self.tr("图表绘制失败：{error}").format(error=exc))
            self.failed.emit(exc)
        elif self._again and self._content is not None:
            self._render()

    # Qt events ------------------------------------------------------------------------------
    def resizeEvent(self, event: Any) -> None:  # noqa: N802 — Qt override
        super().resizeEvent(event)
        self._message.setGeometry(self.rect())
        if self._content is not None:
            self._resize_timer.start()

    def showEvent(self, event: Any) -> None:  # noqa: N802 — Qt override
        super().showEvent(event)
        shown = self._shown
        if self._content is not None and shown is not None and shown.ratio != self.devicePixelRatioF():
            self._resize_timer.start()

    def paintEvent(self, event: Any) -> None:  # noqa: N802 — Qt override
        image, shown = self._image, self._shown
        if image is None or shown is None:
            return
        if shown.ratio != self.devicePixelRatioF() and self._content is not None and not self.is_pending():
            self._resize_timer.start()     # moved to a screen of another pixel ratio: draw for it
        painter = QPainter(self)
        if shown.size == (self.width(), self.height()):
            painter.drawImage(QPointF(0, 0), image)
        else:   # the old image, scaled, until the new size's is drawn
            sx, sy = self._scale(shown)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(0, 0, shown.width * sx, shown.height * sy), image)
        rect = self.marker_rect()
        current = self.rendered()
        area = current.area_of(self._marker.axes) if current is not None and self._marker is not None else None
        if rect is not None and current is not None and area is not None:
            x0, y0, x1, y1 = area.box
            clip = QRectF(QPointF(*self._to_widget(current, x0, y0)), QPointF(*self._to_widget(current, x1, y1)))
            painter.setClipRect(clip.normalized())
            pen = QPen(QColor(MARK_COLOUR))
            pen.setWidthF(MARK_WIDTH_PT * current.dpi / 72)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
        painter.end()

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802 — Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self._hit(event.position())
            key = self.key_at(*hit) if hit is not None else None
            if hit is not None and key is not None:
                self._drill(hit[0], key)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:  # noqa: N802 — Qt override
        hit = self._hit(event.position())
        self._hover(self.key_at(*hit) if hit is not None else None)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: Any) -> None:  # noqa: N802 — Qt override
        self._hover(None)
        super().leaveEvent(event)

    # helpers --------------------------------------------------------------------------------
    def _drill(self, ax: Any, key: DrillKey) -> None:
        self.mark(ax, key)
        self.drilled.emit(key)

    def _hover(self, key: DrillKey | None) -> None:
        if key is not None:
            self.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
            self.setToolTip(self.tr("点击查看：{what}").format(what=key.label))
        else:
            self.unsetCursor()
            self.setToolTip("")

    def _scale(self, shown: RenderedChart) -> tuple[float, float]:
        """Logical pixels per figure pixel, as the image is painted now."""
        return self.width() / shown.fig_size[0], self.height() / shown.fig_size[1]

    def _to_widget(self, shown: RenderedChart, fx: float, fy: float) -> tuple[float, float]:
        sx, sy = self._scale(shown)
        return fx * sx, (shown.fig_size[1] - fy) * sy

    def _hit(self, pos: QPointF) -> tuple[Any, float | None, float | None] | None:
        """(axes, x, y in its data coordinates) under widget position ``pos`` — the topmost
        visible axes there, as matplotlib picks it — or None."""
        shown = self.rendered()
        if shown is None:
            return None
        sx, sy = self._scale(shown)
        fx, fy = pos.x() / sx, shown.fig_size[1] - pos.y() / sy
        under = [a for a in shown.areas if a.contains(fx, fy)]
        if not under:
            return None
        top = max(reversed(under), key=lambda a: a.zorder)   # ties: the last one drawn
        try:
            x, y = top.to_data.transform((fx, fy))
        except ValueError:
            return top.axes, None, None
        return top.axes, float(x), float(y)


def render_idle() -> bool:
    """No chart is being built, drawn or saved (UI thread)."""
    return render_thread().is_idle()


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
    """Dashboard chart ``name`` drawn from ``data``, in the UI language (any thread: the
    dashboard builds it on the render thread)."""
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
    first. Each chart's data is computed by its own task on ``ctx.tasks``; when it arrives
    the figure is built and drawn on the render thread, and ``chart_loaded(name)`` says
    when it is on screen. ``ctx.changed`` (members, groups, activity, events) schedules a
    refresh (the old image stays until the new one is drawn). Clicking a bar emits
    ``open_chart(name)`` (the 分析 screen has the drill-down).
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
        self._shown_gen: dict[str, int] = {}  # the load whose figure each canvas was last given
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
            canvas.ready.connect(lambda n=name: self._chart_drawn(n, None))
            canvas.failed.connect(lambda exc, n=name: self._chart_drawn(n, exc))
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
        """A load is scheduled, some chart of it is still being computed or drawn, or a
        chart is being redrawn (for a new size)."""
        return (self._timer.isActive() or bool(self._pending)
                or any(c.is_pending() for c in self.canvases.values()))

    def _chart_drawn(self, name: str, exc: BaseException | None) -> None:
        """Canvas ``name`` has shown (or failed to build or draw) the figure it was last given."""
        if self._shown_gen.get(name) != self._gen:
            return
        self._pending.discard(name)
        if exc is None:
            self.chart_loaded.emit(name)
        elif self.ctx.tasks.error_handler is not None:
            self.ctx.tasks.error_handler(exc)
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)

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
                self._shown_gen[name] = gen
                self.canvases[name].show_chart(partial(dashboard_figure, name, data), keep_image=True)

            def failed(exc: BaseException, name: str = name) -> None:
                if gen == self._gen:
                    self._pending.discard(name)
                    self.canvases[name].show_message(self.tr("图表计算失败：{error}").format(error=exc))

            def cancelled(name: str = name) -> None:
                if gen == self._gen:
                    self._pending.discard(name)

            self.ctx.tasks.submit(work, on_done=done, on_error=failed, on_cancel=cancelled, owner=self,
                                  label=self.tr("正在绘制总览图表…"))

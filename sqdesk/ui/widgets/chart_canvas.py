"""ChartCanvas: a matplotlib Figure embedded with FigureCanvasQTAgg, drill-down by click.

Drop-in for any screen::

    canvas = ChartCanvas(lambda: figures.weekly_active(series), parent)   # draws now
    canvas = ChartCanvas(None, parent); ...; canvas.set_figure(fig)        # later
    canvas.drilled.connect(on_key)     # a DrillKey: which bar/cell was clicked

Importing this module does not import matplotlib (the app must start without it); the
first figure shown does. Until then, and while work runs, a centred message is shown
(:meth:`show_message`). Drawing happens inside the chart rcParams (CJK font), so a
figure built by :mod:`sqdesk.charts` keeps its Chinese labels when Qt repaints it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
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

        from sqdesk.charts.base import chart_context

        class _Canvas(FigureCanvasQTAgg):  # type: ignore[misc]
            def draw(self) -> None:
                with chart_context():
                    super().draw()

        _canvas_class = _Canvas
    return _canvas_class


class ChartCanvas(QWidget):
    """One chart. ``figure_factory`` (called at once when given) builds the Figure."""

    drilled = Signal(object)  # DrillKey

    def __init__(self, figure_factory: Callable[[], Figure] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartCanvas")
        self._figure: Figure | None = None
        self._canvas: Any = None
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
            self.drilled.emit(key)
        return key

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
            self.drilled.emit(key)

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

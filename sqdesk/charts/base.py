"""Shared pieces of the charts: figures built with the CJK rcParams, PNG output, colours,
period labels, and the drill-down hooks (which rows sit behind a clicked bar or cell).

Drill-down: a chart function registers, per axes, a *resolver* ``(x, y) -> DrillKey |
None`` taking a click in that axes' data coordinates. A :class:`DrillKey` is plain data
(it crosses to the worker thread); the chart's ``evidence`` function in the registry
turns it into the member ids / activity ids behind it
(:class:`sqdesk.analytics.community.Evidence`).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis, XAxis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, Locator

from sqdesk.analytics.community import Period
from sqdesk.charts.fonts import chart_rc, cjk_font

# Colours (Tableau 10, readable on white and for the common colour-vision deficiencies
# when paired with position/labels as here).
BLUE = "#4C78A8"
ORANGE = "#F58518"
GREEN = "#54A24B"
RED = "#E45756"
TEAL = "#72B7B2"
GREY = "#9D9D9D"
PURPLE = "#B279A2"
YELLOW = "#EECA3B"
INK = "#333333"
LEVEL_COLOURS = {"核心": RED, "活跃": ORANGE, "一般": BLUE, "潜水": TEAL, "沉默": GREY}

DEFAULT_SIZE = (8.0, 4.5)


@dataclass(frozen=True)
class DrillKey:
    """What was clicked: ``kind`` and ``args`` are chart-specific plain values; ``label``
    says it (in the language the figure was drawn in) for the drill-down table's heading."""

    chart: str
    kind: str
    args: tuple[Any, ...]
    label: str
    # What to outline on screen: (x0, x1, y0, y1) in the clicked axes' data coordinates.
    mark: tuple[float, float, float, float] | None = field(default=None, compare=False)


Resolver = Callable[[float, float], DrillKey | None]

_RESOLVERS: weakref.WeakKeyDictionary[Axes, Resolver] = weakref.WeakKeyDictionary()


_MARK_ON: weakref.WeakKeyDictionary[Axes, Axes] = weakref.WeakKeyDictionary()


def set_drill(ax: Axes, resolver: Resolver, *, mark_on: Axes | None = None) -> None:
    """Clicks in ``ax`` resolve through ``resolver``; the keys' ``mark`` rectangles are in
    the data coordinates of ``mark_on`` (default ``ax``; a twin axes names its host)."""
    _RESOLVERS[ax] = resolver
    if mark_on is not None:
        _MARK_ON[ax] = mark_on


def mark_axes(ax: Axes) -> Axes:
    """The axes whose data coordinates a click in ``ax`` marks in."""
    return _MARK_ON.get(ax, ax)


def drill_at(ax: Axes | None, x: float | None, y: float | None) -> DrillKey | None:
    """The drill key for a click at data coordinates (x, y) in ``ax`` (None: nothing there)."""
    if ax is None or x is None or y is None:
        return None
    resolver = _RESOLVERS.get(ax)
    return resolver(x, y) if resolver is not None else None


def drillable_axes(fig: Figure) -> list[Axes]:
    return [ax for ax in fig.axes if ax in _RESOLVERS]


@contextmanager
def chart_context() -> Iterator[None]:
    """Build or draw a figure with the chart rcParams (CJK font, no unicode minus)."""
    with matplotlib.rc_context(cast(Any, chart_rc())):
        if cjk_font() is not None:
            yield
            return
        # No CJK font: the operator was told once (logged); don't repeat it per glyph.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
            yield


def new_figure(size: tuple[float, float] = DEFAULT_SIZE, *,
               layout: Literal["constrained", "compressed", "tight"] = "constrained") -> Figure:
    """A Figure (no pyplot) with an Agg canvas attached; call inside :func:`chart_context`."""
    fig = Figure(figsize=size, layout=layout)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    return fig


def finish(fig: Figure) -> Figure:
    """Create every axis' first major tick now, inside the chart context, so ticks made
    later (on resize, at draw time) copy its CJK font properties."""
    for ax in fig.axes:
        ax.xaxis.get_major_ticks(1)
        ax.yaxis.get_major_ticks(1)
    return fig


def bars(
    ax: Axes, pos: Sequence[float] | Any, size: Sequence[float] | Any, *, width: float = 0.8,
    base: Sequence[float] | Any | float = 0.0, color: Any = BLUE, label: str | None = None,
    horizontal: bool = False, alpha: float = 1.0,
) -> PolyCollection:
    """Bars as ONE PolyCollection (``ax.bar`` makes an artist per bar: ~2 ms each, too slow
    for two years of weeks). Vertical bars centred on ``pos`` from ``base`` up by ``size``;
    ``horizontal`` puts them along y. ``color`` may be one colour or one per bar."""
    p = np.asarray(pos, dtype=float)
    h = np.asarray(size, dtype=float)
    b = np.broadcast_to(np.asarray(base, dtype=float), p.shape)
    lo, hi = p - width / 2, p + width / 2
    if horizontal:
        verts = np.stack([np.stack([b, lo], -1), np.stack([b + h, lo], -1),
                          np.stack([b + h, hi], -1), np.stack([b, hi], -1)], axis=1)
    else:
        verts = np.stack([np.stack([lo, b], -1), np.stack([lo, b + h], -1),
                          np.stack([hi, b + h], -1), np.stack([hi, b], -1)], axis=1)
    coll = PolyCollection(list(verts), facecolors=color, edgecolors="none", alpha=alpha, label=label)
    if np.ndim(base) == 0:   # like ax.bar: the axis starts at the bars' base, no margin below
        (coll.sticky_edges.x if horizontal else coll.sticky_edges.y).append(float(cast(float, base)))
    ax.add_collection(coll, autolim=True)
    ax.autoscale_view()
    return coll


def render_png(fig: Figure, path: str | Path, dpi: int = 150) -> Path:
    """Save ``fig`` as a PNG (Agg, white background)."""
    out = Path(path)
    with chart_context():
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        fig.savefig(out, dpi=dpi, format="png", facecolor="white")
    return out


def png_bytes(fig: Figure, dpi: int = 100) -> bytes:
    import io

    buf = io.BytesIO()
    with chart_context():
        fig.savefig(buf, dpi=dpi, format="png", facecolor="white")
    return buf.getvalue()


# ---- labels ----------------------------------------------------------------------------------

def period_label(p: Period, unit: str) -> str:
    if unit == "month":
        return f"{p.start.year}-{p.start.month:02d}"
    if unit == "day":
        return f"{p.start.month}/{p.start.day}"
    return f"{p.start.month}/{p.start.day}"


def thin_ticks(ax: Axes, labels: Sequence[str], *, max_labels: int = 14, axis: str = "x") -> None:
    """Label at most ``max_labels`` evenly spaced positions 0…n-1 (the last always), and
    fewer when the axis as drawn has no room for that many side by side (a chart shown
    small, e.g. on the dashboard): the spacing is chosen at draw time."""
    if not labels:
        return
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(_ThinLocator(list(labels), max_labels))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: _label_at(labels, v)))


def even_positions(n: int, max_labels: int, min_gap: int = 1) -> list[int]:
    """At most ``max_labels`` evenly spaced indexes 0…n-1, none closer than ``min_gap``,
    the last always among them."""
    step = max(1, math.ceil(n / max(1, max_labels)), min_gap)
    pos = list(range(0, n, step))
    if pos[-1] != n - 1 and n - 1 - pos[-1] >= max(step / 2, min_gap):
        pos.append(n - 1)
    elif pos[-1] != n - 1:
        pos[-1] = n - 1
    return pos


def _label_at(labels: Sequence[str], v: float) -> str:
    i = int(round(v))
    return labels[i] if 0 <= i < len(labels) and abs(v - i) < 1e-6 else ""


def text_extent(text: str, size: float, dpi: float) -> tuple[float, float]:
    """Width and height in pixels of one-line ``text`` at ``size`` points in the chart fonts
    (whatever the rcParams in force: matplotlib may format ticks outside the chart context)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=chart_rc()["font.family"], size=size)
    with warnings.catch_warnings():   # measuring only; a missing glyph is reported when drawn
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        w, h, _d = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return w * dpi / 72, h * dpi / 72


def _tick_room(axis: Axis, count: int) -> tuple[float, float, float]:
    """(pixels per tick when ``count`` share the axis, the tick labels' font size, dpi)."""
    ax = axis.axes
    length = ax.bbox.width if isinstance(axis, XAxis) else ax.bbox.height
    size = float(axis.get_major_ticks(1)[0].label1.get_fontsize())
    return length / max(1, count), size, ax.figure.dpi


class _ThinLocator(Locator):
    """Ticks at :func:`even_positions`, no two closer than their labels need (the widest
    label and half an em) on the axis as drawn."""

    def __init__(self, labels: list[str], max_labels: int) -> None:
        self.labels, self.max_labels = labels, max_labels

    def __call__(self) -> Sequence[float]:
        return self.tick_values(0, 0)

    def tick_values(self, vmin: float, vmax: float) -> Sequence[float]:
        return [float(i) for i in even_positions(len(self.labels), self.max_labels, self._min_gap())]

    def _min_gap(self) -> int:
        """The fewest positions apart two labels can be without touching."""
        axis = self.axis
        if not isinstance(axis, Axis):
            return 1
        lo, hi = axis.get_view_interval()
        room, size, dpi = _tick_room(axis, 1)
        if room <= 1 or hi <= lo:
            return 1
        longest = sorted(set(self.labels), key=len)[-3:]
        extent = [text_extent(t, size, dpi) for t in longest]
        need = max(w if isinstance(axis, XAxis) else h for w, h in extent) + size * dpi / 72 / 2
        return max(1, math.ceil(need / (room / (hi - lo))))


def wrap_when_crowded(ax: Axes, positions: Sequence[float], labels: Sequence[str],
                      wrapped: Sequence[str]) -> None:
    """x tick labels at ``positions``: ``labels``, or ``wrapped`` (the same over two
    lines) when the axis as drawn has no room for the longest of them."""
    def pick(v: float, _pos: int | None) -> str:
        try:
            i = [float(p) for p in positions].index(float(v))
        except ValueError:
            return ""
        room, size, dpi = _tick_room(ax.xaxis, len(positions))
        widest = max(text_extent(t, size, dpi)[0] for t in labels)
        return (wrapped if widest + size * dpi / 72 / 2 > room else labels)[i]

    ax.set_xticks(list(positions))
    ax.xaxis.set_major_formatter(FuncFormatter(pick))


def pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 or float(value).is_integer() else f"{value:,.1f}"


def empty_note(ax: Axes, text: str) -> None:
    """``text`` in place of the chart (the honest note of an empty period)."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=GREY, fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def subtitle(fig: Figure, text: str) -> None:
    """A grey line under the figure title (the period, the definition)."""
    fig.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#666666", wrap=True)


def index_at(x: float, n: int) -> int | None:
    """The bar index 0…n-1 under a click at data x (bars centred on integers, width ≤ 1)."""
    x = float(x)
    i = int(round(x))
    return i if 0 <= i < n and abs(x - i) <= 0.5 else None


def date_text(d: dt.date) -> str:
    return d.isoformat()

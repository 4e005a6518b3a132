"""Icons and other files under ``sqdesk/resources``.

Icons are single-colour SVGs drawn with ``currentColor``; :func:`icon` paints them in
the colour asked for (sidebar on dark, toolbar on light…), so one file serves every
place and state. Pixmaps are rendered lazily, at the size a widget actually paints,
through Qt's SVG image plugin (no QtSvg import), which keeps startup fast.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QIcon, QIconEngine, QPixmap

if TYPE_CHECKING:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QPainter

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ICONS = RESOURCES / "icons"

# Colours that go with styles/app.qss.
INK = "#334155"  # on light backgrounds (toolbar, pages)
SIDEBAR = "#cbd5e1"  # on the dark sidebar
SELECTED = "#ffffff"
MUTED = "#94a3b8"


def resource_path(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


@cache
def _svg(name: str) -> str:
    return (ICONS / f"{name}.svg").read_text(encoding="utf-8")


def render(name: str, color: str, size: int) -> QPixmap:
    """``resources/icons/<name>.svg`` in ``color`` as a ``size``×``size`` pixmap."""
    svg = _svg(name).replace("currentColor", color)
    svg = svg.replace('width="24" height="24"', f'width="{size}" height="{size}"', 1)
    pixmap = QPixmap()
    if not pixmap.loadFromData(QByteArray(svg.encode("utf-8")), "SVG"):
        raise FileNotFoundError(f"icon {name!r} could not be rendered")
    return pixmap


class _TintedSvgEngine(QIconEngine):
    def __init__(self, name: str, colors: dict[QIcon.Mode, str]) -> None:
        super().__init__()
        self.name = name
        self.colors = colors
        self._cache: dict[tuple[int, QIcon.Mode], QPixmap] = {}

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        side = max(1, min(size.width(), size.height()))
        color_mode = mode if mode in self.colors else QIcon.Mode.Normal
        key = (side, color_mode)
        pm = self._cache.get(key)
        if pm is None:
            pm = render(self.name, self.colors[color_mode], side)
            self._cache[key] = pm
        return pm

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        side = round(min(rect.width(), rect.height()) * ratio)
        painter.drawPixmap(rect, self.pixmap(QSize(side, side), mode, state))

    def clone(self) -> QIconEngine:
        return _TintedSvgEngine(self.name, dict(self.colors))


@cache
def icon(name: str, color: str = INK, selected: str | None = None, disabled: str | None = MUTED) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` in ``color`` (``selected``/``disabled``
    colours for those states)."""
    if not (ICONS / f"{name}.svg").exists():
        raise FileNotFoundError(ICONS / f"{name}.svg")
    colors = {QIcon.Mode.Normal: color, QIcon.Mode.Active: color}
    if selected is not None:
        colors[QIcon.Mode.Selected] = selected
    if disabled is not None:
        colors[QIcon.Mode.Disabled] = disabled
    return QIcon(_TintedSvgEngine(name, colors))


def app_icon() -> QIcon:
    return QIcon(str(ICONS / "app.svg"))

"""A CJK font for chart labels, chosen from what the system has.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: every label would be
a row of tofu boxes. :func:`cjk_font` looks through matplotlib's font manager for the
usual Chinese UI fonts (in order of preference) and :func:`chart_rc` gives the
rcParams to build and draw a figure with: ``font.family`` = [that font, DejaVu Sans]
(Latin-only glyphs fall back per glyph) and ``axes.unicode_minus`` off (a plain
hyphen for negative numbers, present in every font).

The rcParams are applied per figure with ``matplotlib.rc_context`` while it is built
and drawn (see :func:`sqdesk.charts.base.new_figure` and :func:`render_png`), so the
application's global matplotlib state is left alone.

If no CJK font exists, a warning is logged once (in Chinese, naming what to install)
and charts still render — their Chinese text then shows as boxes.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

# In order of preference: Windows, macOS, then the common Linux packages.
PREFERRED: tuple[str, ...] = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "SimHei",
    "Heiti SC",
    "STHeiti",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)

FALLBACK_MESSAGE = (
    "没有找到可以显示中文的字体（如 Microsoft YaHei、PingFang SC、Noto Sans CJK SC、"
    "思源黑体、文泉驿正黑），图表里的中文会显示成方框。请安装其中一种字体"
    "（Linux 上如 fonts-noto-cjk 或 fonts-wqy-zenhei）后重新打开 sqdesk。"
)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of the best CJK font matplotlib can use, or None (logged once)."""
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    for name in PREFERRED:
        if name in available:
            return name
    # Anything else that declares itself CJK/Chinese (e.g. a vendor's build of a font).
    for name in sorted(available):
        low = name.lower()
        if ("cjk" in low and "mono" not in low) or low.endswith((" sc", " gb", " cn")):
            return name
    log.warning(FALLBACK_MESSAGE)
    return None


def chart_rc() -> dict[str, Any]:
    """rcParams for building and drawing a chart with Chinese labels."""
    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    return {
        "font.family": families,
        "font.sans-serif": families,
        "axes.unicode_minus": False,
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "figure.dpi": 100,
        "savefig.dpi": 100,
    }


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points the chart fonts (the CJK font, then DejaVu Sans) can draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    points: set[int] = set()
    for family in chart_rc()["font.family"]:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
            points.update(FT2Font(path).get_charmap())
        except (ValueError, OSError, RuntimeError):
            continue
    return frozenset(points)


def displayable(text: str, fallback: str = "") -> str:
    """``text`` without the characters no chart font can draw (emoji and other decoration
    in WeChat nicknames), so labels never show tofu boxes; ``fallback`` if nothing is left."""
    covered = _covered()
    kept = "".join(ch for ch in text if ord(ch) in covered or ch in "\n\t")
    kept = " ".join(kept.split()) if kept != text else kept
    return kept or fallback

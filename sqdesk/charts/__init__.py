"""Charts (Qt-free): matplotlib Figures for every analytics figure, labelled in Chinese
or, given the UI's ``translate``, in the UI language.

``figures``  — one drawing function per figure, taking the analytics dataclass
``registry`` — ``CHARTS`` (name → title, compute from a session + Scope, draw, drill-down evidence)
``base``     — ``render_png``, drill-down keys, the chart rcParams context
``fonts``    — the CJK font chosen from the system
``i18n``     — ``translate`` (Chinese by default) and the lupdate marker for chart wording
``stats``    — the community figures of ``sqdesk stats``
``cli``      — ``sqdesk stats`` and ``sqdesk chart`` (imports no matplotlib until run)

Importing this package does not import matplotlib: the names below load on first use,
so ``sqdesk`` (CLI and app) starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqdesk.charts.base import DrillKey, drill_at, render_png
    from sqdesk.charts.registry import CHARTS, DASHBOARD_CHARTS, ChartSpec, chart_spec

__all__ = ["CHARTS", "DASHBOARD_CHARTS", "ChartSpec", "DrillKey", "chart_spec", "drill_at", "render_png"]

_LAZY = {
    "DrillKey": "sqdesk.charts.base", "drill_at": "sqdesk.charts.base", "render_png": "sqdesk.charts.base",
    "CHARTS": "sqdesk.charts.registry", "DASHBOARD_CHARTS": "sqdesk.charts.registry",
    "ChartSpec": "sqdesk.charts.registry", "chart_spec": "sqdesk.charts.registry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sqdesk.charts' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)

"""Charts (Qt-free): matplotlib Figures for every analytics figure, with Chinese labels.

``figures``  — one drawing function per figure, taking the analytics dataclass
``registry`` — ``CHARTS`` (name → title, compute from a session + Scope, draw, drill-down evidence)
``base``     — ``render_png``, drill-down keys, the chart rcParams context
``fonts``    — the CJK font chosen from the system
``cli``      — ``sqdesk stats`` and ``sqdesk chart``

matplotlib is imported only when this package is: the app imports it lazily.
"""

from sqdesk.charts.base import DrillKey, drill_at, render_png
from sqdesk.charts.registry import CHARTS, DASHBOARD_CHARTS, ChartSpec, chart_spec

__all__ = ["CHARTS", "DASHBOARD_CHARTS", "ChartSpec", "DrillKey", "chart_spec", "drill_at", "render_png"]

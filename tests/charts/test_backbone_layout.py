"""The quiet-骨干 panel keeps room for several rows: one quiet 骨干 is a bar, not a block."""

from __future__ import annotations

import datetime as dt

import pytest

from sqdesk.analytics.community import BackboneRisk, QuietBackbone
from sqdesk.charts.figures import backbone


@pytest.mark.parametrize("n", [1, 2, 4, 9])
def test_each_quiet_bar_takes_at_most_a_quarter_of_the_panel(n: int) -> None:
    quiet = [QuietBackbone(i, f"骨干{i}", "骨干", "活跃", dt.datetime(2025, 6, 1 + i), 10 * (i + 1)) for i in range(n)]
    fig = backbone(BackboneRisk(5, 0.4, [1, 2, 3, 4, 5], 12, 14, quiet))
    fig.canvas.draw()
    panel = fig.axes[1]
    bars = panel.patches
    assert len(bars) == n
    panel_height = panel.get_window_extent().height
    for bar in bars:
        assert bar.get_window_extent().height <= panel_height / 4 * 0.61  # 0.6 of a row, rows ≥ 4
    # the first quiet 骨干 is drawn at the top
    assert bars[0].get_window_extent().y1 > bars[-1].get_window_extent().y1 or n == 1

"""Charts: every chart renders to a real PNG with Chinese labels and no missing glyph
(pytest turns matplotlib's "Glyph … missing from font(s)" warning into an error), and a
click on a bar/cell resolves to exactly the rows the analytics' evidence functions name."""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text

from sqdesk.analytics import community as c
from sqdesk.charts import CHARTS, DASHBOARD_CHARTS, drill_at, figures, fonts, render_png
from sqdesk.charts.base import chart_context, drillable_axes, new_figure
from sqdesk.charts.registry import evidence_members
from tests.analytics.world import AS_OF, START, Planted, planted

CJK = re.compile(r"[\u4e00-\u9fff]")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCOPE = c.Scope(START, AS_OF)


@pytest.fixture
def world(ws) -> tuple[object, Planted]:
    p = planted()
    with ws.write() as s:
        p.world.save(s)
    return ws, p


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_MAGIC
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


# ---- fonts -------------------------------------------------------------------------------------

def test_a_cjk_font_is_found_on_this_system() -> None:
    assert fonts.cjk_font() is not None
    rc = fonts.chart_rc()
    assert rc["font.family"][0] == fonts.cjk_font() and rc["axes.unicode_minus"] is False


def _draw_text(fig_text: str, path: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with chart_context():
            fig = new_figure((6, 2))
            ax = fig.add_subplot()
            ax.set_title(fig_text)
            ax.plot([-3, 1, 2], [-1, 0, 4])     # negative ticks: the minus sign must exist too
        render_png(fig, path)
    return [str(w.message) for w in caught]


def test_chinese_text_renders_without_a_missing_glyph(tmp_path: Path) -> None:
    text = "社群活跃度：核心、活跃、一般、潜水、沉默 · 周一～周日 · 入群与退群（净增长 −5）…"
    messages = _draw_text(text, tmp_path / "cjk.png")
    assert not [m for m in messages if "missing from font" in m], messages
    assert _png_size(tmp_path / "cjk.png")[0] > 0


def test_the_glyph_check_would_catch_tofu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: with only DejaVu Sans the same text does raise the warning we test for."""
    monkeypatch.setattr(fonts, "chart_rc", lambda: {"font.family": ["DejaVu Sans"], "axes.unicode_minus": False})
    import sqdesk.charts.base as base

    monkeypatch.setattr(base, "chart_rc", fonts.chart_rc)
    messages = _draw_text("社群活跃度", tmp_path / "tofu.png")
    assert any("missing from font" in m for m in messages)


def test_no_cjk_font_logs_a_chinese_warning_and_still_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from matplotlib import font_manager

    latin = [f for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans"]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    fonts.cjk_font.cache_clear()
    fonts._covered.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="sqdesk.charts.fonts"):
            assert fonts.cjk_font() is None
        assert "没有找到可以显示中文的字体" in caplog.text
        series = c.ActiveSeries("week", [c.ActivePoint(c.Period(START, START), 3, 10, 0.3)])
        out = render_png(figures.weekly_active(series), tmp_path / "fallback.png")
        assert out.stat().st_size > 2000
    finally:
        fonts.cjk_font.cache_clear()
        fonts._covered.cache_clear()


def test_labels_from_data_drop_what_no_font_can_draw(tmp_path: Path) -> None:
    """WeChat nicknames carry emoji: they are dropped from chart labels, never drawn as boxes."""
    assert fonts.displayable("🌈小雨🌈 ") == "小雨"
    assert fonts.displayable("🌈", "#7") == "#7"
    q = c.InviterQuality(7, "🌈小雨", [1, 2], [1], [1])
    fig = figures.inviters([q])
    render_png(fig, tmp_path / "emoji.png")      # a glyph warning would fail the test
    assert "小雨" in _texts(fig)


# ---- every chart, on the planted community, on both backends ------------------------------------

def test_every_chart_renders_a_png_with_chinese_labels(world, tmp_path: Path) -> None:
    ws, _p = world
    assert {"weekly_active", "growth", "retention", "levels", "decentralisation", "heatmap", "inviters",
            "attendance", "inequality", "backbone", "streaks"} <= set(CHARTS)
    assert set(DASHBOARD_CHARTS) <= set(CHARTS)
    for name, spec in CHARTS.items():
        with ws.read() as s:
            data = spec.compute(s, SCOPE)
        fig = spec.draw(data)
        out = render_png(fig, tmp_path / f"{name}.png", dpi=80)
        w, h = _png_size(out)
        assert w >= 400 and h >= 200, name
        assert out.stat().st_size > 15_000, name               # a real picture, not a blank canvas
        texts = _texts(fig)
        assert any(CJK.search(t) for t in texts), name
        assert not any("没有" in t and "数据" in t for t in texts), (name, texts)   # not the empty note
        assert drillable_axes(fig), name
        # Drawn pixels are not all white.
        from matplotlib.image import imread

        pixels = imread(out)
        assert (pixels[..., :3] < 0.9).mean() > 0.02, name


def test_empty_scope_draws_an_honest_note(world, tmp_path: Path) -> None:
    ws, _p = world
    empty = c.Scope(dt.date(2030, 1, 1), dt.date(2030, 3, 31))
    for name in ("growth", "retention", "heatmap", "inviters", "attendance", "inequality", "streaks"):
        spec = CHARTS[name]
        with ws.read() as s:
            fig = spec.draw(spec.compute(s, empty))
        render_png(fig, tmp_path / f"empty-{name}.png", dpi=60)
        assert any("没有" in t for t in _texts(fig)), name


def _key(fig: Figure, ax_index: int, x: float, y: float):  # type: ignore[no-untyped-def]
    return drill_at(drillable_axes(fig)[ax_index], x, y)


def test_drill_down_resolves_to_the_analytics_evidence(world) -> None:
    ws, p = world
    with ws.read() as s:
        data = {name: spec.compute(s, SCOPE) for name, spec in CHARTS.items()}

        def members(name: str, key) -> list[int]:  # type: ignore[no-untyped-def]
            assert key is not None and key.chart == name
            # Plain values only (they cross threads and reach SQL): no numpy scalars.
            assert all(a is None or type(a) in (int, bool, str, dt.date) for a in key.args), key
            return CHARTS[name].evidence(s, SCOPE, data[name], key).member_ids

        # weekly_active: every bar is its period's active members.
        series: c.ActiveSeries = data["weekly_active"]
        fig = CHARTS["weekly_active"].draw(series)
        for i in (0, 5, len(series.points) - 1):
            pt = series.points[i]
            key = _key(fig, 0, i + 0.3, pt.active / 2)
            assert key is not None and key.args == (pt.period.start, pt.period.end)
            ev = c.active_evidence(s, SCOPE, pt.period.start, pt.period.end)
            assert members("weekly_active", key) == ev.member_ids and len(ev.member_ids) == pt.active
        assert _key(fig, 0, len(series.points) + 2, 1) is None

        # growth: above the axis the joins, below the leaves.
        gr: c.Growth = data["growth"]
        fig = CHARTS["growth"].draw(gr)
        i = next(i for i, pt in enumerate(gr.points) if pt.period.start <= dt.date(2025, 1, 3) <= pt.period.end)
        joined = members("growth", _key(fig, 0, i, 0.5))
        assert p.jan_cohort[0] in joined and len(joined) == gr.points[i].joins
        leave_i = next(i for i, pt in enumerate(gr.points) if pt.period.start <= dt.date(2025, 3, 20) <= pt.period.end)
        left = members("growth", _key(fig, 0, leave_i, -0.5))
        assert set(p.bad_invitees) <= set(left) and len(left) == gr.points[leave_i].leaves

        # retention: the January cohort in February (all) and in April (none).
        ret: c.Retention = data["retention"]
        row = next(r for r, co in enumerate(ret.cohorts) if co.month == dt.date(2025, 1, 1))
        fig = CHARTS["retention"].draw(ret)
        assert members("retention", _key(fig, 0, 1, row)) == sorted(p.jan_cohort)
        assert members("retention", _key(fig, 0, 3, row)) == []
        assert members("retention", _key(fig, 0, 1, row)) == c.retention_evidence(s, SCOPE, dt.date(2025, 1, 1), 1).member_ids

        # levels: a bar is exactly the members holding that level.
        lv: c.LevelDistribution = data["levels"]
        fig = CHARTS["levels"].draw(lv)
        for i, name in enumerate(lv.counts):
            assert members("levels", _key(fig, 0, i, 0.1)) == sorted(lv.member_ids[name])
        assert members("levels", _key(fig, 1, 1, 0.1)) == sorted(lv.member_ids["活跃"] + lv.member_ids["一般"])

        # decentralisation: the owner-run group's orange part is the owner alone.
        dec: c.Decentralisation = data["decentralisation"]
        fig = CHARTS["decentralisation"].draw(dec)
        row = [g.group_id for g in dec.groups].index(p.g_owned)
        assert members("decentralisation", _key(fig, 0, 0.9, row)) == [p.owner]
        assert members("decentralisation", _key(fig, 0, 0.1, row)) == sorted(
            c.decentralisation_evidence(s, SCOPE, group_id=p.g_owned, staff=False).member_ids)

        # heatmap: a cell is the heatmap evidence of that weekday/hour.
        fig = CHARTS["heatmap"].draw(data["heatmap"])
        assert members("heatmap", _key(fig, 0, 21, 0)) == c.heatmap_evidence(s, SCOPE, 0, 21).member_ids
        assert p.backbone_busy in members("heatmap", _key(fig, 0, 21.2, 0.3))

        # inviters: the inviter whose invitees all left.
        inv: list[c.InviterQuality] = data["inviters"]
        fig = CHARTS["inviters"].draw(inv)
        row = [q.inviter_id for q in inv].index(p.bad_inviter)
        assert members("inviters", _key(fig, 0, 1, row - 0.26)) == sorted(p.bad_invitees)
        assert members("inviters", _key(fig, 0, 1, row)) == []
        good = [q.inviter_id for q in inv].index(p.good_inviter)
        assert members("inviters", _key(fig, 0, 1, good + 0.26)) == sorted(p.good_invitees)

        # attendance: the talk's green part is who came, the red part who did not.
        att: c.AttendanceSummary = data["attendance"]
        fig = CHARTS["attendance"].draw(att)
        col = [e.event_id for e in att.events if e.registered].index(p.talk_event)
        assert members("attendance", _key(fig, 0, col, 1)) == sorted(p.feb_cohort[:4])
        assert members("attendance", _key(fig, 0, col, 5)) == sorted(p.feb_cohort[4:6])

        # inequality: the top 10% bar.
        ineq: c.Inequality = data["inequality"]
        fig = CHARTS["inequality"].draw(ineq)
        assert members("inequality", _key(fig, 0, 0, 0.1)) == sorted(ineq.top_member_ids)
        assert set(members("inequality", _key(fig, 0, 1, 0.1))) == set(ineq.counts) - set(ineq.top_member_ids)

        # backbone: the 骨干 who went quiet.
        fig = CHARTS["backbone"].draw(data["backbone"])
        assert members("backbone", _key(fig, 1, 1, 0)) == [p.backbone_silent]

        # streaks: the planted June campaign (the scope's last 30 days hold it).
        camp: figures.Campaign = data["streaks"]
        fig = CHARTS["streaks"].draw(camp)
        assert camp.survival.start == p.campaign[0]
        on_curve = members("streaks", _key(fig, 0, 7, camp.survival.streak_survival[6]))
        assert on_curve == sorted(m for m, n in p.campaign_streaks.items() if n >= 7)
        # The dashed curve on day 9: who still checked in then (feb[3] came back after a gap).
        still = members("streaks", _key(fig, 0, 9, camp.survival.still_checking[8] + 0.01))
        assert p.feb_cohort[3] in still and still == c.survival_evidence(s, camp.survival, 9, streak=False).member_ids

        # The drill table's rows: the same members, with their evidence rows counted.
        ev = c.active_evidence(s, SCOPE, START, AS_OF)
        rows = evidence_members(s, ev)
        assert [r.member_id for r in rows] == ev.member_ids
        assert sum(r.rows for r in rows) == len(ev.activity_ids)


# ---- properties ------------------------------------------------------------------------------------

@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=1, max_size=60))
def test_growth_bars_resolve_to_their_own_period(values: list[tuple[int, int]]) -> None:
    start = dt.date(2025, 1, 6)
    pts = [
        c.GrowthPoint(c.Period(start + dt.timedelta(days=7 * i), start + dt.timedelta(days=7 * i + 6)), j, lv)
        for i, (j, lv) in enumerate(values)
    ]
    fig = figures.growth(c.Growth("week", pts, 0))
    if not any(j or lv for j, lv in values):
        assert not drillable_axes(fig)
        return
    ax = drillable_axes(fig)[0]
    for i, pt in enumerate(pts):
        up, down = drill_at(ax, i + 0.2, 0.5), drill_at(ax, i - 0.2, -0.5)
        assert up is not None and down is not None
        assert up.kind == "joined" and down.kind == "left"
        assert up.args == down.args == (pt.period.start, pt.period.end)
    lo, hi = ax.get_ylim()
    assert lo <= -max(lv for _j, lv in values) and hi >= max(j for j, _lv in values)
    assert np.isfinite([lo, hi]).all()


# ---- room for labels ----------------------------------------------------------------------------------

def _drawn_xticks(fig: Figure, ax) -> list[Text]:  # type: ignore[no-untyped-def]
    from sqdesk.charts.base import png_bytes

    png_bytes(fig)
    return [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]


def test_period_ticks_thin_out_on_a_small_chart_and_never_touch() -> None:
    from sqdesk.charts.base import period_label

    start = dt.date(2026, 1, 5)
    pts = [c.ActivePoint(c.Period(start + dt.timedelta(weeks=i), start + dt.timedelta(weeks=i, days=6)), 100 + i, 500, 0.2)
           for i in range(26)]
    names = [period_label(p.period, "week") for p in pts]
    fig = figures.weekly_active(c.ActiveSeries("week", pts))
    ax = fig.axes[0]
    counts = []
    for width in (8.0, 5.0, 3.5):                 # as saved, the dashboard's size, smaller
        fig.set_size_inches(width, 4.5)
        shown = _drawn_xticks(fig, ax)
        texts = [t.get_text() for t in shown]
        assert texts[0] == names[0] and texts[-1] == names[-1] and len(texts) <= 14, texts
        boxes = [t.get_window_extent() for t in shown]
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False)), texts
        counts.append(len(texts))
    assert counts[0] >= 12 and counts[0] > counts[1] > counts[2] >= 2


def test_even_positions() -> None:
    from sqdesk.charts.base import even_positions

    assert even_positions(25, 14) == list(range(0, 25, 2))
    assert even_positions(27, 14) == [*range(0, 27, 2)]                 # 26 is the last
    assert even_positions(26, 14) == [*range(0, 24, 2), 24, 25]         # room for both ends
    assert even_positions(26, 14, min_gap=2) == [*range(0, 24, 2), 25]  # not when labels need 2 slots
    assert even_positions(12, 14, min_gap=3) == [0, 3, 6, 11]
    assert even_positions(1, 14) == [0]


def test_the_level_reference_labels_wrap_only_when_crowded() -> None:
    counts = {"核心": 5, "活跃": 10, "一般": 20, "潜水": 30, "沉默": 35}
    ref = {"核心": (0.05, 0.2), "活跃": (0.3, 0.5), "潜水": (0.65, 0.3)}
    data = c.LevelDistribution(AS_OF, 100, counts, {lv: [] for lv in counts}, ref)
    fig = figures.levels(data)
    ax_ref = fig.axes[1]
    assert [t.get_text() for t in _drawn_xticks(fig, ax_ref)] == ["核心", "活跃+一般", "潜水+沉默"]
    fig.set_size_inches(4.5, 3.0)
    assert [t.get_text() for t in _drawn_xticks(fig, ax_ref)] == ["核心", "活跃\n+一般", "潜水\n+沉默"]

"""``sqdesk stats`` and ``sqdesk chart``: the printed figures are the analytics' own, the PNG
is a real chart, bad input is one Chinese line. Runs through ``sqdesk.cli.main`` once the
commands are wired there, through the handlers' own parser until then."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from pathlib import Path

import pytest

from sqdesk.analytics import community as c
from sqdesk.charts import CHARTS
from sqdesk.charts.cli import CHART_NAMES, add_chart_parser, add_stats_parser
from sqdesk.core.errors import UserError
from tests.analytics.world import AS_OF, START, Planted, planted


def _wired() -> bool:
    from sqdesk.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return "stats" in sub.choices and "chart" in sub.choices


def run(argv: list[str]) -> int:
    if _wired():
        from sqdesk.cli import main

        return main(argv)
    parser = argparse.ArgumentParser(prog="sqdesk")
    sub = parser.add_subparsers(dest="command")
    add_stats_parser(sub)
    add_chart_parser(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UserError as exc:
        import sys

        print(f"错误：{exc}", file=sys.stderr)
        return 2


@pytest.fixture
def world(ws) -> tuple[object, Planted, list[str]]:
    p = planted()
    with ws.write() as s:
        p.world.save(s)
    loc = ["--workspace", str(ws.path)] if ws.path is not None else ["--db", ws.engine.url.render_as_string(hide_password=False)]
    return ws, p, loc


def test_chart_names_match_the_registry() -> None:
    assert list(CHART_NAMES) == list(CHARTS)


def test_stats_json_matches_the_analytics(world, capsys: pytest.CaptureFixture[str]) -> None:
    ws, p, loc = world
    assert run(["stats", *loc, "--from", str(START), "--to", "2025年6月30日", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    scope = c.Scope(START, AS_OF)
    with ws.read() as s:
        weekly = c.active_series(s, scope, "week")
        monthly = c.active_series(s, scope, "month")
        gr = c.growth(s, scope, "month")
        ret = c.retention(s, scope)
        att = c.event_attendance(s, scope)
        lv = c.level_distribution(s, scope)
        ineq = c.participation_inequality(s, scope)
        dec = c.decentralisation(s, scope, "month")
        risk = c.backbone_risk(s, scope)
    assert out["scope"] == {"from": "2025-01-01", "to": "2025-06-30", "groups": None, "include_staff": False}
    assert [(w["active"], w["roster"]) for w in out["active"]["weekly"]] == [(q.active, q.roster) for q in weekly.points]
    assert [m["active"] for m in out["active"]["monthly"]] == [q.active for q in monthly.points]
    assert (out["growth"]["joins"], out["growth"]["leaves"]) == (sum(q.joins for q in gr.points), sum(q.leaves for q in gr.points))
    jan = next(co for co in out["retention"]["cohorts"] if co["month"] == "2025-01")
    assert jan["size"] == 10 and jan["active"][:4] == [10, 10, 0, 0]       # the planted churn after 2 months
    month1 = [co for co in ret.cohorts if co.active[1] is not None]
    assert out["retention"]["month1"]["active"] == sum(co.active[1] or 0 for co in month1)
    assert out["attendance"]["attended"] == att.attended == 4 and out["attendance"]["no_show"] == att.no_show == 2
    assert out["levels"]["counts"] == lv.counts and out["levels"]["total"] == lv.total
    assert math.isclose(out["inequality"]["gini"], ineq.gini or 0, abs_tol=1e-4)
    owned = next(g for g in out["decentralisation"]["groups"] if g["id"] == p.g_owned)
    assert math.isclose(owned["index"], 0.2) and math.isclose(out["decentralisation"]["index"], dec.overall.index or 0, abs_tol=1e-4)
    assert [q["id"] for q in out["backbone"]["quiet"]] == [p.backbone_silent] == [q.member_id for q in risk.quiet]


def test_stats_text_and_group_filter(world, capsys: pytest.CaptureFixture[str]) -> None:
    ws, p, loc = world
    assert run(["stats", *loc, "--from", "2025-01-01", "--to", "2025-06-30", "--groups", "二群（群主独大）"]) == 0
    text = capsys.readouterr().out
    assert "群 #2" in text and "【去中心化指数】" in text and "整体 20.0%" in text
    assert run(["stats", *loc, "--groups", "没有这个群"]) == 2
    assert "没有名为「没有这个群」的群" in capsys.readouterr().err


def test_chart_writes_the_png(world, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ws, _p, loc = world
    out = tmp_path / "留存.png"
    assert run(["chart", "retention", *loc, "--out", str(out), "--from", "2025-01-01", "--to", "2025-06-30", "--dpi", "80"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 15_000
    assert "已保存「留存」" in capsys.readouterr().out
    assert run(["chart", "heatmap", *loc, "--out", str(tmp_path / "x.jpg")]) == 2
    assert "应以 .png 结尾" in capsys.readouterr().err
    assert run(["chart", "heatmap", *loc, "--out", str(tmp_path / "x.png"), "--from", "2025-07-01", "--to", "2025-01-01"]) == 2
    assert "晚于" in capsys.readouterr().err


def test_chart_help_lists_every_chart(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(["chart", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for name in ("weekly_active", "growth", "retention", "levels", "decentralisation", "heatmap", "inviters", *CHARTS):
        assert name in text
    with pytest.raises(SystemExit):
        run(["chart", "pie", "--out", "x.png"])


def test_bad_date_is_one_chinese_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["stats", "--workspace", "x.sqdesk", "--from", "去年"])
    assert "日期「去年」看不懂" in capsys.readouterr().err


def test_default_period_is_six_months() -> None:
    from sqdesk.charts.registry import default_scope

    scope = default_scope(dt.date(2025, 6, 30))
    assert (scope.start, scope.end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))

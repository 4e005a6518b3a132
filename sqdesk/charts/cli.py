"""``sqdesk stats`` and ``sqdesk chart``.

  sqdesk stats --workspace PATH [--from DATE --to DATE] [--groups G …] [--include-staff] [--json]
  sqdesk chart NAME --workspace PATH --out FILE.png [--from DATE --to DATE] [--groups G …] [--dpi N]

The period defaults to the six calendar months up to today. ``--groups`` takes group
names or numbers. Each leaf parser sets ``handler``; the caller dispatches with
``args.handler(args)``. Bad input raises :class:`~sqdesk.core.errors.UserError`
(one Chinese line, exit 2 in ``sqdesk.cli.main``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqdesk.charts.i18n import QT_TRANSLATE_NOOP
from sqdesk.core.errors import ValidationError

# Names and titles without importing matplotlib (``sqdesk --help`` stays fast); a test
# checks this list equals sqdesk.charts.CHARTS. The 分析 screen lists these titles in
# the UI language (context "charts").
CHART_NAMES: dict[str, str] = {
    "weekly_active": QT_TRANSLATE_NOOP("charts", "每周活跃成员与活跃率"),
    "growth": QT_TRANSLATE_NOOP("charts", "入群与退群、净增长"),
    "retention": QT_TRANSLATE_NOOP("charts", "按入群月份的留存热力图"),
    "levels": QT_TRANSLATE_NOOP("charts", "活跃等级分布（对比 20/50/30）"),
    "decentralisation": QT_TRANSLATE_NOOP("charts", "去中心化指数（分群、随时间）"),
    "heatmap": QT_TRANSLATE_NOOP("charts", "发言时段热力图（星期 × 小时）"),
    "inviters": QT_TRANSLATE_NOOP("charts", "邀请人质量"),
    "attendance": QT_TRANSLATE_NOOP("charts", "活动到场与缺席"),
    "inequality": QT_TRANSLATE_NOOP("charts", "发言集中度（洛伦兹曲线、基尼系数）"),
    "backbone": QT_TRANSLATE_NOOP("charts", "骨干依赖与沉寂的骨干"),
    "streaks": QT_TRANSLATE_NOOP("charts", "打卡坚持曲线"),
}


def _date(text: str) -> dt.date:
    from sqdesk.core.text import DateError, parse_date

    try:
        d = parse_date(text)
    except (DateError, ValueError):
        d = None
    if d is None:
        raise argparse.ArgumentTypeError(f"日期「{text}」看不懂，请写成 2025-06-30")
    return d


def _scope_args(p: argparse.ArgumentParser) -> None:
    from sqdesk.cli import _add_workspace_args

    _add_workspace_args(p)
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="开始日期（默认：6 个月前的月初）")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="结束日期（含当天，默认今天）")
    p.add_argument("--groups", nargs="+", metavar="群", help="只统计这些群（群名或群编号，可用逗号分隔）")
    p.add_argument("--include-staff", action="store_true", help="把群主/管理员也算进活跃等健康指标")


def add_stats_parser(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "stats", help="社群数据：活跃、入群退群、留存、到场、等级、集中度、去中心化、骨干风险")
    _scope_args(p)
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_stats)
    return p


def add_chart_parser(subparsers: Any) -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<17} {title}" for name, title in CHART_NAMES.items())
    p: argparse.ArgumentParser = subparsers.add_parser(
        "chart", help="把一张分析图表保存为 PNG",
        description=f"把一张分析图表保存为 PNG。可用的图表：\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", choices=list(CHART_NAMES), metavar="NAME", help="图表名称（见上表）")
    _scope_args(p)
    p.add_argument("--out", required=True, metavar="FILE.png", help="输出的 PNG 文件")
    p.add_argument("--dpi", type=int, default=150, help="分辨率（默认 150）")
    p.set_defaults(handler=cmd_chart)
    return p


def _scope(args: argparse.Namespace, session: Any) -> Any:
    from sqdesk.analytics.community import Scope
    from sqdesk.charts.registry import default_scope
    from sqdesk.charts.stats import resolve_groups

    default = default_scope(args.date_to)
    start = args.date_from or default.start
    end = args.date_to or default.end
    if start > end:
        raise ValidationError(f"--from {start.isoformat()} 晚于 --to {end.isoformat()}", column="--from")
    return Scope(start, end, resolve_groups(session, args.groups), bool(args.include_staff))


def cmd_stats(args: argparse.Namespace) -> int:
    from sqdesk.charts.stats import community_stats, describe_stats
    from sqdesk.core.workspace import open_workspace

    ws = open_workspace(args.workspace, db_url=args.db)
    try:
        with ws.read() as s:
            figures = community_stats(s, _scope(args, s))
    finally:
        ws.close()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print(describe_stats(figures))
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    from sqdesk.charts import render_png
    from sqdesk.charts.registry import chart_spec
    from sqdesk.core.workspace import open_workspace

    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise ValidationError(f"输出文件 {out.name} 应以 .png 结尾", column="--out")
    if not out.parent.exists():
        raise ValidationError(f"输出文件夹 {out.parent} 不存在", column="--out")
    if not 30 <= args.dpi <= 600:
        raise ValidationError(f"--dpi {args.dpi} 应在 30 到 600 之间", column="--dpi")
    spec = chart_spec(args.name)
    ws = open_workspace(args.workspace, db_url=args.db)
    try:
        with ws.read() as s:
            scope = _scope(args, s)
            data = spec.compute(s, scope)
    finally:
        ws.close()
    render_png(spec.draw(data), out, dpi=args.dpi)
    print(f"已保存「{spec.title}」（{scope.start.isoformat()} 至 {scope.end.isoformat()}）到 {out}")
    return 0

"""``sqdesk rules check --workspace PATH [--json] [--as-of DATE] [--evidence]``.

Prints the dry run: per enabled rule with a condition, the members it catches and
the values that caught them. Always exits 0 when the check ran (catching members is
the expected outcome, not a failure); a bad workspace is a UserError like any command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any


def add_rules_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``rules`` (with ``check``) to the sqdesk command parser. Each leaf sets
    ``handler``, so the caller dispatches with ``args.handler(args)``."""
    from sqdesk.cli import _add_workspace_args

    rules: argparse.ArgumentParser = subparsers.add_parser("rules", help="群规：检查谁违反了群规（试运行，不做任何修改）")
    rules_sub = rules.add_subparsers(dest="what", metavar="WHAT", required=True)
    check = rules_sub.add_parser("check", help="试运行全部已启用的群规，列出被规则抓到的成员和依据")
    _add_workspace_args(check)
    check.add_argument("--json", action="store_true", help="以 JSON 输出")
    check.add_argument("--as-of", type=dt.date.fromisoformat, default=None, metavar="DATE",
                       help="按哪一天计算（默认今天），如 2025-06-30")
    check.add_argument("--evidence", action="store_true", help="同时列出每个数值背后的动态记录")
    check.set_defaults(handler=cmd_rules_check)
    export = rules_sub.add_parser("export", help="导出某一天生效的群规（.txt 可直接贴到群公告，或 .xlsx）")
    _add_workspace_args(export)
    export.add_argument("--out", required=True, metavar="FILE.txt|FILE.xlsx")
    export.add_argument("--as-of", type=dt.date.fromisoformat, default=None, metavar="DATE",
                        help="哪一天生效的群规（默认现在）")
    export.set_defaults(handler=cmd_rules_export)
    return rules


def cmd_rules_export(args: argparse.Namespace) -> int:
    from sqdesk.core.workspace import open_workspace
    from sqdesk.io.rules_export import export_published_rules

    when = dt.datetime.combine(args.as_of, dt.time(23, 59, 59)) if args.as_of else None
    ws = open_workspace(args.workspace, db_url=args.db)
    try:
        with ws.read() as s:
            n = export_published_rules(s, args.out, when)
    finally:
        ws.close()
    print(f"已导出 {n} 条群规到 {args.out}")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    handler = args.handler
    result: int = handler(args)
    return result


def cmd_rules_check(args: argparse.Namespace) -> int:
    from sqdesk.core.workspace import open_workspace
    from sqdesk.rules.engine import dry_run

    as_of: dt.date = args.as_of or dt.date.today()
    ws = open_workspace(args.workspace, db_url=args.db)
    try:
        with ws.read() as s:
            results = dry_run(s, as_of, with_evidence=args.evidence)
    finally:
        ws.close()
    if args.json:
        payload = {"as_of": as_of.isoformat(), "rules": [r.as_dict() for r in results]}
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    total = sum(len(r.members) for r in results)
    print(f"群规检查（截至 {as_of.isoformat()}）：{len(results)} 条可检查的规则，共抓到 {total} 人次")
    for r in results:
        if r.error:
            print(f"\n【{r.title}】条件无法读取，已跳过：{r.error}")
            continue
        arg = f"「{r.action_arg}」" if r.action_arg else ""
        grace = f"，宽限 {r.grace_days} 天" if r.grace_days else ""
        print(f"\n【{r.title}】{r.condition} → {r.action}{arg}{grace}：{len(r.members)} 人")
        for m in r.members:
            print(f"  {m.display_name}（#{m.member_id}）  {m.reason()}")
            for variable, rows in m.evidence.items():
                for e in rows:
                    when = e.at.strftime("%Y-%m-%d %H:%M") if e.at else ""
                    print(f"      {variable}: {when} {e.kind} {e.value:g} {e.note}".rstrip())
    return 0

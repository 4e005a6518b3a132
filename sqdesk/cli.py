"""Entry point. ``sqdesk`` opens the app; subcommands work headless.

The subcommand names and flags are a contract other tools and scripts rely on:
  sqdesk demo --workspace PATH [--members N] [--seed S] [--until DATE]
  sqdesk import members FILE --workspace PATH [--dry-run] [--on-duplicate skip|update|keep]
  sqdesk import activity FILE --workspace PATH [--dry-run]
  sqdesk export roster --workspace PATH --out FILE.xlsx|FILE.csv
  sqdesk undo-import BATCH --workspace PATH
  sqdesk rules check --workspace PATH [--json]
  sqdesk stats --workspace PATH [--from DATE --to DATE] [--groups G…] [--json]
  sqdesk chart NAME --workspace PATH --out FILE.png [--from DATE --to DATE]
  sqdesk brief --workspace PATH --from DATE --to DATE [--groups 名称,…] (--out FILE.xlsx | --text) [--no-mask]
Bad input exits non-zero with one line of Chinese on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from typing import Any

from sqdesk.core.errors import UserError

VIEWS = ("dashboard", "roster", "calendar", "rules", "activity", "supply", "analytics", "brief")


def _add_workspace_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workspace", "-w", metavar="PATH", help="工作区文件（SQLite）路径")
    p.add_argument("--db", metavar="URL", help="数据库 URL，如 postgresql+psycopg://user@host/db（团队模式）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sqdesk", description="sqdesk 社群运营工作台")
    _add_workspace_args(parser)
    parser.add_argument("--lang", choices=("zh", "en"), help="界面语言（默认中文）")
    parser.add_argument("--screenshot", metavar="OUT.png", help="离屏渲染一个界面到 PNG 后退出")
    parser.add_argument("--view", choices=VIEWS, default="dashboard", help="--screenshot 渲染的界面")
    parser.add_argument("--no-demo", action="store_true", help="首次运行时不生成演示数据")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="生成一个演示社群（可重复：同一种子与日期得到同样的数据）")
    _add_workspace_args(demo)
    demo.add_argument("--members", type=int, default=800)
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--until", type=dt.date.fromisoformat, default=None, help="最后一天（默认今天）")

    imp = sub.add_parser("import", help="导入成员名单或动态记录")
    imp_sub = imp.add_subparsers(dest="what", metavar="WHAT", required=True)
    for what in ("members", "activity"):
        p = imp_sub.add_parser(what, help="成员名单" if what == "members" else "动态 / 聊天统计")
        p.add_argument("file")
        _add_workspace_args(p)
        p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        p.add_argument("--sheet", help="工作表名称（默认第一个）")
        p.add_argument("--map", action="append", default=[], metavar="列名=字段",
                       help="显式列映射，如 --map 电话=phone（可重复）")
        p.add_argument("--json", action="store_true", help="以 JSON 输出预览/结果")
        if what == "members":
            p.add_argument("--on-duplicate", choices=("skip", "update", "keep"), default="skip")

    exp = sub.add_parser("export", help="导出")
    exp_sub = exp.add_subparsers(dest="what", metavar="WHAT", required=True)
    er = exp_sub.add_parser("roster", help="成员名单（.xlsx 或 .csv，可无损重新导入）")
    _add_workspace_args(er)
    er.add_argument("--out", required=True)

    undo = sub.add_parser("undo-import", help="撤销一次导入（整批）")
    undo.add_argument("batch", type=int)
    _add_workspace_args(undo)

    sub.add_parser("batches", help="列出导入批次").set_defaults(command="batches")
    _add_workspace_args(sub.choices["batches"])

    from sqdesk.charts.cli import add_chart_parser, add_stats_parser
    from sqdesk.io.brief_cli import add_brief_parser
    from sqdesk.rules.cli import add_rules_parser

    add_rules_parser(sub)
    add_brief_parser(sub)
    add_stats_parser(sub)
    add_chart_parser(sub)
    return parser


def _open(args: argparse.Namespace) -> Any:
    from sqdesk.core.workspace import open_workspace

    return open_workspace(args.workspace, db_url=args.db)


def _progress_printer(label: str) -> Callable[[int, int], None]:
    last = [-1]

    def report(done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        pct = int(done * 100 / total) if total else 0
        if pct != last[0]:
            last[0] = pct
            print(f"\r{label} {pct:3d}%", end="", file=sys.stderr, flush=True)

    return report


def cmd_demo(args: argparse.Namespace) -> int:
    from sqdesk.core.demo import build_demo

    ws = _open(args)
    try:
        summary = build_demo(ws, members=args.members, seed=args.seed, until=args.until,
                             progress=_progress_printer("生成演示数据"))
    finally:
        ws.close()
    print(summary.describe())
    return 0


def _mapping(pairs: Sequence[str]) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise UserError(f"列映射「{pair}」应写成 列名=字段")
        header, fld = pair.split("=", 1)
        out[header.strip()] = fld.strip()
    return out


def cmd_import(args: argparse.Namespace) -> int:
    import json

    ws = _open(args)
    preview: Any
    try:
        if args.what == "members":
            from sqdesk.io.roster_import import commit_roster_import, preview_roster_import

            with ws.read() as s:
                preview = preview_roster_import(
                    s, args.file, mapping=_mapping(args.map), sheet=args.sheet,
                    on_duplicate=args.on_duplicate,
                )
            commit: Callable[..., Any] = commit_roster_import
        else:
            from sqdesk.io.activity_import import commit_activity_import, preview_activity_import

            with ws.read() as s:
                preview = preview_activity_import(s, args.file, mapping=_mapping(args.map), sheet=args.sheet)
            commit = commit_activity_import
        if args.json:
            print(json.dumps(preview.as_dict(), ensure_ascii=False, indent=1, default=str))
        else:
            print(preview.describe())
        if args.dry_run:
            return 0
        with ws.write() as s:
            result = commit(s, preview, operator=ws.operator, progress=_progress_printer("导入"))
        print(result.describe())
        return 0
    finally:
        ws.close()


def cmd_export(args: argparse.Namespace) -> int:
    from sqdesk.io.roster_export import export_roster

    ws = _open(args)
    try:
        with ws.read() as s:
            n = export_roster(s, args.out)
    finally:
        ws.close()
    print(f"已导出 {n} 名成员到 {args.out}")
    return 0


def cmd_undo_import(args: argparse.Namespace) -> int:
    from sqdesk.core.imports import undo_import

    ws = _open(args)
    try:
        with ws.write() as s:
            result = undo_import(s, args.batch, operator=ws.operator)
    finally:
        ws.close()
    print(result.describe())
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    from sqdesk.core.imports import list_batches

    ws = _open(args)
    try:
        with ws.read() as s:
            for b in list_batches(s):
                print(f"#{b.id}\t{b.kind}\t{b.status}\t{b.created_at:%Y-%m-%d %H:%M}\t新增 {b.rows_created}\t更新 {b.rows_updated}\t{b.file_name}")
    finally:
        ws.close()
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from sqdesk.app import run_gui

    return run_gui(args)


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "demo": cmd_demo,
    "import": cmd_import,
    "export": cmd_export,
    "undo-import": cmd_undo_import,
    "batches": cmd_batches,
    "rules": lambda args: int(args.handler(args)),
    "brief": lambda args: int(args.handler(args)),
    "stats": lambda args: int(args.handler(args)),
    "chart": lambda args: int(args.handler(args)),
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the reader went away
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

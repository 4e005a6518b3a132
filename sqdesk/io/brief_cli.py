"""``sqdesk brief --workspace PATH --from DATE --to DATE [--groups 名称,…] --out FILE.xlsx
[--no-mask] [--short-names]`` and ``… --text`` (the plain-text brief on standard output).

``--no-mask`` writes phones and WeChat ids in full; it must be given explicitly and is
recorded in the audit log (``export_unmasked``). Warnings about the data (a cell cut
at Excel's limit, control characters removed) are printed after the summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from sqdesk.core.errors import UserError


def _date(text: str) -> dt.date:
    from sqdesk.core.text import DateError, parse_date

    try:
        value = parse_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if value is None:
        raise argparse.ArgumentTypeError(f"「{text}」不是日期，请写成 2026-11-16")
    return value


def add_brief_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``brief`` to the sqdesk command parser; sets ``handler`` (dispatch with
    ``args.handler(args)``)."""
    from sqdesk.cli import _add_workspace_args

    p: argparse.ArgumentParser = subparsers.add_parser(
        "brief", help="供求简报：导出给群主和骨干的 Excel，或打印可直接发到群里的文字版")
    _add_workspace_args(p)
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE", help="开始日期，如 2026-11-16")
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE", help="结束日期（含当天）")
    p.add_argument("--groups", metavar="名称,…", help="只看这些群（群名，逗号分隔；默认全部）")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--out", metavar="FILE.xlsx", help="导出 Excel 简报到此文件")
    out.add_argument("--text", action="store_true", help="把文字版简报打印到标准输出")
    p.add_argument("--no-mask", action="store_true", help="不打码手机号和微信号（会记入审计日志）")
    p.add_argument("--short-names", action="store_true", help="姓名缩写为“张*”")
    p.add_argument("--today", type=_date, default=None, metavar="DATE", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_brief, command="brief")
    return p


def _group_ids(session: Any, raw: str | None) -> list[int] | None:
    from sqlalchemy import select

    from sqdesk.models import Group

    if not raw:
        return None
    names = [n.strip() for n in raw.replace("，", ",").split(",") if n.strip()]
    found = dict(session.execute(select(Group.name, Group.id).where(Group.name.in_(names))).all())
    missing = [n for n in names if n not in found]
    if missing:
        raise UserError(f"没有名为「{missing[0]}」的群（--groups）")
    return [found[n] for n in names]


def cmd_brief(args: argparse.Namespace) -> int:
    from sqdesk.core.workspace import open_workspace

    if args.start > args.end:
        raise UserError(f"--from {args.start.isoformat()} 晚于 --to {args.end.isoformat()}")
    ws = open_workspace(args.workspace, db_url=args.db)
    try:
        if args.text:
            from sqdesk.io.brief_text import brief_text

            with ws.read() as s:
                text = brief_text(s, args.start, args.end, _group_ids(s, args.groups), mask=not args.no_mask,
                                  shorten_names=args.short_names, today=args.today)
            if args.no_mask:
                from sqdesk.io.brief_text import record_unmasked_text

                with ws.write() as s:
                    record_unmasked_text(s, ws.operator, args.start, args.end, _group_ids(s, args.groups))
            print(text)
            return 0
        from sqdesk.cli import _progress_printer
        from sqdesk.io.brief import build_brief_workbook

        session_of = ws.write if args.no_mask else ws.read  # the audit entry needs a writer
        with session_of() as s:
            summary = build_brief_workbook(
                s, args.out, start=args.start, end=args.end, group_ids=_group_ids(s, args.groups),
                mask=not args.no_mask, shorten_names=args.short_names, today=args.today,
                progress=_progress_printer("导出简报"), operator=ws.operator,
            )
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(summary.describe())
        return 0
    finally:
        ws.close()

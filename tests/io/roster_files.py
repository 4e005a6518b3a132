"""Roster workbooks for the import tests, and one import from preview to commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from sqdesk.io.roster_import import commit_roster_import, preview_roster_import


def write_roster(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """A 名单 sheet as a person types it: dates as date cells, text as text (never read
    as a formula or a link), numbers and booleans as themselves, None and "" left empty."""
    wb = xlsxwriter.Workbook(str(path))
    sheet = wb.add_worksheet("名单")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if isinstance(v, dt.date):
                sheet.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), date_fmt)
            elif isinstance(v, bool):
                sheet.write_boolean(i, j, v)
            elif isinstance(v, str):
                if v:
                    sheet.write_string(i, j, v)
            elif v is not None:
                sheet.write_number(i, j, v)
    wb.close()
    return path


def run_import(ws: Any, path: Path, **kw: Any) -> Any:
    """Preview ``path`` and commit it, as the wizard does."""
    with ws.read() as s:
        preview = preview_roster_import(s, path, **kw)
    with ws.write() as s:
        return commit_roster_import(s, preview, operator="测试员")

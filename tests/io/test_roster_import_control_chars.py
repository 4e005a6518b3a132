"""Control characters are found wherever they are in a row of a workbook: a text column,
a column of dates that also holds text, a column without a header, a cell beyond the
header, once rows without any have let the import settle into its quick check. Each is
reported once per row, naming the columns, and stripped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqdesk.io.roster_import import preview_roster_import
from tests.io.roster_files import write_roster

HEADER = ["姓名", "手机号", "城市", "入群时间", "标签", "爱好", ""]


def clean_row(i: int) -> list[Any]:
    return [f"成员{i}", f"139{i:08d}", "杭州", dt.date(2024, 1, 1) + dt.timedelta(days=i), "设计", "读书", ""]


def test_control_characters_anywhere_in_the_row(sqlite_ws: Any, tmp_path: Path) -> None:
    rows = [clean_row(i) for i in range(40)]  # plain rows first: Excel rows 2–41
    dirty = {  # Excel row → (column, cell)
        42: (0, "成员\x0042"),       # a text column
        43: (3, "2024年1月\x0b2日"),  # the date column, holding text
        44: (6, "多余\x01"),          # a column without a header
        45: (7, "超出\x02表头"),       # beyond the header
        46: (2, "杭\x07州"),
        47: (2, "杭州\n西湖"),        # not printable, but no control character: no warning
    }
    for excel_row, (col, value) in dirty.items():
        row = clean_row(excel_row)
        if col == len(row):
            row.append(value)
        else:
            row[col] = value
        rows.append(row)
    path = write_roster(tmp_path / "a.xlsx", HEADER, rows)
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, path)
    got = [(w.row, w.message) for w in preview.warnings]
    assert got == [
        (42, "「姓名」含有控制字符（如 NUL），已删除"),
        (43, "「入群时间」含有控制字符（如 NUL），已删除"),
        (44, "第 7 列含有控制字符（如 NUL），已删除"),
        (45, "第 8 列含有控制字符（如 NUL），已删除"),
        (46, "「城市」含有控制字符（如 NUL），已删除"),
    ]
    by_row = {r.row: r for r in preview.records}
    assert by_row[42].values["display_name"] == "成员42"
    assert by_row[43].values["joined_on"] == dt.date(2024, 1, 2)
    assert by_row[46].values["city"] == "杭州"
    assert by_row[47].values["city"] == "杭州\n西湖"
    assert preview.problems == [] and len(preview.records) == 46

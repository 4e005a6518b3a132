"""The printable 签到表: read back with openpyxl and python-calamine, the right people in
the right order with masked phones, formula-looking names kept as text, page set up
for A4 portrait, and an atomic write."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sqdesk.core import events as E
from sqdesk.core.errors import UserError
from sqdesk.core.groups import create_group
from sqdesk.core.roster import MemberInput, create_member
from sqdesk.io.signin_sheet import HEADERS, export_signin_sheet
from sqdesk.io.xlsx_safe import display_width

START = dt.datetime(2026, 11, 7, 14)


def _world(ws: Any) -> tuple[int, dict[str, int]]:
    with ws.write() as s:
        target = create_group(s, "杭州同城群").id
        other = create_group(s, "大群").id
        people = {
            "张三": {"phone": "13800138000"},
            "=SUM(A1)": {"phone": "13900139000"},
            "李四": {"phone": "13700137000"},
            "欧阳娜娜": {"phone": "13600136000"},
            "王五": {"phone": "13500135000"},
            "赵六": {},
        }
        groups = {
            "张三": [(other, "三哥-大群", None), (target, "张三-杭州-产品", None)],
            "李四": [(other, "+李四", None)],
        }
        ids = {n: create_member(s, MemberInput(n, v, groups=groups.get(n, []))).id for n, v in people.items()}
        ev = E.create_event(s, E.EventInput(
            "杭州线下见面会", START, START + dt.timedelta(hours=3), kind="线下见面会", capacity=4,
            location="杭州市西湖区文三路 1 号", group_ids=[target]))
        t = dt.datetime(2026, 11, 1, 9)
        for i, name in enumerate(["王五", "张三", "=SUM(A1)", "李四", "欧阳娜娜", "赵六"]):
            E.register(s, ev.id, ids[name], now=t + dt.timedelta(minutes=i))
        E.check_in(s, ev.id, ids["张三"], now=START - dt.timedelta(minutes=5))
        E.cancel_registration(s, ev.id, ids["王五"])  # 欧阳娜娜 moves up from the waitlist
    return ev.id, ids


def test_signin_sheet_read_back_by_two_readers(ws: Any, tmp_path: Path) -> None:
    event_id, _ids = _world(ws)
    out = tmp_path / "签到表.xlsx"
    with ws.read() as s:
        assert export_signin_sheet(s, event_id, out, blank_rows=3) == 5

    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    wb = load_workbook(out)
    sheet = wb["签到表"]
    assert sheet["A1"].value == "签到表：杭州线下见面会"
    info = sheet["A2"].value
    assert "2026-11-07（周六）14:00–17:00" in info and "杭州市西湖区文三路 1 号" in info
    assert "已报名 4 人（人数上限 4 人），候补 1 人" in info
    assert [c.value for c in sheet[3]] == list(HEADERS)
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    # Seats by pinyin (li, ouyang, sum, zhang), then the waitlist in queue order, then
    # numbered blank lines for walk-ins.
    expected = [
        [1, "李四", "+李四", "137****7000", "已报名", None],
        [2, "欧阳娜娜", None, "136****6000", "已报名", None],
        [3, "=SUM(A1)", None, "139****9000", "已报名", None],
        [4, "张三", "张三-杭州-产品", "138****8000", "已签到 13:55", None],
        [5, "赵六", None, None, "候补 第 1 位", None],
        [6, None, None, None, None, None],
        [7, None, None, None, None, None],
        [8, None, None, None, None, None],
    ]
    assert body == expected
    assert sheet["B6"].data_type == "s" and sheet["C4"].data_type == "s"  # text, not formulas

    cal = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("签到表").to_python()
    cal_body = [[None if v == "" else (int(v) if isinstance(v, float) else v) for v in row] for row in cal[3:]]
    assert cal_body == expected
    assert cal[2] == list(HEADERS)

    # Nothing unmasked anywhere in the package; no formula element at all.
    with zipfile.ZipFile(out) as z:
        xml = b"".join(z.read(n) for n in z.namelist())
    for phone in (b"13800138000", b"13900139000", b"13700137000"):
        assert phone not in xml
    assert b"<f>" not in xml and b"<f " not in xml

    # Printable: A4 portrait fitted to width, header repeated, frozen below it, borders.
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    assert all(sheet.cell(r, c).border.left.style == "thin" for r in range(3, 12) for c in range(1, 7))
    for col, name in (("B", "欧阳娜娜"), ("C", "张三-杭州-产品"), ("E", "已签到 13:55")):
        assert sheet.column_dimensions[col].width >= display_width(name)
    assert sheet.column_dimensions["F"].width >= 15  # room to sign


def test_signin_sheet_unmasked_and_atomic(ws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    event_id, _ids = _world(ws)
    out = tmp_path / "out" / "sheet.xlsx"
    out.parent.mkdir()
    with ws.read() as s:
        export_signin_sheet(s, event_id, out, mask=False, blank_rows=0)
    from openpyxl import load_workbook

    sheet = load_workbook(out)["签到表"]
    assert [c.value for c in sheet["D"]][3:] == ["13700137000", "13600136000", "13900139000", "13800138000", None]
    assert sheet.max_row == 8
    before = out.read_bytes()

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sqdesk.io.xlsx_safe.os.replace", locked)
    with ws.read() as s, pytest.raises(UserError, match="sheet.xlsx"):
        export_signin_sheet(s, event_id, out)
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["sheet.xlsx"]
    with ws.read() as s, pytest.raises(UserError, match=r"\.xlsx"):
        export_signin_sheet(s, event_id, tmp_path / "sheet.csv")


def test_signin_sheet_of_a_series_says_when_it_repeats(ws: Any, tmp_path: Path) -> None:
    with ws.write() as s:
        m = create_member(s, MemberInput("张三")).id
        wed = dt.datetime(2026, 11, 4, 20)
        ev = E.create_event(s, E.EventInput("周三夜聊", wed, wed + dt.timedelta(minutes=90),
                                            rrule="FREQ=WEEKLY;BYDAY=WE"))
        E.register(s, ev.id, m)
    out = tmp_path / "s.xlsx"
    with ws.read() as s:
        assert export_signin_sheet(s, ev.id, out, blank_rows=0) == 1
    from openpyxl import load_workbook

    sheet = load_workbook(out)["签到表"]
    assert sheet["A2"].value.startswith("时间：每周三 20:00–21:30（2026-11-04 起）")
    assert "不限人数" in sheet["A2"].value

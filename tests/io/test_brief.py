"""The 供求简报 workbook end to end: read back by openpyxl and python-calamine with the
same values and types, nothing unmasked anywhere in the package, unconsented members
left out and counted, formula-looking text kept as text, over-long and control-laden
text reported, page set up to print, and a failed write that leaves the old file alone."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from sqdesk.core import events as E
from sqdesk.core.errors import UserError
from sqdesk.core.groups import create_group
from sqdesk.core.roster import MemberInput, create_member
from sqdesk.core.supply_demand import SupplyDemandInput, create_supply_demand, record_match
from sqdesk.io import brief as B
from sqdesk.io.brief import SHEETS, BriefData, build_brief_workbook, collect_brief, sheet_name
from sqdesk.io.xlsx_safe import EXCEL_CELL_LIMIT, EXPORT_CONTROL_CHARS, display_width
from sqdesk.models import AuditEntry, Member, SupplyDemand

TODAY = dt.date(2026, 11, 20)
START, END = dt.date(2026, 11, 9), dt.date(2026, 11, 15)
LONG = "长" * (EXCEL_CELL_LIMIT + 500)

PEOPLE = {
    # name: (phone, wechat, city, group, consent)
    "张三": ("13800138000", "zhangsan_001", "杭州", "杭州群", True),
    "李四": ("13900139001", "lisi_hz_02", "杭州", "杭州群", True),
    "王五": ("13700137002", "wangwu_sh_03", "上海", "上海群", False),
    '=HYPERLINK("http://x.cn","点我")': ("13600136003", "formula_guy4", "上海", "上海群", True),
    "欧阳娜娜": ("13500135004", "ouyang_nana5", "北京", "上海群", True),
}


def world(ws: Any) -> dict[str, int]:
    with ws.write() as s:
        groups = {n: create_group(s, n).id for n in ("杭州群", "上海群")}
        ids: dict[str, int] = {}
        for name, (phone, wx, city, group, consent) in PEOPLE.items():
            ids[name] = create_member(s, MemberInput(name, {
                "phone": phone, "wechat_id": wx, "city": city, "consent": consent, "joined_on": dt.date(2026, 1, 5),
            }, groups=[(groups[group], "", dt.date(2026, 1, 5))])).id

        def add(who: str, kind: str, text: str, day: int, category: str = "技能", keywords: str = "") -> int:
            return create_supply_demand(s, SupplyDemandInput(
                ids[who], kind, text, category=category, keywords=keywords, created_on=dt.date(2026, 11, day),
            )).id

        ids["offer_zs"] = add("张三", "供给", "擅长小程序开发，联系 138 0013 8000 或微信 zhangsan_001", 10, keywords="小程序开发")
        ids["need_ls"] = add("李四", "需求", "急需小程序开发帮忙，两周左右，可远程", 11, keywords="小程序开发")
        ids["offer_ww"] = add("王五", "供给", "有上海的活动场地资源，王五专属", 12, category="资源")
        add('=HYPERLINK("http://x.cn","点我")', "需求", "=1+1 @all 求合作", 12, category="合作")
        add("欧阳娜娜", "需求", "-找投资人，+86 13500135004 联系", 13, category="投资")
        add("张三", "供给", "+上期的供给", 3)  # previous period
        # Imported rows keep what a sheet held: control characters, an over-long text.
        s.execute(insert(SupplyDemand), [
            {"member_id": ids["李四"], "kind": "供给", "category": "其他", "text": "响铃\x07字符\x1b在此",
             "keywords": "", "created_on": dt.date(2026, 11, 13), "status": "open"},
            {"member_id": ids["欧阳娜娜"], "kind": "供给", "category": "其他", "text": LONG,
             "keywords": "", "created_on": dt.date(2026, 11, 14), "status": "open"},
        ])
        ev = E.create_event(s, E.EventInput(
            "杭州小程序沙龙", dt.datetime(2026, 11, 12, 19), dt.datetime(2026, 11, 12, 21), kind="线下见面会",
            capacity=10, location="杭州·西湖区", group_ids=[groups["杭州群"]]))
        E.register(s, ev.id, ids["张三"], now=dt.datetime(2026, 11, 10, 9))
        E.register(s, ev.id, ids["李四"], now=dt.datetime(2026, 11, 10, 10))
        E.check_in(s, ev.id, ids["张三"], now=dt.datetime(2026, 11, 12, 18, 55))
        E.create_event(s, E.EventInput(
            "线上分享：增长复盘", dt.datetime(2026, 11, 25, 20), dt.datetime(2026, 11, 25, 21), kind="线上讲座"))
        ids.update({f"group:{k}": v for k, v in groups.items()})
    return ids


def _expected(value: Any) -> Any:
    """What a cell holds after writing: text cleaned and cut, dates as datetimes."""
    if isinstance(value, str):
        text = EXPORT_CONTROL_CHARS.sub("", value)
        if len(text) > EXCEL_CELL_LIMIT:
            text = text[: EXCEL_CELL_LIMIT - len(B.CUT_MARK)] + B.CUT_MARK
        return text or None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return value


def _calamine_same(got: Any, want: Any) -> bool:
    if want is None:
        return got in ("", None)
    if isinstance(want, dt.datetime):
        if isinstance(got, dt.datetime):
            return got == want
        return isinstance(got, dt.date) and want.time() == dt.time() and got == want.date()
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(got - want) < 1e-9
    return bool(got == want)


def _xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())


def test_brief_read_back_by_two_readers(ws: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    world(ws)
    out = tmp_path / "简报.xlsx"
    with ws.read() as s:
        data = collect_brief(s, START, END, today=TODAY)
        summary = build_brief_workbook(s, out, start=START, end=END, today=TODAY)
    assert summary.rows["供给"] == 3  # 张三, 李四 (imported), 欧阳娜娜 (long); 王五 unconsented
    assert summary.rows["需求"] == 3
    assert summary.unconsented == 1 and "1 人未授权，未列出" in summary.describe()

    wb = load_workbook(out)
    cal = CalamineWorkbook.from_path(str(out))
    assert wb.sheetnames == list(SHEETS) == cal.sheet_names
    cells = 0
    for sheet in data.sheets:
        ows = wb[sheet.name]
        crow = cal.get_sheet_by_name(sheet.name).to_python()
        assert [c.value for c in ows[3]][: len(sheet.columns)] == [c.header for c in sheet.columns]
        assert crow[2][: len(sheet.columns)] == [c.header for c in sheet.columns]
        for i, row in enumerate(sheet.rows):
            for j, value in enumerate(row):
                want = _expected(value)
                cell = ows.cell(row=4 + i, column=1 + j)
                assert cell.value == want, (sheet.name, i, j)
                if isinstance(want, (int, float)):  # xlsx has one number type: 6.0 reads back as 6
                    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
                else:  # dates are dates, text is text
                    assert type(cell.value) is type(want), (sheet.name, i, j)
                if isinstance(want, str):
                    assert cell.data_type == "s"
                assert _calamine_same(crow[3 + i][j], want), (sheet.name, i, j, crow[3 + i][j], want)
                cells += 1
        # Printable: header bold and filled, frozen below it, filter, A4 landscape to width.
        head = ows.cell(row=3, column=1)
        assert head.font.b and head.fill.fgColor.rgb.endswith("DDEBF7")
        assert ows.freeze_panes == "A4"
        assert ows.auto_filter.ref and ows.auto_filter.ref.startswith("A3:")
        assert ows.print_title_rows == "$3:$3"
        assert int(ows.page_setup.paperSize) == 9 and ows.page_setup.orientation == "landscape"
        # fit to 1 page wide (1 is the attribute's default, so the file may leave it out), any height
        assert ows.sheet_properties.pageSetUpPr.fitToPage and ows.page_setup.fitToWidth in (None, 1)
        assert ows.page_setup.fitToHeight == 0
        assert "2026-11-09 至 2026-11-15" in ows.oddFooter.left.text and "&P" in ows.oddFooter.center.text
    assert cells > 100

    offers = wb["供给"]
    heads = [c.value for c in offers[3]]
    text_col = heads.index("内容") + 1
    assert offers.cell(4, text_col).alignment.wrap_text
    assert offers.column_dimensions["B"].width >= display_width("欧阳娜娜")
    assert offers.cell(4, heads.index("发布日期") + 1).number_format == "yyyy-mm-dd"

    # 概览: this period beside the previous one, with the change.
    ov = wb["概览"]
    rows = {r[0].value: [c.value for c in r[:5]] for r in ov.iter_rows(min_row=6, max_row=16)}
    assert rows["新发布供给"][1:4] == [4, 1, 3]  # 4 published this period (王五 counted: figures are aggregates)
    assert rows["新发布需求"][1:3] == [3, 0]
    assert rows["活动场次"][1] == 1 and rows["报名人次"][1] == 2 and rows["签到人次"][1] == 1
    assert len(ov._charts) >= 2

    # formula-looking names and texts are plain strings; no formula anywhere in the package
    needs = wb["需求"]
    names = {c.value for c in needs["B"]}
    assert '=HYPERLINK("http://x.cn","点我")' in names
    assert b"<f>" not in _xml(out) and b"<f " not in _xml(out)
    assert any(w.startswith("「供给」第") and "已截断" in w for w in summary.warnings)
    assert any("控制字符" in w for w in summary.warnings)


def test_brief_hides_personal_data_unless_asked(ws: Any, tmp_path: Path) -> None:
    ids = world(ws)
    masked = tmp_path / "masked.xlsx"
    with ws.read() as s:
        build_brief_workbook(s, masked, start=START, end=END, today=TODAY, shorten_names=True)
        contacts = [(p, w) for p, w in s.execute(select(Member.phone, Member.wechat_id))]
    xml = _xml(masked)
    assert len(contacts) == len(PEOPLE)
    for phone, wx in contacts:
        assert phone.encode() not in xml and wx.encode() not in xml, (phone, wx)
    assert b"138****8000" in xml and b"zh****01" in xml
    for name in ("王五", "张三", "欧阳娜娜"):
        assert name.encode() not in xml  # short names: 张*, 欧***; 王五 left out entirely
    assert "张*".encode() in xml
    with zipfile.ZipFile(masked) as z:
        parts = z.namelist()
        core = z.read("docProps/core.xml").decode()
    assert not any("comments" in p or "vmlDrawing" in p for p in parts)
    assert "供求简报" in core and "sqdesk" in core
    from openpyxl import load_workbook

    wb = load_workbook(masked)
    assert all(not d.hidden for ws_ in wb.worksheets for d in ws_.column_dimensions.values())
    assert all(n.startswith("_xlnm") for n in _defined_names(masked))
    with ws.read() as s:
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "export_unmasked")) is None

    plain = tmp_path / "plain.xlsx"
    with ws.write() as s:
        summary = build_brief_workbook(s, plain, start=START, end=END, today=TODAY, mask=False, operator="测试员")
    assert not summary.masked
    xml = _xml(plain)
    for name, (phone, wx, *_rest, consent) in PEOPLE.items():
        if consent and name != "=HYPERLINK(\"http://x.cn\",\"点我\")":
            assert phone.encode() in xml and wx.encode() in xml, name
    assert b"13700137002" not in xml and "王五".encode() not in xml  # unconsented stays out even unmasked
    with ws.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "export_unmasked")).one()
    assert entry.operator == "测试员" and entry.after is not None and entry.after["file"] == "plain.xlsx"
    assert ids["王五"]


def _defined_names(path: Path) -> list[str]:
    import re

    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
    return re.findall(r'<definedName name="([^"]+)"', book)


def test_group_scope_and_recorded_matches(ws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = world(ws)
    with ws.write() as s:
        record_match(s, ids["offer_zs"], ids["need_ls"], score=0.8, reason="同在杭州；关键词：小程序开发",
                     now=dt.datetime(2026, 11, 12, 9))
        record_match(s, ids["offer_ww"], ids["need_ls"], score=0.5, reason="场地", now=dt.datetime(2026, 11, 12, 9))
    monkeypatch.setattr(B, "_suggested", lambda session, today: None)
    with ws.read() as s:
        data = collect_brief(s, START, END, today=TODAY, group_ids=[ids["group:杭州群"]])
    assert data.group_names == ("杭州群",) and data.matches_source == "recorded"
    assert [r[1] for r in data.sheet("供给").rows] == ["张三", "李四"]  # by category: 技能 before 其他
    matches = data.sheet("匹配建议").rows
    assert [(r[0], r[3], r[6], r[8]) for r in matches] == [(ids["need_ls"], ids["offer_zs"], 0.8, "待确认")]
    assert "138****8000" in matches[0][5] and "zh****01" in matches[0][5]  # contacts in text masked
    assert data.unconsented == 1  # 王五's offer in the recorded match
    assert [r[2] for r in data.sheet("活动").rows] == ["杭州小程序沙龙", "线上分享：增长复盘"]
    ev = data.sheet("活动").rows[0]
    assert ev[0] == "本期" and ev[7:10] == (2, 1, 0) and ev[11] == 0.5
    assert {r[1] for r in data.sheet("活跃度").rows} == {"张三", "李四"}


def test_write_failures_leave_the_old_file(sqlite_ws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world(sqlite_ws)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "brief.xlsx"
    out.write_bytes(b"old brief")
    with sqlite_ws.read() as s:
        data = collect_brief(s, START, END, today=TODAY)

    import xlsxwriter

    calls = {"n": 0}
    real = xlsxwriter.worksheet.Worksheet.write_string

    def disk_full(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_string", disk_full)
    scratch = tmp_path / "system-temp"  # where constant_memory keeps each sheet's rows
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(UserError, match="无法写入「brief.xlsx」"):
        B.write_brief(data, out)
    assert out.read_bytes() == b"old brief" and os.listdir(folder) == ["brief.xlsx"]
    assert calls["n"] == 20 and os.listdir(scratch) == []
    monkeypatch.undo()

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("sqdesk.io.xlsx_safe.os.replace", locked)
    with pytest.raises(UserError, match="Excel/WPS"):
        B.write_brief(data, out)
    assert out.read_bytes() == b"old brief" and os.listdir(folder) == ["brief.xlsx"]
    monkeypatch.undo()

    target_dir = folder / "是个文件夹.xlsx"
    target_dir.mkdir()
    with pytest.raises(UserError, match="是个文件夹.xlsx"):
        B.write_brief(data, target_dir)
    assert sorted(os.listdir(folder)) == ["brief.xlsx", "是个文件夹.xlsx"] and not os.listdir(target_dir)
    with pytest.raises(UserError, match="不存在"):
        B.write_brief(data, tmp_path / "nowhere" / "b.xlsx")
    with pytest.raises(UserError, match=r"\.xlsx"):
        B.write_brief(data, folder / "b.csv")
    B.write_brief(data, out)
    assert out.read_bytes().startswith(b"PK")
    assert sorted(os.listdir(folder)) == ["brief.xlsx", "是个文件夹.xlsx"]


def test_sheet_names_and_periods() -> None:
    assert sheet_name("供给[杭州]:本周/*?\\") == "供给_杭州__本周____"
    assert len(sheet_name("很" * 40)) == 31 and sheet_name("  ") == "Sheet"
    assert B.previous_period(dt.date(2026, 11, 16), dt.date(2026, 11, 22)) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert B.previous_period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == (dt.date(2026, 1, 29), dt.date(2026, 2, 28))


def test_empty_period_still_makes_a_readable_workbook(sqlite_ws: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "empty.xlsx"
    with sqlite_ws.read() as s:
        summary = build_brief_workbook(s, out, start=START, end=END, today=TODAY)
    assert all(v == 0 for k, v in summary.rows.items() if k != "概览")
    wb = load_workbook(out)
    assert wb["供给"]["A4"].value == "本期没有记录"
    with sqlite_ws.read() as s, pytest.raises(UserError, match="晚于"):
        collect_brief(s, END, START)


def _libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.slow
def test_brief_converts_to_pdf_with_libreoffice(sqlite_ws: Any, tmp_path: Path) -> None:
    exe = _libreoffice()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (libreoffice-calc-nogui) must be installed on CI")
        pytest.skip("libreoffice is not on PATH")
    world(sqlite_ws)
    out = tmp_path / "brief.xlsx"
    with sqlite_ws.read() as s:
        build_brief_workbook(s, out, start=START, end=END, today=TODAY)
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out)],
        capture_output=True, timeout=180, check=False,
    )
    pdf = tmp_path / "brief.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    import re

    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) >= len(SHEETS)  # every sheet printed


def test_collect_is_plain_data(sqlite_ws: Any) -> None:
    world(sqlite_ws)
    with sqlite_ws.read() as s:
        data = collect_brief(s, START, END, today=TODAY)
    assert isinstance(data, BriefData)
    for sheet in data.sheets:
        for row in sheet.rows:
            assert len(row) == len(sheet.columns)
            for v, col in zip(row, sheet.columns, strict=True):
                if v is None or v == "":
                    continue
                if col.kind in ("int", "float", "pct"):
                    assert isinstance(v, (int, float)) and not isinstance(v, bool), (sheet.name, col.header, v)
                elif col.kind in ("date", "datetime"):
                    assert isinstance(v, dt.date), (sheet.name, col.header, v)
                else:
                    assert isinstance(v, str), (sheet.name, col.header, v)


def test_suggested_introductions_from_the_matcher(ws: Any) -> None:
    pytest.importorskip("sqdesk.core.matching")
    ids = world(ws)
    with ws.read() as s:
        data = collect_brief(s, START, END, today=TODAY)
    assert data.matches_source == "suggested"
    rows = data.sheet("匹配建议").rows
    pair = [r for r in rows if (r[0], r[3]) == (ids["need_ls"], ids["offer_zs"])]
    assert len(pair) == 1
    need_id, need_name, _nt, _oid, offer_name, offer_text, score, reason, status = pair[0]
    assert (need_name, offer_name, status) == ("李四", "张三", "建议") and 0 < score <= 1
    assert "小程序开发" in reason and "138****8000" in offer_text  # reasons readable, contacts masked
    assert all(ids["王五"] and "王五" not in (r[1], r[4]) for r in rows)  # no consent: never proposed in the brief
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)  # newest need first

"""export → import into an empty workspace is lossless, through .xlsx and .csv, with both
xlsx writers; the files are safe to open (no formulas) and shaped for reading."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from sqdesk.core.groups import create_group
from sqdesk.core.roster import MEMBER_FIELDS, MemberInput, create_member, get_member
from sqdesk.core.workspace import open_workspace
from sqdesk.io import roster_export
from sqdesk.io.roster_export import export_roster
from sqdesk.io.roster_import import commit_roster_import, preview_roster_import
from sqdesk.io.tables import open_table
from sqdesk.models import Member, Membership


def build_roster(ws: Any) -> None:
    with ws.write() as s:
        g1 = create_group(s, "读书会一群🎉").id
        g2 = create_group(s, "创业、交流群").id  # a separator inside a group name
        zs = create_member(s, MemberInput("张三🎉", {
            "real_name": "张𪚥", "phone": "13800138000", "wechat_id": "ZhangSan_88", "gender": "男",
            "city": "北京", "industry": "互联网", "company": "𠮷野家（中国）", "title": "=HYPERLINK(\"x\")",
            "intro": "大家好\n我是𠮷，爱🍜", "joined_on": dt.date(2024, 3, 5), "source": "+朋友推荐",
            "role": "骨干", "tier": "黄金", "paid_until": dt.date(2025, 1, 31), "status": "在群",
            "consent": True, "notes": "@提醒 -不要删",
            "custom": {"生日": "1990-01-01", "简介": "自定义字段与内置同名", "积分": "-5"},
        }, tags=["读书", "AI", "🎉"], groups=[(g1, "三哥🎉", dt.date(2024, 3, 5)), (g2, "张三-创业", dt.date(2024, 4, 1))]))
        create_member(s, MemberInput("李四", {"wechat_id": "lisi_002", "inviter_id": zs.id, "consent": False,
                                              "gender": "女", "status": "已退出"},
                                     groups=[(g1, "", None)]))
        w1 = create_member(s, MemberInput("王五", {"phone": "13700137000"}))
        create_member(s, MemberInput("王五", {"phone": "01088886666", "city": "北京"}))  # same name, landline
        create_member(s, MemberInput("赵六", {"inviter_id": w1.id, "custom": {"生日": "2000-02-29"}},
                                     groups=[(g2, "", dt.date(2024, 6, 1)), (g1, "六六", dt.date(2024, 6, 2))]))
        create_member(s, MemberInput("𪚥"))  # minimal: no groups, no tags, no keys
        s.execute(update(Membership).where(Membership.group_id == g1, Membership.nickname == "")
                  .values(left_on=dt.date(2024, 12, 31)))


def comparable(ws: Any) -> list[tuple[Any, ...]]:
    out = []
    with ws.read() as s:
        for mid in s.scalars(select(Member.id).order_by(Member.id)):
            m = get_member(s, mid)
            fields = tuple(getattr(m, f) for f in MEMBER_FIELDS if f != "inviter_id")
            groups = tuple(sorted((g.group_name, g.nickname, g.joined_on, g.left_on) for g in m.groups))
            search = s.scalar(select(Member.search_text).where(Member.id == mid))
            # search text: the same pieces (tag order inside it carries no meaning)
            out.append((fields, m.inviter_name, m.custom, tuple(sorted(m.tags)), groups,
                        sorted(search.split("\x1f"))))
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "xlsx-openpyxl"])
def test_export_then_import_is_lossless(ws: Any, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    build_roster(ws)
    if fmt == "xlsx-openpyxl":
        monkeypatch.setattr(roster_export, "_write_xlsx_xlsxwriter", roster_export._write_xlsx_openpyxl)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / f"名单.{fmt.split('-')[0]}"
    seen: list[tuple[int, int]] = []
    with ws.read() as s:
        n = export_roster(s, out, progress=lambda d, t: seen.append((d, t)))
    assert n == 6 and seen[-1] == (6, 6)
    assert [p.name for p in out.parent.iterdir()] == [out.name], "no temporary file left behind"
    target = open_workspace(tmp_path / "empty.sqdesk", operator="测试员")
    try:
        with target.read() as s:
            preview = preview_roster_import(s, out)
        assert preview.problems == [] and preview.unmapped == ["生日", "自定义:简介", "积分"]
        with target.write() as s:
            result = commit_roster_import(s, preview, operator="测试员")
        assert result.created == 6
        assert comparable(target) == comparable(ws)
    finally:
        target.close()


def test_xlsx_is_safe_and_shaped_for_reading(sqlite_ws: Any, tmp_path: Path) -> None:
    build_roster(sqlite_ws)
    out = tmp_path / "r.xlsx"
    with sqlite_ws.read() as s:
        export_roster(s, out)
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet, "no cell is a formula"
    assert '<pane ySplit="1"' in sheet and "<autoFilter" in sheet
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    assert header[:3] == ["姓名", "真实姓名", "手机号"] and ws["A1"].font.b
    row = {h: c for h, c in zip(header, ws[2], strict=False)}
    assert row["入群时间"].is_date and row["入群时间"].value == dt.datetime(2024, 3, 5)
    assert row["手机号"].data_type == "s" and row["手机号"].value == "13800138000"
    assert row["职位"].data_type == "s" and row["职位"].value == '=HYPERLINK("x")'
    assert ws.column_dimensions["I"].width >= 10  # 自我介绍 widened for Chinese text


def test_csv_has_bom_and_guards_formulas(sqlite_ws: Any, tmp_path: Path) -> None:
    build_roster(sqlite_ws)
    out = tmp_path / "r.csv"
    with sqlite_ws.read() as s:
        export_roster(s, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+朋友推荐" in text and "'@提醒" in text and ",'-5" in text
    assert open_table(out).encoding == "utf-8-sig"


def test_export_refuses_unknown_suffix(sqlite_ws: Any, tmp_path: Path) -> None:
    from sqdesk.core.errors import UserError

    with pytest.raises(UserError, match=r"\.xlsx 或 \.csv"), sqlite_ws.read() as s:
        export_roster(s, tmp_path / "r.pdf")

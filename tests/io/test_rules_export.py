"""The published 群规 as files: the text as in force on a date, and the xlsx read back
by two independent readers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sqdesk.cli import main
from sqdesk.core import rules_store as rs
from sqdesk.core.errors import UserError
from sqdesk.core.rules_store import RuleInput
from sqdesk.io.rules_export import export_published_rules

T0 = dt.datetime(2025, 1, 1, 9)


def _rules(ws) -> None:
    with ws.write() as s:
        a = rs.create_rule(s, RuleInput("禁止广告", "=不要发广告，违者移出", "言行"), now=T0)
        rs.create_rule(s, RuleInput("新人自我介绍", "入群 3 天内请做自我介绍", "准入"), now=T0)
        rs.update_rule(s, a.id, RuleInput("禁止广告与拉人", "不要发广告，不要私拉群友", "言行"),
                       now=T0 + dt.timedelta(days=10))


def test_text_and_xlsx_as_of_a_date(ws, tmp_path: Path) -> None:
    _rules(ws)
    with ws.read() as s:
        assert export_published_rules(s, tmp_path / "a.txt", T0 + dt.timedelta(days=1)) == 2
        assert export_published_rules(s, tmp_path / "b.xlsx", T0 + dt.timedelta(days=20)) == 2
    text = (tmp_path / "a.txt").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and b"\r\n" in text
    decoded = text.decode("utf-8-sig")
    assert "禁止广告" in decoded and "禁止广告与拉人" not in decoded  # as on day 1
    assert decoded.index("新人自我介绍") < decoded.index("禁止广告")  # 准入 before 言行

    rows = [r for r in openpyxl.load_workbook(tmp_path / "b.xlsx").active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    body = rows[3:]
    assert [r[1:3] for r in body] == [("准入", "新人自我介绍"), ("言行", "禁止广告与拉人")]
    assert isinstance(body[1][4], dt.datetime) and body[1][5] == 2 and body[0][0] == 1
    cal = CalamineWorkbook.from_path(str(tmp_path / "b.xlsx")).get_sheet_by_index(0).to_python()
    assert [r[2] for r in cal[3:]] == ["新人自我介绍", "禁止广告与拉人"]


def test_formula_text_stays_text_and_failures_keep_the_old_file(ws, tmp_path: Path) -> None:
    with ws.write() as s:
        rs.create_rule(s, RuleInput("=HYPERLINK(\"x\")", "@所有人 请遵守", "言行"), now=T0)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "r.xlsx"
    with ws.read() as s:
        export_published_rules(s, out)
    ws_xml = openpyxl.load_workbook(out)
    cell = ws_xml.active.cell(4, 3)  # type: ignore[union-attr]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'
    before = out.read_bytes()
    with ws.read() as s, pytest.raises(UserError, match="应以"):
        export_published_rules(s, folder / "r.csv")
    assert out.read_bytes() == before and sorted(p.name for p in folder.iterdir()) == ["r.xlsx"]


def test_cli(sqlite_ws, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _rules(sqlite_ws)
    path = str(sqlite_ws.path)
    sqlite_ws.close()
    rc = main(["rules", "export", "--workspace", path, "--out", str(tmp_path / "g.txt"), "--as-of", "2025-01-05"])
    assert rc == 0 and "2 条" in capsys.readouterr().out
    assert "禁止广告\r\n" in (tmp_path / "g.txt").read_bytes().decode("utf-8-sig")

"""The 简报 screen through its widgets: preset periods, a preview of every sheet that
matches what the file holds, group scope, export in the background (and the error
shown when the target is locked), copying the text, and the confirmation before an
unmasked export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from sqdesk.ui.views.brief import PRESETS, BriefView, SheetModel, period_of
from tests.io.test_brief import END, START, world

TIMEOUT = 20_000


def test_period_presets() -> None:
    sat = dt.date(2026, 11, 21)
    assert period_of("this_week", sat) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert period_of("last_week", sat) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert period_of("this_month", sat) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert period_of("last_month", dt.date(2026, 3, 31)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert period_of("this_month", dt.date(2026, 12, 5)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert "custom" in PRESETS


@pytest.fixture
def view(qtbot: Any, ctx_any_db: Any) -> tuple[BriefView, dict[str, int]]:
    ids = world(ctx_any_db.ws)
    v = BriefView(ctx_any_db)
    qtbot.addWidget(v)
    v.resize(1400, 800)
    v.show()
    qtbot.waitUntil(lambda: ctx_any_db.tasks.is_idle() and v.data is not None, timeout=TIMEOUT)
    with qtbot.waitSignal(v.preview_loaded, timeout=TIMEOUT):
        v.set_period(START, END)
    return v, ids


def test_preview_shows_every_sheet(qtbot: Any, qtmodeltester: Any, view: tuple[BriefView, dict[str, int]]) -> None:
    v, ids = view
    assert v.data is not None and v.data.start == START and v.data.end == END
    assert v.tabs.count() == 7 and v.tabs.tabText(1) == "供给 (3)"
    offers = v.models["供给"]
    qtmodeltester.check(offers, force_py=True)
    heads = [offers.headerData(j, Qt.Orientation.Horizontal) for j in range(offers.columnCount())]
    assert heads[:5] == ["编号", "成员", "城市", "类别", "内容"]
    phones = {offers.data(offers.index(r, heads.index("手机"))) for r in range(offers.rowCount())}
    assert "138****8000" in phones and not any(p and "*" not in p for p in phones)
    members = {offers.data(offers.index(r, 1)) for r in range(offers.rowCount())}
    assert "王五" not in members and "未授权" in v.summary.text()
    dates = offers.data(offers.index(0, heads.index("发布日期")))
    assert dt.date.fromisoformat(dates)  # shown as a date
    ov = v.models["概览"]
    assert ov.data(ov.index(0, 0)) == "新发布供给" and ov.data(ov.index(0, 1)) == "4"

    # groups: only 杭州群
    with qtbot.waitSignal(v.preview_loaded, timeout=TIMEOUT):
        v.set_groups([ids["group:杭州群"]])
    assert v.group_button.text() == "群：杭州群"
    assert {offers.data(offers.index(r, 1)) for r in range(offers.rowCount())} == {"张三", "李四"}

    # short names
    with qtbot.waitSignal(v.preview_loaded, timeout=TIMEOUT):
        v.short_box.setChecked(True)
    assert {offers.data(offers.index(r, 1)) for r in range(offers.rowCount())} == {"张*", "李*"}


def test_export_and_copy(qtbot: Any, view: tuple[BriefView, dict[str, int]], tmp_path: Path) -> None:
    v, _ids = view
    out = tmp_path / "简报.xlsx"
    with qtbot.waitSignal(v.exported, timeout=TIMEOUT) as sig:
        v.export_to(str(out))
    summary = sig.args[0]
    assert out.exists() and summary.rows["供给"] == 3 and summary.masked
    assert "已导出供求简报" in v.message.text() and v.export_button.isEnabled()
    from openpyxl import load_workbook

    assert load_workbook(out, read_only=True).sheetnames[0] == "概览"

    # a target that cannot be replaced: the old file stays, the message is shown on the page
    blocked = tmp_path / "是目录.xlsx"
    blocked.mkdir()
    v.export_to(str(blocked))
    qtbot.waitUntil(lambda: "是目录.xlsx" in v.message.text(), timeout=TIMEOUT)
    assert v.export_button.isEnabled() and not any(blocked.iterdir())

    with qtbot.waitSignal(v.text_copied, timeout=TIMEOUT) as sig:
        v.copy_button.click()
    text = sig.args[0]
    assert QGuiApplication.clipboard().text() == text
    assert "▍本期供给" in text and "13800138000" not in text and "已复制" in v.message.text()


def test_unmasking_needs_confirmation(qtbot: Any, view: tuple[BriefView, dict[str, int]], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    v, _ids = view
    asked: list[bool] = []
    monkeypatch.setattr(v, "confirm_unmask", lambda: asked.append(True) or False)
    v.mask_box.click()
    assert asked == [True] and v.mask_box.isChecked()  # refused: still masked

    monkeypatch.setattr(v, "confirm_unmask", lambda: True)
    with qtbot.waitSignal(v.preview_loaded, timeout=TIMEOUT):
        v.mask_box.click()
    assert not v.mask_box.isChecked() and "未打码" in v.summary.text()
    offers = v.models["供给"]
    heads = [offers.headerData(j, Qt.Orientation.Horizontal) for j in range(offers.columnCount())]
    assert "13800138000" in {offers.data(offers.index(r, heads.index("手机"))) for r in range(offers.rowCount())}
    out = tmp_path / "plain.xlsx"
    with qtbot.waitSignal(v.exported, timeout=TIMEOUT) as sig:
        v.export_to(str(out))
    assert not sig.args[0].masked
    from sqlalchemy import select

    from sqdesk.models import AuditEntry

    with v.ctx.ws.read() as s:
        assert list(s.scalars(select(AuditEntry.entity).where(AuditEntry.action == "export_unmasked"))) == ["brief"]
    with qtbot.waitSignal(v.text_copied, timeout=TIMEOUT) as sig:
        v.copy_button.click()
    assert "138 0013 8000" in sig.args[0] and "zhangsan_001" in sig.args[0]  # as the member wrote it
    with v.ctx.ws.read() as s:
        entities = list(s.scalars(select(AuditEntry.entity).where(AuditEntry.action == "export_unmasked")
                                  .order_by(AuditEntry.id)))
    assert entities == ["brief", "brief_text"]


def test_sheet_model_display() -> None:
    assert SheetModel.display(dt.date(2026, 11, 9), "date") == "2026-11-09"
    assert SheetModel.display(dt.datetime(2026, 11, 9, 19, 5), "datetime") == "2026-11-09 19:05"
    assert SheetModel.display(0.25, "pct") == "25.0%" and SheetModel.display(12345, "int") == "12,345"
    assert SheetModel.display(None, "text") == ""

"""The 动态 screen through its real widgets: the paged log model, filters that narrow
it, scrolling that fetches the next page, manual entry and edits with undo, and the
import batches with 撤销本批 (including the refusal when it cannot be undone)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from sqlalchemy import insert

from sqdesk.core import activity, roster
from sqdesk.core.workspace import Workspace
from sqdesk.models import Activity
from sqdesk.ui.itemmodels.activity_model import PAGE_SIZE, ActivityColumn, ActivityLogModel
from sqdesk.ui.views.activity import ActivityView

TIMEOUT = 15_000
BASE = dt.datetime(2026, 3, 1, 9, 0)


def _member(ws: Workspace, name: str, **values: object) -> int:
    with ws.write() as s:
        return roster.create_member(s, roster.MemberInput(name, dict(values))).id


def _log(ws: Workspace, member_id: int, kind: str, n: int, *, start: dt.datetime = BASE) -> None:
    rows = [{"member_id": member_id, "kind": kind, "occurred_at": start + dt.timedelta(minutes=7 * i),
             "value": 1.0, "note": f"{kind}{i}", "source": "manual"} for i in range(n)]
    with ws.write() as s:
        s.execute(insert(Activity), rows)


def _count(ws: Workspace, **flt: object) -> int:
    with ws.read() as s:
        return activity.count_activity(s, activity.ActivityFilter(**flt))  # type: ignore[arg-type]


@pytest.fixture
def planted(ctx_any_db):
    ws = ctx_any_db.ws
    zs = _member(ws, "张三")
    ls = _member(ws, "李四")
    _log(ws, zs, "发言", PAGE_SIZE * 2 + 50)
    _log(ws, ls, "签到", 30, start=BASE + dt.timedelta(days=1))
    _log(ws, ls, "发言", 5, start=BASE + dt.timedelta(days=2))
    return ctx_any_db, zs, ls


@pytest.fixture
def view(qtbot, planted):
    ctx = planted[0]
    v = ActivityView(ctx)
    qtbot.addWidget(v)
    v.resize(1400, 800)
    v.show()
    qtbot.waitUntil(lambda: v.total is not None and ctx.tasks.is_idle(), timeout=TIMEOUT)
    return v


def _idle(qtbot, view: ActivityView) -> None:
    qtbot.waitUntil(lambda: view.ctx.tasks.is_idle() and view.total is not None, timeout=TIMEOUT)


def test_log_model_passes_modeltester_and_pages(qtmodeltester, planted) -> None:
    ctx, zs, _ls = planted
    calls: list[tuple[dt.datetime, int] | None] = []

    def loader(gen: int, cursor, limit: int) -> None:
        calls.append(cursor)
        with ctx.ws.read() as s:
            rows = activity.activity_page(s, activity.ActivityFilter(member_id=zs), before=cursor, limit=limit)
        model.add_page(gen, rows)

    model = ActivityLogModel(loader, page_size=100)
    assert not model.canFetchMore(QModelIndex())  # nothing asked yet
    model.reset()
    assert model.rowCount() == 100 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE_SIZE * 2 + 50
    assert calls[0] is None and len(calls) == 5  # 100+100+100+100+50
    times = [model.row(r).occurred_at for r in range(model.rowCount())]
    assert times == sorted(times, reverse=True)
    assert len({model.row(r).id for r in range(model.rowCount())}) == model.rowCount()
    # an answer for an older filter is dropped
    gen = model.generation
    model.add_page(gen - 1, [model.row(0)])
    assert model.rowCount() == PAGE_SIZE * 2 + 50
    assert model.data(model.index(0, ActivityColumn.KIND)) == "发言"
    assert model.data(model.index(0, ActivityColumn.MEMBER)) == "张三"


def test_filters_narrow_the_log_and_scrolling_fetches_the_next_page(qtbot, view: ActivityView, planted) -> None:
    ctx, zs, ls = planted
    total = PAGE_SIZE * 2 + 50 + 35
    assert view.total == total
    assert "共 485 条" in view.count_label.text()
    assert view.model.rowCount() == PAGE_SIZE
    assert not view.model.exhausted

    # scrolling to the end asks for the next page (the view calls fetchMore)
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2 * PAGE_SIZE, timeout=TIMEOUT)
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() == total, timeout=TIMEOUT)
    assert view.model.exhausted
    assert view.model.pages_loaded == 3

    # kind 签到: only 李四's 30
    view.kinds.set_kinds(["签到"])
    _idle(qtbot, view)
    assert view.model.rowCount() == 30 and view.total == 30
    assert {view.model.row(r).member_id for r in range(30)} == {ls}
    # kinds 签到 + 发言 and member 李四 by pinyin initials
    view.kinds.set_kinds(["签到", "发言"])
    view.search.setText("ls")
    qtbot.waitUntil(lambda: view.model.rowCount() == 35, timeout=TIMEOUT)
    _idle(qtbot, view)
    assert view.total == 35
    # date range: the second day only
    view.dates.set_custom(dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    _idle(qtbot, view)
    assert view.model.rowCount() == 30
    view.clear_filters()
    _idle(qtbot, view)
    assert view.total == total and view.model.rowCount() == PAGE_SIZE


def _pick_member(qtbot, dialog, query: str) -> None:
    picker = dialog.member
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, query)
    qtbot.waitUntil(lambda: picker.results.isVisible() and picker.results.count() > 0, timeout=TIMEOUT)
    item = picker.results.item(0)
    rect = picker.results.visualItemRect(item)
    qtbot.mouseClick(picker.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_manual_entry_edit_delete_with_undo(qtbot, view: ActivityView, planted) -> None:
    ctx, zs, ls = planted
    stack = ctx.undo_stack
    before = _count(ctx.ws, member_id=ls)
    dialog = view.new_activity()
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
    # no member chosen: said on the field, nothing pushed
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "请先选择成员" in dialog.field_error("member_id")
    assert stack.count() == 0
    _pick_member(qtbot, dialog, "ls")
    assert dialog.member.member_id() == ls
    dialog.kind.setCurrentIndex(dialog.kind.findData("分享"))
    dialog.time.setDateTime(dt.datetime(2026, 4, 1, 20, 30))
    dialog.value.setValue(2)
    dialog.note.setText("分享了行业报告")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=TIMEOUT)
    _idle(qtbot, view)
    assert _count(ctx.ws, member_id=ls) == before + 1
    top = view.model.row(0)  # the newest line is first
    assert (top.member_name, top.kind, top.value, top.note, top.source) == ("李四", "分享", 2.0, "分享了行业报告", "manual")
    assert top.occurred_at == dt.datetime(2026, 4, 1, 20, 30)

    stack.undo()
    qtbot.waitUntil(lambda: _count(ctx.ws, member_id=ls) == before, timeout=TIMEOUT)
    _idle(qtbot, view)
    assert view.model.row(0).kind != "分享"
    stack.redo()
    qtbot.waitUntil(lambda: _count(ctx.ws, member_id=ls) == before + 1, timeout=TIMEOUT)
    _idle(qtbot, view)

    # edit it
    view.table.selectRow(0)
    dialog = view.edit_current()
    assert dialog is not None and dialog.member.member_id() == ls
    dialog.note.setText("分享了年度报告")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=TIMEOUT)
    _idle(qtbot, view)
    assert view.model.row(0).note == "分享了年度报告"
    stack.undo()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0 and view.model.row(0).note == "分享了行业报告",
                    timeout=TIMEOUT)

    # delete two lines, then undo
    _idle(qtbot, view)
    view.table.selectRow(0)
    view.table.selectionModel().select(view.model.index(1, 0), view.table.selectionModel().SelectionFlag.Select
                                       | view.table.selectionModel().SelectionFlag.Rows)
    total = _count(ctx.ws)
    view.act_delete.trigger()
    qtbot.waitUntil(lambda: _count(ctx.ws) == total - 2, timeout=TIMEOUT)
    stack.undo()
    qtbot.waitUntil(lambda: _count(ctx.ws) == total, timeout=TIMEOUT)


def _import_batch(ws: Workspace, tmp_path: Path) -> int:
    from sqdesk.io.activity_import import commit_activity_import, preview_activity_import

    path = tmp_path / "聊天统计.csv"
    path.write_text("时间,成员,类型,数量\n2026-03-05 10:00,张三,发言,3\n2026-03-05 11:00,李四,签到,1\n",
                    encoding="utf-8")
    with ws.write() as s:
        preview = preview_activity_import(s, path)
        assert preview.to_import == 2, preview.problems
        result = commit_activity_import(s, preview, operator="测试")
    return int(result.batch_id)


def test_batch_list_undo_and_refusal_shown(qtbot, view: ActivityView, planted, tmp_path) -> None:
    ctx = planted[0]
    batch_id = _import_batch(ctx.ws, tmp_path)
    with qtbot.waitSignal(view.batches_loaded, timeout=TIMEOUT):
        ctx.notify("imports")
    _idle(qtbot, view)
    assert view.batch_model.rowCount() == 1
    assert not view.batch_empty.isVisible()
    view.batch_table.selectRow(0)
    assert view.undo_batch_button.isEnabled()

    # only this batch's lines
    view.filter_by_selected_batch()
    _idle(qtbot, view)
    assert view.total == 2

    # another operator undoes it meanwhile: our 撤销本批 is refused, clearly
    from sqdesk.core.imports import undo_import

    with ctx.ws.write() as s:
        undo_import(s, batch_id, operator="另一位管理员")
    view.undo_selected_batch(confirm=False)
    qtbot.waitUntil(lambda: view.message_box is not None, timeout=TIMEOUT)
    assert isinstance(view.message_box, QMessageBox)
    assert "已经撤销过了" in view.message_box.text()
    assert "已经撤销过了" in view.batch_message.text()
    view.message_box.close()
    QApplication.processEvents()


def test_undo_a_batch_through_the_confirmation(qtbot, view: ActivityView, planted, tmp_path) -> None:
    ctx = planted[0]
    _import_batch(ctx.ws, tmp_path)
    total = _count(ctx.ws)
    with qtbot.waitSignal(view.batches_loaded, timeout=TIMEOUT):
        ctx.notify("imports")
    view.batch_table.selectRow(0)
    qtbot.mouseClick(view.undo_batch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.message_box is not None and view.message_box.isVisible(), timeout=TIMEOUT)
    view.message_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: _count(ctx.ws) == total - 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "已撤销导入批次" in view.batch_message.text(), timeout=TIMEOUT)
    _idle(qtbot, view)
    qtbot.waitUntil(lambda: view.batch_model.rowCount() == 1
                    and view.batch_model.data(view.batch_model.index(0, 4)) == "已撤销", timeout=TIMEOUT)
    view.batch_table.selectRow(0)
    assert not view.undo_batch_button.isEnabled()


def test_import_opens_the_activity_wizard(qtbot, view: ActivityView) -> None:
    wizard = view.open_import()
    assert wizard.spec.kind == "activity"
    wizard.reject()

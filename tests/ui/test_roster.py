"""The 成员 screen driven through its real widgets: create/edit/delete/bulk edits with
undo/redo, validation messages on the field, search-as-you-type, filters, sorting."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from sqlalchemy import insert

from sqdesk.core import groups, roster
from sqdesk.core.workspace import Workspace
from sqdesk.models import Activity
from sqdesk.ui.dialogs.choice_dialog import ChoiceDialog
from sqdesk.ui.itemmodels.roster_model import RosterColumn
from sqdesk.ui.views.roster import RosterView

TIMEOUT = 10_000


def _add(ws: Workspace, name: str, **values: object) -> int:
    tags = list(values.pop("tags", []))  # type: ignore[call-overload]
    grps = list(values.pop("groups", []))  # type: ignore[call-overload]
    with ws.write() as s:
        return roster.create_member(s, roster.MemberInput(name, dict(values), tags=tags, groups=grps)).id


def _type(qtbot, widget, text: str) -> None:
    """Type like an operator: ASCII key by key, Chinese committed by the input method."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _press(qtbot, view: RosterView, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press on the table as the user makes it (the window active, the table focused)."""
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=TIMEOUT)
    view.table.setFocus()
    qtbot.keyClick(view.table, key, modifier)


def _names(view: RosterView) -> list[str]:
    m = view.model
    return [m.data(m.index(r, RosterColumn.NAME)) for r in range(m.rowCount())]


@pytest.fixture
def view(qtbot, ctx_any_db):
    v = RosterView(ctx_any_db)
    qtbot.addWidget(v)
    v.resize(1400, 800)
    v.show()
    qtbot.waitUntil(lambda: v.count_label.text() != "", timeout=TIMEOUT)
    return v


def _wait_rows(qtbot, view: RosterView, n: int) -> None:
    qtbot.waitUntil(lambda: view.model.rowCount() == n, timeout=TIMEOUT)


def _select_all(view: RosterView) -> None:
    view.table.setFocus()
    view.table.selectAll()


def _accept(dialog) -> None:
    if isinstance(dialog, QMessageBox):
        dialog.button(QMessageBox.StandardButton.Yes).click()
    else:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_add_member_through_the_form_then_undo_and_redo(qtbot, view: RosterView) -> None:
    ctx = view.ctx
    assert view.count_label.text() == "共 0 人"
    _press(qtbot, view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    panel = view.panel
    assert panel.is_new and panel.save_button.isEnabled()
    _type(qtbot, panel.field_widget("display_name"), "张三")
    _type(qtbot, panel.field_widget("phone"), "+86 138-0013-8000")
    _type(qtbot, panel.field_widget("tags"), "设计, 杭州")
    panel.field_widget("role").setCurrentText("骨干")
    with qtbot.waitSignal(panel.member_saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    member_id = saved.args[0]
    _wait_rows(qtbot, view, 1)
    assert _names(view) == ["张三"]
    assert view.count_label.text() == "共 1 人"
    qtbot.waitUntil(lambda: view.current_member_id() == member_id, timeout=TIMEOUT)
    with ctx.ws.read() as s:
        m = roster.get_member(s, member_id)
    assert (m.phone, m.role, m.tags) == ("13800138000", "骨干", ("杭州", "设计"))
    assert ctx.undo_stack.count() == 1 and "张三" in ctx.undo_stack.undoText()

    ctx.undo_stack.undo()
    _wait_rows(qtbot, view, 0)
    with ctx.ws.read() as s:
        assert roster.search_member_ids(s) == []
    ctx.undo_stack.redo()
    _wait_rows(qtbot, view, 1)
    with ctx.ws.read() as s:
        back = roster.get_member(s, member_id)  # same id, same values, same tags
    assert (back.display_name, back.phone, back.role, back.tags) == ("张三", "13800138000", "骨干", ("杭州", "设计"))


def test_edit_validation_message_on_the_field_and_conflicts(qtbot, view: RosterView) -> None:
    ctx = view.ctx
    mid = _add(ctx.ws, "李四", phone="13900139000", city="杭州")
    other = _add(ctx.ws, "王五", phone="13700137000")
    ctx.notify("members")
    _wait_rows(qtbot, view, 2)
    panel = view.panel
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT):
        view.select_member(mid)
    phone = panel.field_widget("phone")
    phone.clear()
    _type(qtbot, phone, "1.38001E+10")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    # refused before anything is queued: the message sits under the phone field
    assert "科学计数法" in panel.field_error("phone")
    assert panel.field_error("display_name") == ""
    assert ctx.undo_stack.count() == 0
    # an empty name is refused on the name field
    panel.field_widget("display_name").clear()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "姓名不能为空" in panel.field_error("display_name")
    panel.field_widget("display_name").setText("李四")

    # a phone that belongs to someone else: the worker refuses it, again on the field
    phone.clear()
    _type(qtbot, phone, "137 0013 7000")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "王五" in panel.field_error("phone"), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: ctx.undo_stack.count() == 0, timeout=TIMEOUT)  # the failed command is gone
    with ctx.ws.read() as s:
        assert roster.get_member(s, mid).phone == "13900139000"

    # a good edit, then undo restores the previous value
    phone.clear()
    _type(qtbot, phone, "13600136000")
    with qtbot.waitSignal(panel.member_saved, timeout=TIMEOUT):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.data(view.model.index(view.model.row_of(mid), RosterColumn.PHONE)) == "13600136000",
                    timeout=TIMEOUT)
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.field_widget("phone").text() == "13900139000", timeout=TIMEOUT)
    with ctx.ws.read() as s:
        assert roster.get_member(s, mid).phone == "13900139000"

    # someone else saves meanwhile: the save is refused, a banner says so, the page reloads
    qtbot.waitUntil(lambda: not panel.is_dirty() and panel.data is not None
                    and panel.data.view.phone == "13900139000", timeout=TIMEOUT)
    with ctx.ws.write() as s:
        roster.update_member(s, mid, {"city": "北京"})
    panel.field_widget("company").setText("新公司")
    with qtbot.waitSignal(panel.conflict, timeout=TIMEOUT):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.banner.isVisible() and "已被其他人修改" in panel.banner.text()
    qtbot.waitUntil(lambda: panel.field_widget("city").text() == "北京", timeout=TIMEOUT)
    assert panel.field_widget("company").text() == ""
    with ctx.ws.read() as s:
        assert roster.get_member(s, mid).company == ""
        assert roster.get_member(s, other).phone == "13700137000"


def test_bulk_tag_mark_removed_and_delete_with_undo(qtbot, view: RosterView) -> None:
    ctx = view.ctx
    with ctx.ws.write() as s:
        g = groups.create_group(s, "杭州一群")
    ids = [_add(ctx.ws, f"成员{i}", tags=["老会员"] if i == 0 else [],
                groups=[(g.id, f"昵称{i}", dt.date(2024, 1, 1))]) for i in range(5)]
    with ctx.ws.write() as s:
        s.execute(insert(Activity), [
            {"member_id": ids[0], "group_id": g.id, "kind": "发言",
             "occurred_at": dt.datetime(2024, 3, 1, 9), "value": 3.0, "note": "", "source": "manual"}])
    ctx.notify("members")
    _wait_rows(qtbot, view, 5)
    _select_all(view)
    assert view.selected_ids() == ids and view.selection_label.text() == "已选 5 人"

    view.act_tag.trigger()
    dialog = view.dialog
    assert isinstance(dialog, ChoiceDialog)
    dialog.combo.setEditText("待跟进，设计")
    _accept(dialog)
    qtbot.waitUntil(lambda: all("#待跟进" in view.model.display(r)[RosterColumn.TAGS] for r in range(5)),
                    timeout=TIMEOUT)
    with ctx.ws.read() as s:
        assert len(roster.search_member_ids(s, "#待跟进")) == 5
        assert set(roster.get_member(s, ids[0]).tags) == {"老会员", "待跟进", "设计"}
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: all("#待跟进" not in view.model.display(r)[RosterColumn.TAGS] for r in range(5)),
                    timeout=TIMEOUT)
    with ctx.ws.read() as s:
        assert roster.search_member_ids(s, "#待跟进") == []
        assert roster.get_member(s, ids[0]).tags == ("老会员",)

    # 标记已清退 on two of them, then undo
    view.select_member(ids[1])
    view.table.selectionModel().select(
        view.model.index(view.model.row_of(ids[2]), 0),
        view.table.selectionModel().SelectionFlag.Select | view.table.selectionModel().SelectionFlag.Rows)
    assert sorted(view.selected_ids()) == ids[1:3]
    view.act_remove.trigger()
    _accept(view.dialog)
    qtbot.waitUntil(lambda: [view.model.display(r)[RosterColumn.STATUS] for r in range(5)]
                    == ["在群", "已清退", "已清退", "在群", "在群"], timeout=TIMEOUT)
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: {view.model.display(r)[RosterColumn.STATUS] for r in range(5)} == {"在群"},
                    timeout=TIMEOUT)

    # delete (Del, confirmed) removes the member with its groups and activity; undo restores all
    with ctx.ws.read() as s:
        before = roster.member_snapshot(s, ids[0])
    view.select_member(ids[0])
    _press(qtbot, view, Qt.Key.Key_Delete)
    box = view.dialog
    assert isinstance(box, QMessageBox) and "成员0" in box.text()
    _accept(box)
    _wait_rows(qtbot, view, 4)
    assert "成员0" not in _names(view)
    ctx.undo_stack.undo()
    _wait_rows(qtbot, view, 5)
    with ctx.ws.read() as s:
        after = roster.member_snapshot(s, ids[0])
    assert after == before
    ctx.undo_stack.redo()
    _wait_rows(qtbot, view, 4)


def test_move_to_group_and_change_role_with_undo(qtbot, view: RosterView) -> None:
    ctx = view.ctx
    with ctx.ws.write() as s:
        a = groups.create_group(s, "一群")
        b = groups.create_group(s, "二群")
    ids = [_add(ctx.ws, n, groups=[(a.id, "", None)]) for n in ("赵一", "钱二", "孙三")]
    ctx.notify("groups", "members")
    qtbot.waitUntil(lambda: view.group_combo.count() == 3, timeout=TIMEOUT)
    view.group_combo.setCurrentIndex(view.group_combo.findData(a.id))
    _wait_rows(qtbot, view, 3)
    _select_all(view)
    view.act_move.trigger()
    dlg = view.dialog
    assert isinstance(dlg, ChoiceDialog) and dlg.check is not None and dlg.check.isChecked()
    dlg.combo.setCurrentIndex(dlg.combo.findData(b.id))
    _accept(dlg)
    # they left 一群 (the filter shows current members only) and are in 二群
    _wait_rows(qtbot, view, 0)
    with ctx.ws.read() as s:
        assert sorted(roster.search_member_ids(s, "", roster.MemberFilter(group_id=b.id))) == ids
    ctx.undo_stack.undo()
    _wait_rows(qtbot, view, 3)
    with ctx.ws.read() as s:
        assert roster.search_member_ids(s, "", roster.MemberFilter(group_id=b.id)) == []

    _select_all(view)
    view.act_role.trigger()
    view.dialog.combo.setCurrentText("管理员")
    _accept(view.dialog)
    qtbot.waitUntil(lambda: {view.model.display(r)[RosterColumn.ROLE] for r in range(3)} == {"管理员"},
                    timeout=TIMEOUT)
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: {view.model.display(r)[RosterColumn.ROLE] for r in range(3)} == {"成员"},
                    timeout=TIMEOUT)


def test_search_as_you_type_by_pinyin_initials_filters_and_sort(qtbot, view: RosterView) -> None:
    ctx = view.ctx
    _add(ctx.ws, "张三", phone="13800138000", city="杭州")
    _add(ctx.ws, "李四", wechat_id="lisi_2024", status="已清退")
    _add(ctx.ws, "张三丰", tags=["武术"], joined_on="2023-05-01")
    _add(ctx.ws, "王五", role="骨干")
    ctx.notify("members")
    _wait_rows(qtbot, view, 4)
    applied: list[int] = []
    view.ids_applied.connect(applied.append)
    _type(qtbot, view.search, "zs")
    _wait_rows(qtbot, view, 2)
    assert sorted(_names(view)) == ["张三", "张三丰"]
    qtbot.waitUntil(lambda: view.count_label.text() == "共 2 人", timeout=TIMEOUT)
    # typing "zs" quickly was one query after the debounce, not one per key
    assert applied == [2]
    for text, expected in (("zsf", ["张三丰"]), ("#武术", ["张三丰"]), ("138001", ["张三"]),
                           ("lisi_2024", ["李四"]), ("zhangsan", ["张三", "张三丰"]), ("", None)):
        view.search.setText(text)
        if expected is None:
            _wait_rows(qtbot, view, 4)
        else:
            qtbot.waitUntil(lambda e=expected: sorted(_names(view)) == e, timeout=TIMEOUT)
    # filters
    view.status_combo.setCurrentIndex(view.status_combo.findData("已清退"))
    qtbot.waitUntil(lambda: _names(view) == ["李四"], timeout=TIMEOUT)
    view.status_combo.setCurrentIndex(0)
    view.role_combo.setCurrentIndex(view.role_combo.findData("骨干"))
    qtbot.waitUntil(lambda: _names(view) == ["王五"], timeout=TIMEOUT)
    view.role_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: view.tag_combo.findData("武术") > 0, timeout=TIMEOUT)
    view.tag_combo.setCurrentIndex(view.tag_combo.findData("武术"))
    qtbot.waitUntil(lambda: _names(view) == ["张三丰"], timeout=TIMEOUT)
    view.tag_combo.setCurrentIndex(0)
    _wait_rows(qtbot, view, 4)
    # sort by name (pinyin) by clicking the header, then descending
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(RosterColumn.NAME) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: _names(view) == ["李四", "王五", "张三", "张三丰"], timeout=TIMEOUT)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: _names(view) == ["张三丰", "张三", "王五", "李四"], timeout=TIMEOUT)
    # an unsortable column keeps the order and the indicator
    x_tags = header.sectionViewportPosition(RosterColumn.TAGS) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x_tags, 5))
    assert header.sortIndicatorSection() == RosterColumn.NAME
    assert view.model.sort_key() == ("display_name", True)


def test_stale_query_results_are_dropped(qtbot, view: RosterView) -> None:
    ctx = view.ctx
    _add(ctx.ws, "张三")
    _add(ctx.ws, "李四")
    ctx.notify("members")
    _wait_rows(qtbot, view, 2)
    applied: list[int] = []
    view.ids_applied.connect(applied.append)
    view.search.setText("ls")
    view.requery()  # queued first…
    view.search.setText("zs")
    view.requery()  # …but superseded before its answer is shown
    qtbot.waitUntil(lambda: applied == [1], timeout=TIMEOUT)
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=TIMEOUT)
    assert applied == [1] and _names(view) == ["张三"]


def test_column_widths_and_sort_are_remembered(qtbot, ctx_any_db) -> None:
    first = RosterView(ctx_any_db)
    qtbot.addWidget(first)
    header = first.table.horizontalHeader()
    header.resizeSection(RosterColumn.CITY, 222)
    first.model.sort(RosterColumn.JOINED, Qt.SortOrder.DescendingOrder)
    header.setSortIndicator(RosterColumn.JOINED, Qt.SortOrder.DescendingOrder)
    first._save_header()
    second = RosterView(ctx_any_db)
    qtbot.addWidget(second)
    assert second.table.horizontalHeader().sectionSize(RosterColumn.CITY) == 222
    assert second.model.sort_key() == ("joined_on", True)
    qtbot.waitUntil(ctx_any_db.tasks.is_idle, timeout=TIMEOUT)
    QApplication.processEvents()


def test_moving_to_another_member_saves_the_edits_or_stays_when_invalid(qtbot, view: RosterView) -> None:
    ctx = view.ctx
    a = _add(ctx.ws, "甲", city="杭州")
    b = _add(ctx.ws, "乙")
    ctx.notify("members")
    _wait_rows(qtbot, view, 2)
    panel = view.panel
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT):
        view.select_member(a)
    panel.field_widget("city").setText("苏州")
    with qtbot.waitSignal(panel.member_saved, timeout=TIMEOUT):
        view.select_member(b)
        view._panel_timer.timeout.emit()
    qtbot.waitUntil(lambda: panel.member_id == b and panel.data is not None and panel.data.view.id == b,
                    timeout=TIMEOUT)
    with ctx.ws.read() as s:
        assert roster.get_member(s, a).city == "苏州"
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: view.model.display(view.model.row_of(a))[RosterColumn.CITY] == "杭州", timeout=TIMEOUT)
    # an invalid edit keeps the operator on that member, message under the field
    phone = panel.field_widget("phone")
    _type(qtbot, phone, "12345")
    view.select_member(a)
    view._panel_timer.timeout.emit()
    assert panel.member_id == b and view.current_member_id() == b
    assert "位数不对" in panel.field_error("phone")
    with ctx.ws.read() as s:
        assert roster.get_member(s, b).phone is None

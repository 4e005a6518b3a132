"""The 活动 screen driven through its real widgets: the editor (capacity, recurrence,
validation on the field, conflict warning), registrations with the waitlist promoted
on a cancellation, the door check-in mode by pinyin initials with live counts and
Ctrl+Z, the month view of a weekly series, and the exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QApplication, QMessageBox

from sqdesk.core import events as E
from sqdesk.core.groups import create_group
from sqdesk.core.roster import MemberInput, create_member
from sqdesk.core.workspace import Workspace
from sqdesk.ui.dialogs.checkin_dialog import CheckinDialog
from sqdesk.ui.dialogs.event_dialog import EventDialog, MemberPickDialog
from sqdesk.ui.itemmodels.registrations_model import RegColumn, RegistrationsModel
from sqdesk.ui.views.calendar import CalendarView, month_grid_start

TIMEOUT = 10_000


def _member(ws: Workspace, name: str, phone: str | None = None, groups: list[Any] | None = None) -> int:
    with ws.write() as s:
        return create_member(s, MemberInput(name, {"phone": phone} if phone else {}, groups=groups or [])).id


def _qdt(moment: dt.datetime) -> QDateTime:
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


def _idle(qtbot: Any, view: Any) -> None:
    qtbot.waitUntil(view.ctx.tasks.is_idle, timeout=TIMEOUT)


def _make_view(qtbot: Any, ctx: Any) -> CalendarView:
    v = CalendarView(ctx)
    qtbot.addWidget(v)
    v.resize(1500, 900)
    v.show()
    _idle(qtbot, v)
    return v


@pytest.fixture
def view(qtbot: Any, ctx_any_db: Any) -> CalendarView:
    return _make_view(qtbot, ctx_any_db)


@pytest.fixture
def sqlite_view(qtbot: Any, ctx: Any) -> CalendarView:
    return _make_view(qtbot, ctx)


def _open_editor(qtbot: Any, view: CalendarView, start: dt.datetime) -> EventDialog:
    view.new_event(start)
    dlg = view.dialog
    assert isinstance(dlg, EventDialog)
    _idle(qtbot, view)
    return dlg


def _fill(dlg: EventDialog, title: str, start: dt.datetime, minutes: int = 90, capacity: int = 0) -> None:
    dlg.title_edit.setText(title)
    dlg.starts.setDateTime(_qdt(start))
    dlg.ends.setDateTime(_qdt(start + dt.timedelta(minutes=minutes)))
    dlg.capacity.setValue(capacity)


def _save(qtbot: Any, dlg: EventDialog) -> int:
    with qtbot.waitSignal(dlg.saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    return int(saved.args[0])


def _register(qtbot: Any, view: CalendarView, typed: str, name: str) -> None:
    view.register_member()
    dlg = view.dialog
    assert isinstance(dlg, MemberPickDialog)
    dlg.search.edit.setFocus()
    qtbot.keyClicks(dlg.search.edit, typed)
    qtbot.keyClick(dlg.search.edit, Qt.Key.Key_Return)  # before the hits arrive: picks the first one
    qtbot.waitUntil(lambda: name in view.registrations.statuses(), timeout=TIMEOUT)
    _idle(qtbot, view)


def _statuses(view: CalendarView) -> dict[str, str]:
    return view.registrations.statuses()


def _waitlist_column(view: CalendarView) -> dict[str, str]:
    m = view.registrations
    return {m.data(m.index(r, RegColumn.MEMBER)): m.data(m.index(r, RegColumn.WAITLIST)) for r in range(m.rowCount())}


def test_registrations_model_passes_modeltester(qtmodeltester: Any, sqlite_ws: Workspace) -> None:
    ws = sqlite_ws
    ids = [_member(ws, n, p) for n, p in (("张三", "13800138000"), ("李四", None), ("王五", None))]
    with ws.write() as s:
        ev = E.create_event(s, E.EventInput("读书会", dt.datetime(2026, 12, 2, 20), dt.datetime(2026, 12, 2, 21),
                                            capacity=1))
        for mid in ids:
            E.register(s, ev.id, mid)
        regs = E.list_registrations(s, ev.id)
    model = RegistrationsModel()
    qtmodeltester.check(model)
    model.set_registrations(regs)
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == len(RegColumn)
    assert [model.data(model.index(r, RegColumn.STATUS)) for r in range(3)] == ["已报名", "候补", "候补"]
    assert [model.data(model.index(r, RegColumn.WAITLIST)) for r in range(3)] == ["", "1", "2"]
    assert model.data(model.index(0, RegColumn.PHONE)) == "138****8000"
    model.set_registrations([])
    qtmodeltester.check(model)


def test_capacity_two_waitlist_and_promotion_through_the_widgets(qtbot: Any, view: CalendarView) -> None:
    ctx = view.ctx
    for name, phone in (("张三", "13800138000"), ("李四", "13900139000"), ("王五", "13700137000")):
        _member(ctx.ws, name, phone)
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=3), dt.time(19, 30))
    dlg = _open_editor(qtbot, view, start)
    _fill(dlg, "杭州线下见面会", start, capacity=2)
    dlg.kind.setCurrentIndex(dlg.kind.findData("线下见面会"))
    dlg.location.setText("杭州市西湖区文三路 1 号")
    # The host picker: pinyin initials, Enter adds the first hit (the dialog is not saved by it).
    dlg.host_search.edit.setFocus()
    qtbot.keyClicks(dlg.host_search.edit, "ww")
    qtbot.keyClick(dlg.host_search.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.hosts.count() == 1, timeout=TIMEOUT)
    assert dlg.hosts.item(0).text() == "王五" and dlg.isVisible()
    event_id = _save(qtbot, dlg)
    qtbot.waitUntil(lambda: view.current_event is not None and view.current_event.id == event_id, timeout=TIMEOUT)
    assert view.current_event.capacity == 2 and view.current_event.kind == "线下见面会"
    assert view.current_event.host_names == ("王五",)
    assert "杭州线下见面会" in view.details.text()

    _register(qtbot, view, "zhangsan", "张三")
    _register(qtbot, view, "lisi", "李四")
    _register(qtbot, view, "wangwu", "王五")
    assert _statuses(view) == {"张三": "已报名", "李四": "已报名", "王五": "候补"}
    assert _waitlist_column(view)["王五"] == "1"
    assert "候补" in view.notice.text() and "王五" in view.notice.text()
    qtbot.waitUntil(lambda: view.current_event.status == "已满", timeout=TIMEOUT)

    # 取消报名 on 李四: 王五 is promoted, and the screen says so.
    view.reg_table.selectRow(view.registrations.row_of_member(
        next(r.member_id for r in view.registrations._regs if r.member_name == "李四")))
    assert view.cancel_button.isEnabled()
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _statuses(view).get("王五") == "已报名", timeout=TIMEOUT)
    assert _statuses(view) == {"张三": "已报名", "李四": "已取消", "王五": "已报名"}
    assert "王五" in view.notice.text() and "自动转为已报名" in view.notice.text()
    assert _waitlist_column(view)["王五"] == ""

    # Undo puts back exactly what the cancellation changed; redo does it again.
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: _statuses(view).get("李四") == "已报名", timeout=TIMEOUT)
    assert _statuses(view) == {"张三": "已报名", "李四": "已报名", "王五": "候补"}
    ctx.undo_stack.redo()
    qtbot.waitUntil(lambda: _statuses(view).get("王五") == "已报名", timeout=TIMEOUT)
    with ctx.ws.read() as s:
        counts = E.registration_counts(s, event_id)
    assert (counts.registered, counts.waitlisted, counts.cancelled) == (2, 0, 1)

    # Edit through the editor (loaded with the event's values), then undo the edit.
    view.edit_event()
    qtbot.waitUntil(lambda: isinstance(view.dialog, EventDialog), timeout=TIMEOUT)
    edit = view.dialog
    assert isinstance(edit, EventDialog)
    assert edit.title_edit.text() == "杭州线下见面会" and edit.capacity.value() == 2 and edit.host_ids() != []
    edit.title_edit.setText("杭州线下见面会（第二期）")
    _save(qtbot, edit)
    qtbot.waitUntil(lambda: "第二期" in view.details.text(), timeout=TIMEOUT)
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: "第二期" not in view.details.text(), timeout=TIMEOUT)
    with ctx.ws.read() as s:
        assert E.get_event(s, event_id).title == "杭州线下见面会"


def test_door_checkin_by_pinyin_initials_counts_and_undo(qtbot: Any, view: CalendarView) -> None:
    ctx = view.ctx
    zs = _member(ctx.ws, "张三", "13800138000")
    ls = _member(ctx.ws, "李四", "13900139000")
    _member(ctx.ws, "Zsolt", None)  # "zs" inside another name: must rank below 张三
    ww = _member(ctx.ws, "王五", "13700137000")
    walk_in = _member(ctx.ws, "赵六", "13600136666")
    start = dt.datetime.combine(dt.date.today(), dt.time(14, 0))
    with ctx.ws.write() as s:
        ev = E.create_event(s, E.EventInput("线下见面会", start, start + dt.timedelta(hours=3),
                                            kind="线下见面会", capacity=2, status="报名中"))
        for mid in (zs, ls, ww):
            E.register(s, ev.id, mid)
    ctx.notify("events")
    view.go_to(start.date())
    _idle(qtbot, view)
    view.select_event(ev.id, start.date())
    qtbot.waitUntil(lambda: view.current_event is not None, timeout=TIMEOUT)
    view.activateWindow()
    dlg = view.open_checkin()
    assert isinstance(dlg, CheckinDialog)
    qtbot.waitUntil(lambda: dlg.counts is not None, timeout=TIMEOUT)
    assert [s.value.text() for s in (dlg.stat_checked, dlg.stat_registered, dlg.stat_waitlist,
                                     dlg.stat_capacity)] == ["0", "2", "1", "2"]

    edit = dlg.search.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "zs")
    qtbot.waitUntil(lambda: dlg.search.results.count() >= 2, timeout=TIMEOUT)
    first = dlg.search.results.item(0)
    assert dlg.search.results.currentRow() == 0 and first.text().startswith("张三")
    assert "已报名" in first.text()
    with qtbot.waitSignal(dlg.counts_updated, timeout=TIMEOUT):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    _idle(qtbot, view)
    assert "张三" in dlg.message.text() and "签到成功" in dlg.message.text()
    assert dlg.stat_checked.value.text() == "1" and dlg.stat_registered.value.text() == "1"
    assert dlg.recent.count() == 1 and "张三" in dlg.recent.item(0).text()
    assert edit.text() == ""
    qtbot.waitUntil(lambda: _statuses(view).get("张三") == "已签到", timeout=TIMEOUT)

    # The waitlisted 王五 arrives (by phone digits) and is let in; a walk-in 赵六 is registered on the spot.
    qtbot.keyClicks(edit, "13700137000")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.recent.count() == 2, timeout=TIMEOUT)
    assert "候补" in dlg.message.text()
    qtbot.keyClicks(edit, "zl")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.recent.count() == 3, timeout=TIMEOUT)
    _idle(qtbot, view)
    assert "赵六" in dlg.message.text() and "现场报名" in dlg.message.text()
    assert [s.value.text() for s in (dlg.stat_checked, dlg.stat_registered, dlg.stat_waitlist)] == ["3", "1", "0"]

    # Ctrl+Z in the search box takes back the walk-in: 赵六 is off the list again.
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.recent.count() == 2, timeout=TIMEOUT)
    _idle(qtbot, view)
    assert dlg.stat_checked.value.text() == "2"
    with ctx.ws.read() as s:
        assert walk_in not in {r.member_id for r in E.list_registrations(s, ev.id)}
    # …and again: 王五 is back on the waitlist, exactly where he was.
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.recent.count() == 1, timeout=TIMEOUT)
    _idle(qtbot, view)
    with ctx.ws.read() as s:
        regs = {r.member_id: r for r in E.list_registrations(s, ev.id)}
    assert regs[ww].status == "候补" and regs[ww].checked_in_at is None and regs[ww].waitlist_position == 1
    assert regs[zs].status == "已签到"
    assert [s.value.text() for s in (dlg.stat_checked, dlg.stat_registered, dlg.stat_waitlist)] == ["1", "1", "1"]
    dlg.accept()


def test_conflict_warning_for_an_overlapping_event_in_the_same_group(qtbot: Any, sqlite_view: CalendarView) -> None:
    view = sqlite_view
    ctx = view.ctx
    with ctx.ws.write() as s:
        g1 = create_group(s, "读书会一群").id
        g2 = create_group(s, "创业二群").id
    day = dt.date.today() + dt.timedelta(days=5)
    with ctx.ws.write() as s:
        E.create_event(s, E.EventInput("产品分享会", dt.datetime.combine(day, dt.time(20)),
                                       dt.datetime.combine(day, dt.time(21, 30)), group_ids=[g1]))
    ctx.notify("events", "groups")
    _idle(qtbot, view)

    dlg = _open_editor(qtbot, view, dt.datetime.combine(day, dt.time(21)))
    _fill(dlg, "夜聊", dt.datetime.combine(day, dt.time(21)), minutes=60)
    qtbot.waitUntil(lambda: dlg.groups.count() == 2, timeout=TIMEOUT)
    dlg.set_groups_checked([g1])
    with qtbot.waitSignal(dlg.conflicts_shown, timeout=TIMEOUT) as shown:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert shown.args == [1]
    assert dlg.conflict_box.isVisible() and dlg.save_anyway_button.isVisible()
    assert "产品分享会" in dlg.conflict_label.text() and "读书会一群" in dlg.conflict_label.text()
    with ctx.ws.read() as s:
        assert [e.title for e in E.search_events(s)] == ["产品分享会"]  # nothing saved yet

    # Another group only: no shared audience, so it saves without a warning.
    dlg.set_groups_checked([g2])
    dlg._form_changed()
    assert not dlg.conflict_box.isVisible()
    event_id = _save(qtbot, dlg)
    with ctx.ws.read() as s:
        assert E.get_event(s, event_id).group_ids == (g2,)

    # Same group again, then 仍然保存 (save anyway).
    dlg2 = _open_editor(qtbot, view, dt.datetime.combine(day, dt.time(20, 30)))
    _fill(dlg2, "重叠也要办", dt.datetime.combine(day, dt.time(20, 30)))
    qtbot.waitUntil(lambda: dlg2.groups.count() == 2, timeout=TIMEOUT)
    dlg2.set_groups_checked([g1])
    with qtbot.waitSignal(dlg2.conflicts_shown, timeout=TIMEOUT):
        qtbot.mouseClick(dlg2.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dlg2.saved, timeout=TIMEOUT):
        qtbot.mouseClick(dlg2.save_anyway_button, Qt.MouseButton.LeftButton)
    with ctx.ws.read() as s:
        assert sorted(e.title for e in E.search_events(s)) == ["产品分享会", "夜聊", "重叠也要办"]
    # The group filter: 创业二群 sees its own event (and all-groups ones), not 读书会一群's.
    view.go_to(day)
    _idle(qtbot, view)
    qtbot.waitUntil(lambda: view.group_combo.count() == 3, timeout=TIMEOUT)
    with qtbot.waitSignal(view.occurrences_loaded, timeout=TIMEOUT):
        view.group_combo.setCurrentIndex(view.group_combo.findData(g2))
    assert sorted({o.title for o in view.by_day.get(day, [])}) == ["夜聊"]
    with qtbot.waitSignal(view.occurrences_loaded, timeout=TIMEOUT):
        view.group_combo.setCurrentIndex(0)
    assert sorted({o.title for o in view.by_day.get(day, [])}) == ["产品分享会", "夜聊", "重叠也要办"]
    # Creating is undoable like any edit.
    ctx.undo_stack.undo()
    _idle(qtbot, view)
    with ctx.ws.read() as s:
        assert sorted(e.title for e in E.search_events(s)) == ["产品分享会", "夜聊"]


def test_validation_messages_on_the_fields(qtbot: Any, sqlite_view: CalendarView) -> None:
    view = sqlite_view
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(20))
    dlg = _open_editor(qtbot, view, start)
    _fill(dlg, "", start)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.field_error("标题") != "", timeout=TIMEOUT)
    assert dlg.field_error("标题") == "标题不能为空"
    dlg.title_edit.setText("周会")
    dlg.ends.setDateTime(_qdt(start - dt.timedelta(hours=1)))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.field_error("结束时间") != "", timeout=TIMEOUT)
    assert "应晚于开始时间" in dlg.field_error("结束时间") and dlg.field_error("标题") == ""
    dlg.ends.setDateTime(_qdt(start + dt.timedelta(hours=1)))
    dlg.recurrence.set_rule("FREQ=WEEKLY;BYDAY=XX")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.field_error("重复规则") != "", timeout=TIMEOUT)
    assert "BYDAY" in dlg.field_error("重复规则")
    with view.ctx.ws.read() as s:
        assert E.search_events(s) == []


def test_weekly_series_on_every_wednesday_of_the_month_view(qtbot: Any, view: CalendarView) -> None:
    today = dt.date.today()
    view.go_to(today)
    _idle(qtbot, view)
    first_wed = month_grid_start(today)
    while first_wed.weekday() != 2:
        first_wed += dt.timedelta(days=1)
    start = dt.datetime.combine(first_wed, dt.time(20))
    dlg = _open_editor(qtbot, view, start)
    _fill(dlg, "周三夜聊", start)
    dlg.recurrence.set_weekly(["WE"])
    assert dlg.recurrence.rule() == "FREQ=WEEKLY;BYDAY=WE"
    assert "每周三" in dlg.recurrence.preview.text()
    event_id = _save(qtbot, dlg)
    _idle(qtbot, view)
    view._set_mode("month")
    view.go_to(today)
    _idle(qtbot, view)
    grid = view.month_grid
    grid.repaint()
    days = [grid.first_day() + dt.timedelta(days=i) for i in range(42)]
    wednesdays = [d for d in days if d.weekday() == 2 and d >= first_wed]
    assert len(wednesdays) >= 5
    for d in days:
        on_day = [o.event_id for o in view.by_day.get(d, [])]
        assert (event_id in on_day) == (d in wednesdays), d
        assert (grid.event_rect(event_id, d) is not None) == (d in wednesdays), d
    # A click on one of the chips selects the series and shows it in the panel.
    target = wednesdays[2]
    rect = grid.event_rect(event_id, target)
    assert rect is not None
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: view.current_event is not None and view.current_event.id == event_id, timeout=TIMEOUT)
    assert view.selected_day == target and "每周三" in view.details.text()
    # The keyboard: arrows move the chosen day, Enter on a day opens its event.
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    assert view.selected_day == target - dt.timedelta(days=1)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert view.selected_day == target + dt.timedelta(days=7)
    view.select_event(None)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.current_event is not None and view.current_event.id == event_id, timeout=TIMEOUT)
    view.select_day(target)
    # Next month: the period label moves and the series is still there every Wednesday.
    label = view.period_label.text()
    with qtbot.waitSignal(view.occurrences_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.period_label.text() != label
    nxt = [d for d, occs in view.by_day.items() if any(o.event_id == event_id for o in occs)]
    assert nxt and all(d.weekday() == 2 for d in nxt)
    assert {d.month for d in nxt} >= {view.anchor.month}
    with qtbot.waitSignal(view.occurrences_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(view.today_button, Qt.MouseButton.LeftButton)
    assert view.period_label.text() == label
    view.select_day(target)
    # The week view shows it on Wednesday only.
    view._set_mode("week")
    _idle(qtbot, view)
    view.week_grid.repaint()
    week = [view.week_grid.week_start + dt.timedelta(days=i) for i in range(7)]
    assert [view.week_grid.event_rect(event_id, d) is not None for d in week] == [d.weekday() == 2 for d in week]


def test_exports_from_the_panel(qtbot: Any, sqlite_view: CalendarView, tmp_path: Path) -> None:
    view = sqlite_view
    ctx = view.ctx
    a = _member(ctx.ws, "=张三", "13800138000")
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(14))
    with ctx.ws.write() as s:
        ev = E.create_event(s, E.EventInput("沙龙", start, start + dt.timedelta(hours=2), capacity=10))
        E.register(s, ev.id, a)
    ctx.notify("events")
    view.go_to(start.date())
    _idle(qtbot, view)
    view.select_event(ev.id, start.date())
    qtbot.waitUntil(lambda: view.current_event is not None, timeout=TIMEOUT)
    assert view.export_ics_button.isEnabled() and view.export_sheet_button.isEnabled()
    with qtbot.waitSignal(view.export_finished, timeout=TIMEOUT) as done:
        view.export_event_ics(str(tmp_path / "沙龙.ics"))
    assert done.args[1] == 1
    from icalendar import Calendar

    cal = Calendar.from_ical((tmp_path / "沙龙.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["沙龙"]
    with qtbot.waitSignal(view.export_finished, timeout=TIMEOUT) as done:
        view.export_signin_sheet(str(tmp_path / "签到表.xlsx"))
    assert done.args[1] == 1
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "签到表.xlsx")["签到表"]
    assert sheet["B4"].value == "=张三" and sheet["D4"].value == "138****8000"
    with qtbot.waitSignal(view.export_finished, timeout=TIMEOUT) as done:
        view.export_calendar(str(tmp_path / "month.ics"))
    assert done.args[1] == 1
    assert "已导出" in view.notice.text()

    # Delete (confirmed in the box) and undo brings the event back with its list.
    view.delete_event()
    box = view.dialog
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: view.current_event is None, timeout=TIMEOUT)
    ctx.undo_stack.undo()
    _idle(qtbot, view)
    with ctx.ws.read() as s:
        assert [r.member_name for r in E.list_registrations(s, ev.id)] == ["=张三"]
    QApplication.processEvents()


def test_door_keeps_up_with_fast_typing(qtbot: Any, sqlite_view: CalendarView) -> None:
    """Enter typed before the hits arrive, and the next name typed before the save is
    back: every person is checked in, nothing typed is lost."""
    view = sqlite_view
    ctx = view.ctx
    names = ["张三", "李四", "王五", "赵六"]
    ids = [_member(ctx.ws, n) for n in names]
    start = dt.datetime.combine(dt.date.today(), dt.time(19))
    with ctx.ws.write() as s:
        ev = E.create_event(s, E.EventInput("读书会", start, start + dt.timedelta(hours=2), capacity=10))
        for mid in ids[:2]:
            E.register(s, ev.id, mid)
    ctx.notify("events")
    view.go_to(start.date())
    _idle(qtbot, view)
    view.select_event(ev.id, start.date())
    qtbot.waitUntil(lambda: view.current_event is not None, timeout=TIMEOUT)
    dlg = view.open_checkin()
    assert dlg is not None
    edit = dlg.search.edit
    edit.setFocus()
    for typed in ("zs", "ls", "ww", "zl"):
        qtbot.keyClicks(edit, typed)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.recent.count() == 4, timeout=TIMEOUT)
    _idle(qtbot, view)
    with ctx.ws.read() as s:
        regs = {r.member_name: r.status for r in E.list_registrations(s, ev.id)}
    assert regs == dict.fromkeys(names, "已签到")
    assert dlg.stat_checked.value.text() == "4" and edit.text() == ""
    # Nobody by that name: said so, and the text comes back to be corrected.
    qtbot.keyClicks(edit, "xyzq")
    with qtbot.waitSignal(dlg.search.not_found, timeout=TIMEOUT):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "没有找到「xyzq」" in dlg.message.text() and edit.text() == "xyzq"
    dlg.accept()


def test_mark_no_shows_and_undo(qtbot: Any, sqlite_view: CalendarView) -> None:
    view = sqlite_view
    ctx = view.ctx
    came, missed, waiting = (_member(ctx.ws, n) for n in ("张三", "李四", "王五"))
    start = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(14))
    with ctx.ws.write() as s:
        ev = E.create_event(s, E.EventInput("昨天的沙龙", start, start + dt.timedelta(hours=2), capacity=2,
                                            status="报名中"))
        for mid in (came, missed, waiting):
            E.register(s, ev.id, mid)
        E.check_in(s, ev.id, came, now=start)
    ctx.notify("events")
    view.go_to(start.date())
    _idle(qtbot, view)
    view.select_event(ev.id, start.date())
    qtbot.waitUntil(lambda: view.current_event is not None and view.no_show_button.isEnabled(), timeout=TIMEOUT)
    qtbot.mouseClick(view.no_show_button, Qt.MouseButton.LeftButton)
    box = view.dialog
    assert isinstance(box, QMessageBox) and "1 名" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: _statuses(view).get("李四") == "缺席", timeout=TIMEOUT)
    assert _statuses(view) == {"张三": "已签到", "李四": "缺席", "王五": "候补"}
    qtbot.waitUntil(lambda: view.current_event.status == "已结束", timeout=TIMEOUT)
    assert "1 名成员标记为缺席" in view.notice.text()
    assert not view.register_button.isEnabled() and not view.no_show_button.isEnabled()
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: _statuses(view).get("李四") == "已报名", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: view.current_event.status == "已满", timeout=TIMEOUT)


def _shown_event_with_list(qtbot: Any, view: CalendarView, title: str, capacity: int, names: list[str],
                           days: int) -> tuple[int, list[int]]:
    """An event ``days`` ahead with ``names`` signed up in that order, selected on the screen."""
    ctx = view.ctx
    ids = [_member(ctx.ws, n) for n in names]
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=days), dt.time(19))
    with ctx.ws.write() as s:
        ev = E.create_event(s, E.EventInput(title, start, start + dt.timedelta(hours=2), capacity=capacity))
        for m in ids:
            E.register(s, ev.id, m)
    ctx.notify("events")
    view.go_to(start.date())
    _idle(qtbot, view)
    view.select_event(ev.id, start.date())
    qtbot.waitUntil(lambda: view.current_event is not None and view.current_event.id == ev.id, timeout=TIMEOUT)
    return ev.id, ids


def _raise_capacity_in_the_editor(qtbot: Any, view: CalendarView, capacity: int, promoted: str) -> None:
    view.edit_event()
    qtbot.waitUntil(lambda: isinstance(view.dialog, EventDialog), timeout=TIMEOUT)
    edit = view.dialog
    assert isinstance(edit, EventDialog)
    edit.capacity.setValue(capacity)
    _save(qtbot, edit)
    qtbot.waitUntil(lambda: _statuses(view).get(promoted) == "已报名", timeout=TIMEOUT)


def test_undoing_a_larger_capacity_puts_the_promoted_back_on_the_waitlist(qtbot: Any, view: CalendarView) -> None:
    ctx = view.ctx
    event_id, _ = _shown_event_with_list(qtbot, view, "读书会", 1, ["张三", "李四", "王五"], days=4)
    assert _statuses(view) == {"张三": "已报名", "李四": "候补", "王五": "候补"}

    # The editor raises the capacity to 2: 李四 (first on the waitlist) is promoted.
    _raise_capacity_in_the_editor(qtbot, view, 2, promoted="李四")
    assert _statuses(view) == {"张三": "已报名", "李四": "已报名", "王五": "候补"}

    # Undo: capacity 1 again and 李四 back on the waitlist, ahead of 王五 as before.
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: _statuses(view).get("李四") == "候补", timeout=TIMEOUT)
    _idle(qtbot, view)
    with ctx.ws.read() as s:
        assert E.get_event(s, event_id).capacity == 1
        counts = E.registration_counts(s, event_id)
        assert (counts.registered, counts.waitlisted) == (1, 2)
    assert _waitlist_column(view)["李四"] == "1" and _waitlist_column(view)["王五"] == "2"

    # Redo promotes again; a second undo/redo round stays consistent (versions kept).
    ctx.undo_stack.redo()
    qtbot.waitUntil(lambda: _statuses(view).get("李四") == "已报名", timeout=TIMEOUT)
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: _statuses(view).get("李四") == "候补", timeout=TIMEOUT)
    _idle(qtbot, view)
    with ctx.ws.read() as s:
        assert E.get_event(s, event_id).capacity == 1


def test_undoing_a_larger_capacity_after_a_cancellation_leaves_no_free_seat_idle(qtbot: Any, view: CalendarView) -> None:
    ctx = view.ctx
    event_id, (b, _d, _a) = _shown_event_with_list(qtbot, view, "夜聊", 2, ["李四", "赵六", "张三"], days=5)
    _raise_capacity_in_the_editor(qtbot, view, 4, promoted="张三")
    with ctx.ws.write() as s:  # 李四 cancels at another desk meanwhile
        E.cancel_registration(s, event_id, b)
    ctx.notify("events")
    _idle(qtbot, view)

    ctx.undo_stack.undo()
    _idle(qtbot, view)
    with ctx.ws.read() as s:
        event = E.get_event(s, event_id)
        counts = E.registration_counts(s, event_id)
    # capacity 2 again; 张三 goes back to the waitlist and straight into 李四's free seat
    assert event.capacity == 2 and (counts.registered, counts.waitlisted) == (2, 0)
    assert event.status == "已满"

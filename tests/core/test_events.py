from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from sqdesk.core import events, groups, roster
from sqdesk.core.errors import ConflictError, NotFoundError, ValidationError
from sqdesk.core.events import EventInput
from sqdesk.models import AuditEntry

WED = dt.datetime(2024, 3, 6, 20, 0)  # a Wednesday


def _members(ws, *names: str) -> list[int]:
    with ws.write() as s:
        return [
            roster.create_member(s, roster.MemberInput(n, {"phone": f"1380013{8000 + i:04d}"})).id
            for i, n in enumerate(names)
        ]


def test_waitlist_promotion_and_status(ws) -> None:
    a, b, c, d = _members(ws, "张三", "李四", "王五", "赵六")
    with ws.write() as s:
        ev = events.create_event(s, EventInput("线下见面会", WED, WED + dt.timedelta(hours=2), kind="线下见面会",
                                               capacity=2, status="报名中", host_ids=[d]))
    assert ev.host_names == ("赵六",) and ev.all_groups
    t = dt.datetime(2024, 3, 1, 10, 0)
    with ws.write() as s:
        r1 = events.register(s, ev.id, a, now=t)
        r2 = events.register(s, ev.id, b, now=t + dt.timedelta(minutes=1))
        r3 = events.register(s, ev.id, c, now=t + dt.timedelta(minutes=2))
        r4 = events.register(s, ev.id, d, now=t + dt.timedelta(minutes=3))
    assert [r.registration.status for r in (r1, r2, r3, r4)] == ["已报名", "已报名", "候补", "候补"]
    assert r3.waitlisted and r3.registration.waitlist_position == 1 and "候补" in r3.message
    assert r4.registration.waitlist_position == 2
    with ws.read() as s:
        assert events.get_event(s, ev.id).status == "已满"
        counts = events.registration_counts(s, ev.id)
    assert (counts.registered, counts.waitlisted, counts.seats_left, counts.capacity) == (2, 2, 0, 2)
    with pytest.raises(ConflictError), ws.write() as s:
        events.register(s, ev.id, a)

    with ws.write() as s:
        res = events.cancel_registration(s, ev.id, a, operator="小王")
    assert res.cancelled.status == "已取消"
    assert [p.member_name for p in res.promoted] == ["王五"] and "王五" in res.message
    with ws.read() as s:
        rows = {r.member_name: r for r in events.list_registrations(s, ev.id)}
        assert events.get_event(s, ev.id).status == "已满"
        promo = s.execute(
            select(AuditEntry.operator, AuditEntry.note, AuditEntry.after)
            .where(AuditEntry.action == "promote", AuditEntry.entity == "registration")
        ).all()
    assert {n: r.status for n, r in rows.items()} == {"张三": "已取消", "李四": "已报名", "王五": "已报名", "赵六": "候补"}
    assert rows["赵六"].waitlist_position == 1 and rows["李四"].phone == "13800138001"
    assert len(promo) == 1 and promo[0][0] == "小王" and "王五" in promo[0][1] and promo[0][2]["member_id"] == c

    # Re-registering after a cancel works, at the back of the queue.
    with ws.write() as s:
        again = events.register(s, ev.id, a, now=t + dt.timedelta(days=1))
    assert again.registration.status == "候补" and again.registration.waitlist_position == 2

    # A waitlisted person cancelling frees no seat and promotes nobody.
    with ws.write() as s:
        res = events.cancel_registration(s, ev.id, d)
    assert res.promoted == ()
    # Raising the capacity promotes from the waitlist too; removing it empties the queue.
    with ws.write() as s:
        cur = events.get_event(s, ev.id)
        bigger = cur.to_input()
        bigger.capacity = 4
        events.update_event(s, ev.id, bigger, expected_version=cur.version)
    with ws.read() as s:
        assert {r.member_name: r.status for r in events.list_registrations(s, ev.id, "已报名")} == {
            "李四": "已报名", "王五": "已报名", "张三": "已报名"}
        assert events.get_event(s, ev.id).status == "报名中"
    with pytest.raises(ConflictError), ws.write() as s:
        events.update_event(s, ev.id, bigger, expected_version=cur.version)


def test_door_check_in_and_no_shows(ws) -> None:
    a, b, c, walk = _members(ws, "张三", "李四", "王五", "路人甲")
    with ws.write() as s:
        ev = events.create_event(s, EventInput("读书会", WED, WED + dt.timedelta(hours=2), capacity=2, status="报名中"))
        for m in (a, b, c):
            events.register(s, ev.id, m, now=WED - dt.timedelta(days=1))
    door = WED + dt.timedelta(minutes=5)
    with ws.write() as s:
        first = events.check_in(s, ev.id, a, now=door)
        waitlisted = events.check_in(s, ev.id, c, now=door)
        unregistered = events.check_in(s, ev.id, walk, operator="门口", now=door)
        twice = events.check_in(s, ev.id, a, now=door + dt.timedelta(minutes=1))
    assert first.registration.status == "已签到" and not first.walk_in and first.registration.checked_in_at == door
    assert waitlisted.from_waitlist and waitlisted.registration.status == "已签到"
    assert unregistered.walk_in and "未报名" in unregistered.message and "现场报名" in unregistered.message
    assert unregistered.registration.status == "已签到" and "超出人数上限" in unregistered.message
    assert twice.already and twice.registration.checked_in_at == door
    with ws.read() as s:
        counts = events.registration_counts(s, ev.id)
    assert (counts.checked_in, counts.registered, counts.waitlisted, counts.seats_taken, counts.seats_left) == (3, 1, 0, 4, 0)

    with pytest.raises(ValidationError) as err, ws.write() as s:
        events.mark_no_shows(s, ev.id, now=WED + dt.timedelta(hours=1))
    assert "尚未结束" in str(err.value)
    with ws.write() as s:
        assert events.mark_no_shows(s, ev.id, now=WED + dt.timedelta(hours=3)) == 1
    with ws.read() as s:
        by = {r.member_name: r.status for r in events.list_registrations(s, ev.id)}
        assert events.get_event(s, ev.id).status == "已结束"
    assert by == {"张三": "已签到", "李四": "缺席", "王五": "已签到", "路人甲": "已签到"}
    with pytest.raises(ValidationError), ws.write() as s:
        events.register(s, ev.id, b)


def test_recurring_expansion_and_conflicts(ws) -> None:
    with ws.write() as s:
        g1 = groups.create_group(s, "杭州一群").id
        g2 = groups.create_group(s, "杭州二群").id
        weekly = events.create_event(s, EventInput(
            "周三夜话", WED, WED + dt.timedelta(hours=1), kind="分享会", group_ids=[g1],
            rrule="rrule:freq=weekly;byday=we"))
        other_group = events.create_event(s, EventInput(
            "二群周会", WED + dt.timedelta(days=14), WED + dt.timedelta(days=14, hours=1), group_ids=[g2]))
        everyone = events.create_event(s, EventInput(
            "全体直播", WED + dt.timedelta(days=14, minutes=30), WED + dt.timedelta(days=14, hours=2), kind="直播"))
        cancelled = events.create_event(s, EventInput(
            "取消的活动", WED + dt.timedelta(days=7), WED + dt.timedelta(days=7, hours=1), group_ids=[g1], status="已取消"))
    assert weekly.rrule == "FREQ=WEEKLY;BYDAY=WE"
    with ws.read() as s:
        march = events.list_events(s, dt.datetime(2024, 3, 1), dt.datetime(2024, 4, 1))
        weekly_starts = [o.starts_at for o in march if o.event_id == weekly.id]
        assert weekly_starts == [WED + dt.timedelta(days=7 * k) for k in range(4)]  # 6, 13, 20, 27 March
        assert all(o.recurring and o.ends_at - o.starts_at == dt.timedelta(hours=1) for o in march if o.event_id == weekly.id)
        assert [o.starts_at for o in march] == sorted(o.starts_at for o in march)
        # Group 2's calendar: its own event and the all-groups one, not group 1's series.
        g2_ids = {o.event_id for o in events.list_events(s, dt.datetime(2024, 3, 1), dt.datetime(2024, 4, 1), [g2])}
        assert g2_ids == {other_group.id, everyone.id}
        # An occurrence already running at the window start is included.
        assert [o.event_id for o in events.list_events(s, WED + dt.timedelta(minutes=30), WED + dt.timedelta(minutes=40))] == [weekly.id]
        assert cancelled.id not in {o.event_id for o in events.list_events(s, WED, WED + dt.timedelta(days=30), include_cancelled=False)}

        # A one-off event in group 1 at 20:30 on a Wednesday two months later hits the series.
        later = WED + dt.timedelta(weeks=9, minutes=30)
        hits = events.find_conflicts(s, EventInput("一群讲座", later, later + dt.timedelta(hours=1), group_ids=[g1]))
        assert [c.event_id for c in hits] == [weekly.id]
        assert hits[0].starts_at == WED + dt.timedelta(weeks=9)
        assert "周三夜话" in hits[0].description and "杭州一群" in hits[0].description and "重叠" in hits[0].description
        # Same time, but only group 2: no shared audience with the series.
        assert events.find_conflicts(s, EventInput("二群讲座", later, later + dt.timedelta(hours=1), group_ids=[g2])) == []
        # Touching end-to-start is not an overlap.
        after = WED + dt.timedelta(weeks=9, hours=1)
        assert events.find_conflicts(s, EventInput("紧接着", after, after + dt.timedelta(hours=1), group_ids=[g1])) == []

        # The series itself: the all-groups live stream overlaps one occurrence; the
        # cancelled event and the group-2 meeting do not count.
        series = events.find_conflicts(s, weekly.id)
        assert [(c.event_id, c.overlaps) for c in series] == [(everyone.id, 1)]
        assert "其中一个面向全部群" in series[0].description
        # Two weekly series on the same evening clash every week.
        clash = events.find_conflicts(s, EventInput(
            "每周三答疑", WED + dt.timedelta(minutes=45), WED + dt.timedelta(hours=2), group_ids=[g1, g2],
            rrule="FREQ=WEEKLY;BYDAY=WE;COUNT=10"))
        assert [(c.event_id, c.overlaps) for c in clash] == [(weekly.id, 10), (other_group.id, 1), (everyone.id, 1)]
        assert "共 10 次" in clash[0].description and "都面向「杭州二群」" in clash[1].description
        # Editing the series itself never conflicts with itself.
        assert weekly.id not in {c.event_id for c in events.find_conflicts(s, weekly.to_input(), exclude_event_id=weekly.id)}


@pytest.mark.parametrize(
    ("rule", "needle"),
    [
        ("every wednesday", "名称=值"),
        ("BYDAY=WE", "缺少 FREQ"),
        ("FREQ=HOURLY", "重复频率「HOURLY」不可用"),
        ("FREQ=WEEKLY;BYDAY=XX", "「BYDAY」（星期）的值「XX」无法识别"),
        ("FREQ=WEEKLY;INTERVAL=0", "应为正整数"),
        ("FREQ=WEEKLY;BYDAY=TH", "不符合重复规则"),
        ("FREQ=WEEKLY;UNTIL=20240101", "一次活动也没有"),
        ("FREQ=WEEKLY;DTSTART=20240101", "不支持「DTSTART」"),
    ],
)
def test_rrule_errors_are_chinese_and_name_the_field(sqlite_ws, rule: str, needle: str) -> None:
    with pytest.raises(ValidationError) as err, sqlite_ws.write() as s:
        events.create_event(s, EventInput("周会", WED, WED + dt.timedelta(hours=1), rrule=rule))
    assert err.value.column == "重复规则" and needle in str(err.value), str(err.value)


def test_event_validation_and_rrule_helpers(ws) -> None:
    with pytest.raises(ValidationError) as err, ws.write() as s:
        events.create_event(s, EventInput("倒着的", WED, WED - dt.timedelta(hours=1)))
    assert err.value.column == "结束时间" and "应晚于开始时间" in str(err.value)
    with pytest.raises(ValidationError) as err, ws.write() as s:
        events.create_event(s, EventInput("x", WED, WED + dt.timedelta(hours=1), capacity=0))
    assert err.value.column == "人数上限"
    with pytest.raises(ValidationError) as err, ws.write() as s:
        events.create_event(s, EventInput("x", WED, WED + dt.timedelta(hours=1), group_ids=[12345]))
    assert err.value.column == "面向的群"
    assert events.describe_rrule("FREQ=WEEKLY;BYDAY=WE") == "每周三"
    assert events.normalize_rrule("RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20240401T120000Z", WED).startswith(
        "FREQ=WEEKLY;BYDAY=WE;UNTIL=20240401T")
    with ws.write() as s:
        ev = events.create_event(s, EventInput("  打卡 21 天 ", WED, WED + dt.timedelta(minutes=30), kind="打卡",
                                               rrule="FREQ=DAILY;COUNT=21", cost=9.9))
        snap = events.delete_event(s, ev.id)
    with ws.read() as s:
        with pytest.raises(NotFoundError):
            events.get_event(s, ev.id)
    with ws.write() as s:
        events.restore_event(s, snap)
    with ws.read() as s:
        back = events.get_event(s, ev.id)
        assert (back.title, back.cost) == ("打卡 21 天", 9.9)
        assert len(events.list_events(s, WED, WED + dt.timedelta(days=60))) == 21
        assert [e.id for e in events.search_events(s, "打卡")] == [ev.id]


def test_last_seat_goes_to_one_writer_only(ws) -> None:
    """Two operators sign people up for the last seat at the same moment. Writer A is
    held right after counting the seats; writer B must not be able to count until A
    has committed (row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite)."""
    a, b = _members(ws, "张三", "李四")
    with ws.write() as s:
        ev = events.create_event(s, EventInput("小课", WED, WED + dt.timedelta(hours=1), capacity=1, status="报名中"))
    a_counted, b_counted = threading.Event(), threading.Event()

    def after_execute(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        if "count(*)" in statement and "registrations" in statement:
            if threading.current_thread().name == "A" and not a_counted.is_set():
                a_counted.set()
                b_counted.wait(timeout=1.5)  # would let B slip in if nothing serialises us
            elif threading.current_thread().name == "B":
                b_counted.set()

    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def run(name: str, member: int) -> None:
        try:
            with ws.write() as s:
                results[name] = events.register(s, ev.id, member).registration.status
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    sa_event.listen(ws.engine, "after_cursor_execute", after_execute)
    try:
        ta = threading.Thread(target=run, args=("A", a), name="A")
        ta.start()
        assert a_counted.wait(timeout=10)
        tb = threading.Thread(target=run, args=("B", b), name="B")
        tb.start()
        ta.join(timeout=20)
        tb.join(timeout=20)
    finally:
        sa_event.remove(ws.engine, "after_cursor_execute", after_execute)
    assert not errors, errors
    assert results == {"A": "已报名", "B": "候补"}

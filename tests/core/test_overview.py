"""The 总览 figures, on rows built to sit on both sides of every boundary."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from sqdesk.core.overview import member_count, this_week_overview, week_bounds
from sqdesk.core.workspace import Workspace
from sqdesk.models import Activity, Event, Group, Member, Membership, Registration, SupplyDemand

NOW = dt.datetime(2025, 6, 11, 12, 0)  # a Wednesday; the week is 9–15 June
D = dt.date


def _seed(ws: Workspace) -> None:
    members = [
        (1, "甲", "在群", "群主", D(2024, 1, 1)),
        (2, "乙", "在群", "成员", D(2025, 6, 9)),    # joined Monday of this week
        (3, "丙", "在群", "骨干", D(2025, 6, 8)),    # joined the Sunday before
        (4, "丁", "已退出", "成员", D(2025, 1, 1)),  # left a group this week
        (5, "戊", "已清退", "成员", D(2025, 1, 1)),  # 清退 activity this week
        (6, "己", "在群", "成员", D(2025, 1, 1)),    # left one group, still in the community
        (7, "庚", "已退出", "成员", D(2025, 1, 1)),  # left last week
        (8, "辛", "在群", "成员", D(2025, 6, 15)),   # joined Sunday of this week
        (9, "壬", "在群", "管理员", D(2025, 6, 16)), # joins next week
    ]
    with ws.write() as s:
        s.execute(insert(Member), [
            {"id": i, "display_name": n, "status": st, "role": r, "joined_on": j}
            for i, n, st, r, j in members
        ])
        s.execute(insert(Group), [{"id": 1, "name": "一群"}, {"id": 2, "name": "二群"}])
        s.execute(insert(Membership), [
            {"member_id": 4, "group_id": 1, "left_on": D(2025, 6, 10)},
            {"member_id": 6, "group_id": 1, "left_on": D(2025, 6, 10)},
            {"member_id": 6, "group_id": 2},
            {"member_id": 7, "group_id": 1, "left_on": D(2025, 6, 1)},
        ])
        h = dt.timedelta(hours=1)
        s.execute(insert(Activity), [
            {"member_id": 5, "kind": "清退", "occurred_at": NOW - 3 * h},
            {"member_id": 1, "kind": "发言", "occurred_at": NOW - 24 * h, "value": 12},
            {"member_id": 1, "kind": "分享", "occurred_at": NOW - 2 * h},
            {"member_id": 2, "kind": "签到", "occurred_at": NOW - dt.timedelta(days=6, hours=23)},
            {"member_id": 3, "kind": "发言", "occurred_at": NOW - dt.timedelta(days=8)},
            {"member_id": 6, "kind": "入群", "occurred_at": NOW - h},
            {"member_id": 8, "kind": "发言", "occurred_at": NOW + h},
        ])
        day = dt.timedelta(days=1)
        s.execute(insert(Event), [
            {"id": 1, "title": "周三分享会", "starts_at": NOW + day, "ends_at": NOW + day + h, "capacity": 2},
            {"id": 2, "title": "太远", "starts_at": NOW + 20 * day, "ends_at": NOW + 20 * day + h},
            {"id": 3, "title": "取消了", "starts_at": NOW + 2 * day, "ends_at": NOW + 2 * day + h, "status": "已取消"},
            {"id": 4, "title": "已开始", "starts_at": NOW - h, "ends_at": NOW + h},
            {"id": 5, "title": "线下见面会", "starts_at": NOW + 13 * day, "ends_at": NOW + 13 * day + h,
             "kind": "线下见面会", "location": "杭州"},
        ])
        s.execute(insert(Registration), [
            {"event_id": 1, "member_id": m, "status": st, "registered_at": NOW - day}
            for m, st in ((1, "已报名"), (2, "已签到"), (3, "候补"), (6, "已取消"))
        ])
        s.execute(insert(SupplyDemand), [
            {"member_id": 1, "kind": "供给", "text": "a", "created_on": D(2025, 6, 1)},
            {"member_id": 1, "kind": "供给", "text": "b", "created_on": D(2025, 6, 1), "expires_on": D(2025, 6, 10)},
            {"member_id": 2, "kind": "需求", "text": "c", "created_on": D(2025, 6, 1), "expires_on": D(2025, 6, 11)},
            {"member_id": 2, "kind": "需求", "text": "d", "created_on": D(2025, 6, 1), "status": "closed"},
            {"member_id": 3, "kind": "供给", "text": "e", "created_on": D(2025, 6, 1), "status": "matched"},
        ])


def test_week_bounds_are_monday_to_sunday() -> None:
    assert week_bounds(D(2025, 6, 11)) == (D(2025, 6, 9), D(2025, 6, 15))
    assert week_bounds(D(2025, 6, 9)) == (D(2025, 6, 9), D(2025, 6, 15))
    assert week_bounds(D(2025, 6, 15)) == (D(2025, 6, 9), D(2025, 6, 15))


def test_overview_figures(ws: Workspace) -> None:
    _seed(ws)
    with ws.read() as s:
        ov = this_week_overview(s, now=NOW)
        assert member_count(s) == 6
        assert member_count(s, status=None) == 9
    assert ov.week_start == D(2025, 6, 9) and ov.week_end == D(2025, 6, 15)
    assert ov.members_total == 9
    assert ov.by_status == {"在群": 6, "已退出": 2, "已清退": 1}
    assert ov.by_role == {"群主": 1, "管理员": 1, "骨干": 1, "成员": 3}
    assert ov.joins_week == 2  # 乙 (Monday) and 辛 (Sunday)
    assert ov.leaves_week == 2  # 丁 and 戊; not 己 (still in a group) nor 庚 (last week)
    assert ov.active_7d == 2  # 甲 and 乙
    assert ov.active_rate == 2 / 6
    assert [e.title for e in ov.upcoming] == ["周三分享会", "线下见面会"]
    first = ov.upcoming[0]
    assert (first.capacity, first.registered, first.waitlisted) == (2, 2, 1)
    assert ov.upcoming[1].registered == 0 and ov.upcoming[1].location == "杭州"
    assert ov.open_supply == {"供给": 1, "需求": 1}


def test_overview_of_empty_workspace(ws: Workspace) -> None:
    with ws.read() as s:
        ov = this_week_overview(s, now=NOW)
    assert ov.members_total == 0 and ov.active_rate == 0.0 and ov.upcoming == []
    assert ov.open_supply == {"供给": 0, "需求": 0}


def test_rule_todo_count_is_the_rules_engine_to_do_list(ws) -> None:
    from sqdesk.core import roster
    from sqdesk.core.overview import rule_todo_count
    from sqdesk.rules.engine import todo_list
    from sqdesk.rules.templates import install_starter_rules

    today = D(2025, 6, 11)
    with ws.write() as s:
        for name, joined in (("新人甲", D(2025, 6, 1)), ("新人乙", D(2025, 6, 2)), ("今天来的", today)):
            roster.create_member(s, roster.MemberInput(name, {"joined_on": joined}))
        assert rule_todo_count(s, today) == (0, 0)  # no rules yet
        install_starter_rules(s, "测试员")
    with ws.read() as s:
        todos, members = rule_todo_count(s, today)
        items = todo_list(s, today)
    assert todos == len(items) > 0 and members == len({i.member_id for i in items})
    assert {i.member_name for i in items if "自我介绍" in i.rule_title} == {"新人甲", "新人乙"}

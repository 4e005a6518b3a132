"""Roster queries behind the UI: table rows with groups/tags, the member page's lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, update

from sqdesk.core import groups, roster
from sqdesk.models import Event, Membership, Registration, SupplyDemand


def test_member_list_rows_keep_order_groups_and_tags(ws) -> None:
    with ws.write() as s:
        g1 = groups.create_group(s, "一群")
        g2 = groups.create_group(s, "二群")
        a = roster.create_member(s, roster.MemberInput("张三", {"phone": "13800138000"}, tags=["b", "a"],
                                                       groups=[(g2.id, "", None), (g1.id, "三哥", None)]))
        b = roster.create_member(s, roster.MemberInput("李四", {"status": "已退出"}))
        s.execute(update(Membership).where(Membership.member_id == a.id, Membership.group_id == g2.id)
                  .values(left_on=dt.date(2024, 5, 1)))
    with ws.read() as s:
        rows = roster.member_list_rows(s, [b.id, 999_999, a.id])
    assert [r.id for r in rows] == [b.id, a.id]  # order kept, missing id skipped
    assert rows[1].groups == ("一群",)  # left 二群: not shown as a current group
    assert rows[1].tags == ("a", "b") and rows[1].phone == "13800138000"
    assert rows[0].groups == () and rows[0].tags == () and rows[0].status == "已退出"
    with ws.read() as s:
        many = roster.member_list_rows(s, [a.id, b.id] * 600)  # more than one 900-id chunk
    assert len(many) == 1200 and many[-1].id == b.id


def test_member_page_lists_offers_needs_and_events(ws) -> None:
    with ws.write() as s:
        m = roster.create_member(s, roster.MemberInput("王五"))
        other = roster.create_member(s, roster.MemberInput("赵六"))
        s.execute(insert(SupplyDemand), [
            {"member_id": m.id, "kind": "供给", "category": "技能", "text": "会做设计",
             "created_on": dt.date(2024, 1, 1), "status": "closed"},
            {"member_id": m.id, "kind": "需求", "category": "招聘", "text": "招前端",
             "created_on": dt.date(2023, 1, 1), "status": "open"},
            {"member_id": other.id, "kind": "需求", "category": "其他", "text": "别人的",
             "created_on": dt.date(2024, 2, 1), "status": "open"},
        ])
        e1, e2 = (
            s.execute(insert(Event).values(title=t, kind="分享会", starts_at=st, ends_at=st + dt.timedelta(hours=2))
                      .returning(Event.id)).scalar_one()
            for t, st in (("春季分享会", dt.datetime(2024, 3, 1, 20)), ("夏季见面会", dt.datetime(2024, 6, 1, 14)))
        )
        s.execute(insert(Registration), [
            {"event_id": e1, "member_id": m.id, "status": "已签到", "registered_at": dt.datetime(2024, 2, 1),
             "checked_in_at": dt.datetime(2024, 3, 1, 19, 55)},
            {"event_id": e2, "member_id": m.id, "status": "候补", "registered_at": dt.datetime(2024, 5, 1)},
            {"event_id": e2, "member_id": other.id, "status": "已报名", "registered_at": dt.datetime(2024, 5, 1)},
        ])
    with ws.read() as s:
        offers = roster.member_offers_needs(s, m.id)
        events = roster.member_events(s, m.id)
    assert [(o.kind, o.status) for o in offers] == [("需求", "open"), ("供给", "closed")]  # open first
    assert [(e.title, e.status) for e in events] == [("夏季见面会", "候补"), ("春季分享会", "已签到")]
    assert events[1].checked_in_at == dt.datetime(2024, 3, 1, 19, 55)


def test_sql_search_path_answers_like_search_member_ids(ws) -> None:
    with ws.write() as s:
        g = groups.create_group(s, "一群")
        specs = [("张三", "13800138000", "杭州", "骨干", ["设计"]), ("张三丰", None, "北京", "成员", []),
                 ("李四", "13900139000", "杭州", "成员", ["设计", "投资"]), ("王五", None, None, "管理员", []),
                 ("Amy王", "13700137000", "上海", "成员", ["投资"])]
        for i, (name, phone, city, role, tags) in enumerate(specs):
            roster.create_member(s, roster.MemberInput(
                name, {"phone": phone, "city": city or "", "role": role,
                       "joined_on": dt.date(2024, 1, 1) + dt.timedelta(days=(i * 7) % 5) if i != 3 else None},
                tags=tags, groups=[(g.id, f"n{i}", None)] if i % 2 == 0 else []))
    cases = [("", None), ("zs", None), ("#设计", None), ("138", None), ("杭州", None),
             ("", roster.MemberFilter(group_id=g.id)), ("", roster.MemberFilter(tag="投资", role="成员")),
             ("z", roster.MemberFilter(role="成员")), ("nobody", None)]
    with ws.read() as s:
        for query, flt in cases:
            for order_by in roster.SORTABLE:
                for descending in (False, True):
                    want = roster.search_member_ids(s, query, flt, order_by=order_by, descending=descending)
                    got = roster.search_member_ids_sql(s, query, flt, order_by=order_by, descending=descending)
                    assert got == want, (query, flt, order_by, descending)
        assert roster.search_member_ids_sql(s, "", None, limit=2) == roster.search_member_ids(s, "", None, limit=2)

from __future__ import annotations

import datetime as dt

import pytest

from sqdesk.core import groups, roster
from sqdesk.core.errors import ConflictError, ValidationError


def test_create_search_update_conflict(ws) -> None:
    with ws.write() as s:
        g = groups.create_group(s, "杭州创业者一群")
        m = roster.create_member(
            s,
            roster.MemberInput("张三", {"phone": "+86 138-0013-8000", "city": "杭州", "wechat_id": "ZhangSan_01"},
                               tags=["设计"], groups=[(g.id, "三哥😀", None)]),
        )
        roster.create_member(s, roster.MemberInput("李四", {"phone": "13900139000"}))
    assert m.phone == "13800138000" and m.wechat_id == "zhangsan_01"
    with ws.read() as s:
        for q in ["zs", "zhangsan", "张", "138001", "三哥😀", "#设计", "zhangsan_01", "杭州 zs"]:
            assert [r.id for r in roster.search_members(s, q)] == [m.id], q
        assert [r.display_name for r in roster.search_members(s, "ls")] == ["李四"]
        assert roster.search_members(s, "100%") == []
        assert [r.display_name for r in roster.search_members(s, "", roster.MemberFilter(group_id=g.id))] == ["张三"]
        assert [r.display_name for r in roster.search_members(s, "", roster.MemberFilter(tag="设计"))] == ["张三"]
    with ws.write() as s:
        v = roster.update_member(s, m.id, {"display_name": "王五"}, expected_version=m.version)
        assert v.version == m.version + 1
    with ws.read() as s:
        assert [r.display_name for r in roster.search_members(s, "ww")] == ["王五"]
        assert roster.search_members(s, "zs") == []
    with pytest.raises(ConflictError), ws.write() as s:
        roster.update_member(s, m.id, {"city": "北京"}, expected_version=m.version)
    with pytest.raises(ConflictError), ws.write() as s:
        roster.create_member(s, roster.MemberInput("重复", {"phone": "138 0013 8000"}))
    with pytest.raises(ValidationError) as err, ws.write() as s:
        roster.create_member(s, roster.MemberInput("坏号码", {"phone": "1.38001E+10"}))
    assert "科学计数法" in str(err.value) and "手机号" in str(err.value)


def test_delete_and_restore_round_trip(ws) -> None:
    with ws.write() as s:
        g = groups.create_group(s, "一群")
        m = roster.create_member(s, roster.MemberInput("赵六", {"city": "苏州"}, tags=["a", "b"], groups=[(g.id, "六六", None)]))
    with ws.write() as s:
        snap = roster.delete_member(s, m.id)
    with ws.read() as s:
        assert roster.search_members(s, "赵六") == []
    with ws.write() as s:
        roster.restore_member(s, snap)
    with ws.read() as s:
        back = roster.get_member(s, m.id)
    assert back.tags == ("a", "b") and back.groups[0].nickname == "六六" and back.city == "苏州"


def test_bulk_update_and_undo(ws) -> None:
    with ws.write() as s:
        ids = [roster.create_member(s, roster.MemberInput(f"成员{i}")).id for i in range(5)]
        roster.update_member(s, ids[0], {"role": "骨干"})
    with ws.write() as s:
        before = roster.update_members_bulk(s, ids, {"status": "已清退", "role": "成员"})
        added = roster.add_tags_bulk(s, ids[:3], ["待跟进"])
    with ws.read() as s:
        assert {roster.get_member(s, i).status for i in ids} == {"已清退"}
        assert len(roster.search_members(s, "#待跟进")) == 3
    with ws.write() as s:
        roster.restore_member_values(s, before)
        roster.remove_tag_pairs(s, added)
    with ws.read() as s:
        assert roster.get_member(s, ids[0]).role == "骨干"
        assert {roster.get_member(s, i).status for i in ids} == {"在群"}
        assert roster.search_members(s, "#待跟进") == []


def test_list_groups_counts_current_members(ws) -> None:
    import datetime as dt

    with ws.write() as s:
        a = groups.create_group(s, "一群", capacity=500)
        b = groups.create_group(s, "二群", "QQ")
        m1 = roster.create_member(s, roster.MemberInput("甲", groups=[(a.id, "", None), (b.id, "", None)]))
        roster.create_member(s, roster.MemberInput("乙", groups=[(a.id, "", None)]))
        roster.move_to_group(s, [m1.id], b.id, from_group_id=a.id, on=dt.date(2025, 1, 1))
    with ws.read() as s:
        got = {g.name: (g.platform, g.member_count) for g in groups.list_groups(s)}
    assert got == {"一群": ("微信", 1), "二群": ("QQ", 1)}


def test_move_brings_back_a_member_who_had_left_and_undo_restores(ws) -> None:
    import datetime as dt

    with ws.write() as s:
        a = groups.create_group(s, "一群")
        b = groups.create_group(s, "二群")
        m = roster.create_member(s, roster.MemberInput("回流", groups=[(a.id, "", dt.date(2024, 1, 1))]))
        first = roster.move_to_group(s, [m.id], b.id, from_group_id=a.id, on=dt.date(2025, 1, 1))
        back = roster.move_to_group(s, [m.id], a.id, from_group_id=b.id, on=dt.date(2025, 6, 1))
    assert back["joined"] == [] and len(back["rejoined"]) == 1 and first["joined"]
    with ws.read() as s:
        now = {g.group_name: (g.joined_on, g.left_on) for g in roster.get_member(s, m.id).groups}
    assert now == {"一群": (dt.date(2025, 6, 1), None), "二群": (dt.date(2025, 1, 1), dt.date(2025, 6, 1))}
    with ws.write() as s:
        roster.undo_move(s, back)
    with ws.read() as s:
        now = {g.group_name: (g.joined_on, g.left_on) for g in roster.get_member(s, m.id).groups}
    assert now == {"一群": (dt.date(2024, 1, 1), dt.date(2025, 1, 1)), "二群": (dt.date(2025, 1, 1), None)}


def test_undoing_a_delete_brings_back_hosting_and_introductions(ws) -> None:
    from sqlalchemy import select

    from sqdesk.core import events as core_events
    from sqdesk.core import supply_demand as sd
    from sqdesk.models import Match
    from sqdesk.models.event import event_hosts

    start = dt.datetime(2026, 12, 5, 19, 0)
    with ws.write() as s:
        host = roster.create_member(s, roster.MemberInput("钱八")).id
        other = roster.create_member(s, roster.MemberInput("孙九")).id
        talk = core_events.create_event(s, core_events.EventInput(
            "分享会", start, start + dt.timedelta(hours=2), host_ids=[host, other])).id
        gone = core_events.create_event(s, core_events.EventInput(
            "读书会", start, start + dt.timedelta(hours=1), host_ids=[host])).id
        offer = sd.create_supply_demand(s, sd.SupplyDemandInput(host, "供给", "提供小程序开发")).id
        need = sd.create_supply_demand(s, sd.SupplyDemandInput(other, "需求", "找人做小程序")).id
        need2 = sd.create_supply_demand(s, sd.SupplyDemandInput(other, "需求", "找小程序外包")).id
        kept = sd.record_match(s, offer, need, 0.8, "小程序").id
        sd.record_match(s, offer, need2, 0.6, "小程序")

    def state(s) -> tuple[list[int], list[tuple[int, int, int, str]]]:
        hosting = sorted(s.scalars(select(event_hosts.c.event_id).where(event_hosts.c.member_id == host)))
        matches = sorted((m.id, m.offer_id, m.need_id, m.reason) for m in s.scalars(select(Match)))
        return hosting, matches

    with ws.read() as s:
        before = state(s)
    assert before[0] == sorted([talk, gone]) and len(before[1]) == 2
    with ws.write() as s:
        snap = roster.delete_member(s, host)
    with ws.read() as s:
        assert state(s) == ([], [])
    # meanwhile one hosted event and one side of an introduction are deleted
    with ws.write() as s:
        core_events.delete_event(s, gone)
        sd.delete_supply_demand(s, need2)
    with ws.write() as s:
        roster.restore_member(s, snap)
    with ws.read() as s:
        hosting, matches = state(s)
        assert core_events.get_event(s, talk).host_ids == tuple(sorted([host, other]))
    assert hosting == [talk]
    assert matches == [m for m in before[1] if m[0] == kept]  # same id, same sides, same reason


def test_undo_after_new_rows_took_the_deleted_rows_ids(ws) -> None:
    """SQLite hands the highest ids out again after a delete: rows added before the undo
    may hold the deleted member's old activity, post and match ids. Undo still brings
    everything back (those rows with new ids)."""
    from sqlalchemy import select

    from sqdesk.core import activity
    from sqdesk.core import supply_demand as sd
    from sqdesk.models import Activity, Match, SupplyDemand

    at = dt.datetime(2025, 6, 1, 20, 0)
    with ws.write() as s:
        helper = roster.create_member(s, roster.MemberInput("周一")).id
        need = sd.create_supply_demand(s, sd.SupplyDemandInput(helper, "需求", "找设计师做海报")).id
        leaving = roster.create_member(s, roster.MemberInput("吴二")).id
        roster.create_member(s, roster.MemberInput("王四"))  # the member ids stay apart
        activity.add_activity(s, leaving, "发言", at, value=3)
        offer = sd.create_supply_demand(s, sd.SupplyDemandInput(leaving, "供给", "海报设计")).id
        sd.record_match(s, offer, need, 0.9, "海报")
    with ws.write() as s:
        snap = roster.delete_member(s, leaving)
    with ws.write() as s:  # new rows, which on SQLite take the ids just freed
        newcomer = roster.create_member(s, roster.MemberInput("郑三")).id
        activity.add_activity(s, newcomer, "发言", at, value=7)
        offer2 = sd.create_supply_demand(s, sd.SupplyDemandInput(newcomer, "供给", "插画")).id
        sd.record_match(s, offer2, need, 0.5, "插画")
    with ws.write() as s:
        roster.restore_member(s, snap)
    with ws.read() as s:
        talk = sorted((a.member_id, a.value) for a in s.scalars(select(Activity)))
        posts = {p.member_id: p.text for p in s.scalars(select(SupplyDemand).where(SupplyDemand.kind == "供给"))}
        matches = {(s.get(SupplyDemand, m.offer_id).member_id, m.reason) for m in s.scalars(select(Match))}
    assert talk == sorted([(leaving, 3.0), (newcomer, 7.0)])
    assert posts == {leaving: "海报设计", newcomer: "插画"}
    assert matches == {(leaving, "海报"), (newcomer, "插画")}

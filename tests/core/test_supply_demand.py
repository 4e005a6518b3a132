from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from sqdesk.core import roster
from sqdesk.core import supply_demand as sd
from sqdesk.core.errors import ConflictError, NotFoundError, ValidationError
from sqdesk.core.supply_demand import SupplyDemandInput
from sqdesk.models import AuditEntry

D = dt.date(2024, 3, 1)


def _members(ws) -> tuple[int, int, int]:
    with ws.write() as s:
        a = roster.create_member(s, roster.MemberInput("张三", {"phone": "13800138000"})).id
        b = roster.create_member(s, roster.MemberInput("李四")).id
        c = roster.create_member(s, roster.MemberInput("王五")).id
    return a, b, c


def test_crud_list_and_expiry(ws) -> None:
    a, b, c = _members(ws)
    with ws.write() as s:
        offer = sd.create_supply_demand(s, SupplyDemandInput(
            a, "供给", "可以帮忙做品牌设计和 Logo", "技能", keywords="设计，品牌 logo", created_on=D,
            expires_on=D + dt.timedelta(days=30)), operator="小王")
        need = sd.create_supply_demand(s, SupplyDemandInput(
            b, "需求", "找一位懂短视频运营的伙伴", "合作", keywords=["短视频 运营", "抖音,快手"], created_on=D + dt.timedelta(days=2),
            expires_on=D + dt.timedelta(days=10)))
        old = sd.create_supply_demand(s, SupplyDemandInput(c, "需求", "求推荐杭州的会议场地", "资源", created_on=D - dt.timedelta(days=40)))
    assert offer.keywords == ("设计", "品牌", "logo") and offer.member_name == "张三"
    assert need.keywords == ("短视频 运营", "抖音", "快手")

    cases = [
        (SupplyDemandInput(a, "供应", "x"), "类型"),
        (SupplyDemandInput(a, "供给", "x", category="人脉"), "类别"),
        (SupplyDemandInput(a, "供给", "  "), "内容"),
        (SupplyDemandInput(a, "供给", "x", created_on=D, expires_on=D - dt.timedelta(days=1)), "有效期至"),
        (SupplyDemandInput(a, "供给", "x", created_on="2024-02-30"), "发布日期"),  # type: ignore[arg-type]
        (SupplyDemandInput(a, "供给", "x", status="done"), "状态"),
        (SupplyDemandInput(99_999, "供给", "x"), "成员"),
        (SupplyDemandInput(a, "供给", "x", keywords=[f"{i}" + "词" * 49 for i in range(9)]), "关键词"),
    ]
    for data, column in cases:
        with pytest.raises(ValidationError) as err, ws.write() as s:
            sd.create_supply_demand(s, data)
        assert err.value.column == column, (data, str(err.value))

    with ws.read() as s:
        assert [i.id for i in sd.list_supply_demand(s)] == [need.id, offer.id, old.id]
        assert [i.id for i in sd.list_supply_demand(s, kind="需求")] == [need.id, old.id]
        assert [i.id for i in sd.list_supply_demand(s, category="技能")] == [offer.id]
        assert [i.id for i in sd.list_supply_demand(s, since=D, until=D + dt.timedelta(days=1))] == [offer.id]
        assert [i.id for i in sd.list_supply_demand(s, member_id=c)] == [old.id]
        assert [i.id for i in sd.list_supply_demand(s, query="LOGO")] == [offer.id]  # keywords, any case
        assert [i.id for i in sd.list_supply_demand(s, query="zs 设计")] == [offer.id]  # member initials + text
        assert [i.id for i in sd.list_supply_demand(s, query="抖音")] == [need.id]
        assert sd.list_supply_demand(s, query="100%") == []

    with ws.write() as s:
        edit = offer.to_input()
        edit.keywords = ["设计", "VI"]
        edited = sd.update_supply_demand(s, offer.id, edit, expected_version=offer.version)
    assert edited.keywords == ("设计", "VI") and edited.version == offer.version + 1
    with pytest.raises(ConflictError), ws.write() as s:
        sd.update_supply_demand(s, offer.id, edit, expected_version=offer.version)

    with ws.write() as s:
        assert sd.expire_overdue(s, D + dt.timedelta(days=20), operator="系统") == 1
    with ws.read() as s:
        assert {i.id: i.status for i in sd.list_supply_demand(s)} == {need.id: "closed", offer.id: "open", old.id: "open"}
        assert [i.id for i in sd.list_supply_demand(s, status="open")] == [offer.id, old.id]

    with ws.write() as s:
        snap = sd.delete_supply_demand(s, old.id)
    with ws.read() as s:
        with pytest.raises(NotFoundError):
            sd.get_supply_demand(s, old.id)
    with ws.write() as s:
        sd.restore_supply_demand(s, snap)
    with ws.read() as s:
        assert sd.get_supply_demand(s, old.id).text == "求推荐杭州的会议场地"


def test_matches_refusals_and_outcomes(ws) -> None:
    a, b, c = _members(ws)
    with ws.write() as s:
        offer = sd.create_supply_demand(s, SupplyDemandInput(a, "供给", "品牌设计", "技能", created_on=D)).id
        offer2 = sd.create_supply_demand(s, SupplyDemandInput(c, "供给", "做过品牌升级", "技能", created_on=D)).id
        need = sd.create_supply_demand(s, SupplyDemandInput(b, "需求", "找设计师做 Logo", "技能", created_on=D)).id
        own_need = sd.create_supply_demand(s, SupplyDemandInput(a, "需求", "找摄影师", "服务", created_on=D)).id

    refusals = [
        ((offer, offer2), "两条都是「供给」"),
        ((need, offer), "请把供给放在前面"),
        ((offer, own_need), "不能匹配给同一个人"),
    ]
    for (o, n), needle in refusals:
        with pytest.raises(ValidationError) as err, ws.write() as s:
            sd.record_match(s, o, n, 0.5)
        assert needle in str(err.value)

    with ws.write() as s:
        m1 = sd.record_match(s, offer, need, 0.82, "类别相同，关键词「设计」重合", proposed_by="匹配器", operator="小王")
        m2 = sd.record_match(s, offer2, need, 0.61, "类别相同", operator="小王")
    assert (m1.offer_member_name, m1.need_member_name, m1.outcome, m1.proposed_by) == ("张三", "李四", "proposed", "匹配器")
    assert m2.proposed_by == "小王"
    with pytest.raises(ConflictError), ws.write() as s:
        sd.record_match(s, offer, need, 0.9)

    def statuses(s) -> dict[int, str]:
        return {i.id: i.status for i in sd.list_supply_demand(s)}

    with ws.write() as s:
        sd.set_match_outcome(s, m1.id, "accepted", "已拉群介绍", expected_version=m1.version, operator="小王")
        sd.set_match_outcome(s, m2.id, "accepted")
    with ws.read() as s:
        assert statuses(s)[offer] == "matched" and statuses(s)[need] == "matched" and statuses(s)[offer2] == "matched"
        assert [m.id for m in sd.list_matches(s)] == [m1.id, m2.id]
        assert [m.id for m in sd.list_matches(s, member_id=c)] == [m2.id]
        assert sd.list_matches(s, outcome="proposed") == []
    with pytest.raises(ConflictError), ws.write() as s:
        sd.set_match_outcome(s, m1.id, "met", expected_version=m1.version)
    with pytest.raises(ValidationError), ws.write() as s:
        sd.set_match_outcome(s, m1.id, "maybe")

    # Rejecting one of two accepted matches keeps the need matched (the other holds it)
    # and reopens the offer that nothing holds any more.
    with ws.write() as s:
        sd.set_match_outcome(s, m2.id, "rejected", "对方档期不合适")
    with ws.read() as s:
        st_ = statuses(s)
        assert (st_[offer2], st_[need], st_[offer]) == ("open", "matched", "matched")
        notes = list(s.scalars(select(AuditEntry.after).where(AuditEntry.entity == "match", AuditEntry.action == "update")))
    assert notes[-1]["items"] == {str(offer2): "open"}
    with ws.write() as s:
        sd.delete_match(s, m2.id)
    with pytest.raises(ValidationError), ws.write() as s:
        sd.delete_match(s, m1.id)
    with ws.write() as s:
        assert sd.expire_overdue(s, D + dt.timedelta(days=400)) == 0  # no expiry dates set
        closed = sd.get_supply_demand(s, offer2)
        edit = closed.to_input()
        edit.status = "closed"
        sd.update_supply_demand(s, offer2, edit)
    with pytest.raises(ValidationError) as err, ws.write() as s:
        sd.record_match(s, offer2, need, 0.3)
    assert "已关闭" in str(err.value)


@given(st.lists(st.text(min_size=0, max_size=12), max_size=8))
def test_keywords_round_trip_through_the_column(words: list[str]) -> None:
    parsed = sd.parse_keywords(words)
    assert list(sd.split_keywords(sd.join_keywords(parsed))) == parsed
    assert all(w and "," not in w and "，" not in w and w == w.strip() for w in parsed)
    assert sd.parse_keywords(parsed) == parsed

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from sqlalchemy import insert, select

from sqdesk.core import activity, groups, roster
from sqdesk.core.activity import ActivityFilter
from sqdesk.core.errors import ConflictError, NotFoundError, ValidationError
from sqdesk.models import Activity, AuditEntry, ImportBatch

T0 = dt.datetime(2024, 3, 1, 9, 0)


def _setup(ws) -> tuple[list[int], list[int]]:
    with ws.write() as s:
        g1 = groups.create_group(s, "杭州一群").id
        g2 = groups.create_group(s, "杭州二群").id
        ids = [
            roster.create_member(s, roster.MemberInput(name, {"phone": phone})).id
            for name, phone in (("张三", "13800138000"), ("李四", "13900139000"), ("王五", None))
        ]
    return ids, [g1, g2]


def test_manual_entry_edit_delete_restore_with_audit(ws) -> None:
    (zs, ls, _), (g1, _) = _setup(ws)
    with ws.write() as s:
        row = activity.add_activity(s, zs, "分享", T0, value=2, group_id=g1, note="分享了一篇文章", operator="小王")
    assert (row.member_name, row.group_name, row.value, row.source) == ("张三", "杭州一群", 2.0, "manual")

    with pytest.raises(ValidationError) as err, ws.write() as s:
        activity.add_activity(s, zs, "聊天", T0)
    assert err.value.column == "类型" and "应为" in str(err.value)
    with pytest.raises(ValidationError) as err, ws.write() as s:
        activity.add_activity(s, 999_999, "发言", T0)
    assert err.value.column == "成员"
    with pytest.raises(ValidationError) as err, ws.write() as s:
        activity.add_activity(s, zs, "发言", "2024-02-30")  # type: ignore[arg-type]
    assert err.value.column == "时间" and "不是存在的日期" in str(err.value)

    with ws.write() as s:
        edited = activity.update_activity(
            s, row.id, {"member_id": ls, "note": "改正：是李四分享的"}, expected_version=row.version, operator="小王"
        )
    assert (edited.member_name, edited.version) == ("李四", row.version + 1)
    with pytest.raises(ConflictError), ws.write() as s:
        activity.update_activity(s, row.id, {"value": 5}, expected_version=row.version)
    with pytest.raises(ValidationError), ws.write() as s:
        activity.update_activity(s, row.id, {"source": "import"})

    # An imported line can be corrected; the audit says where it came from.
    with ws.write() as s:
        batch = s.execute(
            insert(ImportBatch).values(kind="activity", file_name="聊天统计.xlsx", created_at=T0).returning(ImportBatch.id)
        ).scalar_one()
        imported = s.execute(
            insert(Activity).values(member_id=zs, kind="发言", occurred_at=T0, value=30, note="", source="import",
                                    batch_id=batch).returning(Activity.id)
        ).scalar_one()
    with ws.write() as s:
        activity.update_activity(s, imported, {"value": 3}, operator="小王")
    with ws.write() as s:
        snap = activity.delete_activity(s, row.id, operator="小王")
    with ws.read() as s:
        with pytest.raises(NotFoundError):
            activity.get_activity(s, row.id)
        trail = s.execute(
            select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.note, AuditEntry.operator)
            .where(AuditEntry.entity == "activity").order_by(AuditEntry.id)
        ).all()
    assert [(a, e) for a, e, _, _ in trail] == [("create", row.id), ("update", row.id), ("update", imported), ("delete", row.id)]
    assert f"批次 #{batch}" in trail[2][2] and {o for *_, o in trail} == {"小王"}
    with ws.write() as s:
        activity.restore_activity(s, snap)
    with ws.read() as s:
        back = activity.get_activity(s, row.id)
    assert (back.member_name, back.note, back.value) == ("李四", "改正：是李四分享的", 2.0)


def _expected(rows: list[dict], pred) -> list[int]:
    hits = [r for r in rows if pred(r)]
    hits.sort(key=lambda r: (r["occurred_at"], r["id"]), reverse=True)
    return [r["id"] for r in hits]


def _walk(s, flt: ActivityFilter | None, size: int) -> list[int]:
    out: list[int] = []
    before = None
    while True:
        page = activity.activity_page(s, flt, before=before, limit=size)
        out += [r.id for r in page]
        if len(page) < size:
            return out
        before = page[-1].cursor


def test_keyset_pages_cover_every_filter_exactly_once(ws) -> None:
    (zs, ls, ww), (g1, g2) = _setup(ws)
    rnd = random.Random(5)
    kinds = ["发言", "签到", "分享", "违规"]
    # Many lines share a timestamp: the id tie-break must neither skip nor repeat them.
    params = [
        {
            "member_id": rnd.choice([zs, zs, ls, ww]),
            "group_id": rnd.choice([g1, g2, None]),
            "kind": rnd.choice(kinds),
            "occurred_at": T0 + dt.timedelta(hours=rnd.randrange(40)),
            "value": 1.0,
            "note": rnd.choice(["", "", "迟到了"]),
            "source": "import",
        }
        for _ in range(400)
    ]
    with ws.write() as s:
        s.execute(insert(Activity), params)
    with ws.read() as s:
        stored = [dict(r) for r in s.execute(select(Activity.__table__)).mappings()]
        start, end = T0 + dt.timedelta(hours=10), T0 + dt.timedelta(hours=30)
        cases = [
            (None, lambda r: True),
            (ActivityFilter(member_id=zs), lambda r: r["member_id"] == zs),
            (ActivityFilter(group_id=g2), lambda r: r["group_id"] == g2),
            (ActivityFilter(kinds=["签到", "违规"], start=start, end=end),
             lambda r: r["kind"] in ("签到", "违规") and start <= r["occurred_at"] < end),
            (ActivityFilter(query="ls"), lambda r: r["member_id"] == ls),
            (ActivityFilter(query="139001"), lambda r: r["member_id"] == ls),
            (ActivityFilter(member_id=ww, note="迟到"), lambda r: r["member_id"] == ww and r["note"] == "迟到了"),
        ]
        for flt, pred in cases:
            want = _expected(stored, pred)
            assert want, flt
            for size in (1, 7, 50, 1000):
                assert _walk(s, flt, size) == want, (flt, size)
            assert activity.count_activity(s, flt) == len(want)
        timeline = activity.member_timeline(s, ls, limit=5)
        assert [r.id for r in timeline] == _expected(stored, lambda r: r["member_id"] == ls)[:5]
        assert {r.member_name for r in timeline} == {"李四"}
        named = {r.group_id: r.group_name for r in activity.activity_page(s, limit=400)}
        assert named == {g1: "杭州一群", g2: "杭州二群", None: ""}
        with pytest.raises(ValidationError):
            activity.activity_page(s, ActivityFilter(kinds=["聊天"]))
        assert activity.activity_page(s, ActivityFilter(query="没有这个人")) == []


def test_page_plans_walk_an_index_without_sorting(ws) -> None:
    (zs, _, _), _ = _setup(ws)
    with ws.write() as s:
        s.execute(insert(Activity), [
            {"member_id": zs, "kind": "发言", "occurred_at": T0 + dt.timedelta(minutes=i), "value": 1.0,
             "note": "", "source": "import"} for i in range(300)
        ])
    cursor = (T0 + dt.timedelta(minutes=100), 50)
    cases = [
        (None, None, "ix_activities_time"),
        (None, cursor, "ix_activities_time"),
        (ActivityFilter(member_id=zs), None, "ix_activities_member_time"),
        (ActivityFilter(member_id=zs), cursor, "ix_activities_member_time"),
    ]
    for flt, before, index in cases:
        with ws.write() as s:  # PostgreSQL's SET LOCAL needs a transaction we then drop
            plan = activity.explain_page(s, flt, before=before, prefer_index=True)
            s.rollback()
        text = "\n".join(plan)
        assert index in text, text
        if ws.is_sqlite:
            assert "TEMP B-TREE" not in text, text
            assert not any(re.match(r"SCAN activities$", line) for line in plan), text
        else:
            # An Incremental Sort on the id tie-break within equal times is fine; a full
            # Sort or a sequential scan is not.
            assert not re.search(r"(^|->\s+)Sort\b", text, re.M), text
            assert "Seq Scan" not in text, text


def test_only_a_payment_may_be_negative_and_old_negative_counts_do_not_break_the_scores(ws) -> None:
    from sqdesk.analytics.metrics import compute_member_metrics

    at = dt.datetime(2025, 6, 20, 20, 0)
    with ws.write() as s:
        mid = roster.create_member(s, roster.MemberInput("退款的人")).id
        refund = activity.add_activity(s, mid, "付费", at, value=-99.0)  # a refund: allowed
    with pytest.raises(ValidationError, match="负数") as err, ws.write() as s:
        activity.add_activity(s, mid, "发言", at, value=-5)
    assert err.value.column == "数值"
    with ws.write() as s:
        talk = activity.add_activity(s, mid, "发言", at, value=5)
    with pytest.raises(ValidationError, match="负数"), ws.write() as s:
        activity.update_activity(s, talk.id, {"value": -5})
    with pytest.raises(ValidationError, match="负数"), ws.write() as s:
        activity.update_activity(s, refund.id, {"kind": "发言"})  # -99 would become a count
    # a workspace written before this check may hold one: the scores still compute
    with ws.write() as s:
        s.execute(insert(Activity), [{"member_id": mid, "kind": "发言", "occurred_at": at, "value": -50.0,
                                         "note": "", "source": "manual"}])
    with ws.read() as s:
        row = compute_member_metrics(s, dt.date(2025, 6, 30)).row(mid)
    assert row["messages_30d"] == -45.0 and 0.0 <= row["score"] <= 100.0

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from sqdesk.analytics.levels import apply_level_hysteresis, pending_holds, update_levels
from sqdesk.analytics.metrics import (
    MEMBER_VARIABLES,
    compute_member_metrics,
    evidence_rows,
    level_of,
    score_of,
)
from sqdesk.core.errors import ValidationError
from sqdesk.models import Activity, AuditEntry, Member
from tests.analytics.world import AS_OF, D, World, fetch, oracle_member, planted

NUMERIC = [
    "messages_7d", "messages_30d", "messages_90d", "checkins_30d", "shares_30d", "invites_30d",
    "violations_30d", "registered_90d", "attended_90d", "no_shows_90d", "invites_stayed",
    "days_since_join", "inactive_days", "paid_until_days",
]


def test_every_member_figure_matches_a_plain_recount(ws) -> None:
    p = planted()
    reminded = p.world.member("只被提醒的人", D(2024, 1, 1), groups=(p.g_healthy,))
    p.world.act(reminded, "发言", D(2025, 3, 1), 2, group=p.g_healthy)
    p.world.act(reminded, "提醒", D(2025, 6, 29), group=p.g_healthy)
    p.world.act(reminded, "发言", D(2025, 7, 3), 9, group=p.g_healthy)   # after as_of: ignored
    undated = p.world.member("不知何时入群", None, groups=(p.g_healthy,))
    p.world.memberships[-1]["joined_on"] = D(2025, 6, 20)
    with ws.write() as s:
        p.world.save(s)
    for as_of in (AS_OF, D(2025, 3, 15)):
        with ws.read() as s:
            table = compute_member_metrics(s, as_of)
            rows = fetch(s)
        assert table.member_ids == sorted(rows.members)
        assert set(MEMBER_VARIABLES) <= set(table.columns)
        for mid in table.member_ids:
            got, want = table.row(mid), oracle_member(rows, mid, as_of)
            for name in NUMERIC:
                assert got[name] == want[name], (mid, name, got[name], want[name])
            assert got["last_active"] == want["last_active"], mid
            assert got["has_intro"] == want["has_intro"]
            want_score = score_of(
                want["inactive_days"] if want["last_active"] else None, want["last_active"] is not None,
                want["messages_30d"], want["checkins_30d"], want["shares_30d"], want["invites_30d"],
                want["invites_stayed"], want["attended_90d"], want["no_shows_90d"], want["violations_30d"],
            )
            assert got["score"] == want_score
            assert got["level_computed"] == level_of(want_score, want["active_90d"])
            assert got["level"] == got["level_computed"]   # nothing stored yet
    # The planted facts, stated plainly.
    with ws.read() as s:
        table = compute_member_metrics(s, AS_OF)
    r = table.row
    assert r(p.backbone_silent)["inactive_days"] == 30 and r(p.backbone_busy)["inactive_days"] == 0
    assert r(p.backbone_busy)["level"] == "核心" and r(p.backbone_silent)["level"] == "潜水"
    assert all(r(m)["level"] == "沉默" for m in p.jan_cohort)
    assert r(reminded)["inactive_days"] == (AS_OF - D(2025, 3, 1)).days   # a 提醒 is not participation
    assert r(undated)["days_since_join"] == 10 and r(undated)["inactive_days"] == 10
    assert r(p.good_inviter)["invites_stayed"] == 3 and r(p.bad_inviter)["invites_stayed"] == 0
    regular = r(p.feb_cohort[0])
    assert (regular["registered_90d"], regular["attended_90d"], regular["no_shows_90d"]) == (1, 1, 0)
    assert r(p.feb_cohort[5])["no_shows_90d"] == 1 and r(p.feb_cohort[6])["registered_90d"] == 0
    assert r(p.feb_cohort[0])["checkins_30d"] == 10
    assert r(p.owner)["groups"] == ["一群", "二群（群主独大）"] and r(p.owner)["role"] == "群主"
    assert r(p.jan_cohort[1])["groups"] == [] and r(p.jan_cohort[1])["status"] == "已退出"


def test_filters_by_group_and_member(ws) -> None:
    p = planted()
    with ws.write() as s:
        p.world.save(s)
    with ws.read() as s:
        full = compute_member_metrics(s, AS_OF)
        some = [p.owner, p.backbone_silent, p.feb_cohort[2]]
        part = compute_member_metrics(s, AS_OF, member_ids=some)
        g2 = compute_member_metrics(s, AS_OF, group_ids=[p.g_owned])
    assert part.member_ids == sorted(some)
    for mid in some:
        assert part.row(mid) == full.row(mid)
    # Only the second group's members, and only the talk in that group.
    assert set(g2.member_ids) == {p.owner, p.admin, *range(p.backbone_silent + 1, p.backbone_silent + 4)}
    assert g2.row(p.owner)["messages_30d"] == 48 and full.row(p.owner)["messages_30d"] == 48
    assert g2.row(p.owner)["messages_90d"] == 144
    assert g2.row(p.admin)["messages_90d"] == 0 and full.row(p.admin)["messages_90d"] == 30


def test_evidence_rows_add_up_to_the_figures(ws) -> None:
    p = planted()
    with ws.write() as s:
        p.world.save(s)
    with ws.read() as s:
        table = compute_member_metrics(s, AS_OF)
        for mid in (p.backbone_busy, p.feb_cohort[0], p.feb_cohort[4], p.good_inviter, p.owner):
            row = table.row(mid)
            for name in ("messages_7d", "messages_30d", "messages_90d", "invites_30d"):
                ev = evidence_rows(s, mid, name, AS_OF)
                assert sum(e.value for e in ev) == row[name], (mid, name)
                assert all(e.source == "activity" for e in ev)
            for name in ("checkins_30d", "shares_30d", "violations_30d", "attended_90d", "registered_90d",
                         "no_shows_90d", "invites_stayed"):
                assert len(evidence_rows(s, mid, name, AS_OF)) == row[name], (mid, name)
            last = evidence_rows(s, mid, "inactive_days", AS_OF)
            assert last and (AS_OF - last[0].at.date()).days == row["inactive_days"]
            score_rows = evidence_rows(s, mid, "score", AS_OF)
            assert {(e.source, e.id) for e in last} <= {(e.source, e.id) for e in score_rows}
        stayed = evidence_rows(s, p.good_inviter, "invites_stayed", AS_OF)
        assert sorted(e.member_id for e in stayed) == p.good_invitees
        assert evidence_rows(s, p.owner, "role", AS_OF) == []
        with pytest.raises(ValidationError):
            evidence_rows(s, p.owner, "no_such_thing", AS_OF)


@pytest.mark.parametrize(
    ("prev", "since", "new", "as_of", "want"),
    [
        ("", None, "一般", D(2025, 1, 31), ("一般", D(2025, 1, 31))),                 # first level
        ("一般", D(2025, 1, 1), "核心", D(2025, 1, 2), ("核心", D(2025, 1, 2))),       # upgrade at once
        ("核心", D(2025, 1, 1), "核心", D(2025, 1, 20), ("核心", D(2025, 1, 20))),     # confirmed
        ("核心", D(2025, 1, 1), "潜水", D(2025, 1, 30), ("核心", D(2025, 1, 1))),      # held (29 days)
        ("核心", D(2025, 1, 1), "潜水", D(2025, 1, 31), ("潜水", D(2025, 1, 31))),     # 30 days: down
        ("核心", None, "活跃", D(2025, 1, 2), ("活跃", D(2025, 1, 2))),                 # unknown since
        ("活跃", D(2025, 1, 1), "核心", D(2025, 1, 5), ("核心", D(2025, 1, 5))),
    ],
)
def test_level_hysteresis(prev: str, since: dt.date | None, new: str, as_of: dt.date, want: tuple[str, dt.date]) -> None:
    assert apply_level_hysteresis(prev, since, new, as_of, 30) == want


def test_update_levels_holds_downgrades_for_the_review_period(ws) -> None:
    w = World()
    g = w.group("群")
    star = w.member("明星", D(2024, 1, 1), groups=(g,))
    comeback = w.member("回归者", D(2024, 1, 1), groups=(g,))
    for day in range(60):
        w.act(star, "发言", D(2025, 1, 1) + dt.timedelta(days=day), 10, group=g)
        w.act(comeback, "发言", D(2025, 1, 1) + dt.timedelta(days=day), 10, group=g)
    # comeback talks again from 2025-03-25 to 2025-04-05
    for day in range(12):
        w.act(comeback, "发言", D(2025, 3, 25) + dt.timedelta(days=day), 10, group=g)
    with ws.write() as s:
        w.save(s)

    def run(as_of: dt.date) -> dict[int, str]:
        with ws.write() as s:
            update_levels(s, as_of, review_days=30, operator="测试员")
        with ws.read() as s:
            return {int(m): lvl for m, lvl in s.execute(select(Member.id, Member.level))}

    assert run(D(2025, 3, 1)) == {star: "核心", comeback: "核心"}
    with ws.read() as s:
        computed = compute_member_metrics(s, D(2025, 3, 20)).row(star)["level_computed"]
    assert computed != "核心"                      # the numbers say: lower
    assert run(D(2025, 3, 20)) == {star: "核心", comeback: "核心"}   # held: review starts 03-20
    with ws.read() as s:
        assert pending_holds(s) == {star: D(2025, 3, 20), comeback: D(2025, 3, 20)}
    assert run(D(2025, 4, 1)) == {star: "核心", comeback: "核心"}     # comeback qualified again
    with ws.read() as s:
        assert pending_holds(s) == {star: D(2025, 3, 20)}
        version_before = s.scalar(select(Member.version).where(Member.id == star))
    assert run(D(2025, 4, 18))[star] == "核心"     # 29 days into the review
    levels = run(D(2025, 4, 19))                  # 30 days: the downgrade goes through
    assert levels[star] == "潜水"
    assert levels[comeback] == "核心"              # its review restarted on 04-18 (first day below again)
    with ws.read() as s:
        assert s.scalar(select(Member.version).where(Member.id == star)) == version_before + 1
        actions = [
            a for (a,) in s.execute(
                select(AuditEntry.action).where(AuditEntry.entity == "member", AuditEntry.entity_id == star)
                .order_by(AuditEntry.id)
            )
        ]
    assert actions == ["level_hold", "level"]      # the first level is in the run's summary entry
    with ws.read() as s:
        init = s.execute(select(AuditEntry.after).where(AuditEntry.action == "level_init")).scalars().all()
    assert init == [{"members": 2, "as_of": "2025-03-01"}]
    # A fresh burst of talk is an immediate upgrade.
    with ws.write() as s:
        for day in range(30):
            w2 = {"member_id": star, "group_id": g, "kind": "发言", "occurred_at": dt.datetime(2025, 5, 1 + day, 9),
                  "value": 20.0, "note": "", "source": "manual"}
            s.execute(insert(Activity), [w2])
    assert run(D(2025, 5, 30))[star] == "核心"

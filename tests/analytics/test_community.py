from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import pytest
from sqlalchemy import insert

from sqdesk.analytics import community as c
from sqdesk.analytics.metrics import level_of, score_of
from sqdesk.core.errors import ValidationError
from sqdesk.models import Event
from sqdesk.models.event import event_groups
from tests.analytics.world import (
    ACTIVE,
    AS_OF,
    STAFF,
    START,
    D,
    Planted,
    Rows,
    fetch,
    gini_pairs,
    oracle_active_sets,
    oracle_intervals,
    oracle_member,
    oracle_roster,
    planted,
)


@pytest.fixture
def world(ws) -> tuple[object, Planted, Rows]:
    p = planted()
    with ws.write() as s:
        p.world.save(s)
    with ws.read() as s:
        rows = fetch(s)
    return ws, p, rows


def _groups(scope: c.Scope) -> set[int] | None:
    return set(scope.group_ids) if scope.group_ids is not None else None


def test_active_members_and_rates_match_a_recount(world) -> None:
    ws, p, rows = world
    scopes = [
        c.Scope(START, AS_OF),
        c.Scope(START, AS_OF, include_staff=True),
        c.Scope(D(2025, 2, 10), D(2025, 5, 3), group_ids=(p.g_owned,)),
        c.Scope(START, AS_OF, group_ids=(p.g_healthy,)),
    ]
    for scope in scopes:
        for unit in ("day", "week", "month"):
            with ws.read() as s:
                series = c.active_series(s, scope, unit)
            assert [pt.period for pt in series.points] == c.periods(scope, unit)
            for pt in series.points:
                acts = oracle_active_sets(rows, pt.period.start, pt.period.end, _groups(scope), scope.include_staff)
                want = {a["member_id"] for a in acts}
                roster = oracle_roster(rows, pt.period.start, pt.period.end, scope.start, scope.end,
                                       _groups(scope), scope.include_staff)
                assert pt.active == len(want), (scope, unit, pt)
                assert pt.roster == len(roster), (scope, unit, pt)
                assert want <= roster
        # drill-down of one month
        with ws.read() as s:
            ev = c.active_evidence(s, scope, D(2025, 3, 1), D(2025, 3, 31))
        acts = oracle_active_sets(rows, max(D(2025, 3, 1), scope.start), min(D(2025, 3, 31), scope.end),
                                  _groups(scope), scope.include_staff)
        assert ev.member_ids == sorted({a["member_id"] for a in acts})
        assert ev.activity_ids == sorted(a["id"] for a in acts)
    # Planted: staff are left out by default; the March roster lost the four who left on 03-20
    # only from April on.
    with ws.read() as s:
        months = c.active_series(s, c.Scope(START, AS_OF), "month").points
        with_staff = c.active_series(s, c.Scope(START, AS_OF, include_staff=True), "month").points
    assert [b.active - a.active for a, b in zip(months, with_staff, strict=True)] == [1, 1, 1, 1, 1, 2]
    # March → April: the bad inviter's four invitees left in March, and the undated leaver was
    # last seen in March; the member whose join was recorded late counts from February.
    assert months[2].roster - months[3].roster == 5
    late, gone = len(rows.members) - 1, len(rows.members)
    with ws.read() as s:
        feb = c.active_series(s, c.Scope(D(2025, 2, 1), D(2025, 2, 28)), "month").points[0]
        ev = c.active_evidence(s, c.Scope(START, AS_OF), D(2025, 3, 1), D(2025, 3, 31))
    assert feb.roster == len(oracle_roster(rows, D(2025, 2, 1), D(2025, 2, 28), D(2025, 2, 1), D(2025, 2, 28), None, False))
    assert gone in ev.member_ids and late not in ev.member_ids


def test_growth_by_week_and_month(world) -> None:
    ws, p, rows = world
    scope = c.Scope(START, AS_OF)
    with ws.read() as s:
        monthly = c.growth(s, scope, "month")
        weekly = c.growth(s, scope, "week")
        ev = c.growth_evidence(s, scope, D(2025, 3, 1), D(2025, 3, 31))
    assert [(pt.joins, pt.leaves, pt.net) for pt in monthly.points] == [
        (10, 0, 10), (8, 0, 8), (7, 4, 3), (1, 5, -4), (0, 0, 0), (0, 0, 0),
    ]
    assert ev.joined == sorted(p.bad_invitees + p.good_invitees) and ev.left == p.bad_invitees
    intervals = oracle_intervals(rows, None, False)
    for pt in weekly.points:
        joins = sum(1 for j, _, _ in intervals.values() if j and pt.period.start <= j <= pt.period.end)
        leaves = sum(1 for _, lv, d in intervals.values() if d and lv and pt.period.start <= lv <= pt.period.end)
        assert (pt.joins, pt.leaves) == (joins, leaves)
    assert sum(pt.joins for pt in weekly.points) == 26 and monthly.undated_leaves == 1


def test_retention_finds_the_cohort_that_churned_after_two_months(world) -> None:
    ws, p, rows = world
    scope = c.Scope(START, AS_OF)
    with ws.read() as s:
        ret = c.retention(s, scope, months=6)
        ev = c.retention_evidence(s, scope, D(2025, 2, 1), 3)
    by_month = {co.month: co for co in ret.cohorts}
    assert by_month[D(2025, 1, 1)].shares == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    assert by_month[D(2025, 2, 1)].shares == [1.0, 1.0, 1.0, 1.0, 1.0, None]
    assert by_month[D(2025, 1, 1)].member_ids == p.jan_cohort
    assert ev.member_ids == p.feb_cohort
    # The whole matrix against a recount.
    intervals = oracle_intervals(rows, None, False)
    active_months = defaultdict(set)
    for a in oracle_active_sets(rows, START, AS_OF, None, False):
        d = a["occurred_at"].date()
        active_months[a["member_id"]].add(d.year * 12 + d.month - 1)
    for co in ret.cohorts:
        cm = co.month.year * 12 + co.month.month - 1
        members = [m for m, (j, _, _) in intervals.items() if j and START <= j <= AS_OF and j.year * 12 + j.month - 1 == cm]
        assert sorted(members) == co.member_ids
        for k in range(6):
            if cm + k > AS_OF.year * 12 + AS_OF.month - 1:
                assert co.active[k] is None
            else:
                assert co.active[k] == sum(1 for m in members if cm + k in active_months[m])


def test_event_attendance_and_no_shows(world) -> None:
    ws, p, rows = world
    with ws.read() as s:
        default = c.event_attendance(s, c.Scope(START, AS_OF))
        staff = c.event_attendance(s, c.Scope(START, AS_OF, include_staff=True))
        other_group = c.event_attendance(s, c.Scope(START, AS_OF, group_ids=(p.g_owned,)))
        no_shows = c.attendance_evidence(s, c.Scope(START, AS_OF), p.talk_event, ("缺席",))
    (talk,) = default.events
    assert (talk.registered, talk.attended, talk.no_show) == (6, 4, 2)
    assert math.isclose(talk.attendance_rate or 0, 4 / 6) and math.isclose(default.no_show_rate or 0, 2 / 6)
    assert (staff.registered, staff.attended) == (7, 5)
    assert other_group.events == []           # the talk was aimed at the first group only
    assert no_shows.member_ids == sorted(p.feb_cohort[4:6]) and len(no_shows.registration_ids) == 2


def test_level_distribution_partitions_the_roster(world) -> None:
    ws, p, rows = world
    with ws.read() as s:
        dist = c.level_distribution(s, c.Scope(START, AS_OF))
    present = sorted(m for m, (j, _, d) in oracle_intervals(rows, None, False).items() if not d)
    assert sorted(m for ids in dist.member_ids.values() for m in ids) == present
    assert dist.total == len(present) == sum(dist.counts.values())
    for level, ids in dist.member_ids.items():
        for mid in ids:
            o = oracle_member(rows, mid, AS_OF)
            sc = score_of(o["inactive_days"] if o["last_active"] else None, o["last_active"] is not None,
                          o["messages_30d"], o["checkins_30d"], o["shares_30d"], o["invites_30d"],
                          o["invites_stayed"], o["attended_90d"], o["no_shows_90d"], o["violations_30d"])
            assert level_of(sc, o["active_90d"]) == level
    assert p.backbone_busy in dist.member_ids["核心"] and set(p.jan_cohort[::2]) <= set(dist.member_ids["沉默"])
    core, active, lurk = (dist.reference[k] for k in ("核心", "活跃", "潜水"))
    assert (core[1], active[1], lurk[1]) == (0.2, 0.5, 0.3)
    assert math.isclose(core[0] + active[0] + lurk[0], 1.0)
    assert core[0] == dist.counts["核心"] / dist.total


def test_inequality_and_backbone_risk(world) -> None:
    ws, p, rows = world
    scope = c.Scope(START, AS_OF)
    with ws.read() as s:
        ineq = c.participation_inequality(s, scope)
        risk = c.backbone_risk(s, scope, top_n=5, quiet_days=14)
        risk_long = c.backbone_risk(s, scope, quiet_days=40)
        top_rows = c.message_evidence(s, scope, risk.top_member_ids)
    counts: dict[int, float] = defaultdict(float)
    for a in oracle_active_sets(rows, START, AS_OF, None, False, {"发言"}):
        counts[a["member_id"]] += a["value"]
    values = sorted(counts.values(), reverse=True)
    total = sum(values)
    k = math.ceil(len(values) / 10)
    assert ineq.talkers == len(values) and ineq.total_messages == total and ineq.top10_count == k
    assert math.isclose(ineq.top10_share or 0, sum(values[:k]) / total)
    assert math.isclose(ineq.gini or 0, gini_pairs(list(counts.values())) or 0)
    assert p.owner not in counts and ineq.counts == dict(counts)
    assert math.isclose(risk.top_share or 0, sum(values[:5]) / total)
    half = next(i + 1 for i in range(len(values)) if sum(values[: i + 1]) >= total / 2)
    assert risk.members_for_half == half
    by_id = {a["id"]: a for a in rows.activities}
    assert top_rows.member_ids == sorted(risk.top_member_ids)
    assert math.isclose(sum(by_id[i]["value"] for i in top_rows.activity_ids), (risk.top_share or 0) * total)
    assert [q.member_id for q in risk.quiet] == [p.backbone_silent]
    assert risk.quiet[0].last_active == dt.datetime(2025, 5, 31, 9)
    assert risk_long.quiet == []               # silent for 30 days only: not quiet over a 40-day window


def test_decentralisation_finds_the_owner_run_group(world) -> None:
    ws, p, rows = world
    scope = c.Scope(START, AS_OF)
    with ws.read() as s:
        dec = c.decentralisation(s, scope, "month")
        ev = c.decentralisation_evidence(s, scope, group_id=p.g_owned, staff=True)
    by_group = {g.group_id: g for g in dec.groups}
    assert math.isclose(by_group[p.g_owned].share.index or 0, 0.2)
    assert all(math.isclose(sh.index or 0, 0.2) for _, sh in dec.group_series[p.g_owned])
    for gid in (p.g_healthy, p.g_owned):
        msgs = [a for a in oracle_active_sets(rows, START, AS_OF, {gid}, True, {"发言"})]
        staff = sum(a["value"] for a in msgs if rows.members[a["member_id"]]["role"] in STAFF)
        members = sum(a["value"] for a in msgs if rows.members[a["member_id"]]["role"] not in STAFF)
        assert (by_group[gid].share.staff_messages, by_group[gid].share.member_messages) == (staff, members)
    assert by_group[p.g_healthy].share.index > 0.9
    assert ev.member_ids == [p.owner] and len(ev.activity_ids) == 6


def test_heatmap_by_weekday_and_hour(world) -> None:
    ws, p, rows = world
    scope = c.Scope(START, AS_OF)
    with ws.read() as s:
        heat = c.activity_heatmap(s, scope)
        cell = c.heatmap_evidence(s, scope, 0, 21)
    want = [[0.0] * 24 for _ in range(7)]
    for a in oracle_active_sets(rows, START, AS_OF, None, False, {"发言"}):
        want[a["occurred_at"].weekday()][a["occurred_at"].hour] += a["value"]
    assert heat.matrix == want and heat.total == sum(map(sum, want))
    mondays_21 = [a for a in oracle_active_sets(rows, START, AS_OF, None, False, {"发言"})
                  if a["occurred_at"].weekday() == 0 and a["occurred_at"].hour == 21]
    assert cell.activity_ids == sorted(a["id"] for a in mondays_21)
    assert p.backbone_busy in cell.member_ids


def test_inviter_quality(world) -> None:
    ws, p, rows = world
    with ws.read() as s:
        ranked = c.inviter_quality(s, c.Scope(START, AS_OF))
    quality = {q.inviter_id: q for q in ranked}
    bad, good = quality[p.bad_inviter], quality[p.good_inviter]
    assert (bad.invitees, bad.stayed_ids, bad.active_ids, bad.stay_rate) == (4, [], [], 0.0)
    assert (good.invitee_ids, good.stayed_ids, good.active_ids) == (p.good_invitees,) * 3
    assert set(quality) == {p.bad_inviter, p.good_inviter}
    assert [q.inviter_id for q in ranked] == [p.bad_inviter, p.good_inviter]   # most invitees first


def test_checkin_streak_survival(world) -> None:
    ws, p, rows = world
    start, end = p.campaign
    with ws.read() as s:
        surv = c.checkin_survival(s, start, end)
        ev = c.survival_evidence(s, surv, 5)
    assert surv.streaks == p.campaign_streaks
    n = len(p.campaign_streaks)
    assert surv.streak_survival == [sum(1 for v in p.campaign_streaks.values() if v >= k) / n for k in range(1, 11)]
    assert surv.still_checking[8] == 2 / 5 and surv.still_checking[9] == 1 / 5
    assert ev.member_ids == sorted([p.feb_cohort[0], p.feb_cohort[1], p.good_invitees[0]])
    # The same campaign as a 打卡 event aimed at the first group.
    with ws.write() as s:
        eid = s.execute(insert(Event).values(title="六月打卡", kind="打卡", starts_at=dt.datetime(2025, 6, 1, 6),
                                             ends_at=dt.datetime(2025, 6, 10, 23)).returning(Event.id)).scalar_one()
        s.execute(insert(event_groups).values(event_id=eid, group_id=p.g_healthy))
    with ws.read() as s:
        assert c.checkin_survival_for_event(s, eid).streak_survival == surv.streak_survival
        assert c.checkin_survival(s, start, end, group_ids=[p.g_owned]).participants == []


def test_scope_rejects_a_reversed_period() -> None:
    with pytest.raises(ValidationError, match="晚于"):
        c.Scope(D(2025, 2, 1), D(2025, 1, 1))


def test_active_kinds_are_what_the_docs_say() -> None:
    from sqdesk.analytics._sql import ACTIVE_KINDS

    assert set(ACTIVE_KINDS) == ACTIVE

"""The community figures that SQLite sums from the stored timestamp text (day/hour
prefixes bucketed in Python) against a plain-Python recount of the same rows, on both
backends: timestamps at midnight, one microsecond before it, on week and month
boundaries, on the scope's first and last day and just outside, NULL groups, staff.

Values are whole numbers and halves, so every sum is exact whatever order it is added in."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sqdesk.analytics import community as c
from sqdesk.analytics._sql import month_index
from tests.analytics.world import (
    ACTIVE,
    STAFF,
    World,
    fetch,
    oracle_active_sets,
    oracle_intervals,
    oracle_roster,
    spec_members,
)

BASE = dt.date(2025, 1, 1)   # a Wednesday; day 4 is the first Monday, day 30 the last of January
EDGE_TIMES = [dt.time(0, 0), dt.time(23, 59, 59, 999999), dt.time(12, 0), dt.time(0, 0, 0, 1), dt.time(23, 0)]
KINDS = ["发言", "发言", "发言", "签到", "分享", "邀请", "违规", "提醒"]

member_st = st.fixed_dictionaries({
    "role": st.sampled_from(["群主", "管理员", "骨干", "成员", "成员"]),
    "status": st.sampled_from(["在群", "在群", "已退出"]),
    "join": st.one_of(st.none(), st.integers(-40, 100)),
    "left": st.one_of(st.none(), st.integers(-10, 100)),
    "groups": st.sets(st.integers(0, 1), max_size=2),
    "inviter": st.one_of(st.none(), st.integers(0, 5)),
})
time_st = st.one_of(
    st.sampled_from(EDGE_TIMES),
    st.builds(dt.time, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59), st.integers(0, 999999)),
)
activity_st = st.tuples(
    st.integers(0, 5), st.sampled_from(KINDS), st.integers(-35, 100), time_st,
    st.integers(1, 40).map(lambda v: v / 2), st.one_of(st.none(), st.integers(0, 1)),
)
world_st = st.fixed_dictionaries({
    "members": st.lists(member_st, min_size=1, max_size=6),
    "activities": st.lists(activity_st, max_size=40),
    # Scopes that start and end on week and month boundaries as well as inside them.
    "start": st.one_of(st.sampled_from([0, 4, 30, 31]), st.integers(-5, 60)),
    "length": st.one_of(st.sampled_from([0, 6, 27, 58]), st.integers(0, 80)),
    "groups": st.sampled_from([None, (0,), (1,), (0, 1)]),
    "staff": st.booleans(),
})


def build(spec: dict) -> World:
    w = World()
    gids = spec_members(w, spec["members"], BASE)
    n = len(spec["members"])
    for mi, kind, day, when, value, g in spec["activities"]:
        w.activities.append({
            "member_id": mi % n + 1, "group_id": gids[g] if g is not None else None, "kind": kind,
            "occurred_at": dt.datetime.combine(BASE + dt.timedelta(days=day), when), "value": value,
            "note": "", "source": "manual",
        })
    return w


def edges(start: int, length: int, groups: tuple[int, ...] | None, staff: bool) -> dict:
    """Talk at midnight, one microsecond before it and at 23:00 on the days around the
    scope's ends and around a week and a month boundary, by staff and members, with and
    without a group."""
    days = sorted({start - 1, start, start + 1, 3, 4, 5, 30, 31, 32, start + length - 1, start + length,
                   start + length + 1})
    acts = [
        (mi, "发言", day, when, 1 + mi + day % 3 + (0.5 if when.hour else 0), g)
        for day in days for when in EDGE_TIMES for mi, g in ((0, 0), (1, 1), (2, None), (3, 0))
    ]
    return {
        "members": [
            {"role": "群主", "status": "在群", "join": -30, "left": None, "groups": {0}},
            {"role": "成员", "status": "在群", "join": 4, "left": None, "groups": {1}},
            {"role": "成员", "status": "已退出", "join": None, "left": 31, "groups": {0, 1}},
            {"role": "管理员", "status": "在群", "join": 31, "left": None, "groups": set()},
            # Two invitees who joined on the first day: one takes part only after the scope.
            {"role": "成员", "status": "在群", "join": start, "left": None, "groups": {0, 1}, "inviter": 1},
            {"role": "成员", "status": "已退出", "join": start, "left": None, "groups": {1}, "inviter": 1},
        ],
        "activities": [*acts, (4, "签到", start + length + 1, EDGE_TIMES[0], 1, 0),
                       (5, "分享", start, EDGE_TIMES[1], 1, 1), (5, "签到", start + 32, EDGE_TIMES[0], 1, 1)], "start": start, "length": length, "groups": groups, "staff": staff,
    }


def bucket(scope: c.Scope, unit: str, day: dt.date) -> int:
    return next(i for i, p in enumerate(c.periods(scope, unit)) if p.start <= day <= p.end)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=world_st)
@example(spec=edges(4, 27, None, False))
@example(spec=edges(0, 58, (0,), True))
@example(spec=edges(31, 0, (0, 1), False))
@example(spec=edges(-3, 40, (1,), True))
@example(spec=edges(-20, 50, None, False))
@example(spec=edges(-10, 300, None, True))   # more day periods than the PostgreSQL bit masks hold
def test_text_bucketed_figures_match_a_recount(ws, spec: dict) -> None:
    with ws.write() as s:
        build(spec).save(s)
    start = BASE + dt.timedelta(days=spec["start"])
    groups = tuple(g + 1 for g in spec["groups"]) if spec["groups"] is not None else None
    scope = c.Scope(start, start + dt.timedelta(days=spec["length"]), groups, spec["staff"])
    gset = set(groups) if groups is not None else None
    with ws.read() as s:
        rows = fetch(s)
        heat = c.activity_heatmap(s, scope)
        dec = {unit: c.decentralisation(s, scope, unit) for unit in ("day", "week", "month")}
        intervals = c.member_intervals(s, scope)
        retention = c.retention(s, scope, months=3)
        active_by_unit = {unit: c.active_series(s, scope, unit) for unit in ("day", "week", "month")}
        survival = c.checkin_survival(s, scope.start, scope.end, group_ids=groups, include_staff=scope.include_staff)
        evidence = {(w, h): c.heatmap_evidence(s, scope, w, h) for w in range(7) for h in (0, 23)}
        growth = {unit: c.growth(s, scope, unit) for unit in ("day", "week", "month")}
        inviters = c.inviter_quality(s, scope)
        inequality = c.participation_inequality(s, scope)

    # weekday × hour over the 发言 rows of the scope (staff as the scope says)
    want = [[0.0] * 24 for _ in range(7)]
    for a in oracle_active_sets(rows, scope.start, scope.end, gset, scope.include_staff, {"发言"}):
        want[a["occurred_at"].weekday()][a["occurred_at"].hour] += a["value"]
    assert heat.matrix == want
    assert heat.total == sum(map(sum, want))

    # staff/member talk per group and per period (staff always counted, split by role)
    talk = oracle_active_sets(rows, scope.start, scope.end, gset, True, {"发言"})
    for unit, got in dec.items():
        cells: dict[tuple[int | None, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for a in talk:
            staff = rows.members[a["member_id"]]["role"] in STAFF
            cells[(a["group_id"], bucket(scope, unit, a["occurred_at"].date()))][1 if staff else 0] += a["value"]
        per_group: dict[int | None, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for (gid, _), (mem, stf) in cells.items():
            per_group[gid][0] += mem
            per_group[gid][1] += stf
        assert {g.group_id: (g.share.member_messages, g.share.staff_messages) for g in got.groups} == {
            gid: tuple(v) for gid, v in per_group.items()
        }, unit
        assert (got.overall.member_messages, got.overall.staff_messages) == (
            sum(v[0] for v in per_group.values()), sum(v[1] for v in per_group.values()))
        for i, (period, share) in enumerate(got.series):
            assert period == c.periods(scope, unit)[i]
            assert (share.member_messages, share.staff_messages) == (
                sum(v[0] for (_, b), v in cells.items() if b == i), sum(v[1] for (_, b), v in cells.items() if b == i))
        for gid, series in got.group_series.items():
            assert [(sh.member_messages, sh.staff_messages) for _, sh in series] == [
                tuple(cells.get((gid, i), [0.0, 0.0])) for i in range(len(series))]

    # membership intervals (the roster of every figure)
    assert {m: (iv.join, iv.leave, iv.departed) for m, iv in intervals.items()} == oracle_intervals(rows, gset, scope.include_staff)

    # join-month cohorts and the months they were active in
    ivs = oracle_intervals(rows, gset, scope.include_staff)
    cohorts: dict[int, list[int]] = defaultdict(list)
    for mid, (join, _, _) in ivs.items():
        if join is not None and scope.start <= join <= scope.end:
            cohorts[month_index(join)].append(mid)
    got_cohorts = {month_index(co.month): co for co in retention.cohorts}
    assert sorted(got_cohorts) == sorted(cohorts)
    if cohorts:
        first = min(cohorts)
        acts = oracle_active_sets(rows, dt.date(first // 12, first % 12 + 1, 1), scope.end, gset, scope.include_staff)
        for m, mids in cohorts.items():
            assert got_cohorts[m].member_ids == sorted(mids)
            want_active = [
                None if m + k > month_index(scope.end)
                else len({a["member_id"] for a in acts if a["member_id"] in mids
                          and month_index(a["occurred_at"].date()) == m + k})
                for k in range(3)
            ]
            assert got_cohorts[m].active == want_active

    # joins and leaves per period
    for unit, g in growth.items():
        joins = [0] * len(g.points)
        leaves = [0] * len(g.points)
        for join, leave, departed in ivs.values():
            if join is not None and scope.start <= join <= scope.end:
                joins[bucket(scope, unit, join)] += 1
            if departed and leave is not None and scope.start <= leave <= scope.end:
                leaves[bucket(scope, unit, leave)] += 1
        assert [(pt.joins, pt.leaves) for pt in g.points] == list(zip(joins, leaves, strict=True)), unit
        assert g.undated_leaves == sum(1 for _, leave, departed in ivs.values() if departed and leave is None)

    # inviters: invitees who joined in the scope, stayed, took part up to its end
    all_ivs = oracle_intervals(rows, gset, True)
    by_inviter: dict[int, list[int]] = defaultdict(list)
    for mid, m in sorted(rows.members.items()):
        join = all_ivs.get(mid, (None, None, False))[0]
        if m["inviter_id"] is not None and join is not None and scope.start <= join <= scope.end:
            by_inviter[m["inviter_id"]].append(mid)
    took_part = {a["member_id"] for a in rows.activities if a["kind"] in ACTIVE
                 and a["occurred_at"].date() <= scope.end and (gset is None or a["group_id"] in gset)}
    assert [(q.inviter_id, q.name, q.invitee_ids, q.stayed_ids, q.active_ids) for q in inviters] == [
        (inv, rows.members[inv]["display_name"], mids, [m for m in mids if rows.members[m]["status"] == "在群"],
         [m for m in mids if m in took_part])
        for inv, mids in sorted(by_inviter.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]

    # talk per member, ranked most first (ties by id)
    counts: dict[int, float] = defaultdict(float)
    for a in oracle_active_sets(rows, scope.start, scope.end, gset, scope.include_staff, {"发言"}):
        counts[a["member_id"]] += a["value"]
    assert inequality.counts == {m: v for m, v in counts.items() if v > 0}
    ranked = sorted(inequality.counts, key=lambda m: (-counts[m], m))
    assert inequality.top_member_ids == ranked[: inequality.top10_count]

    # active members and the roster per period
    for unit, got_series in active_by_unit.items():
        assert [pt.period for pt in got_series.points] == c.periods(scope, unit)
        for pt in got_series.points:
            acts = oracle_active_sets(rows, pt.period.start, pt.period.end, gset, scope.include_staff)
            assert pt.active == len({a["member_id"] for a in acts}), (unit, pt)
            assert pt.roster == len(oracle_roster(rows, pt.period.start, pt.period.end, scope.start, scope.end,
                                                  gset, scope.include_staff)), (unit, pt)

    # the rows behind a heatmap cell (first and last hour of each weekday)
    talk_rows = oracle_active_sets(rows, scope.start, scope.end, gset, scope.include_staff, {"发言"})
    for (w, h), ev in evidence.items():
        assert ev.activity_ids == sorted(a["id"] for a in talk_rows
                                         if a["occurred_at"].weekday() == w and a["occurred_at"].hour == h), (w, h)

    # 签到 days of a campaign over the scope
    days_of: dict[int, set[int]] = defaultdict(set)
    for a in oracle_active_sets(rows, scope.start, scope.end, gset, scope.include_staff, {"签到"}):
        days_of[a["member_id"]].add((a["occurred_at"].date() - scope.start).days + 1)
    assert survival.participants == sorted(days_of)
    assert survival.last_day == {m: max(ds) for m, ds in days_of.items()}

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
from tests.analytics.world import STAFF, World, fetch, oracle_active_sets, oracle_intervals

BASE = dt.date(2025, 1, 1)   # a Wednesday; day 4 is the first Monday, day 30 the last of January
EDGE_TIMES = [dt.time(0, 0), dt.time(23, 59, 59, 999999), dt.time(12, 0), dt.time(0, 0, 0, 1), dt.time(23, 0)]
KINDS = ["发言", "发言", "发言", "签到", "分享", "邀请", "违规", "提醒"]

member_st = st.fixed_dictionaries({
    "role": st.sampled_from(["群主", "管理员", "骨干", "成员", "成员"]),
    "status": st.sampled_from(["在群", "在群", "已退出"]),
    "join": st.one_of(st.none(), st.integers(-40, 100)),
    "left": st.one_of(st.none(), st.integers(-10, 100)),
    "groups": st.sets(st.integers(0, 1), max_size=2),
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
    gids = [w.group("甲群"), w.group("乙群")]
    for i, m in enumerate(spec["members"]):
        joined = BASE + dt.timedelta(days=m["join"]) if m["join"] is not None else None
        left = BASE + dt.timedelta(days=m["left"]) if m["left"] is not None and m["status"] != "在群" else None
        w.member(f"成员{i}", joined, role=m["role"], status=m["status"],
                 groups=tuple(gids[g] for g in sorted(m["groups"])), left=left)
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
        ],
        "activities": acts, "start": start, "length": length, "groups": groups, "staff": staff,
    }


def bucket(scope: c.Scope, unit: str, day: dt.date) -> int:
    return next(i for i, p in enumerate(c.periods(scope, unit)) if p.start <= day <= p.end)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=world_st)
@example(spec=edges(4, 27, None, False))
@example(spec=edges(0, 58, (0,), True))
@example(spec=edges(31, 0, (0, 1), False))
@example(spec=edges(-3, 40, (1,), True))
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

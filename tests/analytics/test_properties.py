"""Invariants on random small communities (hypothesis), on both backends.

Each example rewrites the whole workspace, so the function-scoped ``ws`` fixture is safe
to share between examples."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqdesk.analytics import community as c
from sqdesk.analytics.metrics import compute_member_metrics
from sqdesk.models.vocab import LEVELS
from tests.analytics.world import (
    World,
    fetch,
    oracle_active_sets,
    oracle_member,
    oracle_roster,
    spec_members,
)

BASE = dt.date(2025, 1, 1)
KINDS = ["发言", "发言", "发言", "签到", "分享", "邀请", "参加活动", "违规", "提醒", "退群"]

member_st = st.fixed_dictionaries({
    "role": st.sampled_from(["群主", "管理员", "骨干", "成员", "成员", "成员"]),
    "status": st.sampled_from(["在群", "在群", "已退出", "已清退"]),
    "join": st.one_of(st.none(), st.integers(-60, 150)),
    "left": st.one_of(st.none(), st.integers(0, 150)),
    "groups": st.sets(st.integers(0, 1), max_size=2),
})
activity_st = st.tuples(
    st.integers(0, 7), st.sampled_from(KINDS), st.integers(-30, 150), st.integers(0, 23),
    st.integers(1, 20), st.one_of(st.none(), st.integers(0, 1)),
)
world_st = st.fixed_dictionaries({
    "members": st.lists(member_st, min_size=1, max_size=8),
    "activities": st.lists(activity_st, max_size=40),
    "start": st.integers(0, 60),
    "length": st.integers(0, 90),
    "groups": st.sampled_from([None, (0,), (1,), (0, 1)]),
    "staff": st.booleans(),
})


def build(spec: dict) -> World:
    w = World()
    gids = spec_members(w, spec["members"], BASE)
    n = len(spec["members"])
    for mi, kind, day, hour, value, g in spec["activities"]:
        w.act(mi % n + 1, kind, BASE + dt.timedelta(days=day), value,
              group=gids[g] if g is not None else None, hour=hour)
    return w


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=world_st)
def test_invariants_on_random_communities(ws, spec: dict) -> None:
    with ws.write() as s:
        build(spec).save(s)
    start = BASE + dt.timedelta(days=spec["start"])
    groups = tuple(g + 1 for g in spec["groups"]) if spec["groups"] is not None else None
    scope = c.Scope(start, start + dt.timedelta(days=spec["length"]), groups, spec["staff"])
    gset = set(groups) if groups is not None else None
    with ws.read() as s:
        rows = fetch(s)
        for unit in ("day", "week", "month"):
            for pt in c.active_series(s, scope, unit).points:
                assert 0 <= pt.active <= pt.roster
                assert pt.rate is None or 0.0 <= pt.rate <= 1.0
                acts = oracle_active_sets(rows, pt.period.start, pt.period.end, gset, scope.include_staff)
                assert pt.active == len({a["member_id"] for a in acts})
                assert pt.roster == len(oracle_roster(rows, pt.period.start, pt.period.end, scope.start,
                                                      scope.end, gset, scope.include_staff))
        for cohort in c.retention(s, scope, months=4).cohorts:
            assert all(v is None or 0.0 <= v <= 1.0 for v in cohort.shares)
        dist = c.level_distribution(s, scope)
        everyone = [m for lv in LEVELS for m in dist.member_ids[lv]]
        assert len(everyone) == len(set(everyone)) == dist.total == sum(dist.counts.values())
        ineq = c.participation_inequality(s, scope)
        assert ineq.gini is None or 0.0 <= ineq.gini <= 1.0
        assert ineq.top10_share is None or 0.0 < ineq.top10_share <= 1.0 + 1e-9
        dec = c.decentralisation(s, scope)
        assert dec.overall.index is None or 0.0 <= dec.overall.index <= 1.0
        heat = c.activity_heatmap(s, scope)
        assert heat.total == sum(a["value"] for a in oracle_active_sets(rows, scope.start, scope.end, gset,
                                                                        scope.include_staff, {"发言"}))
        table = compute_member_metrics(s, scope.end)
    assert set(table.columns["level"]) <= set(LEVELS)
    for mid in table.member_ids:
        got, want = table.row(mid), oracle_member(rows, mid, scope.end)
        for name in ("messages_7d", "messages_30d", "checkins_30d", "violations_30d", "inactive_days",
                     "days_since_join"):
            assert got[name] == want[name], (mid, name)
        assert 0.0 <= float(got["score"]) <= 100.0  # type: ignore[arg-type]

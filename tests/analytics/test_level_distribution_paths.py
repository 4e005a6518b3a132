"""The level chart reads the shared member table when most of the roster is present, and
the members named in the query when few are: both give the same distribution."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sqdesk.analytics import community
from sqdesk.core.demo import build_demo
from sqdesk.models import Group

UNTIL = dt.date(2025, 6, 30)


@pytest.mark.parametrize("groups", ["all", "one group"])
def test_shared_table_and_named_members_give_the_same_levels(ws, monkeypatch, groups) -> None:
    build_demo(ws, members=150, seed=3, until=UNTIL)
    with ws.read() as s:
        group_ids = None if groups == "all" else (s.scalars(select(Group.id).order_by(Group.id)).first(),)
        scope = community.Scope(UNTIL - dt.timedelta(days=180), UNTIL, group_ids)
        named = community.level_distribution(s, scope)
    asked: list[object] = []
    real = community.member_metrics

    def shared(*args, **kwargs):
        asked.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(community, "SMALL", 10)  # 150 present members count as "most of the roster"
    monkeypatch.setattr(community, "member_metrics", shared)
    with ws.read() as s:
        via_shared = community.level_distribution(s, scope)
    assert asked == [UNTIL]
    assert via_shared == named
    assert named.total > 10 and sum(named.counts.values()) == named.total

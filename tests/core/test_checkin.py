"""Undo of registration changes (sqdesk.core.checkin): every core registration call is
put back exactly (rows, times, waitlist order, event status), and an undo over a row
that changed again since is refused without touching anything. Plus the door's
ranking of search hits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqdesk.core import checkin
from sqdesk.core import events as E
from sqdesk.core.errors import ConflictError, UserError
from sqdesk.core.roster import MemberInput, create_member
from sqdesk.core.workspace import open_workspace

START = dt.datetime(2026, 11, 7, 14)
T0 = dt.datetime(2026, 11, 1, 9)


def _setup(ws: Any, capacity: int = 2, n: int = 5) -> tuple[int, list[int]]:
    with ws.write() as s:
        ids = [create_member(s, MemberInput(name)).id for name in ("张三", "李四", "王五", "赵六", "钱七")[:n]]
        ev = E.create_event(s, E.EventInput("见面会", START, START + dt.timedelta(hours=3), capacity=capacity,
                                            status="报名中"))
    return ev.id, ids


def _apply(ws: Any, event_id: int, action: Callable[[Any], object]) -> tuple[checkin.EventListState, checkin.EventListState]:
    with ws.write() as s:
        before = checkin.capture(s, event_id)
        action(s)
        after = checkin.capture(s, event_id)
    return before, after


def test_undo_each_kind_of_registration_change(ws: Any) -> None:
    eid, (a, b, c, d, _e) = _setup(ws)
    with ws.write() as s:
        for i, m in enumerate((a, b, c)):
            E.register(s, eid, m, now=T0 + dt.timedelta(minutes=i))
        E.check_in(s, eid, a, now=START)
        full = checkin.capture(s, eid)
    assert full.event_status == "已满"
    steps: list[Callable[[Any], object]] = [
        lambda s: E.cancel_registration(s, eid, b),  # promotes c, seats stay full
        lambda s: E.check_in(s, eid, d, now=START + dt.timedelta(minutes=5)),  # walk-in row
        lambda s: E.register(s, eid, b, now=T0 + dt.timedelta(hours=1)),  # re-register → waitlist
        lambda s: E.mark_no_shows(s, eid, now=START + dt.timedelta(hours=4)),  # ends the event
    ]
    history = []
    for step in steps:
        history.append(_apply(ws, eid, step))
    with ws.read() as s:
        assert checkin.capture(s, eid).event_status == "已结束"
    for before, after in reversed(history):
        with ws.write() as s:
            assert checkin.restore(s, before, after, "测试员") == len(before.changed_members(after))
        with ws.read() as s:
            assert checkin.capture(s, eid) == before
    with ws.read() as s:
        assert checkin.capture(s, eid) == full
        assert [(r.member_id, r.waitlist_position) for r in E.list_registrations(s, eid, "候补")] == [(c, 1)]


def test_undo_refused_when_the_row_moved_on(ws: Any) -> None:
    eid, (a, b, c, *_rest) = _setup(ws, capacity=1)
    with ws.write() as s:
        E.register(s, eid, a, now=T0)
        E.register(s, eid, b, now=T0 + dt.timedelta(minutes=1))
    before, after = _apply(ws, eid, lambda s: E.cancel_registration(s, eid, a))  # b promoted
    with ws.write() as s:
        E.check_in(s, eid, b, now=START)  # the door checks b in meanwhile
        moved_on = checkin.capture(s, eid)
    with ws.write() as s, pytest.raises(ConflictError, match="李四"):
        checkin.restore(s, before, after)
    with ws.read() as s:
        assert checkin.capture(s, eid) == moved_on  # nothing half-undone
    # A change to someone else does not block the undo.
    before2, after2 = _apply(ws, eid, lambda s: E.check_in(s, eid, c, now=START))
    with ws.write() as s:
        E.register(s, eid, a, now=START)  # a is not part of that change
    with ws.write() as s:
        assert checkin.restore(s, before2, after2) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=st.lists(st.tuples(st.sampled_from(["reg", "cancel", "in"]), st.integers(0, 4)), min_size=1,
                       max_size=12))
def test_any_sequence_undoes_back_to_the_start(tmp_path_factory: Any, script: list[tuple[str, int]]) -> None:
    ws = open_workspace(tmp_path_factory.mktemp("w") / "w.sqdesk")
    try:
        eid, ids = _setup(ws, capacity=2)
        with ws.read() as s:
            start = checkin.capture(s, eid)
        history = []
        for k, (op, i) in enumerate(script):
            m = ids[i]
            now = T0 + dt.timedelta(minutes=k)
            fn = {"reg": lambda s, m=m, now=now: E.register(s, eid, m, now=now),
                  "cancel": lambda s, m=m: E.cancel_registration(s, eid, m),
                  "in": lambda s, m=m, now=now: E.check_in(s, eid, m, now=now)}[op]
            try:
                history.append(_apply(ws, eid, fn))
            except UserError:
                continue  # refused by core (already on the list, already checked in…): no change
        for before, after in reversed(history):
            with ws.write() as s:
                checkin.restore(s, before, after)
        with ws.read() as s:
            assert checkin.capture(s, eid) == start
    finally:
        ws.close()


def test_door_search_ranks_the_list_and_exact_matches_first(ws: Any) -> None:
    with ws.write() as s:
        zs = create_member(s, MemberInput("张三", {"phone": "13800138000"})).id
        zs2 = create_member(s, MemberInput("张顺", {"phone": "13900139000"})).id
        create_member(s, MemberInput("Zsolt"))
        create_member(s, MemberInput("李四", {"wechat_id": "abzsxx"}))
        ev = E.create_event(s, E.EventInput("见面会", START, START + dt.timedelta(hours=2)))
        E.register(s, ev.id, zs2, now=T0)
    with ws.read() as s:
        hits = checkin.find_for_checkin(s, ev.id, "zs")
        names = [h.display_name for h in hits]
        # exact initials first (张顺 is on the list, so ahead of 张三), then a name starting with
        # "zs", then "zs" buried in a WeChat id
        assert names == ["张顺", "张三", "Zsolt", "李四"]
        assert hits[0].status == "已报名" and hits[1].status is None
        assert [h.member_id for h in checkin.find_for_checkin(s, ev.id, "8000")] == [zs]
        assert checkin.find_for_checkin(s, ev.id, "   ") == []

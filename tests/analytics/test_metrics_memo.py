"""The shared member-metrics table: computed once, dropped as soon as anything commits."""

from __future__ import annotations

import datetime as dt
import sqlite3

from sqdesk.analytics.metrics import compute_member_metrics, member_metrics, shared_member_metrics
from sqdesk.core import activity, roster

AS_OF = dt.date(2025, 6, 30)


def _member(ws, name: str) -> int:
    with ws.write() as s:
        return roster.create_member(s, roster.MemberInput(name, {"joined_on": dt.date(2025, 1, 1)})).id


def _talk(ws, mid: int, n: float) -> None:
    with ws.write() as s:
        activity.add_activity(s, mid, "发言", dt.datetime(2025, 6, 20, 20, 0), value=n)


def test_shared_until_a_commit_then_recomputed(ws) -> None:
    a = _member(ws, "张三")
    _talk(ws, a, 5)
    with ws.read() as s:
        first = member_metrics(s, AS_OF)
    with ws.read() as s:
        again = member_metrics(s, AS_OF)
        assert shared_member_metrics(s, AS_OF) is (first if ws.is_sqlite else None)
    assert first.row(a)["messages_30d"] == 5
    if ws.is_sqlite:
        assert again is first  # the same table, not computed twice
    else:
        assert again is not first  # PostgreSQL: other operators commit unseen, always computed

    _talk(ws, a, 7)  # any commit makes the shared table stale
    with ws.read() as s:
        assert shared_member_metrics(s, AS_OF) is None
        fresh = member_metrics(s, AS_OF)
    assert fresh is not first
    assert fresh.row(a)["messages_30d"] == 12
    assert first.row(a)["messages_30d"] == 5  # the old table was not touched


def test_a_commit_by_another_program_is_seen(ws) -> None:
    if not ws.is_sqlite:
        return
    a = _member(ws, "李四")
    with ws.read() as s:
        before = member_metrics(s, AS_OF)
    # another process (here: a plain sqlite3 connection) writes to the file
    con = sqlite3.connect(str(ws.path))
    con.execute("UPDATE members SET intro = '你好，我是李四' WHERE id = ?", (a,))
    con.commit()
    con.close()
    with ws.read() as s:
        after = member_metrics(s, AS_OF)
    assert before.row(a)["has_intro"] is False
    assert after.row(a)["has_intro"] is True


def test_a_writing_session_sees_its_own_rows_and_shares_nothing(ws) -> None:
    a = _member(ws, "王五")
    with ws.read() as s:
        shared = member_metrics(s, AS_OF)
    with ws.write() as s:
        activity.add_activity(s, a, "发言", dt.datetime(2025, 6, 29, 9, 0), value=3)
        inside = member_metrics(s, AS_OF)
        assert inside is not shared
        assert inside.row(a)["messages_7d"] == 3
    with ws.read() as s:
        assert member_metrics(s, AS_OF).row(a)["messages_7d"] == 3


def test_the_shared_table_equals_a_direct_computation(ws) -> None:
    ids = [_member(ws, n) for n in ("赵六", "钱七", "孙八")]
    for i, mid in enumerate(ids):
        _talk(ws, mid, i + 1)
    with ws.read() as s:
        shared = member_metrics(s, AS_OF, group_ids=None)
        direct = compute_member_metrics(s, AS_OF)
    assert shared.member_ids == direct.member_ids
    assert shared.columns == direct.columns

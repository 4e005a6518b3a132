"""Two connections on one state of a SQLite workspace (sqdesk.db.snapshot), and the member
metrics that read their two halves through them at the same time."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
from sqlalchemy import event, func, select

from sqdesk.analytics import metrics
from sqdesk.analytics.metrics import compute_member_metrics, member_metrics
from sqdesk.core import activity, roster
from sqdesk.db import snapshot
from sqdesk.db.snapshot import Beside, reader_pair
from sqdesk.models import Tag

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _pair_on_small_logs(monkeypatch) -> None:
    """These tests' logs are small: read the two halves at once all the same."""
    monkeypatch.setattr(metrics, "PAIR_MIN_ROWS", 0)


def _add(ws, name: str) -> int:
    with ws.write() as s:
        return roster.create_member(s, roster.MemberInput(name, {"joined_on": dt.date(2025, 1, 1)})).id


def _count(conn) -> int:
    return int(conn.execute(select(func.count()).select_from(Tag)).scalar_one())


def _commit_elsewhere(path, name: str) -> None:
    """Another program (a plain sqlite3 connection) adds a tag."""
    con = sqlite3.connect(str(path))
    con.execute("INSERT INTO tags (name) VALUES (?)", (name,))
    con.commit()
    con.close()


def test_both_connections_keep_reading_the_state_they_started_on(sqlite_ws) -> None:
    _add(sqlite_ws, "张三")
    with reader_pair(sqlite_ws.engine) as pair:
        assert pair is not None
        first, second = pair
        _commit_elsewhere(sqlite_ws.path, "李四")  # another program commits meanwhile
        assert _count(first) == _count(second) == 0
    with sqlite_ws.read() as s:
        assert s.scalar(select(func.count()).select_from(Tag)) == 1


def _commit_before_second_start(ws, how_often: int) -> list[int]:
    """Make another program commit just before the pair's second connection starts
    reading, ``how_often`` times: the two would read different states."""
    done: list[int] = []
    starts = [0]

    @event.listens_for(ws.engine, "before_cursor_execute")
    def _before(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ARG001
        if statement != snapshot._FIRST_READ:
            return
        starts[0] += 1
        if starts[0] % 2 == 0 and len(done) < how_often:
            _commit_elsewhere(ws.path, f"插队{len(done)}")
            done.append(starts[0])

    return done


def test_a_commit_between_the_two_starts_is_noticed_and_tried_again(sqlite_ws) -> None:
    _add(sqlite_ws, "张三")
    done = _commit_before_second_start(sqlite_ws, how_often=1)
    with reader_pair(sqlite_ws.engine) as pair:
        assert done, "the commit did land between the two starts"
        assert pair is not None
        first, second = pair
        assert _count(first) == _count(second) == 1  # both on the state after it


def test_commits_that_keep_landing_give_no_pair(sqlite_ws) -> None:
    _add(sqlite_ws, "张三")
    done = _commit_before_second_start(sqlite_ws, how_often=snapshot.TRIES)
    with reader_pair(sqlite_ws.engine) as pair:
        assert pair is None
    assert len(done) == snapshot.TRIES


def test_no_pair_off_a_sqlite_file(ws) -> None:
    """PostgreSQL (its parallel workers already use the cores) and an in-memory database
    read on one connection."""
    from sqdesk.db.engine import make_engine

    memory = make_engine("sqlite://")
    engines = [memory] if ws.is_sqlite else [memory, ws.engine]
    for engine in engines:
        with reader_pair(engine) as pair:
            assert pair is None
    memory.dispose()


def test_beside_runs_on_another_thread_and_hands_back_result_or_error() -> None:
    here = threading.get_ident()
    with Beside(threading.get_ident) as other:
        assert other.result() != here

    def fail() -> None:
        raise ValueError("坏了")

    with pytest.raises(ValueError, match="坏了"), Beside(fail) as failing:
        failing.result()


def test_leaving_the_block_waits_for_the_work() -> None:
    release = threading.Event()
    finished: list[bool] = []

    def slow() -> None:
        release.wait(5)
        finished.append(True)

    threading.Timer(0.2, release.set).start()
    with pytest.raises(KeyError), Beside(slow):
        raise KeyError("这边先出错")
    assert finished == [True]  # the block was left only after the work ended


def _record_fetch_threads(monkeypatch) -> list[str]:
    """The names of the threads the metrics' reads run on, as they run."""
    threads: list[str] = []
    for name in ("fetch_rows", "fetch_rows_in_one_step"):
        real = getattr(metrics, name)

        def spy(*args, _real=real):
            threads.append(threading.current_thread().name)
            return _real(*args)

        monkeypatch.setattr(metrics, name, spy)
    return threads


def test_shared_metrics_read_two_halves_at_once_and_equal_one_statement(sqlite_ws, monkeypatch) -> None:
    ids = [_add(sqlite_ws, n) for n in ("赵六", "钱七", "孙八", "周九")]
    with sqlite_ws.write() as s:
        for i, mid in enumerate(ids[:3]):
            activity.add_activity(s, mid, "发言", dt.datetime(2025, 6, 20 + i, 20, 0), value=i + 1)
        activity.add_activity(s, ids[2], "签到", dt.datetime(2025, 1, 5, 9, 0))  # before the window
        activity.add_activity(s, ids[3], "分享", dt.datetime(2024, 12, 1, 9, 0))  # silent for 90 days
    threads = _record_fetch_threads(monkeypatch)
    with sqlite_ws.read() as s:
        shared = member_metrics(s, AS_OF)
    assert "sqdesk-read-beside" in threads  # the activity half ran on a second connection
    threads.clear()
    with sqlite_ws.read() as s:
        direct = compute_member_metrics(s, AS_OF)
    assert "sqdesk-read-beside" not in threads
    assert shared.member_ids == direct.member_ids == sorted(ids)
    assert shared.columns == direct.columns
    assert shared.row(ids[2])["messages_30d"] == 3
    assert shared.row(ids[3])["last_active"] == dt.datetime(2024, 12, 1, 9, 0)
    assert shared.row(ids[3])["level_computed"] == "沉默"


@pytest.mark.parametrize("scope", ["all", "two groups"])
def test_on_a_demo_community_the_two_halves_give_exactly_the_one_statement_table(sqlite_ws, scope) -> None:
    ws = sqlite_ws
    from sqdesk.core.demo import build_demo
    from sqdesk.models import Group

    build_demo(ws, members=400, seed=5, until=AS_OF)
    with ws.read() as s:
        group_ids = None if scope == "all" else list(s.scalars(select(Group.id).order_by(Group.id).limit(2)))
    with pytest.MonkeyPatch.context() as monkeypatch:
        threads = _record_fetch_threads(monkeypatch)
        with ws.read() as s:
            shared = member_metrics(s, AS_OF, group_ids=group_ids)
    assert "sqdesk-read-beside" in threads  # two halves at once
    with ws.read() as s:
        direct = compute_member_metrics(s, AS_OF, group_ids=group_ids)
    assert shared is not direct and len(shared) > 50
    assert shared.member_ids == direct.member_ids
    for name, values in direct.columns.items():
        got = shared.columns[name]
        assert got == values, name
        assert [type(v) for v in got] == [type(v) for v in values], name  # 0 stays 0, not 0.0
    # the demo has every case the merge handles: silent for 90 days, never active, both
    assert any(v is None for v in shared.columns["last_active"])
    assert any(level == "沉默" and last is not None
               for level, last in zip(shared.columns["level_computed"], shared.columns["last_active"], strict=True))


def test_rows_in_one_step_are_exactly_the_stored_values(sqlite_ws, monkeypatch) -> None:
    from sqlalchemy import literal, literal_column, union_all

    from sqdesk.analytics import _sql

    def table(real: float) -> object:
        rows = [
            select(literal(1).label("k"), literal(12.0).label("r"), literal("张三").label("t")),
            select(literal(2).label("k"), literal(real).label("r"), literal_column("NULL").label("t")),
            select(literal(3).label("k"), literal_column("NULL").label("r"), literal("a\"b'c").label("t")),
        ]
        return union_all(*rows).subquery()

    calls: list[str] = []
    real_fetch = _sql.fetch_rows

    def fetch(conn, stmt):
        calls.append(str(stmt))
        return real_fetch(conn, stmt)

    monkeypatch.setattr(_sql, "fetch_rows", fetch)
    with sqlite_ws.engine.connect() as conn:
        for real, packed in ((3.0, True), (0.1 + 0.2, False), (4.999999999999999, False), (2.0**60, False)):
            calls.clear()
            sq = table(real)
            stmt = select(sq.c.k, sq.c.r, sq.c.t).order_by(sq.c.k)
            got = sorted(_sql.fetch_rows_in_one_step(conn, stmt, ["r"]), key=lambda row: row[0])
            assert [tuple(row) for row in got] == [(1, 12.0, "张三"), (2, real, None), (3, None, "a\"b'c")]
            assert [type(v) for v in got[0]] == [int, float, str]
            assert len(calls) == (1 if packed else 2)  # one packed read, or packed then row by row


def test_fractional_values_give_the_same_table_both_ways(sqlite_ws) -> None:
    a = _add(sqlite_ws, "吴十")
    b = _add(sqlite_ws, "郑十一")
    with sqlite_ws.write() as s:
        for day in (20, 21, 22):
            activity.add_activity(s, a, "发言", dt.datetime(2025, 6, day, 20, 0), value=0.1)
        activity.add_activity(s, b, "邀请", dt.datetime(2025, 6, 25, 9, 0), value=2)
    with sqlite_ws.read() as s:
        shared = member_metrics(s, AS_OF)
        direct = compute_member_metrics(s, AS_OF)
    assert shared.columns == direct.columns
    assert direct.row(a)["messages_30d"] == 0.1 + 0.1 + 0.1 != 0.3
    assert shared.row(a)["messages_30d"] == 0.1 + 0.1 + 0.1  # the float sum, not one rounded to 15 digits
    assert shared.row(b)["invites_30d"] == 2.0


def test_a_small_log_is_read_on_one_connection(sqlite_ws, monkeypatch) -> None:
    mid = _add(sqlite_ws, "冯十二")
    with sqlite_ws.write() as s:
        activity.add_activity(s, mid, "发言", dt.datetime(2025, 6, 28, 20, 0), value=4)
    monkeypatch.setattr(metrics, "PAIR_MIN_ROWS", 2)  # one activity row: below
    threads = _record_fetch_threads(monkeypatch)
    with sqlite_ws.read() as s:
        table = member_metrics(s, AS_OF)
    assert table.row(mid)["messages_7d"] == 4
    assert threads and set(threads) == {threading.current_thread().name}

"""Benchmark: the activity log list (``sqdesk.core.activity.activity_page``) on a big log.

Builds (once, then reuses with --keep) a SQLite workspace with N members and M
activity rows spread over three years with a skewed distribution (a few members talk
a lot, most rarely), then times the page queries the 动态 screen runs:

    python benchmarks/bench_activity_log.py                 # 100k members, 2M rows
    python benchmarks/bench_activity_log.py --rows 200000   # quicker
    python benchmarks/bench_activity_log.py --keep /tmp/big.sqdesk   # reuse the file

Rows are written with the sqlite3 cursor's executemany in the exact text format
SQLAlchemy uses for DateTime on SQLite ("YYYY-MM-DD HH:MM:SS.ffffff"), so the
comparisons in the queries behave as on real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from sqdesk.core.activity import (  # noqa: E402
    ActivityFilter,
    activity_page,
    count_activity,
    explain_page,
)
from sqdesk.core.workspace import open_workspace  # noqa: E402

KINDS = ["发言"] * 80 + ["签到"] * 8 + ["分享"] * 4 + ["参加活动"] * 3 + ["邀请"] * 2 + ["违规", "付费", "备注"]
START = dt.datetime(2022, 1, 1)
SPAN_SECONDS = 3 * 365 * 86400


def _ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, members: int, rows: int, seed: int) -> None:
    ws = open_workspace(path, operator="bench")
    ws.close()
    rnd = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    t0 = time.perf_counter()
    with con:
        con.executemany(
            "INSERT INTO groups (id, name, platform, notes, created_at, version) VALUES (?, ?, '微信', '', ?, 1)",
            [(g, f"测试群{g}", _ts(START)) for g in range(1, 11)],
        )
        con.executemany(
            "INSERT INTO members (id, display_name, real_name, gender, city, industry, company, title, intro,"
            " source, role, tier, status, consent, notes, custom, name_pinyin, name_initials, search_text,"
            " level, created_at, version) VALUES (?, ?, '', '未知', '', '', '', '', '', '', '成员', '', '在群',"
            " 0, '', '{}', ?, ?, ?, '', ?, 1)",
            [
                (i, f"成员{i}", f"chengyuan{i}", f"cy{i}", f"成员{i}\x1fchengyuan{i}\x1fcy{i}", _ts(START))
                for i in range(1, members + 1)
            ],
        )
    # Skewed activity: member ids drawn from a Pareto-like distribution.
    chunk = 200_000
    done = 0
    while done < rows:
        n = min(chunk, rows - done)
        batch = []
        for _ in range(n):
            if rnd.random() < 0.5:  # half the talk comes from a heavy-tailed few
                mid = min(members, int(rnd.paretovariate(1.2)))
                mid = (mid * 7919) % members + 1
            else:
                mid = rnd.randrange(1, members + 1)
            moment = START + dt.timedelta(seconds=rnd.randrange(SPAN_SECONDS))
            batch.append((mid, rnd.randrange(1, 11), rnd.choice(KINDS), _ts(moment), 1.0, "", "import"))
        with con:
            con.executemany(
                "INSERT INTO activities (member_id, group_id, kind, occurred_at, value, note, source, version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                batch,
            )
        done += n
        print(f"  {done:,} rows…", file=sys.stderr)
    con.execute("ANALYZE")
    con.close()
    print(f"built {members:,} members / {rows:,} activities in {time.perf_counter() - t0:.1f}s")


def timed(fn: Callable[[], object], repeat: int = 7) -> tuple[float, float]:
    """(first run, median of the rest) in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times[0], statistics.median(times[1:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="workspace file to build once and reuse")
    args = ap.parse_args()

    tmp = None
    if args.keep:
        path = args.keep
    else:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bench.sqdesk"
    if not path.exists():
        build(path, args.members, args.rows, args.seed)

    ws = open_workspace(path, operator="bench")
    with ws.read() as s:
        total = count_activity(s)
        # The busiest member (hundreds of thousands of lines), a typical one, and a
        # cursor 100,000 rows deep.
        busiest = s.execute(
            text("SELECT member_id, COUNT(*) c FROM activities GROUP BY member_id ORDER BY c DESC LIMIT 1")
        ).one()
        typical = s.execute(
            text(
                "SELECT member_id, COUNT(*) c FROM activities WHERE member_id BETWEEN 500 AND 600"
                " GROUP BY member_id ORDER BY c DESC LIMIT 1"
            )
        ).one()
        deep = s.execute(
            text("SELECT occurred_at, id FROM activities ORDER BY occurred_at DESC, id DESC LIMIT 1 OFFSET 100000")
        ).one()
        deep_cursor = (dt.datetime.fromisoformat(deep[0]), int(deep[1]))
        heavy = ActivityFilter(member_id=int(busiest[0]))
        heavy_page = activity_page(s, heavy, limit=200)
        heavy_deep = s.execute(
            text(
                "SELECT occurred_at, id FROM activities WHERE member_id = :m"
                " ORDER BY occurred_at DESC, id DESC LIMIT 1 OFFSET 50000"
            ),
            {"m": busiest[0]},
        ).one()
        heavy_cursor = (dt.datetime.fromisoformat(heavy_deep[0]), int(heavy_deep[1]))
        assert heavy_page
        month = ActivityFilter(kinds=["签到", "分享"], start=dt.datetime(2023, 6, 1), end=dt.datetime(2023, 7, 1))
        rare = ActivityFilter(kinds=["违规"], start=dt.datetime(2022, 1, 1), end=dt.datetime(2025, 1, 1))
        member = ActivityFilter(member_id=int(typical[0]))
        grp = ActivityFilter(group_id=3)
        query = ActivityFilter(query="成员123")
        query_busy = ActivityFilter(query=f"成员{busiest[0]}")
        query_broad = ActivityFilter(query="成员1")
        Case = tuple[str, ActivityFilter | None, tuple[dt.datetime, int] | None]
        cases: list[Case] = [
            ("first page (unfiltered)", None, None),
            ("deep page (100,000 rows in, keyset)", None, deep_cursor),
            (f"member filter (#{typical[0]}, {typical[1]} rows)", member, None),
            (f"member filter (#{busiest[0]}, {busiest[1]:,} rows)", heavy, None),
            ("  same member, 50,000 rows in", heavy, heavy_cursor),
            ("kind+date filter (签到/分享, one month)", month, None),
            ("rare kind over 3 years (违规, 1%)", rare, None),
            ("group filter (群 3)", grp, None),
            ("query 成员123 (matches 111 members)", query, None),
            (f"query 成员{busiest[0]} (the busiest member)", query_busy, None),
            ("query 成员1 (matches 11,111 members)", query_broad, None),
        ]
        print(f"{total:,} activity rows, {path.stat().st_size / 2**20:.0f} MiB")
        for label, flt, before in cases:
            first, med = timed(lambda flt=flt, before=before: activity_page(s, flt, before=before))
            plan = "; ".join(explain_page(s, flt, before=before))
            print(f"{label:45s} first {first:7.1f} ms   median {med:7.1f} ms   [{plan}]")

        def walk() -> None:
            cursor = None
            for _ in range(50):
                page = activity_page(s, before=cursor)
                cursor = page[-1].cursor

        first, med = timed(walk, repeat=3)
        print(f"{'50 consecutive pages (10,000 rows)':45s} first {first:7.1f} ms   median {med:7.1f} ms")
        first, med = timed(lambda: count_activity(s, member), repeat=3)
        print(f"{'count, member filter':45s} first {first:7.1f} ms   median {med:7.1f} ms")
        first, med = timed(lambda: count_activity(s), repeat=3)
        print(f"{'count, unfiltered':45s} first {first:7.1f} ms   median {med:7.1f} ms")
    ws.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()

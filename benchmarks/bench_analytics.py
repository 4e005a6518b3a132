"""Benchmark: engagement analytics against the raw SQL they must stay close to.

    python benchmarks/bench_analytics.py                         # 100k members, 2M rows, SQLite
    python benchmarks/bench_analytics.py --keep /tmp/ana.sqdesk  # build once, reuse
    python benchmarks/bench_analytics.py --db-url postgresql+psycopg://…/db   # a PostgreSQL database
                                                                 # (filled when empty)

The workspace comes from ``sqdesk.core.demo.build_demo`` when that module exists;
otherwise from the built-in generator here (same shape: skewed talkers, one 发言 row
per member-day with the day's message count, check-ins, shares, invitations, events
with registrations, joins over three years, a few departures).

Targets (issue 4): all per-member metrics ≤ 1.5× the single raw
``SELECT member_id, count(*), sum(value), max(occurred_at) FROM activities GROUP BY member_id``;
weekly active members over two years ≤ 1.5× the equivalent raw SQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text  # noqa: E402

from sqdesk.analytics import community  # noqa: E402
from sqdesk.analytics.metrics import compute_member_metrics, member_metrics  # noqa: E402
from sqdesk.core.workspace import Workspace, open_workspace  # noqa: E402
from sqdesk.db import memo  # noqa: E402
from sqdesk.models import Activity, Event, Group, Member, Membership, Registration  # noqa: E402
from sqdesk.models.base import table_of  # noqa: E402

UNTIL = dt.date(2025, 6, 30)
SPAN_DAYS = 3 * 365


def build_builtin(ws: Workspace, members: int, rows: int, seed: int, until: dt.date) -> None:
    """Skewed, realistic-enough data written with Core executemany."""
    rnd = random.Random(seed)
    first = until - dt.timedelta(days=SPAN_DAYS)
    groups = 10
    t0 = time.perf_counter()
    with ws.write() as s:
        s.execute(insert(table_of(Group)), [{"id": g, "name": f"测试群{g}"} for g in range(1, groups + 1)])
        batch: list[dict[str, Any]] = []
        roles = ["群主"] * 1 + ["管理员"] * 9 + ["骨干"] * 200
        for i in range(1, members + 1):
            joined = first + dt.timedelta(days=int(SPAN_DAYS * (i / members) ** 0.8))
            status = "在群" if rnd.random() > 0.15 else "已退出"
            batch.append({
                "id": i, "display_name": f"成员{i}", "joined_on": joined, "status": status,
                "role": roles[i - 1] if i <= len(roles) else "成员",
                "inviter_id": rnd.randrange(1, i) if i > 1 and rnd.random() < 0.3 else None,
                "intro": "你好" if rnd.random() < 0.4 else "",
            })
            if len(batch) == 20_000:
                s.execute(insert(table_of(Member)), batch)
                batch = []
        if batch:
            s.execute(insert(table_of(Member)), batch)
        ms = [
            {"member_id": i, "group_id": 1 + i % groups, "joined_on": first + dt.timedelta(days=int(SPAN_DAYS * (i / members) ** 0.8))}
            for i in range(1, members + 1)
        ]
        for k in range(0, len(ms), 20_000):
            s.execute(insert(table_of(Membership)), ms[k:k + 20_000])
        events = []
        for e in range(1, 301):
            start = dt.datetime.combine(first, dt.time(20)) + dt.timedelta(days=e * 3.6)
            events.append({"id": e, "title": f"分享会{e}", "kind": "分享会", "starts_at": start,
                           "ends_at": start + dt.timedelta(hours=1)})
        s.execute(insert(table_of(Event)), events)
        regs = []
        for e in range(1, 301):
            for mid in rnd.sample(range(1, members + 1), 60):
                regs.append({"event_id": e, "member_id": mid, "status": rnd.choice(["已签到", "已签到", "缺席", "已报名"]),
                             "registered_at": events[e - 1]["starts_at"] - dt.timedelta(days=2)})
        s.execute(insert(table_of(Registration)), regs)
    kinds = ["发言"] * 85 + ["签到"] * 8 + ["分享"] * 3 + ["参加活动"] * 2 + ["邀请", "违规"]
    done = 0
    while done < rows:
        n = min(200_000, rows - done)
        chunk = []
        for _ in range(n):
            mid = min(members, int(rnd.paretovariate(1.1)))
            if rnd.random() < 0.6:
                mid = (mid * 7919 + rnd.randrange(members)) % members + 1
            day = rnd.randrange(SPAN_DAYS)
            moment = dt.datetime.combine(first + dt.timedelta(days=day), dt.time(rnd.randrange(7, 24), rnd.randrange(60)))
            kind = rnd.choice(kinds)
            chunk.append({"member_id": mid, "group_id": 1 + mid % groups, "kind": kind, "occurred_at": moment,
                          "value": float(rnd.randrange(1, 30)) if kind == "发言" else 1.0, "note": "", "source": "import"})
        with ws.write() as s:
            s.execute(insert(table_of(Activity)), chunk)
        done += n
        print(f"  {done:,} activity rows…", file=sys.stderr)
    with ws.write() as s:
        s.execute(text("ANALYZE"))
    print(f"built {members:,} members / {rows:,} activities in {time.perf_counter() - t0:.0f}s")


def build(ws: Workspace, members: int, rows: int, seed: int) -> None:
    try:
        from sqdesk.core.demo import build_demo  # type: ignore[import-not-found]
    except ImportError:
        build_builtin(ws, members, rows, seed, UNTIL)
        return
    build_demo(ws, members=members, seed=seed, until=UNTIL)
    with ws.write() as s:
        s.execute(text("ANALYZE"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--repeat", type=int, default=4)
    ap.add_argument("--keep", type=Path, help="SQLite workspace file to build once and reuse")
    ap.add_argument("--db-url", help="PostgreSQL database URL instead of a SQLite file")
    ap.add_argument("--only", choices=("metrics", "weekly"), help="run one of the two comparisons")
    args = ap.parse_args()

    tmp = None
    if args.db_url:
        ws = open_workspace(db_url=args.db_url, operator="bench")
    else:
        if args.keep:
            path = args.keep
        else:
            tmp = tempfile.TemporaryDirectory()
            path = Path(tmp.name) / "bench.sqdesk"
        ws = open_workspace(path, operator="bench")
    with ws.read() as s:
        empty = not s.scalar(select(func.count()).select_from(Activity))
    if empty:
        build(ws, args.members, args.rows, args.seed)

    with ws.read() as s:
        n_act = s.scalar(select(func.count()).select_from(Activity)) or 0
        n_mem = s.scalar(select(func.count()).select_from(Member)) or 0
        last = s.scalar(select(func.max(Activity.occurred_at)))
    as_of = (last if isinstance(last, dt.datetime) else dt.datetime.fromisoformat(str(last))).date()
    print(f"{ws.engine.dialect.name}: {n_mem:,} members, {n_act:,} activity rows, as of {as_of}")

    raw_member = text("SELECT member_id, count(*), sum(value), max(occurred_at) FROM activities GROUP BY member_id")
    start = as_of - dt.timedelta(days=729)
    monday = start - dt.timedelta(days=start.weekday())
    if ws.is_sqlite:
        week_expr = "CAST((julianday(occurred_at) - julianday(:monday)) AS INTEGER) / 7"
    else:
        week_expr = "(CAST(occurred_at AS DATE) - CAST(:monday AS DATE)) / 7"
    raw_weekly = text(
        f"SELECT {week_expr} AS w, count(DISTINCT member_id) FROM activities"
        " WHERE occurred_at >= :start AND occurred_at < :end"
        " AND kind IN ('发言', '签到', '分享', '邀请', '参加活动')"
        " AND member_id NOT IN (SELECT id FROM members WHERE role IN ('群主', '管理员'))"
        " GROUP BY w"
    )
    weekly_params = {
        "monday": monday if not ws.is_sqlite else monday.isoformat(),
        "start": dt.datetime.combine(start, dt.time()),
        "end": dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()),
    }
    scope = community.Scope(start, as_of)

    def run_raw_member() -> None:
        with ws.read() as s:
            s.execute(raw_member).all()

    def run_metrics() -> None:
        # what every screen asks for (rules, dashboard, brief, matching), computed afresh:
        # the shared table is dropped first; on SQLite its two halves run at once on two
        # connections reading one state of the file (sqdesk.db.snapshot)
        if ws.path is not None:
            memo.forget(str(ws.path))
        with ws.read() as s:
            member_metrics(s, as_of)

    def run_metrics_one_connection() -> None:
        with ws.read() as s:
            compute_member_metrics(s, as_of)

    def run_raw_weekly() -> None:
        with ws.read() as s:
            s.execute(raw_weekly, weekly_params).all()

    def run_weekly() -> None:
        with ws.read() as s:
            community.active_series(s, scope, "week")

    # Interleaved (raw, ours, raw, ours …) so a busy machine slows both sides alike.
    cases = []
    if args.only != "weekly":
        cases += [("raw GROUP BY member_id", run_raw_member), ("member_metrics", run_metrics),
                  ("compute_member_metrics (1 conn)", run_metrics_one_connection)]
    if args.only != "metrics":
        cases += [("raw weekly active (2 years)", run_raw_weekly), ("active_series(week)", run_weekly)]
    times: dict[str, list[float]] = {label: [] for label, _ in cases}
    for _ in range(args.repeat):
        for label, fn in cases:
            t0 = time.perf_counter()
            fn()
            times[label].append(time.perf_counter() - t0)
    # The machine may be shared: the minimum is the least disturbed run, the median
    # (first, cold run left out) the typical one. Both ratios are printed.
    for label, _ in cases:
        ts = times[label]
        warm = ts[1:] if len(ts) > 1 else ts
        print(f"{label:32s} first {ts[0] * 1000:8.0f} ms   min {min(ts) * 1000:8.0f} ms"
              f"   median {statistics.median(warm) * 1000:8.0f} ms")
    for ours, raw in (("member_metrics", "raw GROUP BY member_id"),
                      ("compute_member_metrics (1 conn)", "raw GROUP BY member_id"),
                      ("active_series(week)", "raw weekly active (2 years)")):
        if ours in times:
            by_min = min(times[ours]) / min(times[raw])
            by_median = statistics.median(times[ours][1:] or times[ours]) / statistics.median(times[raw][1:] or times[raw])
            print(f"ratio {ours}/raw = {by_min:.2f} (min)  {by_median:.2f} (median)   target ≤ 1.5")
    ws.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()

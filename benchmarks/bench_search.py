"""Member search benchmark: what the 成员 screen's search box costs on a big roster.

The workspace is the demo community (``sqdesk.core.demo.build_demo``, fixed seed and
end date, so every run searches the same 100,000 members); without the demo builder
it falls back to synthetic members written with ``derived_columns``. It is built once
into ``benchmarks/out/work`` and reused.

Queries, drawn with a fixed seed from the members themselves:
  name       a 2-character piece of a real display name ("张伟", "晓东")
  initials   the pinyin initials of a real name ("zw", "lxd")
  phone      the first 7 digits of a real phone ("1380013")
  no-hit     terms nobody matches (the worst case: a full scan)
Each query runs through ``search_member_ids`` (what the roster's filter calls) and
``search_members`` (ids + the visible columns), limit=200. Reported: median and p95
milliseconds per query, overall and per kind; target median ≤ 20 ms. For context the
same LIKE through a raw sqlite3 cursor is reported as the baseline.

    python -m benchmarks.bench_search [--quick] [--members N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from sqdesk.core.roster import derived_columns, search_member_ids, search_members  # noqa: E402
from sqdesk.core.workspace import open_workspace  # noqa: E402
from sqdesk.models import Member  # noqa: E402

DEMO_UNTIL = dt.date(2025, 6, 30)
TARGET_MEDIAN_MS = 20.0
NO_HIT = ("查无此人", "zzqxj", "不存在的名字", "19999999", "xq7w", "鑫淼焱", "qqzzxx", "无名氏甲乙")


def build_workspace(path: Path, members: int) -> str:
    """The demo community if the builder exists, else synthetic members; returns how."""
    ws = open_workspace(path, operator="bench")
    try:
        try:
            from sqdesk.core.demo import build_demo
        except ImportError:
            build_demo = None  # type: ignore[assignment]
        if build_demo is not None:
            build_demo(ws, members=members, seed=42, until=DEMO_UNTIL)
            return "demo"
        from benchmarks.bench_import import chinese_name, phone_number

        rnd = random.Random(5)
        with ws.write() as s:
            for start in range(0, members, 10_000):
                rows = []
                for i in range(start, min(start + 10_000, members)):
                    name = chinese_name(rnd)
                    phone = phone_number(rnd, i)
                    wx = f"wx{i:07d}" if rnd.random() < 0.7 else None
                    city = rnd.choice(("杭州", "上海", "北京", "深圳", "成都"))
                    rows.append({"display_name": name, "phone": phone, "wechat_id": wx, "city": city,
                                 **derived_columns(name, "", phone, wx, city)})
                s.execute(insert(Member), rows)
        return "synthetic"
    finally:
        ws.close()


def make_queries(path: Path, per_kind: int, seed: int) -> dict[str, list[str]]:
    ws = open_workspace(path, operator="bench")
    try:
        with ws.read() as s:
            people = s.execute(select(Member.display_name, Member.name_initials, Member.phone)).all()
    finally:
        ws.close()
    rnd = random.Random(seed)
    named = [p for p in people if len(p[0]) >= 2 and not p[0].isascii()]
    phones = [p[2] for p in people if p[2] and len(p[2]) == 11]
    names = []
    for p in rnd.sample(named, per_kind):
        start = rnd.randrange(0, len(p[0]) - 1)
        names.append(p[0][start : start + 2])
    return {
        "name": names,
        "initials": [p[1] for p in rnd.sample([p for p in people if len(p[1]) >= 2], per_kind)],
        "phone": [ph[:7] for ph in rnd.sample(phones, per_kind)],
        "no-hit": list(NO_HIT[:per_kind]) if per_kind <= len(NO_HIT) else [*NO_HIT] * (per_kind // len(NO_HIT) + 1),
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def time_queries(path: Path, queries: dict[str, list[str]], repeat: int) -> dict[str, dict[str, list[float]]]:
    """ms per query, by function and by kind (first call of each query is a warm-up)."""
    ws = open_workspace(path, operator="bench")
    out: dict[str, dict[str, list[float]]] = {"search_member_ids": {}, "search_members": {}}
    try:
        with ws.read() as s:
            for fn_name, fn in (("search_member_ids", search_member_ids), ("search_members", search_members)):
                for kind, qs in queries.items():
                    times: list[float] = []
                    for q in qs:
                        fn(s, q, limit=200)  # type: ignore[operator]
                        for _ in range(repeat):
                            t0 = time.perf_counter()
                            fn(s, q, limit=200)  # type: ignore[operator]
                            times.append((time.perf_counter() - t0) * 1000)
                    out[fn_name][kind] = times
    finally:
        ws.close()
    return out


def raw_like_baseline(path: Path, queries: dict[str, list[str]], repeat: int) -> list[float]:
    """The same one-column LIKE (and the phone prefix test) straight through sqlite3."""
    con = sqlite3.connect(path)
    times = []
    try:
        for kind, qs in queries.items():
            for q in qs:
                term = q.lower()
                if kind == "phone" or (term.isdigit() and len(term) >= 3):
                    sql = ("SELECT id FROM members WHERE (phone LIKE ? OR search_text LIKE ?) ORDER BY id LIMIT 200")
                    args: tuple[str, ...] = (term + "%", f"%{term}%")
                else:
                    sql = "SELECT id FROM members WHERE search_text LIKE ? ESCAPE '\\' ORDER BY id LIMIT 200"
                    args = (f"%{term}%",)
                con.execute(sql, args).fetchall()
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    con.execute(sql, args).fetchall()
                    times.append((time.perf_counter() - t0) * 1000)
    finally:
        con.close()
    return times


def run(work: Path, *, quick: bool, members: int | None = None) -> list[dict[str, Any]]:
    n = members or (5_000 if quick else 100_000)
    path = work / f"search_{n}.sqdesk"
    if not path.exists():
        print(f"  building a {n:,}-member workspace (once; reused from {path}) …", flush=True)
        t0 = time.perf_counter()
        try:
            how = build_workspace(path, n)
        except BaseException:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            raise
        print(f"  built ({how}) in {time.perf_counter() - t0:.1f}s", flush=True)
    queries = make_queries(path, per_kind=4 if quick else 10, seed=9)
    repeat = 3 if quick else 5
    timings = time_queries(path, queries, repeat)
    base = raw_like_baseline(path, queries, repeat)
    base_median = statistics.median(base)
    figures = []
    for fn_name, by_kind in timings.items():
        every = [t for ts in by_kind.values() for t in ts]
        median = statistics.median(every)
        fig: dict[str, Any] = {
            "name": f"{fn_name}, {n:,} members, limit 200 (median ms/query)",
            "value": round(median, 3), "unit": "ms",
            "baseline": "raw sqlite3 LIKE on search_text", "baseline_value": round(base_median, 3),
            "ratio": round(median / base_median, 3) if base_median else None,
            "target": f"median ≤ {TARGET_MEDIAN_MS:g} ms", "ok": median <= TARGET_MEDIAN_MS,
            "p95_ms": round(percentile(every, 0.95), 3),
            "by_kind": {
                k: {"median_ms": round(statistics.median(ts), 3), "p95_ms": round(percentile(ts, 0.95), 3)}
                for k, ts in by_kind.items()
            },
            "queries": queries,
        }
        figures.append(fig)
        kinds = ", ".join(f"{k} {v['median_ms']:.1f}/{v['p95_ms']:.1f}" for k, v in fig["by_kind"].items())
        print(f"  {fn_name}: median {median:.2f} ms, p95 {fig['p95_ms']:.2f} ms  (median/p95 by kind: {kinds})",
              flush=True)
    print(f"  raw sqlite3 LIKE: median {base_median:.2f} ms, p95 {percentile(base, 0.95):.2f} ms", flush=True)
    return figures


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--members", type=int)
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "out" / "work")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    run(args.work, quick=args.quick, members=args.members)


if __name__ == "__main__":
    main()

"""Benchmark: ``sqdesk demo`` — build the demo community into a fresh workspace.

    python benchmarks/bench_demo.py                    # 2,000 then 100,000 members
    python benchmarks/bench_demo.py --quick            # 2,000 only
    python benchmarks/bench_demo.py --members 20000 --profile
    python benchmarks/bench_demo.py --members 20000 --pg postgresql+psycopg://postgres:postgres@127.0.0.1/postgres

Each build goes into a new temporary SQLite file (or, with --pg, a new database on that
server, dropped afterwards) with seed 42 ending 2025-06-30, exactly what
``sqdesk demo --members N`` does. Printed per size: wall and CPU seconds, the phases
(from the progress callback: people, members written, events, 供求+群规, lifecycle rows,
talk generated+written, index rebuild, commit), rows per table, activity rows per member,
file size and the process's peak RSS. Target: 100,000 members well under 2 minutes.

``run(work, quick=...)`` is what ``python -m benchmarks.run`` calls.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqdesk.core.demo import build_demo  # noqa: E402
from sqdesk.core.workspace import Workspace, open_workspace  # noqa: E402

UNTIL = dt.date(2025, 6, 30)
SEED = 42
TARGET_SECONDS = 120.0
# Progress marks build_demo reports at phase ends (see build_demo).
PHASES = (
    (8, "people"), (20, "members+groups written"), (28, "events"), (32, "供求+群规"),
    (40, "lifecycle rows"), (98, "talk generated+written"), (99, "index rebuild"), (100, "commit"),
)


def build_once(members: int, *, directory: Path, pg: str | None = None,
               profile: Path | None = None) -> dict[str, Any]:
    marks: dict[int, float] = {}
    t0 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        marks.setdefault(done * 100 // max(total, 1), time.perf_counter() - t0)

    ws, cleanup = _workspace(directory, members, pg)
    try:
        t0 = time.perf_counter()
        c0 = time.process_time()
        prof = cProfile.Profile() if profile else None
        if prof:
            prof.enable()
        summary = build_demo(ws, members=members, seed=SEED, until=UNTIL, progress=progress)
        if prof:
            prof.disable()
            prof.dump_stats(str(profile))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        size = ws.path.stat().st_size if ws.path else None
    finally:
        ws.close()
        cleanup()
    phases: dict[str, float] = {}
    previous = 0.0
    for mark, label in PHASES:
        at = marks.get(mark)
        if at is not None:
            phases[label] = round(at - previous, 2)
            previous = at
    return {
        "members": members, "backend": "postgresql" if pg else "sqlite", "wall": wall, "cpu": cpu,
        "phases": phases, "counts": summary.counts, "file_bytes": size,
        "rows_per_member": summary.counts.get("activities", 0) / members,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _workspace(directory: Path, members: int, pg: str | None) -> tuple[Workspace, Any]:
    if not pg:
        path = directory / f"demo-{members}-{uuid.uuid4().hex[:6]}.sqdesk"

        def remove() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)

        return open_workspace(path, operator="bench"), remove
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(pg)
    name = f"sqdesk_bench_demo_{uuid.uuid4().hex[:8]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))

    def drop() -> None:
        with eng.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()

    url = admin.set(database=name).render_as_string(hide_password=False)
    return open_workspace(db_url=url, operator="bench"), drop


def report(r: dict[str, Any]) -> None:
    c = r["counts"]
    print(f"{r['members']:>9,} members ({r['backend']}): {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
          f"{c.get('activities', 0):,} activity rows ({r['rows_per_member']:.1f} per member), "
          f"peak RSS {r['peak_rss_mb']:.0f} MB"
          + (f", file {r['file_bytes'] / 1e6:.0f} MB" if r["file_bytes"] else ""), flush=True)
    print("    phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in r["phases"].items()))
    print("    rows: " + ", ".join(f"{k} {v:,}" for k, v in sorted(c.items())))


def run(work: Path | None = None, *, quick: bool = False) -> list[dict[str, Any]]:
    """Figures for benchmarks/run.py: the 2k build always, the 100k build unless quick."""
    sizes = [2000] if quick else [2000, 100_000]
    figures = []
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        for n in sizes:
            r = build_once(n, directory=Path(tmp))
            report(r)
            figures.append({
                "name": f"sqdesk demo --members {n:,} (SQLite, seed {SEED})", "value": round(r["wall"], 2),
                "unit": "s", "baseline": None, "baseline_value": None, "ratio": None,
                "target": f"≤ {TARGET_SECONDS:.0f} s" if n >= 100_000 else "",
                "ok": (r["wall"] <= TARGET_SECONDS) if n >= 100_000 else None,
                "detail": r["phases"], "rows": r["counts"],
            })
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, action="append", help="size to build (repeatable)")
    ap.add_argument("--quick", action="store_true", help="2,000 members only")
    ap.add_argument("--pg", metavar="URL", help="build on this PostgreSQL server instead (a new database)")
    ap.add_argument("--profile", action="store_true", help="cProfile each build to demo-N.prof here")
    args = ap.parse_args(argv)
    sizes = args.members or ([2000] if args.quick else [2000, 100_000])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine)", flush=True)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            prof = Path(f"demo-{n}.prof") if args.profile else None
            r = build_once(n, directory=Path(tmp), pg=args.pg, profile=prof)
            report(r)
            if prof:
                pstats.Stats(str(prof)).sort_stats("tottime").print_stats(15)
            if n >= 100_000 and not args.pg:
                ok = ok and r["wall"] <= TARGET_SECONDS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

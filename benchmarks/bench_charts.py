"""Benchmark: every chart on the 100,000-member demo workspace — data computation and drawing.

    python benchmarks/bench_charts.py                                   # /tmp/bench100k.sqdesk (built if missing)
    python benchmarks/bench_charts.py --workspace W.sqdesk --runs 3 --months 24
    python benchmarks/bench_charts.py --quick                           # 2,000-member demo in a temp folder

For each chart of ``sqdesk.charts.CHARTS``:

* **compute** — ``spec.compute(session, scope)`` (the analytics query and assembly; this
  is what the 分析 screen runs on its worker thread), best of ``--runs``;
* **draw** — ``spec.draw(data)`` + one Agg render of the figure at 100 dpi (what the
  screen does on the UI thread: build the Figure, lay it out and render it), best of
  ``--runs``. Target (issue 4): under 1 s per chart.
* **png** — ``spec.draw(data)`` + ``savefig`` to an in-memory PNG (``sqdesk chart``, "保存为
  PNG…"; savefig renders twice: a layout pass, then the picture).

The scope is the ``--months`` calendar months (default 24) up to the last day with
activity, all groups, staff excluded (the defaults of the screen and the CLI).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_WORKSPACE = Path("/tmp/bench100k.sqdesk")
DRAW_TARGET_S = 1.0


def ensure_workspace(path: Path, members: int) -> None:
    if path.exists():
        return
    from sqdesk.core.demo import build_demo
    from sqdesk.core.workspace import open_workspace

    print(f"building the {members:,}-member demo at {path} (about a minute per 100k)…", flush=True)
    ws = open_workspace(str(path))
    try:
        build_demo(ws, members=members)
    finally:
        ws.close()


def last_activity_day(ws: Any) -> dt.date:
    from sqlalchemy import func, select

    from sqdesk.analytics._sql import as_datetime
    from sqdesk.models import Activity

    with ws.read() as s:
        moment = as_datetime(s.execute(select(func.max(Activity.occurred_at))).scalar())
    return moment.date() if moment else dt.date.today()


def measure(workspace: Path, *, runs: int = 3, months: int = 24, only: list[str] | None = None) -> list[dict[str, Any]]:
    from sqlalchemy import func, select

    from sqdesk.analytics.community import Scope
    from sqdesk.charts import CHARTS
    from sqdesk.charts.base import chart_context
    from sqdesk.charts.registry import default_scope
    from sqdesk.core.workspace import open_workspace
    from sqdesk.models import Activity, Member

    ws = open_workspace(str(workspace))
    try:
        end = last_activity_day(ws)
        m = end.year * 12 + end.month - 1 - (months - 1)
        scope = Scope(dt.date(m // 12, m % 12 + 1, 1), end) if months != 6 else default_scope(end)
        with ws.read() as s:
            n_members = s.execute(select(func.count()).select_from(Member)).scalar_one()
            n_rows = s.execute(select(func.count()).select_from(Activity)).scalar_one()
        print(f"{workspace}: {n_members:,} members, {n_rows:,} activity rows; scope {scope.start} – {scope.end}; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared)", flush=True)
        # Warm-up: fonts, matplotlib imports, SQLite page cache.
        with chart_context():
            pass
        figures: list[dict[str, Any]] = []
        print(f"{'chart':<18} {'compute s':>10} {'draw+render s':>14} {'png s':>9}  target draw < {DRAW_TARGET_S:g} s")
        for name, spec in CHARTS.items():
            if only and name not in only:
                continue
            compute_times, draw_times = [], []
            data = None
            for _ in range(runs):
                t0 = time.perf_counter()
                with ws.read() as s:
                    data = spec.compute(s, scope)
                compute_times.append(time.perf_counter() - t0)
            png_times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                fig = spec.draw(data)
                with chart_context():
                    fig.canvas.draw()           # what the Qt canvas does: layout + Agg render, once
                draw_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                fig = spec.draw(data)
                with chart_context():
                    fig.savefig(io.BytesIO(), format="png", dpi=100)   # savefig lays out in a first pass
                png_times.append(time.perf_counter() - t0)
            c, d, png = min(compute_times), min(draw_times), min(png_times)
            ok = d < DRAW_TARGET_S
            print(f"{name:<18} {c:>10.3f} {d:>14.3f} {png:>9.3f}  {'ok' if ok else 'MISSED'}", flush=True)
            figures.append({
                "name": f"chart {name}: draw + render ({n_members:,} members, {months} months)",
                "value": round(d, 3), "unit": "s", "baseline": None, "baseline_value": None, "ratio": None,
                "target": f"< {DRAW_TARGET_S:g} s", "ok": ok,
                "detail": {"compute_s": round(c, 3), "png_s": round(png, 3),
                           "compute_runs": [round(x, 3) for x in compute_times],
                           "draw_runs": [round(x, 3) for x in draw_times]},
            })
        return figures
    finally:
        ws.close()


def run(work: Path | None = None, *, quick: bool = False) -> list[dict[str, Any]]:
    """Figures for benchmarks/run.py (its ``run(work, quick=…)`` convention)."""
    if quick:
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            path = Path(tmp) / "charts-2k.sqdesk"
            ensure_workspace(path, 2000)
            return measure(path, runs=1)
    path = (work / "charts-100k.sqdesk") if work is not None else DEFAULT_WORKSPACE
    ensure_workspace(path, 100_000)
    return measure(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workspace", type=Path, default=DEFAULT_WORKSPACE)
    ap.add_argument("--members", type=int, default=100_000, help="size of the demo built when the workspace is missing")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--months", type=int, default=24, help="length of the scope in calendar months")
    ap.add_argument("--quick", action="store_true", help="a 2,000-member demo in a temporary folder, one run")
    ap.add_argument("--only", help="comma-separated chart names")
    args = ap.parse_args(argv)
    figures = run(quick=True) if args.quick else None
    if figures is None:
        ensure_workspace(args.workspace, args.members)
        figures = measure(args.workspace, runs=args.runs, months=args.months,
                          only=args.only.split(",") if args.only else None)
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())

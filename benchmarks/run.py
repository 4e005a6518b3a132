"""Run every sqdesk benchmark and print each figure next to its baseline.

    python -m benchmarks.run            # full sizes (several minutes; builds data once)
    python -m benchmarks.run --quick    # small smoke run (well under a minute)
    python benchmarks/run.py --only import,search

Results also go to benchmarks/out/results.json; generated files (workspaces, the
100k-row xlsx, the 1M-row CSV) are kept in benchmarks/out/work and reused.
See benchmarks/README.md for what each baseline is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
# suites whose module has run(work, quick=...) -> list of figure dicts
MODULE_SUITES = {"import": "bench_import", "search": "bench_search", "demo": "bench_demo",
                 "startup": "bench_startup", "roster": "bench_roster", "charts": "bench_charts"}
# suites that are scripts printing their own figures: (args for a full run, args for --quick)
SCRIPT_SUITES: dict[str, tuple[str, list[str], list[str] | None]] = {
    "activity_log": ("bench_activity_log.py", [], ["--members", "2000", "--rows", "40000"]),
    "analytics": ("bench_analytics.py", [], ["--members", "2000", "--rows", "40000", "--repeat", "1"]),
    "rules": ("bench_rules.py", [], ["--members", "2000"]),
    "matching": ("bench_matching.py", [], ["--needs", "500", "--offers", "500"]),
    "brief": ("bench_brief.py", [], None),  # needs the 100k demo workspace: full runs only
}
SUITES = (*MODULE_SUITES, *SCRIPT_SUITES)


def _script(name: str, quick: bool) -> list[dict[str, Any]]:
    script, full_args, quick_args = SCRIPT_SUITES[name]
    args = quick_args if quick else full_args
    if args is None:
        print(f"  {script}: full runs only; skipped with --quick", flush=True)
        return []
    cmd = [sys.executable, str(HERE / script), *args]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=HERE.parent, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    print(done.stdout[-4000:], end="", flush=True)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
    return [{
        "name": f"{script} {' '.join(args)}".strip(), "value": round(took, 3), "unit": "s",
        "baseline": None, "baseline_value": None, "ratio": None, "target_ratio": None,
        "ok": done.returncode == 0, "output": done.stdout[-4000:],
    }]


def _demo(work: Path, quick: bool) -> list[dict[str, Any]]:
    """``sqdesk demo`` timing lives in bench_demo.py (its own module): call its ``run(work,
    quick=...)`` if it has one, else run it as a script and record its output."""
    if not (HERE / "bench_demo.py").exists():
        print("  benchmarks/bench_demo.py is not there; skipped", flush=True)
        return []
    module = importlib.import_module("benchmarks.bench_demo")
    runner = getattr(module, "run", None)
    if callable(runner):
        try:
            figures = runner(work, quick=quick)
        except TypeError:
            figures = runner(quick=quick)
        return list(figures or [])
    cmd = [sys.executable, str(HERE / "bench_demo.py"), *(["--quick"] if quick else [])]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=HERE.parent, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    print(done.stdout[-2000:], end="", flush=True)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
    return [{
        "name": "bench_demo.py (as a script)", "value": round(took, 3), "unit": "s",
        "baseline": None, "baseline_value": None, "ratio": None, "target_ratio": None,
        "ok": done.returncode == 0, "output": done.stdout[-4000:],
    }]


def _fmt(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f} {unit}"


def print_table(figures: list[dict[str, Any]]) -> None:
    print()
    print(f"{'figure':<58} {'sqdesk':>12} {'baseline':>12} {'ratio':>7}  target / verdict")
    print("-" * 110)
    for f in figures:
        unit = f.get("unit", "s")
        ratio = f.get("ratio")
        target = f.get("target") or (f"ratio ≤ {f['target_ratio']}" if f.get("target_ratio") else "")
        verdict = {True: "ok", False: "MISSED", None: ""}[f.get("ok")]
        print(f"{f['name'][:58]:<58} {_fmt(f.get('value'), unit):>12} {_fmt(f.get('baseline_value'), unit):>12} "
              f"{'' if ratio is None else f'×{ratio:.2f}':>7}  {target} {verdict}")
        if f.get("baseline"):
            print(f"{'':<4}baseline: {f['baseline']}")
        if f.get("p95_ms") is not None:
            print(f"{'':<4}p95 {f['p95_ms']:.2f} ms; by kind (median/p95 ms): "
                  + ", ".join(f"{k} {v['median_ms']:.1f}/{v['p95_ms']:.1f}" for k, v in f["by_kind"].items()))
        if f.get("detail"):
            print(f"{'':<4}" + ", ".join(f"{k} {v:.2f} s" for k, v in f["detail"].items()))


def machine() -> dict[str, Any]:
    import sqlalchemy

    return {
        "python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version, "sqlalchemy": sqlalchemy.__version__,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each (smoke test)")
    ap.add_argument("--only", default=",".join(SUITES), help=f"comma-separated subset of {', '.join(SUITES)}")
    ap.add_argument("--runs", type=int, help="repetitions of each import benchmark (default 2, quick 1)")
    ap.add_argument("--out", type=Path, default=OUT / "results.json")
    args = ap.parse_args(argv)
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(wanted) - set(SUITES)
    if unknown:
        ap.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    work = OUT / ("work-quick" if args.quick else "work")
    work.mkdir(parents=True, exist_ok=True)

    figures: list[dict[str, Any]] = []
    started = time.perf_counter()
    for name in wanted:
        print(f"{name}:", flush=True)
        if name == "demo":
            figures += _demo(work, args.quick)
        elif name == "import":
            from benchmarks import bench_import

            figures += bench_import.run(work, quick=args.quick, runs=args.runs)
        elif name in MODULE_SUITES:
            module = importlib.import_module(f"benchmarks.{MODULE_SUITES[name]}")
            figures += module.run(work, quick=args.quick)
        else:
            figures += _script(name, args.quick)
    print_table(figures)
    result = {
        "when": dt.datetime.now().isoformat(timespec="seconds"), "quick": args.quick,
        "seconds": round(time.perf_counter() - started, 1), "machine": machine(), "figures": figures,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"\nresults written to {args.out}")
    return 0 if all(f.get("ok") is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())

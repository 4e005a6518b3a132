"""Benchmark: evaluating the 群规 against computing the metrics they read.

    python benchmarks/bench_rules.py                     # synthetic 100k-row metrics table only
    python benchmarks/bench_rules.py --workspace W.sqdesk --as-of 2025-06-30
                                                          # a real workspace (e.g. the one
                                                          # benchmarks/bench_analytics.py --keep builds);
                                                          # starter rules are installed if it has none

Target (issue 5): evaluating all rules over 100,000 members ≤ 2× computing the metrics.
Reported: metrics time, pure evaluation of every rule (column code), the whole dry run
given the metrics (evaluation + member names + result objects), and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from sqdesk.analytics.metrics import MEMBER_VARIABLES, MetricsTable  # noqa: E402
from sqdesk.rules.engine import evaluate_rules  # noqa: E402
from sqdesk.rules.templates import STARTER_RULES  # noqa: E402

CONDITIONS = [r.condition for r in STARTER_RULES if r.condition] + [
    'tags contains "VIP" and not groups contains "杭州一群"',
    'role in ["成员", "骨干"] and (score < 20 or no_shows_90d >= 2) and level != "核心"',
]


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def synthetic(n: int, seed: int = 7) -> MetricsTable:
    rnd = random.Random(seed)
    cols: dict[str, list[object]] = {}
    for name, info in MEMBER_VARIABLES.items():
        if info.type == "number":
            cols[name] = [None if rnd.random() < 0.05 else rnd.randint(0, 120) for _ in range(n)]
        elif info.type == "bool":
            cols[name] = [rnd.random() < 0.7 for _ in range(n)]
        elif info.type == "list":
            cols[name] = [rnd.sample(["VIP", "杭州一群", "上海群", "讲师", "新人"], rnd.randint(0, 3)) for _ in range(n)]
        else:
            choices = {"role": ["成员"] * 8 + ["骨干", "管理员"], "status": ["在群"] * 9 + ["已退出"],
                       "level": ["核心", "活跃", "一般", "潜水", "沉默"]}[name]
            cols[name] = [rnd.choice(choices) for _ in range(n)]
    return MetricsTable(as_of=dt.date(2025, 6, 30), member_ids=list(range(1, n + 1)), columns=cols)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--workspace")
    ap.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2025, 6, 30))
    args = ap.parse_args()
    rules = list(enumerate(CONDITIONS, start=1))

    table = synthetic(args.members)
    t_eval, hits = best_of(lambda: evaluate_rules(rules, table))
    print(f"synthetic {args.members:,} rows: evaluate {len(rules)} rules {t_eval * 1000:.0f} ms "
          f"({sum(len(v) for v in hits.values()):,} hits)")
    if not args.workspace:
        return

    from sqlalchemy import func, select

    from sqdesk.analytics.metrics import compute_member_metrics
    from sqdesk.core.workspace import open_workspace
    from sqdesk.models import Rule
    from sqdesk.rules.engine import dry_run
    from sqdesk.rules.templates import install_starter_rules

    ws = open_workspace(args.workspace)
    with ws.write() as s:
        if not s.scalar(select(func.count()).select_from(Rule)):
            install_starter_rules(s, "bench")
    with ws.read() as s:
        t_metrics, real = best_of(lambda: compute_member_metrics(s, args.as_of))
        t_eval, hits = best_of(lambda: evaluate_rules(rules, real))
        t_dry, results = best_of(lambda: dry_run(s, args.as_of, metrics=real))
    ws.close()
    caught = sum(len(r.members) for r in results)
    print(f"workspace {len(real.member_ids):,} members: metrics {t_metrics * 1000:.0f} ms; "
          f"evaluate {len(rules)} rules {t_eval * 1000:.0f} ms; "
          f"dry run of {len(results)} stored rules given the metrics {t_dry * 1000:.0f} ms ({caught:,} caught)")
    print(f"whole dry run (metrics + rules) = {(t_metrics + t_dry) / t_metrics:.2f}× the metrics alone; "
          f"rules alone = {t_dry / t_metrics:.2f}× (target ≤ 2×)")


if __name__ == "__main__":
    main()

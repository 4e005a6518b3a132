"""Roster screen benchmark: the real RosterView (offscreen) on a 100,000-member workspace.

    python benchmarks/bench_roster.py                 # 100k-member demo workspace
    python benchmarks/bench_roster.py --quick         # 5,000 members
    python benchmarks/bench_roster.py --members 20000

The workspace is the demo community (``sqdesk.core.demo.build_demo``, seed 42, fixed end
date; with its ~20 activity rows per member) built once into ``benchmarks/out/work`` and
reused; without the demo builder, synthetic members written with Core inserts and
``roster.derived_columns``.

Figures (issue 3, "Speed"):
  open        workspace opened → RosterView built → first query in the model → first
              screenful of rows fetched and painted; 100k vs an empty workspace (ratio).
              Target ≤ 1 s on 100k.
  keystroke   search-as-you-type: per keystroke, the time from the query request (the
              150 ms debounce excluded) to the model reset with the new ids, plus the
              first visible block fetched and painted. Typing real names' pinyin
              initials, full pinyin, Chinese, phone prefixes and #tags key by key, and
              deleting back to empty (the 100k-row case). Target p95 ≤ 50 ms.
  sort        header click → ids in the new SQL order in the model.
  scroll      one repaint of the viewport at a random place (block fetch included when
              not cached) — what a scroll frame costs.
  memory      peak RSS of the process with the roster open (resource.getrusage).
              Target ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402, TID251
from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

HERE = Path(__file__).resolve().parent
DEMO_UNTIL = dt.date(2025, 6, 30)
TARGET_OPEN_S = 1.0
TARGET_KEYSTROKE_P95_MS = 50.0
TARGET_RSS_MB = 400.0


def build_workspace(path: Path, members: int) -> str:
    from sqlalchemy import insert

    from sqdesk.core.roster import derived_columns
    from sqdesk.core.workspace import open_workspace
    from sqdesk.models import Member

    ws = open_workspace(path, operator="bench")
    try:
        try:
            from sqdesk.core.demo import build_demo
        except ImportError:
            build_demo = None  # type: ignore[assignment]
        if build_demo is not None:
            build_demo(ws, members=members, seed=42, until=DEMO_UNTIL)
            return "demo"
        rnd = random.Random(5)
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
        given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉萍红玲燕彬鹏宇浩凯晨涵欣怡轩"
        with ws.write() as s:
            for start in range(0, members, 10_000):
                rows = []
                for i in range(start, min(start + 10_000, members)):
                    name = rnd.choice(surnames) + "".join(rnd.choice(given) for _ in range(rnd.choice((1, 2))))
                    phone = f"1{rnd.choice('3456789')}{i:09d}"
                    wx = f"wx{i:07d}"
                    city = rnd.choice(("杭州", "上海", "北京", "深圳", "成都"))
                    rows.append({"display_name": name, "phone": phone, "wechat_id": wx, "city": city,
                                 **derived_columns(name, "", phone, wx, city)})
                s.execute(insert(Member), rows)
        return "synthetic"
    finally:
        ws.close()


def _wait(predicate: Any, timeout_s: float = 120.0) -> None:
    """Run the event loop (sleeping, as the app does) until ``predicate()`` holds.

    A busy processEvents() loop would compete with the worker thread for the GIL and
    make every background step look several times slower than it is in the app."""
    if predicate():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: predicate() and loop.quit())
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(loop.quit)
    poll.start()
    give_up.start(int(timeout_s * 1000))
    loop.exec()
    poll.stop()
    if not predicate():
        raise TimeoutError("benchmark step did not finish")


def _wait_signal(signal: Any, timeout_s: float = 60.0) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(loop.quit)
    give_up.start(int(timeout_s * 1000))
    loop.exec()
    signal.disconnect(loop.quit)
    if not give_up.isActive():
        raise TimeoutError("benchmark step did not finish")


class Harness:
    """An AppContext + RosterView on one workspace, shown offscreen."""

    def __init__(self, path: Path, settings_dir: Path) -> None:
        from sqdesk.core.workspace import open_workspace
        from sqdesk.ui.context import AppContext
        from sqdesk.ui.settings import Settings
        from sqdesk.ui.views.roster import RosterView

        t0 = time.perf_counter()
        self.ws = open_workspace(path, operator="bench")
        q = QSettings(str(settings_dir / "bench.ini"), QSettings.Format.IniFormat)
        self.ctx = AppContext(Settings(q))
        self.ctx.set_workspace(self.ws)
        self.view = RosterView(self.ctx)
        self.view.resize(1400, 900)
        self.view.show()
        self.applied = 0
        self.view.ids_applied.connect(self._applied)
        _wait_signal(self.view.ids_applied)
        self.paint()
        self.open_s = time.perf_counter() - t0
        self.reset_ms: list[float] = []

    def settle(self) -> None:
        """Until the member page has loaded and core's search index is warm."""
        _wait(lambda: self.view._index_warm and self.ctx.tasks.is_idle())

    def _applied(self, _n: int) -> None:
        self.applied += 1

    def paint(self) -> None:
        """Paint the viewport now (fetches the visible rows' block if not cached), then
        let the event loop handle what the reset queued, so the next step starts clean."""
        self.view.table.viewport().repaint()
        app = QApplication.instance()
        assert app is not None
        app.processEvents()

    def query(self, text: str) -> float:
        """One keystroke: request → ids in the model → first screenful painted (ms)."""
        before = self.applied
        self.view.search.blockSignals(True)
        self.view.search.setText(text)
        self.view.search.blockSignals(False)
        t0 = time.perf_counter()
        self.view.requery()
        _wait_signal(self.view.ids_applied)
        assert self.applied > before
        self.reset_ms.append(self.view.last_query_ms)
        self.paint()
        return (time.perf_counter() - t0) * 1000

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()
        self.ctx.close()


def typing_sequences(path: Path, n: int, seed: int) -> list[str]:
    """Keystroke-by-keystroke texts an operator would type, from real members."""
    from sqlalchemy import select

    from sqdesk.core.workspace import open_workspace
    from sqdesk.models import Member, Tag

    ws = open_workspace(path, operator="bench")
    try:
        with ws.read() as s:
            total = s.query(Member.id).count()
            rnd = random.Random(seed)
            ids = [rnd.randint(1, total) for _ in range(n)]
            rows = s.execute(select(Member.display_name, Member.name_initials, Member.name_pinyin,
                                    Member.phone).where(Member.id.in_(ids))).all()
            tags = list(s.scalars(select(Tag.name).limit(5)))
    finally:
        ws.close()
    texts: list[str] = []

    def type_out(word: str) -> None:
        for i in range(1, len(word) + 1):
            texts.append(word[:i])
        for i in range(len(word) - 1, -1, -1):  # backspace to empty
            texts.append(word[:i])

    for k, (name, initials, full, phone) in enumerate(rows):
        choice = k % 4
        if choice == 0:
            type_out(initials)
        elif choice == 1:
            type_out(full[:6])
        elif choice == 2:
            type_out(name)
        elif phone:
            type_out(phone[:7])
    for t in tags:
        type_out("#" + t)
    return texts


def summarise(name: str, values: list[float], unit: str = "ms") -> dict[str, Any]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return {"name": name, "n": len(values), "median": round(statistics.median(values), 2),
            "p95": round(p95, 2), "max": round(values[-1], 2), "unit": unit}


def _app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([])
        from sqdesk.app import _apply_look

        _apply_look(app)  # the app's CJK font and stylesheet: paint costs as in the app
    assert isinstance(app, QApplication)
    return app


def memory_figure(path: Path, quick: bool) -> dict[str, Any]:
    """Peak RSS of a fresh process that opens the roster, types, sorts and scrolls."""
    app = _app()
    with tempfile.TemporaryDirectory() as tmp:
        h = Harness(path, Path(tmp))
        h.settle()
        for t in typing_sequences(path, 4 if quick else 12, seed=11):
            h.query(t)
        h.query("")
        h.view.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        _wait_signal(h.view.ids_applied)
        rnd = random.Random(4)
        for _ in range(100):
            h.view.table.scrollTo(h.view.model.index(rnd.randrange(h.view.model.rowCount()), 0))
            h.paint()
        app.processEvents()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        h.close()
    return {"name": "peak RSS with the roster open (fresh process: open, type, sort, scroll)",
            "value": round(rss_mb, 1), "unit": "MB", "target": f"≤ {TARGET_RSS_MB:.0f} MB",
            "ok": rss_mb <= TARGET_RSS_MB}


def run(work: Path, *, quick: bool, members: int | None = None) -> list[dict[str, Any]]:
    n = members or (5_000 if quick else 100_000)
    app = _app()
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"roster_{n}.sqdesk"
    if not path.exists():
        print(f"  building a {n:,}-member workspace (once; reused from {path}) …", flush=True)
        t0 = time.perf_counter()
        # in a child process, so that its memory does not count in this one's peak RSS
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--build-only",
                               "--members", str(n), "--work", str(work)], check=False)
        if done.returncode != 0:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            raise RuntimeError("building the benchmark workspace failed")
        print(f"  built in {time.perf_counter() - t0:.1f}s", flush=True)
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        empty = tmpdir / "empty.sqdesk"
        # warm-up (imports, Qt fonts) so that both cases are measured alike
        warm = Harness(empty, tmpdir)
        warm.close()
        opens_empty, opens_big = [], []
        for _ in range(3):
            h = Harness(empty, tmpdir)
            opens_empty.append(h.open_s)
            h.close()
            h = Harness(path, tmpdir)
            opens_big.append(h.open_s)
            h.close()
        app.processEvents()
        e, b = statistics.median(opens_empty), statistics.median(opens_big)
        figures.append({"name": "open to a populated roster, empty workspace", "value": round(e, 3), "unit": "s"})
        figures.append({"name": f"open to a populated roster, {n:,} members", "value": round(b, 3), "unit": "s",
                        "ratio_to_empty": round(b / e, 2), "target": f"≤ {TARGET_OPEN_S} s",
                        "ok": b <= TARGET_OPEN_S})

        h = Harness(path, tmpdir)
        t0 = time.perf_counter()
        h.settle()
        figures.append({"name": "background after open (member page + search index warm-up)",
                        "value": round(time.perf_counter() - t0, 3), "unit": "s"})
        texts = typing_sequences(path, 8 if quick else 24, seed=7)
        for t in texts[:10]:  # warm the statement cache
            h.query(t)
        h.reset_ms.clear()
        times = [h.query(t) for t in texts]
        ks = summarise("search-as-you-type per keystroke: request → model reset", h.reset_ms)
        ks.update(target=f"p95 ≤ {TARGET_KEYSTROKE_P95_MS} ms", ok=ks["p95"] <= TARGET_KEYSTROKE_P95_MS)
        figures.append(ks)
        figures.append(summarise("search-as-you-type per keystroke: request → first screen painted", times))
        h.query("")

        # sort by name (pinyin) and by join date through the header, both directions
        sorts = []
        for col in (0, 9):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                t0 = time.perf_counter()
                h.view.table.horizontalHeader().setSortIndicator(col, order)
                _wait_signal(h.view.ids_applied)
                h.paint()
                sorts.append((time.perf_counter() - t0) * 1000)
        figures.append(summarise("sort by a header click (name/joined, asc/desc)", sorts))

        # scroll frames: jump to random places and repaint
        rnd = random.Random(3)
        rows = h.view.model.rowCount()
        frames = []
        for _ in range(60 if quick else 200):
            row = rnd.randrange(rows)
            h.view.table.scrollTo(h.view.model.index(row, 0))
            t0 = time.perf_counter()
            h.paint()
            frames.append((time.perf_counter() - t0) * 1000)
        figures.append(summarise("scroll frame (repaint at a random row, fetch included)", frames))
        cached = []
        for _ in range(100):
            t0 = time.perf_counter()
            h.paint()
            cached.append((time.perf_counter() - t0) * 1000)
        figures.append(summarise("scroll frame (rows cached)", cached))
        h.view.table.selectAll()
        t0 = time.perf_counter()
        selected = len(h.view.selected_ids())
        figures.append({"name": f"ids of a select-all ({selected:,} rows)",
                        "value": round((time.perf_counter() - t0) * 1000, 2), "unit": "ms"})
        h.close()
    child = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--memory-only", "--members", str(n),
         "--work", str(work), *(["--quick"] if quick else [])],
        capture_output=True, text=True, check=False)
    line = next((x for x in child.stdout.splitlines() if x.startswith("{")), None)
    if line is None:
        raise RuntimeError("memory measurement failed:\n" + child.stderr[-2000:])
    figures.append(json.loads(line))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--members", type=int)
    parser.add_argument("--work", type=Path, default=HERE / "out" / "work")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_only:
        n = args.members or (5_000 if args.quick else 100_000)
        print(json.dumps(memory_figure(args.work / f"roster_{n}.sqdesk", args.quick), ensure_ascii=False))
        return 0
    if args.build_only:
        n = args.members or 100_000
        print(f"  ({build_workspace(args.work / f'roster_{n}.sqdesk', n)})", flush=True)
        return 0
    figures = run(args.work, quick=args.quick, members=args.members)
    for f in figures:
        extra = " ".join(f"{k}={v}" for k, v in f.items() if k not in ("name",))
        print(f"{f['name']}: {extra}")
    return 0 if all(f.get("ok", True) for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())

"""SIGKILL an import at random moments; the workspace must stay sound and atomic.

A real ``python -m sqdesk import members|activity FILE --workspace W`` child is killed
at seeded random moments: half of them anywhere from start-up to a little after the
usual finish, half inside the commit (right after the child prints its preview, which
it does just before it starts writing). After every kill the workspace file is opened
with plain sqlite3: ``PRAGMA integrity_check`` must say ok, and every import batch must
be wholly there (its row exists and exactly the rows its counts say carry its id) or
wholly absent (no row carries an id without a batch). Finally an import without a kill,
on a workspace that was just killed mid-commit, must succeed.
"""

from __future__ import annotations

import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]

REPO = Path(__file__).resolve().parents[2]
SEED = 20240305
ITERATIONS = 20
BASE_MEMBERS = 1_500
NEW_MEMBERS = 2_500
ACTIVITY_ROWS = 4_000
GROUPS = ("杭州创业一群", "杭州创业二群", "上海读书会")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华建国志晓东海燕婷玉兰雪梅丹辉鹏飞宇浩然"


def _roster_csv(path: Path, rnd: random.Random, start: int, n: int) -> list[tuple[str, str]]:
    """A roster of n members (phones unique by serial); returns (group, nickname) pairs."""
    pairs = []
    lines = ["姓名,手机号,城市,所在群,群昵称"]
    for i in range(start, start + n):
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
        group = GROUPS[i % len(GROUPS)]
        nick = f"{name[-2:]}{i}"
        lines.append(f"{name},139{i:08d},{rnd.choice(('杭州', '上海', '深圳'))},{group},{nick}")
        pairs.append((group, nick))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pairs


def _activity_csv(path: Path, rnd: random.Random, pairs: list[tuple[str, str]], n: int) -> None:
    lines = ["发言时间,群名称,群昵称,类型,消息数"]
    for k in range(n):
        group, nick = rnd.choice(pairs)
        lines.append(
            f"2024-03-{k % 28 + 1:02d} {k % 24:02d}:{k % 60:02d}:{rnd.randrange(60):02d},"
            f"{group},{nick},{rnd.choice(('消息', '打卡', '转发'))},{rnd.randrange(1, 40)}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class Fixture:
    base: Path
    members_csv: Path
    activity_csv: Path
    base_members: int


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    from sqdesk.core.workspace import open_workspace
    from sqdesk.io.roster_import import commit_roster_import, preview_roster_import

    d = tmp_path_factory.mktemp("kill")
    rnd = random.Random(SEED)
    base_roster = d / "base_roster.csv"
    pairs = _roster_csv(base_roster, rnd, 0, BASE_MEMBERS)
    members_csv = d / "new_members.csv"
    _roster_csv(members_csv, rnd, BASE_MEMBERS, NEW_MEMBERS)
    activity_csv = d / "chat_stats.csv"
    _activity_csv(activity_csv, rnd, pairs, ACTIVITY_ROWS)
    base = d / "base.sqdesk"
    ws = open_workspace(base, operator="测试员")
    try:
        with ws.read() as s:
            preview = preview_roster_import(s, base_roster)
        with ws.write() as s:
            commit_roster_import(s, preview, operator="测试员")
    finally:
        ws.close()
    con = sqlite3.connect(base)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    members = con.execute("SELECT count(*) FROM members").fetchone()[0]
    con.close()
    assert members == BASE_MEMBERS
    return Fixture(base, members_csv, activity_csv, members)


def _copy(base: Path, dest: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, dest)
    return dest


def _spawn(what: str, csv_path: Path, workspace: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1", "SQDESK_OPERATOR": "测试员"}
    return subprocess.Popen(
        [sys.executable, "-m", "sqdesk", "import", what, str(csv_path), "--workspace", str(workspace)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _wait_for_output(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Until the child prints its preview (it commits right after); False if it ended first."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return bool(ready) and proc.poll() is None


def _check_workspace(path: Path, base_members: int) -> dict[str, int]:
    """integrity_check ok, and every batch wholly present or wholly absent."""
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        batches = con.execute("SELECT id, kind, rows_created, status FROM import_batches ORDER BY id").fetchall()
        for table in ("members", "memberships", "activities", "audit_entries"):
            stray = con.execute(
                f"SELECT count(*) FROM {table} WHERE batch_id IS NOT NULL "
                "AND batch_id NOT IN (SELECT id FROM import_batches)"
            ).fetchone()[0]
            assert stray == 0, f"{stray} {table} rows carry the id of a batch that does not exist"
        total_members = base_members
        total_activities = 0
        for bid, kind, rows_created, status in batches[1:]:  # batch 1 built the base
            assert status == "committed"
            audit = con.execute("SELECT count(*) FROM audit_entries WHERE batch_id = ?", (bid,)).fetchone()[0]
            assert audit >= 1, f"batch {bid} has no audit entry"
            if kind == "activity":
                n = con.execute("SELECT count(*) FROM activities WHERE batch_id = ?", (bid,)).fetchone()[0]
                assert n == rows_created == ACTIVITY_ROWS, f"activity batch {bid}: {n} rows, says {rows_created}"
                total_activities += n
            else:
                n = con.execute("SELECT count(*) FROM members WHERE batch_id = ?", (bid,)).fetchone()[0]
                ms = con.execute("SELECT count(*) FROM memberships WHERE batch_id = ?", (bid,)).fetchone()[0]
                assert n == rows_created == NEW_MEMBERS, f"members batch {bid}: {n} rows, says {rows_created}"
                assert ms == NEW_MEMBERS
                total_members += n
        # nothing written outside a batch either
        assert con.execute("SELECT count(*) FROM members").fetchone()[0] == total_members
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == total_activities
        return {"batches": len(batches) - 1}
    finally:
        con.close()


def test_sigkill_during_import_leaves_sound_atomic_workspace(prepared: Fixture, tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    files = {"members": prepared.members_csv, "activity": prepared.activity_csv}

    # How long an uninterrupted run takes (and that it works at all): start-up to the
    # preview's output, and from there to the result line printed after the commit.
    durations: dict[str, tuple[float, float]] = {}
    for what, csv_path in files.items():
        ws = _copy(prepared.base, tmp_path / f"probe_{what}.sqdesk")
        t0 = time.monotonic()
        proc = _spawn(what, csv_path, ws)
        assert proc.stdout is not None
        stamps = [time.monotonic() - t0 for _line in iter(proc.stdout.readline, b"")]
        err = proc.communicate(timeout=60)[1]
        assert proc.returncode == 0, err.decode()
        durations[what] = (stamps[0], stamps[-1] - stamps[0])
        assert _check_workspace(ws, prepared.base_members) == {"batches": 1}

    outcomes = {"killed, nothing written": 0, "killed after commit": 0, "finished": 0}
    workspace = tmp_path / "victim.sqdesk"
    in_commit_kills = 0
    for i in range(ITERATIONS):
        what = "members" if i % 2 == 0 else "activity"
        t_preview, t_commit = durations[what]
        _copy(prepared.base, workspace)
        proc = _spawn(what, files[what], workspace)
        if i % 4 < 2:  # anywhere from start-up to a bit after the usual end
            time.sleep(rnd.uniform(0.0, (t_preview + t_commit) * 1.1))
        else:  # inside the write: after the preview is printed
            if _wait_for_output(proc, 60):
                time.sleep(rnd.uniform(0.0, t_commit * 1.2))
                in_commit_kills += 1
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        summary = _check_workspace(workspace, prepared.base_members)
        if proc.returncode == -signal.SIGKILL:
            outcomes["killed after commit" if summary["batches"] else "killed, nothing written"] += 1
        else:
            assert proc.returncode == 0
            outcomes["finished"] += 1
    # The schedule really did interrupt imports (not only kill finished processes).
    assert outcomes["killed, nothing written"] >= ITERATIONS // 3, outcomes
    assert in_commit_kills >= ITERATIONS // 4, outcomes

    # After the last kill the workspace (with whatever WAL it left) takes full imports.
    ran = 0
    for what in ("activity", "members"):
        if _has_kind(workspace, what):
            continue  # the last kill came after this import had committed
        before = _check_workspace(workspace, prepared.base_members)["batches"]
        proc = _spawn(what, files[what], workspace)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
        assert _check_workspace(workspace, prepared.base_members)["batches"] == before + 1
        ran += 1
    assert ran >= 1


def _has_kind(path: Path, kind: str) -> bool:
    con = sqlite3.connect(path)
    try:
        return bool(con.execute("SELECT count(*) FROM import_batches WHERE id > 1 AND kind = ?", (kind,)).fetchone()[0])
    finally:
        con.close()

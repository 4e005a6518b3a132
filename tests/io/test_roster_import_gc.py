"""After an import the garbage collector is as it was: on, nothing left frozen, objects
someone else froze still frozen; the preview's records went to the old generation (not
to be scanned again by young collections)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from sqdesk.io.roster_import import commit_roster_import, preview_roster_import
from tests.io.roster_files import write_roster


def make(path: Path, n: int) -> Path:
    return write_roster(path, ["姓名", "手机号", "标签"], [[f"成员{i}", f"139{i:08d}", "读书、跑步"] for i in range(n)])


def in_generation(obj: object, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_preview_records_go_to_the_old_generation(sqlite_ws: Any, tmp_path: Path) -> None:
    path = make(tmp_path / "a.xlsx", 200)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, path)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    record = preview.records[100]
    assert in_generation(record, 2) and not in_generation(record, 0)
    with sqlite_ws.write() as s:
        result = commit_roster_import(s, preview, operator="测试员")
    assert result.created == 200
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_objects_frozen_by_someone_else_stay_frozen(sqlite_ws: Any, tmp_path: Path) -> None:
    path = make(tmp_path / "a.xlsx", 50)
    mine = [["frozen by the caller"]]
    gc.freeze()
    try:
        assert not any(in_generation(mine, g) for g in (0, 1, 2))
        with sqlite_ws.read() as s:
            preview = preview_roster_import(s, path)
        with sqlite_ws.write() as s:
            commit_roster_import(s, preview, operator="测试员")
        assert not any(in_generation(mine, g) for g in (0, 1, 2))  # still frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()

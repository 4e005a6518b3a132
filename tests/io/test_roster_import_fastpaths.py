"""The roster import's shortcuts must not change what it does: the commit skips
re-planning only while the workspace is exactly as the preview saw it, repeated cells
reuse one conversion without mixing up values that compare equal (1 == True), and the
garbage collector paused during an import comes back on whatever happens."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sqdesk.core.errors import ConflictError
from sqdesk.core.imports import ImportCancelled
from sqdesk.core.roster import MemberInput, create_member, update_member
from sqdesk.io import roster_import
from sqdesk.io.roster_import import commit_roster_import, preview_roster_import
from sqdesk.models import ImportBatch, Member
from tests.io.roster_files import write_roster


@pytest.fixture
def count_plans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = roster_import._plan

    def counting(*args: Any, **kw: Any) -> Any:
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(roster_import, "_plan", counting)
    return calls


def _members(ws: Any) -> int:
    with ws.read() as s:
        return int(s.scalar(select(func.count()).select_from(Member)) or 0)


def test_unchanged_workspace_is_not_replanned(ws: Any, tmp_path: Path, count_plans: list[int]) -> None:
    with ws.write() as s:
        create_member(s, MemberInput("老成员", {"phone": "13800000001"}), operator="测试员")
    path = write_roster(tmp_path / "a.xlsx", ["姓名", "手机号"], [["张三", "13900000001"], ["老成员", "13800000001"]])
    with ws.read() as s:
        preview = preview_roster_import(s, path)
    assert len(count_plans) == 1
    with ws.write() as s:
        result = commit_roster_import(s, preview, operator="测试员")
    assert len(count_plans) == 1  # the commit trusted the preview's plan
    assert (result.created, result.skipped) == (1, 1)
    assert _members(ws) == 2


def test_phone_edited_after_preview_is_caught(ws: Any, tmp_path: Path, count_plans: list[int]) -> None:
    """Same member count, same largest id, only a phone changed: the file's row now
    duplicates an existing member, so the commit must re-plan and refuse."""
    with ws.write() as s:
        mid = create_member(s, MemberInput("老成员", {"phone": "13800000001"}), operator="测试员").id
    path = write_roster(tmp_path / "a.xlsx", ["姓名", "手机号"], [["张三", "13900000001"]])
    with ws.read() as s:
        preview = preview_roster_import(s, path)
    assert preview.to_create == 1
    with ws.write() as s:
        update_member(s, mid, {"phone": "13900000001"}, operator="测试员")
    with pytest.raises(ConflictError, match="重新预览"), ws.write() as s:
        commit_roster_import(s, preview, operator="测试员")
    assert len(count_plans) == 2
    assert _members(ws) == 1
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_unrelated_change_is_rechecked_and_still_commits(ws: Any, tmp_path: Path, count_plans: list[int]) -> None:
    path = write_roster(tmp_path / "a.xlsx", ["姓名", "手机号"], [["张三", "13900000001"], ["李四", "13900000002"]])
    with ws.read() as s:
        preview = preview_roster_import(s, path)
    with ws.write() as s:
        create_member(s, MemberInput("王五", {"phone": "13700000009"}), operator="测试员")
    with ws.write() as s:
        result = commit_roster_import(s, preview, operator="测试员")
    assert len(count_plans) == 2  # re-planned, found the same plan
    assert result.created == 2
    assert _members(ws) == 3


def test_changed_policy_is_replanned(ws: Any, tmp_path: Path, count_plans: list[int]) -> None:
    with ws.write() as s:
        create_member(s, MemberInput("老成员", {"phone": "13800000001"}), operator="测试员")
    path = write_roster(tmp_path / "a.xlsx", ["姓名", "手机号"], [["老成员", "13800000001"], ["张三", "13900000001"]])
    with ws.read() as s:
        preview = preview_roster_import(s, path, on_duplicate="skip")
    preview.on_duplicate = "update"
    with pytest.raises(ConflictError), ws.write() as s:
        commit_roster_import(s, preview, operator="测试员")
    assert len(count_plans) == 2


def test_repeated_cells_convert_each_value_on_its_own(sqlite_ws: Any, tmp_path: Path) -> None:
    """Equal-comparing cells of different types (True, 1, 1.0) and padded repeats of a
    string must each give their own converted value; a bad repeated value is reported on
    every row that has it."""
    header = ["姓名", "会员等级", "城市", "性别", "入群时间", "标签"]
    rows: list[list[Any]] = [
        ["甲", True, " 北京 ", "男", dt.date(2024, 3, 5), "读书、跑步"],
        ["乙", 1, "北京", "男", "2024年3月5日", "读书、跑步"],
        ["丙", 1.5, "北京 ", "男士", dt.date(2024, 3, 5), "跑步"],
        ["丁", "1", "   ", "男", "2024.3.5", "读书、跑步"],
        ["戊", True, "北京", "男士", "2024年3月5日", None],
    ]
    path = write_roster(tmp_path / "c.xlsx", header, rows)
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, path)
    got = {r.values["display_name"]: r for r in preview.records}
    assert sorted(got) == ["丁", "乙", "甲"]
    assert got["甲"].values["tier"] == "True"
    assert got["乙"].values["tier"] == "1"
    assert got["丁"].values["tier"] == "1"
    assert got["甲"].values["city"] == got["乙"].values["city"] == "北京"
    assert "city" not in got["丁"].values  # blank after trimming: absent, not ""
    for name in ("甲", "乙", "丁"):
        assert got[name].values["joined_on"] == dt.date(2024, 3, 5)
    assert got["甲"].tags == got["乙"].tags == ["读书", "跑步"]
    assert got["甲"].tags is not got["乙"].tags  # a merge appends to one record's lists only
    bad_rows = sorted(p.row for p in preview.problems if p.column == "性别")
    assert bad_rows == [4, 6]


def test_gc_is_switched_back_on(sqlite_ws: Any, tmp_path: Path) -> None:
    path = write_roster(tmp_path / "a.xlsx", ["姓名", "手机号"], [[f"成员{i}", f"139{i:08d}"] for i in range(50)])
    assert gc.isenabled()
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, path)
    assert gc.isenabled()
    with pytest.raises(ImportCancelled), sqlite_ws.write() as s:
        commit_roster_import(s, preview, operator="测试员", cancel=lambda: True)
    assert gc.isenabled()
    assert _members(sqlite_ws) == 0
    gc.disable()
    try:
        with sqlite_ws.write() as s:
            commit_roster_import(s, preview, operator="测试员")
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
    assert _members(sqlite_ws) == 50

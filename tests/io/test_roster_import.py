"""Roster import end to end: preview → commit → undo, duplicate policies, cancel,
dependants that block an undo. Every test runs on SQLite and PostgreSQL (``ws``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from sqlalchemy import insert, select

from sqdesk.core.errors import ConflictError
from sqdesk.core.groups import create_group
from sqdesk.core.imports import ImportCancelled, list_batches, undo_import
from sqdesk.core.roster import MEMBER_FIELDS, MemberInput, create_member, get_member
from sqdesk.io.roster_import import commit_roster_import, preview_roster_import
from sqdesk.models import Activity, Base, ImportBatch, Member
from tests.io.roster_files import run_import

HEADER = ["姓名", "手机号", "微信号", "城市", "入群时间", "所在群", "群昵称", "标签", "邀请人", "爱好"]


def make_xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名单")
    ws.write_row(0, 0, header)
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, r)
    wb.close()
    return path


def snapshot(
    ws: Any, skip: tuple[str, ...] = ("import_batches", "audit_entries"), *, versions: bool = True
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the batch log), in primary-key order. Without
    ``versions``, the optimistic-lock counters are left out: putting values back is a
    change too, so it must bump them."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with ws.read() as s:
        for t in Base.metadata.sorted_tables:
            if t.name in skip:
                continue
            cols = [c for c in t.columns if versions or c.name != "version"]
            out[t.name] = [tuple(r) for r in s.execute(select(*cols).order_by(*t.primary_key.columns))]
    return out


def seed(ws: Any) -> dict[str, int]:
    with ws.write() as s:
        g = create_group(s, "老群", operator="测试员").id
        a = create_member(s, MemberInput("老成员甲", {"phone": "13800000001", "city": "杭州",
                                                     "custom": {"爱好": "围棋"}},
                                         tags=["老标签"], groups=[(g, "甲", dt.date(2023, 1, 1))]))
        b = create_member(s, MemberInput("老成员乙", {"wechat_id": "old_yi_2"}))
    return {"group": g, "a": a.id, "b": b.id}


def test_preview_commit_undo_returns_exact_prior_state(ws: Any, tmp_path: Path) -> None:
    seed(ws)
    before = snapshot(ws)
    path = make_xlsx(tmp_path / "名单.xlsx", [
        ["张三🎉", "13900000001", "zs_0001", "北京", "2024-03-05", "新群一、老群", "三哥", "读书、新标签", "", "跑步"],
        ["李四", 13900000002.0, "", "上海", dt.datetime(2024, 4, 1), "新群一", "", "读书", "张三🎉", ""],
        ["王五", "", "ww_0003", "", "", "", "", "", "13900000002", ""],  # inviter by phone, same file
    ])
    with ws.read() as s:
        preview = preview_roster_import(s, path)
    assert snapshot(ws) == before, "preview writes nothing"
    assert preview.counts()["create"] == 3
    assert preview.mapping["phone"] == "手机号" and preview.unmapped == ["爱好"]
    with ws.write() as s:
        result = commit_roster_import(s, preview, operator="测试员")
    assert (result.created, result.updated) == (3, 0)
    with ws.read() as s:
        by_name = {m.display_name: m.id for m in s.scalars(select(Member))}
        zs = get_member(s, by_name["张三🎉"])
        ls = get_member(s, by_name["李四"])
        ww = get_member(s, by_name["王五"])
    assert [(g.group_name, g.nickname, g.joined_on) for g in zs.groups] == [
        ("老群", "三哥", dt.date(2024, 3, 5)), ("新群一", "三哥", dt.date(2024, 3, 5))]
    assert set(zs.tags) == {"读书", "新标签"} and zs.custom == {"爱好": "跑步"}
    assert ls.phone == "13900000002" and ls.inviter_name == "张三🎉"
    assert ww.inviter_name == "李四"
    (batch, *_rest) = list_batches(ws.read().__enter__())
    assert batch.id == result.batch_id and batch.kind == "members" and batch.rows_created == 3

    with ws.write() as s:
        undo = undo_import(s, result.batch_id, operator="测试员")
    assert undo.members_deleted == 3
    assert snapshot(ws) == before, "undo removes members, memberships, tags and the groups it made"
    with ws.read() as s:
        b = s.get(ImportBatch, result.batch_id)
        assert b is not None and b.status == "undone" and b.undone_at is not None
    with pytest.raises(ConflictError, match="已经撤销过了"), ws.write() as s:
        undo_import(s, result.batch_id, operator="测试员")


def member_state(ws: Any, mid: int) -> tuple[Any, ...]:
    with ws.read() as s:
        m = get_member(s, mid)
        search = s.scalar(select(Member.search_text).where(Member.id == mid))
    fields = tuple(getattr(m, f) for f in MEMBER_FIELDS if f != "inviter_id")
    return fields, m.custom, m.tags, [(g.group_name, g.nickname) for g in m.groups], search


def test_update_policy_and_its_undo(ws: Any, tmp_path: Path) -> None:
    ids = seed(ws)
    old_a, old_b = member_state(ws, ids["a"]), member_state(ws, ids["b"])
    before = snapshot(ws, skip=("import_batches", "audit_entries", "members"), versions=False)
    path = make_xlsx(tmp_path / "更新.xlsx", [
        ["甲新名", "+86 138-0000-0001", "", "深圳", "", "老群、新群", "甲二", "新标签", "", "象棋"],
        ["乙", "", "OLD_YI_2", "", "2024-01-02", "", "", "", "甲新名", ""],
        ["丙", "13900000003", "", "成都", "", "", "", "", "", ""],
    ])
    with ws.read() as s:
        preview = preview_roster_import(s, path, on_duplicate="update")
    assert [d.member_id for d in preview.duplicates] == [ids["a"], ids["b"]]
    with ws.write() as s:
        result = commit_roster_import(s, preview, operator="测试员")
    assert (result.created, result.updated) == (1, 2)
    with ws.read() as s:
        a = get_member(s, ids["a"])
        b = get_member(s, ids["b"])
    assert (a.display_name, a.city, a.phone) == ("甲新名", "深圳", "13800000001")
    assert a.custom == {"爱好": "象棋"} and set(a.tags) == {"老标签", "新标签"}
    assert [(g.group_name, g.nickname) for g in a.groups] == [("老群", "甲二"), ("新群", "甲二")]
    assert b.display_name == "乙" and b.joined_on == dt.date(2024, 1, 2) and b.inviter_name == "甲新名"

    with ws.write() as s:
        undo = undo_import(s, result.batch_id, operator="测试员")
    assert (undo.members_deleted, undo.members_restored) == (1, 2)
    assert member_state(ws, ids["a"]) == old_a
    assert member_state(ws, ids["b"]) == old_b
    assert snapshot(ws, skip=("import_batches", "audit_entries", "members"), versions=False) == before


def test_skip_and_keep_policies(ws: Any, tmp_path: Path) -> None:
    ids = seed(ws)
    rows = [["甲", "13800000001", "", "", "", "", "", "", "", ""],
            ["新人", "13900000009", "", "", "", "", "", "", "", ""],
            ["新人又一次", "13900000009", "", "", "", "", "", "", "", ""]]
    path = make_xlsx(tmp_path / "dup.xlsx", rows)
    with ws.read() as s:
        skip = preview_roster_import(s, path)
        keep = preview_roster_import(s, path, on_duplicate="keep")
    assert [(d.row, d.member_id, d.first_row) for d in skip.duplicates] == [(2, ids["a"], None), (4, None, 3)]
    assert (skip.to_create, skip.skipped_duplicates) == (1, 2)
    assert (keep.to_create, keep.skipped_duplicates) == (3, 0)
    with ws.write() as s:
        commit_roster_import(s, keep, operator="测试员")
    with ws.read() as s:
        phones = list(s.scalars(select(Member.phone).where(Member.phone == "13800000001")))
    assert len(phones) == 2, "keep imports the duplicate as a new member with its phone as given"


def test_cancel_mid_commit_leaves_nothing(ws: Any, tmp_path: Path) -> None:
    seed(ws)
    before = snapshot(ws, skip=())
    rows = [[f"成员{i}", f"139{i:08d}", "", "", "", "群A", "", "t", "", ""] for i in range(5000)]
    path = make_xlsx(tmp_path / "big.xlsx", rows)
    with ws.read() as s:
        preview = preview_roster_import(s, path)
    seen: list[tuple[int, int]] = []

    def cancel() -> bool:
        return len(seen) >= 2

    with pytest.raises(ImportCancelled), ws.write() as s:
        commit_roster_import(s, preview, operator="测试员", progress=lambda d, t: seen.append((d, t)),
                             cancel=cancel)
    assert seen and 0 < seen[-1][0] < 5000
    assert snapshot(ws, skip=()) == before


def test_progress_reports_about_every_percent(sqlite_ws: Any, tmp_path: Path) -> None:
    rows = [[f"成员{i}", f"139{i:08d}", "", "", "", "", "", "", "", ""] for i in range(3000)]
    path = make_xlsx(tmp_path / "p.xlsx", rows)
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, path)
    seen: list[tuple[int, int]] = []
    with sqlite_ws.write() as s:
        commit_roster_import(s, preview, operator="t", progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 3000) and seen[-1] == (3000, 3000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_undo_refused_while_a_later_batch_depends_on_it(ws: Any, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["张三", "13900000001", "", "", "", "", "", "", "", ""]])
    first = run_import(ws, path)
    with ws.write() as s:
        later = s.execute(insert(ImportBatch).values(
            kind="activity", file_name="聊天统计.xlsx", operator="测试员", created_at=dt.datetime.now()
        ).returning(ImportBatch.id)).scalar_one()
        mid = s.scalar(select(Member.id).where(Member.batch_id == first.batch_id))
        s.execute(insert(Activity).values(member_id=mid, kind="发言", occurred_at=dt.datetime(2024, 5, 1),
                                          value=3, note="", source="import", batch_id=later))
    with pytest.raises(ConflictError, match=f"导入批次 #{later}.*聊天统计.xlsx"), ws.write() as s:
        undo_import(s, first.batch_id, operator="测试员")
    with ws.write() as s:
        undone = undo_import(s, later, operator="测试员")
    assert undone.activities_deleted == 1
    with ws.write() as s:
        assert undo_import(s, first.batch_id, operator="测试员").members_deleted == 1


def test_undo_refused_when_member_edited_after_import(ws: Any, tmp_path: Path) -> None:
    from sqdesk.core.roster import update_member

    result = run_import(ws, make_xlsx(tmp_path / "a.xlsx", [["张三", "13900000001", "", "", "", "", "", "", "", ""]]))
    with ws.write() as s:
        mid = s.scalar(select(Member.id).where(Member.batch_id == result.batch_id))
        update_member(s, mid, {"city": "西安"}, operator="测试员")
    with pytest.raises(ConflictError, match="张三.*修改过"), ws.write() as s:
        undo_import(s, result.batch_id, operator="测试员")


def test_commit_refuses_a_stale_preview(ws: Any, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["张三", "13900000001", "", "", "", "", "", "", "", ""]])
    with ws.read() as s:
        preview = preview_roster_import(s, path)
    run_import(ws, path)  # someone imports the same people meanwhile
    with pytest.raises(ConflictError, match="重新预览"), ws.write() as s:
        commit_roster_import(s, preview, operator="测试员")


def test_explicit_mapping_wins_and_header_row_can_be_given(sqlite_ws: Any, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "m.xlsx", [["说明：内部资料"], ["用户", "号码", "地区"], ["张三", "13900000001", "北京"]],
                     header=["成员花名册"])
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, path, mapping={"号码": "手机号", "地区": "city"}, header_row=3)
    assert preview.mapping == {"display_name": "用户", "phone": "号码", "city": "地区"}
    assert preview.records[0].values == {"display_name": "张三", "phone": "13900000001", "city": "北京"}
    assert preview.records[0].row == 4

"""The roster import's bulk load (SQLite, a big file into a smaller workspace): indexes
dropped and rebuilt and a bigger page cache for the transaction. None of it may show in
what is stored: the same rows, the same stored types, every index back, the
connection's cache setting back, as an import of a few rows. (Columns with one value
for every new member are written into the INSERT as literals on both sides; the types
that stores are pinned by test_columns_the_file_lacks_are_stored_as_before.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from sqdesk.core.workspace import Workspace, open_workspace
from sqdesk.io import roster_import
from tests.io.roster_files import run_import, write_roster

FULL = ["姓名", "手机号", "微信号", "性别", "城市", "入群时间", "所在群", "群昵称", "各群退群时间",
        "标签", "邀请人", "同意使用数据", "付费到期", "爱好"]
LEAN = ["姓名", "手机号", "城市", "标签"]


def full_rows(n: int) -> list[list[Any]]:
    rows = []
    for i in range(n):
        rows.append([
            f"成员{i}号" if i % 7 else f"Amy {i}",
            [f"139{i:08d}", f"139-{i:04d}-0000", f"+86 138{i:08d}", ""][i % 4],
            f"WX_user{i}" if i % 3 else "",
            ["男", "女", "", "M"][i % 4],
            ["杭州", "上海", "ＢＪ", ""][i % 4],
            dt.date(2023, 1, 1) + dt.timedelta(days=i) if i % 5 else "2024年3月5日",
            ["一群", "一群、二群", ""][i % 3],
            ["小" + str(i), "", "阿" + str(i)][i % 3],
            ["", "2025-01-01"][i % 2],
            ["设计、AI", "", "读书"][i % 3],
            f"成员{i - 1}号" if i % 4 == 1 and i > 1 else "",  # an inviter listed above
            ["是", "", "否"][i % 3],
            [dt.date(2026, 6, 30), ""][i % 2],
            ["围棋", ""][i % 2],
        ])
    return rows


def lean_rows(n: int) -> list[list[Any]]:
    return [[f"成员{i}", f"137{i:08d}" if i % 6 else "", ["杭州", ""][i % 2], ["设计", ""][i % 2]]
            for i in range(n)]


def stored(ws: Workspace) -> dict[str, Any]:
    """Every stored value with its SQLite type, and the schema's indexes."""
    out: dict[str, Any] = {}
    with ws.read() as s:
        for table in ("members", "memberships", "member_tags", "tags", "groups"):
            cols = [r[1] for r in s.execute(text(f"PRAGMA table_info({table})"))]
            cols = [c for c in cols if c not in ("created_at", "updated_at")]
            picks = ", ".join(f"{c}, typeof({c})" for c in cols)
            out[table] = [tuple(r) for r in s.execute(text(f"SELECT {picks} FROM {table} ORDER BY rowid"))]
        out["indexes"] = sorted(tuple(r) for r in s.execute(text(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'")))
    return out


def cache_size(ws: Workspace) -> int:
    with ws.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())


@pytest.mark.parametrize(("header", "rows"), [(FULL, full_rows(60)), (LEAN, lean_rows(60))],
                         ids=["every column", "few columns"])
def test_bulk_load_stores_what_a_row_by_row_import_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: list[str], rows: list[list[Any]]
) -> None:
    path = write_roster(tmp_path / "名单.xlsx", header, rows)
    plain = open_workspace(tmp_path / "plain.sqdesk", operator="测试员")
    bulk = open_workspace(tmp_path / "bulk.sqdesk", operator="测试员")
    try:
        indexes_before = stored(bulk)["indexes"]
        default_cache = cache_size(bulk)
        plain_result = run_import(plain, path)  # 60 rows: below the bulk threshold
        monkeypatch.setattr(roster_import, "BULK_REINDEX_MIN", 10)
        monkeypatch.setattr(roster_import, "BULK_CACHE_KIB_PER_ROW", 1000)  # > the default here
        dropped: list[str] = []
        cache_while_loading: list[int] = []
        real_drop = roster_import._drop_indexes

        def spy(conn: Any, tables: Any) -> list[str]:
            ddl = real_drop(conn, tables)
            dropped.extend(ddl)
            cache_while_loading.append(int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one()))
            return ddl

        monkeypatch.setattr(roster_import, "_drop_indexes", spy)
        bulk_result = run_import(bulk, path)
        assert len(dropped) >= 8  # the bulk path ran: members' secondary indexes dropped
        assert cache_while_loading == [-60 * 1000] != [default_cache]
        assert (bulk_result.created, bulk_result.updated) == (plain_result.created, plain_result.updated)
        assert bulk_result.created > 40
        got, want = stored(bulk), stored(plain)
        assert got["indexes"] == indexes_before == want["indexes"]
        for table in ("members", "memberships", "member_tags", "tags", "groups"):
            assert got[table] == want[table], table
        assert cache_size(bulk) == default_cache
    finally:
        plain.close()
        bulk.close()


def test_columns_the_file_lacks_are_stored_as_before(sqlite_ws: Workspace, tmp_path: Path) -> None:
    """Written as literals, the defaults keep the types SQLAlchemy binds them with."""
    run_import(sqlite_ws, write_roster(tmp_path / "a.xlsx", LEAN, lean_rows(3)))
    with sqlite_ws.read() as s:
        row = s.execute(text(
            "SELECT consent, typeof(consent), custom, inviter_id, paid_until, real_name, status, "
            "role, gender, level, batch_id, typeof(batch_id), joined_on, created_at IS NOT NULL "
            "FROM members ORDER BY id LIMIT 1")).one()
    assert tuple(row) == (0, "integer", "{}", None, None, "", "在群", "成员", "未知", "", 1, "integer",
                          None, 1)

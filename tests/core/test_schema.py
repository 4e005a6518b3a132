"""The schema: Alembic migrations and the ORM models agree; workspaces open and upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from sqdesk.core.errors import UserError
from sqdesk.core.workspace import default_workspace_path, open_workspace
from sqdesk.db.migrate import current_revision, head_revision
from sqdesk.models import Base


def test_migrations_match_models(ws) -> None:
    with ws.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    assert current_revision(ws.engine) == head_revision()


def test_sqlite_pragmas_and_write_lock(sqlite_ws) -> None:
    with sqlite_ws.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    # a write session holds the RESERVED lock from BEGIN: a raw writer cannot start
    with sqlite_ws.write() as s:
        s.execute(text("SELECT 1"))
        other = sqlite3.connect(str(sqlite_ws.path), timeout=0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_hot_query_indexes_exist(sqlite_ws) -> None:
    insp = inspect(sqlite_ws.engine)
    member_ix = {tuple(i["column_names"]) for i in insp.get_indexes("members")}
    assert {("phone",), ("wechat_id",), ("name_initials",)} <= member_ix
    act_ix = {tuple(i["column_names"]) for i in insp.get_indexes("activities")}
    assert {("member_id", "occurred_at"), ("occurred_at",)} <= act_ix


def test_reopen_keeps_data_and_makes_no_backup(tmp_path: Path) -> None:
    from sqdesk.core import roster

    path = tmp_path / "社群.sqdesk"
    ws = open_workspace(path)
    with ws.write() as s:
        roster.create_member(s, roster.MemberInput("张三"))
    ws.close()
    ws = open_workspace(path)
    assert ws.backup_made is None
    with ws.read() as s:
        assert roster.search_members(s, "zs")[0].display_name == "张三"
    ws.close()


def test_default_workspace_lives_in_user_data_dir(tmp_path: Path) -> None:
    path = default_workspace_path()
    assert path.suffix == ".sqdesk" and "sqdesk" in str(path.parent)


def test_not_a_workspace_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqdesk"
    bogus.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(UserError, match="不是 sqdesk 工作区"):
        open_workspace(bogus)
    assert bogus.read_text(encoding="utf-8") == "这不是数据库"
    with pytest.raises(UserError, match="文件夹"):
        open_workspace(tmp_path)


def test_old_workspace_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    from sqdesk.db.engine import make_engine, sqlite_url
    from sqdesk.db.migrate import _run

    path = tmp_path / "old.sqdesk"
    engine = make_engine(sqlite_url(path))
    _run(engine, "upgrade", "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO rules (title, body, category, all_groups, condition, action, action_arg,"
            " grace_days, enabled, position, version) VALUES"
            " ('30天未发言提醒', '请多交流', '清退', 1, 'inactive_days >= 30', '提醒', '', 7, 1, 3, 1)"))
        conn.execute(text(
            "INSERT INTO rule_versions (rule_id, revision, title, body, category, condition, action,"
            " enabled, valid_from, author) VALUES (1, 1, '30天未发言提醒', '请多交流', '清退',"
            " 'inactive_days >= 30', '提醒', 1, '2025-01-01 00:00:00', '老王')"))
    engine.dispose()

    ws = open_workspace(path)
    try:
        assert current_revision(ws.engine) == head_revision()
        assert ws.backup_made is not None and ws.backup_made.exists()
        backup = sqlite3.connect(str(ws.backup_made))
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert backup.execute("SELECT count(*) FROM rules").fetchone() == (1,)
        backup.close()
        with ws.read() as s:
            row = s.execute(text(
                "SELECT grace_days, position, all_groups, group_ids FROM rule_versions")).one()
        assert (row[0], row[1], bool(row[2])) == (7, 3, True)
    finally:
        ws.close()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def test_level_holds_move_from_the_audit_trail_to_the_member_row(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from sqdesk.db.engine import make_engine, sqlite_url
    from sqdesk.db.migrate import _run, ensure_schema

    url = sqlite_url(tmp_path / "holds.sqdesk") if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    _run(engine, "upgrade", "0002")
    with engine.begin() as conn:
        for mid, name in ((1, "甲"), (2, "乙")):
            conn.execute(text("INSERT INTO members (id, display_name, real_name, gender, city, industry,"
                              " company, title, intro, source, role, tier, status, consent, notes, custom,"
                              " name_pinyin, name_initials, search_text, level, created_at, version) VALUES"
                              f" ({mid}, '{name}', '', '未知', '', '', '', '', '', '', '成员', '', '在群', false,"
                              " '', '{}', '', '', '', '核心', '2025-01-01 00:00:00', 1)"))
        for i, (mid, action, since) in enumerate(
            [(1, "level_hold", "2025-03-01"), (2, "level_hold", "2025-03-02"), (2, "level_keep", "2025-03-09")]
        ):
            conn.execute(text(
                "INSERT INTO audit_entries (id, at, operator, action, entity, entity_id, after, note) VALUES"
                f" ({i + 1}, '2025-03-0{i + 1} 00:00:00', '', '{action}', 'member', {mid},"
                f" '{{\"level\": \"核心\", \"since\": \"{since}\"}}', '')"))
    ensure_schema(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, level_held_since FROM members ORDER BY id")).all())
    engine.dispose()
    assert {k: str(v) if v else None for k, v in rows.items()} == {1: "2025-03-01", 2: None}

"""Shared fixtures: a fresh workspace per test, on SQLite and (when a server is given)
on PostgreSQL.

``SQDESK_TEST_PG_URL`` names a server (e.g. postgresql+psycopg://postgres:postgres@127.0.0.1/postgres);
each PostgreSQL test gets its own new database, dropped afterwards. On CI (CI=true) a
missing server is an error, not a skip: the team mode must really be tested there.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SQDESK_OPERATOR", "测试员")

PG_URL = os.environ.get("SQDESK_TEST_PG_URL", "")
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("SQDESK_DB_URL", raising=False)


def _pg_admin_url() -> str:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must provide SQDESK_TEST_PG_URL (PostgreSQL server for team mode)")
        pytest.skip("no PostgreSQL server (set SQDESK_TEST_PG_URL)")
    return PG_URL


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A brand-new PostgreSQL database for this test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(_pg_admin_url())
    name = f"sqdesk_test_{uuid.uuid4().hex[:12]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with eng.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """A fresh, migrated workspace on each backend."""
    from sqdesk.core.workspace import open_workspace

    if request.param == "sqlite":
        workspace = open_workspace(tmp_path / "test.sqdesk", operator="测试员")
    else:
        url = request.getfixturevalue("pg_url")
        workspace = open_workspace(db_url=url, operator="测试员")
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def sqlite_ws(tmp_path: Path) -> Iterator[object]:
    from sqdesk.core.workspace import open_workspace

    workspace = open_workspace(tmp_path / "test.sqdesk", operator="测试员")
    try:
        yield workspace
    finally:
        workspace.close()


_exit_status: int | None = None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without the interpreter's final garbage collection once Qt was used.

    PySide6 6.11 can crash (SIGSEGV, faulthandler: "Garbage-collecting") while Python
    tears down leftover Qt wrappers after the last test has run and been reported —
    seen in some combinations of the UI test modules. The results are already final
    here, so end with pytest's own exit status instead of letting that crash replace it.
    """
    if _exit_status is not None and "PySide6.QtWidgets" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status)

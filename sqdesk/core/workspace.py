"""Open a workspace (one community = one database) and hand out sessions.

A workspace is a SQLite file (default: ``<user data dir>/sqdesk/workspace.sqdesk``) or
a PostgreSQL URL. Opening it brings the schema to head (backing up an old file first).
Sessions are short and owned by the caller: ``with ws.read() as s`` for queries,
``with ws.write() as s`` for a unit of work that commits at the end or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sqdesk.core.errors import UserError, WorkspaceLockedError
from sqdesk.db.engine import is_sqlite, make_engine, sqlite_url, writer
from sqdesk.db.migrate import ensure_schema

ENV_DB_URL = "SQDESK_DB_URL"
WORKSPACE_SUFFIX = ".sqdesk"


def default_workspace_path() -> Path:
    return Path(platformdirs.user_data_dir("sqdesk", appauthor=False)) / f"workspace{WORKSPACE_SUFFIX}"


def default_operator() -> str:
    return os.environ.get("SQDESK_OPERATOR") or os.environ.get("USER") or os.environ.get("USERNAME") or "operator"


@dataclass
class Workspace:
    engine: Engine
    operator: str = field(default_factory=default_operator)
    backup_made: Path | None = None

    def __post_init__(self) -> None:
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(writer(self.engine), expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.engine)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if self.is_sqlite and self.engine.url.database:
            return Path(self.engine.url.database)
        return None

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on any exception."""
        try:
            with self._writer() as session, session.begin():
                session.info["writer"] = True
                yield session
        except OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise WorkspaceLockedError("工作区正被另一个程序写入，请稍后再试") from exc
            raise

    def close(self) -> None:
        if self.path is not None:
            from sqdesk.db.memo import forget

            forget(str(self.path))
        self.engine.dispose()


def resolve_url(workspace: str | Path | None = None, db_url: str | None = None) -> str:
    if db_url:
        return db_url
    if workspace is None and os.environ.get(ENV_DB_URL):
        return os.environ[ENV_DB_URL]
    path = Path(workspace) if workspace is not None else default_workspace_path()
    return sqlite_url(path).render_as_string(hide_password=False)


def open_workspace(
    workspace: str | Path | None = None,
    *,
    db_url: str | None = None,
    operator: str | None = None,
) -> Workspace:
    """Open (creating if needed) the workspace and bring its schema to head."""
    url = resolve_url(workspace, db_url)
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        if path.exists() and path.is_dir():
            raise UserError(f"「{path}」是一个文件夹，不是工作区文件")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"无法创建工作区所在的文件夹「{path.parent}」：{exc.strerror}") from exc
        if path.exists() and path.stat().st_size > 0 and not _looks_like_sqlite(path):
            raise UserError(f"文件「{path.name}」不是 sqdesk 工作区（不是 SQLite 数据库）")
    engine = make_engine(url)
    try:
        backup = ensure_schema(engine)
    except OperationalError as exc:
        engine.dispose()
        raise UserError(f"无法打开工作区：{exc.orig}") from exc
    return Workspace(engine, operator=operator or default_operator(), backup_made=backup)


def _looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def is_empty(session: Session) -> bool:
    from sqdesk.models import Member

    return (session.scalar(select(func.count()).select_from(Member)) or 0) == 0

"""Schema management: create new workspaces at head, back up and upgrade old ones."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from sqdesk.db.backup import backup_name, backup_sqlite
from sqdesk.db.engine import is_sqlite

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(engine: Engine) -> Path | None:
    """Bring the database to the head revision. Returns the backup made, if any.

    An empty database is created straight at head. A database at an older revision is
    backed up first (SQLite online backup next to the file) and then upgraded, so a
    failed upgrade never costs the operator their data.
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    backup: Path | None = None
    if current is not None or _has_tables(engine):
        if is_sqlite(engine) and engine.url.database:
            backup = backup_sqlite(
                engine.url.database, backup_name(engine.url.database, f"before-{head}")
            )
    _run(engine, "upgrade", "head")
    return backup


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def _run(engine: Engine, verb: str, target: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, target)

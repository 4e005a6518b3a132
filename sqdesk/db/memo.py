"""Values derived from a SQLite workspace, each kept until any connection commits.

The member search index and the per-member metrics table take a second or more to
build on 100,000 members and are asked for again and again (every keystroke, every
screen that counts rule to-dos, the brief, matching) while the data stays the same.
:func:`memo` keeps each built value with the ``PRAGMA data_version`` it was built
under, read on a connection of the memo's own: that number changes whenever another
connection — any session of this process or another process — commits to the file
(≈10 µs a check). A changed version drops every value of that workspace.

A value is built on a fresh connection whose snapshot starts after the version was
read, so it is never older than the version it is filed under (a commit in between
makes it newer, and the next call rebuilds it). Sessions that are writing get
``None`` (they may see their own uncommitted rows), as do PostgreSQL workspaces,
where other operators commit without a cheap way to notice: callers compute directly.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_VALUES = 4  # per workspace, least recently used first out (a metrics table is ~70 MB at 100k)


class _Workspace:
    def __init__(self, path: str) -> None:
        self.lock = threading.Lock()
        self.key_locks: dict[Hashable, threading.Lock] = {}
        self.values: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self.probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def data_version(self) -> int:
        with self.lock:  # one sqlite3 connection, possibly asked from two threads
            row = self.probe.execute("PRAGMA data_version").fetchone()
        return int(row[0])


_workspaces: dict[str, _Workspace] = {}
_workspaces_lock = threading.Lock()


def _engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def sqlite_file(engine: Engine) -> str | None:
    """The path of the SQLite file behind ``engine``, or None (a server, or in memory)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return database


def memo_path(session: Session) -> str | None:
    """The SQLite file whose values this session may share, or None (writer, server, memory)."""
    if session.info.get("writer"):
        return None
    return sqlite_file(_engine_of(session))


def _workspace(path: str) -> _Workspace:
    with _workspaces_lock:
        ws = _workspaces.get(path)
        if ws is None:
            ws = _workspaces[path] = _Workspace(path)
    return ws


def data_version(path: str) -> int:
    """``PRAGMA data_version`` of the SQLite file at ``path``, read on the memo's own
    connection: any commit by any other connection, of any process, changes it."""
    return _workspace(path).data_version()


def memo(session: Session, key: Hashable, build: Callable[[Connection], T]) -> T | None:
    """The value ``build`` makes for ``key`` on this session's workspace, built at most once
    per database version; None where values are not shared (see the module docstring)."""
    path = memo_path(session)
    if path is None:
        return None
    engine = _engine_of(session)
    ws = _workspace(path)
    with ws.lock:
        key_lock = ws.key_locks.setdefault(key, threading.Lock())
    with key_lock:  # two callers of one key: the second waits and shares the first's value
        version = ws.data_version()
        with ws.lock:
            stale = [k for k, (v, _) in ws.values.items() if v != version]
            for k in stale:
                del ws.values[k]
            hit = ws.values.get(key)
            if hit is not None:
                ws.values.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
        with engine.connect() as conn:
            value = build(conn)
        with ws.lock:
            ws.values[key] = (version, value)
            ws.values.move_to_end(key)
            while len(ws.values) > MAX_VALUES:
                ws.values.popitem(last=False)
        return value


def peek(session: Session, key: Hashable) -> Any | None:
    """The value filed under ``key`` if it is still current, without building it."""
    path = memo_path(session)
    with _workspaces_lock:
        ws = _workspaces.get(path) if path is not None else None
    if ws is None:
        return None
    version = ws.data_version()
    with ws.lock:
        hit = ws.values.get(key)
    return hit[1] if hit is not None and hit[0] == version else None


def forget(path: str) -> None:
    """Drop every value of a workspace and its probe connection (on close)."""
    with _workspaces_lock:
        ws = _workspaces.pop(path, None)
    if ws is not None:
        with ws.lock:
            ws.values.clear()
            ws.probe.close()

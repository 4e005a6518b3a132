"""A second connection that reads the same state of a SQLite workspace as the first.

A big read split into parts that run at the same time — each part's statement on its
own connection, on its own core (SQLite's C code runs without Python's GIL) — must see
one state of the file: a commit landing between the parts' starts would mix two.

In WAL mode a read transaction sees the file as it was when its first read began.
:func:`reader_pair` reads ``PRAGMA data_version`` on the memo's own probe connection
(:func:`sqdesk.db.memo.data_version`; it changes whenever any connection of any
process commits), starts a read on each of two fresh connections, then reads the
version again. Unchanged, nothing was committed in between, so both read the state
the first reading saw. Changed — a commit landed in those few hundred microseconds —
it tries again, and after a few tries gives ``None``: the caller then runs its parts
one after the other on one connection.

Only for SQLite files; other databases give ``None`` (on PostgreSQL the server's own
parallel workers already use the cores: two connections measured no faster).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from sqdesk.db.memo import data_version, sqlite_file

T = TypeVar("T")
TRIES = 3
# Any read of the file starts the read transaction (BEGIN alone does not); the schema
# table is always there and one row of it is enough.
_FIRST_READ = "SELECT 1 FROM sqlite_master LIMIT 1"


@contextmanager
def reader_pair(engine: Engine) -> Iterator[tuple[Connection, Connection] | None]:
    """Two fresh connections of ``engine``, each in a read transaction on one and the same
    state of the file, or None (not a SQLite file, or commits kept landing). Both are
    rolled back and returned to the pool when the block ends."""
    path = sqlite_file(engine)
    if path is None:
        yield None
        return
    for _ in range(TRIES):
        with ExitStack() as stack:
            before = data_version(path)
            pair = tuple(stack.enter_context(engine.connect()) for _ in range(2))
            for conn in pair:
                conn.exec_driver_sql(_FIRST_READ).fetchall()
            if data_version(path) == before:
                yield pair  # type: ignore[misc]
                return
    yield None


class Beside(Generic[T]):
    """``work`` started on a thread of its own: for a statement on the second connection of a
    :func:`reader_pair` while this thread runs another on the first. Use it as a context
    manager: leaving the block — an exception included — waits for the thread, so the
    connection it uses is never closed under it."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._box: list[tuple[bool, Any]] = []
        self._thread = threading.Thread(target=self._run, args=(work,), name="sqdesk-read-beside", daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._box.append((True, work()))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._box.append((False, exc))

    def result(self) -> T:
        """Wait for the work; its result, or what it raised."""
        self._thread.join()
        ok, value = self._box[0]
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join()

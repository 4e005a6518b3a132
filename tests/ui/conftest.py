"""UI test fixtures: offscreen Qt, isolated QSettings, an AppContext on a fresh workspace,
and Qt warnings turned into test failures.

pytest-qt's own ``qt_log_level_fail = WARNING`` would do the last one from pyproject;
this fixture does it here (and ignores the offscreen platform's known noise) so it holds
regardless of that setting.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QMessageLogContext,
    QSettings,
    QtMsgType,
    qInstallMessageHandler,
)

from sqdesk.ui.context import AppContext, WorkspaceLock, WorkspaceTarget  # noqa: E402
from sqdesk.ui.settings import APPLICATION, ORGANIZATION, Settings  # noqa: E402

# Messages the offscreen platform prints for every top-level window: not our bugs.
BENIGN_QT_MESSAGES = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
    "QFont::setPointSizeF: Point size <= 0",
)


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("qsettings")
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def fail_on_qt_warnings() -> Iterator[list[str]]:
    """Any qWarning/qCritical/qFatal during the test fails it (after the test body)."""
    seen: list[str] = []

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            if not any(message.startswith(b) for b in BENIGN_QT_MESSAGES):
                seen.append(f"{kind.name}: {message}")

    previous = qInstallMessageHandler(handler)
    try:
        yield seen
    finally:
        qInstallMessageHandler(previous)
    if seen:
        pytest.fail("Qt warnings during the test:\n" + "\n".join(seen))


@pytest.fixture(autouse=True)
def _collect_after_each_test() -> Iterator[None]:
    """With ``SQDESK_TEST_GC_EACH=1``: a full garbage collection after every UI test.

    Off by default (it costs ~0.5 s a test once the heap has grown). Turn it on to make
    a crash in the collector (a Qt wrapper torn down by the GC while C++ still uses it)
    happen at once, right after the test that left the object behind, instead of
    whenever Python's collector happens to run; use it with ``python -X faulthandler``.
    """
    yield
    if os.environ.get("SQDESK_TEST_GC_EACH"):
        gc.collect()


@pytest.fixture
def settings() -> Settings:
    return Settings()


def _make_ctx(ws: object, settings: Settings) -> Iterator[AppContext]:
    from sqdesk.core.workspace import Workspace

    assert isinstance(ws, Workspace)
    ctx = AppContext(settings)
    lock = None
    target = None
    if ws.path is not None:
        target = WorkspaceTarget(path=ws.path)
        lock = WorkspaceLock(ws.path)
        lock.acquire()
    ctx.set_workspace(ws, target=target, lock=lock)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def ctx(qapp: object, sqlite_ws: object, settings: Settings) -> Iterator[AppContext]:
    """An AppContext on a fresh, locked SQLite workspace."""
    yield from _make_ctx(sqlite_ws, settings)


@pytest.fixture
def ctx_any_db(qapp: object, ws: object, settings: Settings) -> Iterator[AppContext]:
    """An AppContext on a fresh workspace, once on SQLite and once on PostgreSQL."""
    yield from _make_ctx(ws, settings)

"""The application context every view receives: workspace, undo stack, tasks, settings.

One change signal: whoever mutates data calls ``ctx.notify("members", "groups")`` after
the write committed; ``ctx.changed`` then carries ``frozenset({"members", "groups"})``
and each view refreshes only when the kinds it shows are in it. ``"workspace"`` means
a different workspace was opened: everything is stale.

The SQLite workspace file is held by a :class:`WorkspaceLock` (``<file>.lock``, a
QLockFile) for as long as it is open, so a second copy of sqdesk is refused with a
clear message instead of two writers racing on one file. A lock left behind by a
crashed copy (its process is gone) is recovered automatically.

The undo stack is emptied before the context can be torn down by Python's cyclic
garbage collector (:meth:`AppContext.close`, and ``__del__`` for a context dropped
without it). QUndoStack owns its commands in C++, but ours are Python subclasses, and
their wrappers and the views refer back to the context (``cmd.ctx``, ``on_done``
closures), so a dropped context and the commands on its stack are freed by the
collector, not by reference counting. PySide6 6.11 may then clear a command's wrapper
before the context: the wrapper frees the C++ command while QUndoStack still lists it,
and ~QUndoStack deletes it a second time (SIGSEGV in ``QUndoStack::clear``, "Garbage-
collecting"). ``QUndoStack.clear()`` deletes the commands through Qt, which invalidates
their wrappers: what the collector finds afterwards owns nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QLockFile, QObject, QSysInfo, Signal
from PySide6.QtGui import QUndoStack

from sqdesk.core.errors import UserError, WorkspaceLockedError
from sqdesk.ui.settings import Settings
from sqdesk.ui.tasks import TaskHandle, TaskRunner

if TYPE_CHECKING:
    from sqdesk.core.workspace import Workspace

DATA_KINDS = frozenset(
    {"members", "groups", "events", "rules", "activity", "supply", "imports", "workspace"}
)


@dataclass(frozen=True)
class WorkspaceTarget:
    """Where a workspace lives: a SQLite file, or a server database URL (team mode)."""

    path: Path | None = None
    url: str | None = None

    @classmethod
    def parse(cls, location: str | Path) -> WorkspaceTarget:
        text = str(location)
        if "://" in text:
            return cls(url=text)
        return cls(path=Path(text).expanduser().resolve())

    @property
    def location(self) -> str:
        """The string remembered in the recent list."""
        return str(self.path) if self.path is not None else str(self.url)

    @property
    def label(self) -> str:
        if self.path is not None:
            return str(self.path)
        from urllib.parse import urlsplit

        parts = urlsplit(str(self.url))
        host = parts.hostname or ""
        return f"{parts.scheme.split('+')[0]}://{host}{parts.path}"

    @property
    def is_file(self) -> bool:
        return self.path is not None


def default_workspace_path() -> Path:
    """Same path as ``sqdesk.core.workspace.default_workspace_path`` without importing
    SQLAlchemy/Alembic on the UI thread before the window is shown (a test checks
    that the two agree)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("sqdesk", appauthor=False)) / "workspace.sqdesk"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


class WorkspaceLock:
    """``<workspace file>.lock`` held while the file is open in this process."""

    def __init__(self, workspace_file: Path) -> None:
        self.workspace_file = workspace_file
        self.path = workspace_file.with_name(workspace_file.name + ".lock")
        self._lock = QLockFile(str(self.path))
        # The lock is held for hours: never call it stale because of its age, only
        # because the process that wrote it is gone (QLockFile checks PID + host).
        self._lock.setStaleLockTime(0)

    def acquire(self) -> None:
        """Take the lock or raise WorkspaceLockedError naming the file and the holder."""
        translate = QCoreApplication.translate
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                translate("AppContext", "无法创建工作区所在的文件夹「{folder}」：{reason}").format(
                    folder=self.path.parent, reason=exc.strerror or exc)
            ) from exc
        if self._lock.tryLock(0):
            return
        error = self._lock.error()
        if error == QLockFile.LockError.LockFailedError:
            pid, host, _app = self._lock.getLockInfo()
            if pid > 0 and host == QSysInfo.machineHostName() and not _pid_alive(pid):
                # Left behind by a copy that crashed on this computer.
                self._lock.removeStaleLockFile()
                if self._lock.tryLock(0):
                    return
                pid, host, _app = self._lock.getLockInfo()
            holder = ""
            if pid > 0:
                holder = translate("AppContext", "（进程 {pid}，电脑「{host}」）").format(
                    pid=pid, host=host)
            message = translate(
                "AppContext",
                "工作区「{name}」已在另一个 sqdesk 窗口中打开{holder}。"
                "同一个工作区同一时间只能在一个窗口中打开，请切换到那个窗口或先关闭它。"
                "如果确定没有别的窗口在用它，可以删除锁文件「{lock}」后再试。",
            )
            raise WorkspaceLockedError(
                message.format(name=self.workspace_file.name, holder=holder, lock=self.path))
        if error == QLockFile.LockError.PermissionError:
            message = translate(
                "AppContext",
                "无法在「{folder}」中创建锁文件：没有写入权限。工作区「{name}」需要放在可写的文件夹里。",
            )
            raise WorkspaceLockedError(
                message.format(folder=self.path.parent, name=self.workspace_file.name))
        message = translate("AppContext", "无法锁定工作区「{name}」（锁文件「{lock}」）")
        raise WorkspaceLockedError(message.format(name=self.workspace_file.name, lock=self.path))

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()

    @property
    def held(self) -> bool:
        return self._lock.isLocked()


def _open_workspace_task(target: WorkspaceTarget) -> Callable[[TaskHandle], Workspace]:
    def run(_h: TaskHandle) -> Workspace:
        from sqdesk.core.workspace import open_workspace

        if target.path is not None:
            return open_workspace(target.path)
        return open_workspace(db_url=target.url)

    return run


class AppContext(QObject):
    """Shared services handed to every view as ``View(ctx, parent)``."""

    changed = Signal(object)  # frozenset[str] of DATA_KINDS
    workspace_opened = Signal()  # a workspace (maybe another one) is now ctx.ws
    workspace_failed = Signal(object)  # the exception that stopped opening it

    def __init__(
        self,
        settings: Settings,
        tasks: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.tasks = tasks if tasks is not None else TaskRunner(self)
        self.undo_stack = QUndoStack(self)
        self._ws: Workspace | None = None
        self._target: WorkspaceTarget | None = None
        self._lock: WorkspaceLock | None = None
        self._opening: WorkspaceTarget | None = None

    # workspace -----------------------------------------------------------------------
    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            raise RuntimeError("no workspace is open yet")
        return self._ws

    @property
    def has_workspace(self) -> bool:
        return self._ws is not None

    @property
    def target(self) -> WorkspaceTarget | None:
        return self._target

    @property
    def is_opening(self) -> bool:
        return self._opening is not None

    def notify(self, *kinds: str) -> None:
        unknown = set(kinds) - DATA_KINDS
        if unknown:
            raise ValueError(f"unknown data kinds: {sorted(unknown)}")
        if kinds:
            self.changed.emit(frozenset(kinds))

    def open_workspace(
        self,
        target: WorkspaceTarget,
        *,
        on_opened: Callable[[Workspace], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Lock (UI thread, instant) then open/migrate on the worker; swap in when ready.

        Raises WorkspaceLockedError at once if another copy holds the file. Errors while
        opening (not a workspace, unreadable…) go to ``on_failed`` (default: the task
        runner's error handler) and ``workspace_failed``; the current workspace stays.
        """
        if self._target == target and self._ws is not None:
            if on_opened is not None:
                on_opened(self._ws)
            return
        lock: WorkspaceLock | None = None
        if target.path is not None:
            lock = WorkspaceLock(target.path)
            lock.acquire()
        self._opening = target

        def done(ws: Workspace) -> None:
            self._opening = None
            self.set_workspace(ws, target=target, lock=lock)
            if on_opened is not None:
                on_opened(ws)

        def failed(exc: BaseException) -> None:
            self._opening = None
            if lock is not None:
                lock.release()
            self.workspace_failed.emit(exc)
            if on_failed is not None:
                on_failed(exc)
            elif self.tasks.error_handler is not None:
                self.tasks.error_handler(exc)

        self.tasks.submit(
            _open_workspace_task(target), on_done=done, on_error=failed,
            label=QCoreApplication.translate("AppContext", "正在打开工作区…"),
        )

    def set_workspace(
        self,
        ws: Workspace,
        *,
        target: WorkspaceTarget | None = None,
        lock: WorkspaceLock | None = None,
    ) -> None:
        """Install an opened workspace (closing the previous one after queued work)."""
        old_ws, old_lock = self._ws, self._lock
        self._ws, self._lock = ws, lock
        if target is None:
            target = WorkspaceTarget(path=ws.path) if ws.path is not None else WorkspaceTarget(
                url=ws.engine.url.render_as_string(hide_password=False))
        self._target = target
        self.tasks.workspace = ws
        self.undo_stack.clear()
        if old_ws is not None:
            # Tasks already queued still hold the old workspace: close it after them.
            def close_old(_h: TaskHandle) -> None:
                old_ws.close()

            self.tasks.submit(close_old, on_done=lambda _r: _release(old_lock))
        self.workspace_opened.emit()
        self.notify("workspace")

    def close(self) -> None:
        """Stop background work, drop the undo history, close the workspace and release
        its lock."""
        self.tasks.shutdown()
        self._clear_undo_stack()
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        _release(self._lock)
        self._lock = None

    def _clear_undo_stack(self) -> None:
        """Delete the stack's commands through Qt while every wrapper is intact (see the
        module notes: never leave them for the garbage collector)."""
        stack = self.__dict__.get("undo_stack")
        if stack is not None and shiboken6.isValid(stack):
            stack.clear()

    def __del__(self) -> None:
        # A context dropped without close(): the collector runs finalizers before it
        # breaks any cycle, so the commands are still whole here.
        self._clear_undo_stack()


def _release(lock: WorkspaceLock | None) -> None:
    if lock is not None:
        lock.release()

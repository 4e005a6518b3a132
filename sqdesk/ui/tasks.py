"""Background work: ONE database worker thread, results back on the UI thread by signal.

Every query over large data, import, export and chart rendering goes through
:meth:`TaskRunner.submit`. ``fn`` runs on the worker thread and receives a
:class:`TaskHandle`; it opens its own short session (``with h.ws.read() as s:`` /
``with h.ws.write() as s:``), never touches widgets, and returns *plain data* (ORM
objects never cross threads). ``on_done(result)`` / ``on_error(exc)`` then run on the UI
thread. Jobs run one at a time in submission order, so a write submitted after a read
sees the world the read saw, and SQLite never has two writers from this process.

Feedback is shown only for work that lasts: after ~0.5 s the runner emits
``busy_changed(True, label)`` (the status bar shows it) and, when the caller gave a
``progress_parent`` or asked for ``cancellable``, a window-modal QProgressDialog appears;
``h.progress(done, total)`` drives it (thread-safe, throttled). A cancelled task should
call ``h.check_cancelled()`` (raises :class:`TaskCancelled`) between units of work and
let its ``with ws.write()`` block roll back, so nothing is left half-done.

Callbacks are dropped when their ``owner`` (default: ``progress_parent``) has been
deleted meanwhile — a view closed while its query ran does not get called back.
"""

from __future__ import annotations

import itertools
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

    from sqdesk.core.workspace import Workspace

T = TypeVar("T")

SHOW_AFTER_MS = 500
PROGRESS_INTERVAL_S = 0.05


class TaskCancelled(Exception):
    """Raised inside a task (by :meth:`TaskHandle.check_cancelled`) to stop it cleanly."""


class TaskHandle:
    """What a task sees of the outside world while it runs on the worker thread."""

    def __init__(self, task_id: int, label: str, ws: Workspace | None, bridge: _Bridge) -> None:
        self.id = task_id
        self.label = label
        self._ws = ws
        self._bridge = bridge
        self._cancel = threading.Event()
        self._last_progress = 0.0

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            raise RuntimeError("no workspace is open yet")
        return self._ws

    def progress(self, done: int, total: int) -> None:
        """Report progress; safe from the worker thread; throttled to ~20 updates/s."""
        now = time.monotonic()
        if done < total and now - self._last_progress < PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        self._bridge.progress.emit(self.id, int(done), int(total))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise TaskCancelled()

    def cancel(self) -> None:
        """Ask the task to stop (UI thread). A task not yet started never runs."""
        self._cancel.set()


@dataclass(eq=False)
class _Job(Generic[T]):
    handle: TaskHandle
    fn: Callable[[TaskHandle], T]
    on_done: Callable[[T], None] | None
    on_error: Callable[[BaseException], None] | None
    on_cancel: Callable[[], None] | None
    owner: QObject | None
    progress_parent: QWidget | None
    cancellable: bool
    started_at: float | None = None
    dialog: QProgressDialog | None = None
    timer: QTimer | None = None
    shown: bool = False
    last_progress: tuple[int, int] = field(default=(0, 0))


class _Bridge(QObject):
    """Lives on the UI thread; the worker emits these, Qt queues them across threads."""

    started = Signal(int)
    progress = Signal(int, int, int)
    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int)


class _WorkerThread(QThread):
    def __init__(self, jobs: queue.SimpleQueue[_Job[Any] | None], bridge: _Bridge) -> None:
        super().__init__()
        self.setObjectName("sqdesk-db-worker")
        self._jobs = jobs
        self._bridge = bridge

    def run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            # The UI thread keeps the job (its callbacks, and through them widgets) until
            # it has handled this job's last signal. This thread lets go of everything
            # before emitting, so it never drops the last reference to a Qt wrapper:
            # a widget freed here, off the UI thread, crashes Qt (seen as a rare SIGSEGV).
            handle, fn = job.handle, job.fn
            del job
            if handle.cancelled():
                del fn
                self._bridge.cancelled.emit(handle.id)
                continue
            self._bridge.started.emit(handle.id)
            kind, payload = "finished", None
            try:
                payload = fn(handle)
            except TaskCancelled:
                kind = "cancelled"
            except BaseException as exc:  # noqa: BLE001 — every failure goes back to the UI thread
                # keep the traceback's lines, drop its frames' locals (closures over widgets)
                traceback.clear_frames(exc.__traceback__)
                kind, payload = "failed", exc
            del fn
            if kind == "finished":
                self._bridge.finished.emit(handle.id, payload)
            elif kind == "failed":
                self._bridge.failed.emit(handle.id, payload)
            else:
                self._bridge.cancelled.emit(handle.id)
            del payload, handle


class TaskRunner(QObject):
    """Runs submitted callables one at a time on a single background thread."""

    busy_changed = Signal(bool, str)
    idle = Signal()  # emitted whenever the last queued task has been delivered

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        error_handler: Callable[[BaseException], None] | None = None,
        show_after_ms: int = SHOW_AFTER_MS,
        autostart: bool = True,
    ) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.error_handler = error_handler
        self.show_after_ms = show_after_ms
        self._ids = itertools.count(1)
        self._jobs: dict[int, _Job[Any]] = {}
        self._busy = False
        self._queue: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._bridge = _Bridge(self)
        self._bridge.started.connect(self._on_started)
        self._bridge.progress.connect(self._on_progress)
        self._bridge.finished.connect(self._on_finished)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.cancelled.connect(self._on_cancelled)
        self._thread = _WorkerThread(self._queue, self._bridge)
        self._closed = False
        if autostart:
            self.start()

    def start(self) -> None:
        """Start the worker (jobs submitted before wait in the queue). The app starts it
        right after the first paint so imports on the worker don't slow the window."""
        if not self._thread.isRunning() and not self._closed:
            self._thread.start()

    # public ------------------------------------------------------------------------
    def submit(
        self,
        fn: Callable[[TaskHandle], T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        label: str = "",
        progress_parent: QWidget | None = None,
        cancellable: bool = False,
        owner: QObject | None = None,
    ) -> TaskHandle:
        if self._closed:
            raise RuntimeError("TaskRunner is shut down")
        handle = TaskHandle(next(self._ids), label, self.workspace, self._bridge)
        job: _Job[T] = _Job(
            handle=handle, fn=fn, on_done=on_done, on_error=on_error, on_cancel=on_cancel,
            owner=owner if owner is not None else progress_parent,
            progress_parent=progress_parent, cancellable=cancellable,
        )
        self._jobs[handle.id] = job
        self._queue.put(job)
        return handle

    def is_idle(self) -> bool:
        return not self._jobs

    def pending(self) -> int:
        return len(self._jobs)

    def cancel_all(self) -> None:
        for job in self._jobs.values():
            job.handle.cancel()

    def shutdown(self) -> None:
        """Cancel what is queued, let the running task finish, stop the thread."""
        if self._closed:
            return
        self._closed = True
        self.cancel_all()
        self._queue.put(None)
        if not self._thread.isRunning():
            self._thread.start()  # drain: cancelled jobs are reported, then the thread ends
        # Wait in short slices, coming back to Python between them: a wait that never
        # returns to the interpreter can keep the GIL from the worker, which then cannot
        # take the sentinel off the queue (seen as a rare hang at teardown).
        while not self._thread.wait(50):
            time.sleep(0)
        for job in list(self._jobs.values()):
            self._close_feedback(job)
        self._jobs.clear()

    # UI-thread slots -------------------------------------------------------------------
    @Slot(int)
    def _on_started(self, task_id: int) -> None:
        job = self._jobs.get(task_id)
        if job is None:
            return
        job.started_at = time.monotonic()
        if self._busy:
            # Work is already visibly going on: keep the indicator, update its text.
            self.busy_changed.emit(True, job.handle.label)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._show_feedback(task_id))
        timer.start(self.show_after_ms)
        job.timer = timer

    def _show_feedback(self, task_id: int) -> None:
        job = self._jobs.get(task_id)
        if job is None:
            return
        job.shown = True
        if not self._busy:
            self._busy = True
        self.busy_changed.emit(True, job.handle.label)
        parent = job.progress_parent
        if parent is not None and not shiboken6.isValid(parent):
            parent = None
        if parent is None and not job.cancellable:
            return
        from PySide6.QtWidgets import QProgressDialog

        dialog = QProgressDialog(parent)
        dialog.setWindowTitle(self.tr("请稍候"))
        dialog.setLabelText(job.handle.label or self.tr("正在处理…"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(360)
        if parent is not None:
            from PySide6.QtCore import Qt

            dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if job.cancellable:
            dialog.setCancelButtonText(self.tr("取消"))
            dialog.canceled.connect(lambda: self._cancel_from_dialog(task_id))
        else:
            dialog.setCancelButton(None)
        done, total = job.last_progress
        dialog.setRange(0, total if total > 0 else 0)
        if total > 0:
            dialog.setValue(min(done, total))
        job.dialog = dialog
        dialog.show()

    def _cancel_from_dialog(self, task_id: int) -> None:
        job = self._jobs.get(task_id)
        if job is None:
            return
        job.handle.cancel()
        if job.dialog is not None:
            job.dialog.setLabelText(self.tr("正在取消，已做的部分将全部撤回…"))

    @Slot(int, int, int)
    def _on_progress(self, task_id: int, done: int, total: int) -> None:
        job = self._jobs.get(task_id)
        if job is None:
            return
        job.last_progress = (done, total)
        if job.dialog is not None:
            if total > 0:
                if job.dialog.maximum() != total:
                    job.dialog.setRange(0, total)
                job.dialog.setValue(min(done, total))
            else:
                job.dialog.setRange(0, 0)

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        job = self._retire(task_id)
        if job is not None and job.on_done is not None and _alive(job.owner):
            try:
                job.on_done(result)
            finally:
                self._emit_idle_if_done()
        else:
            self._emit_idle_if_done()

    @Slot(int, object)
    def _on_failed(self, task_id: int, exc: BaseException) -> None:
        job = self._retire(task_id)
        try:
            if job is not None and job.on_error is not None and _alive(job.owner):
                job.on_error(exc)
            elif self.error_handler is not None:
                self.error_handler(exc)
            else:
                sys.excepthook(type(exc), exc, exc.__traceback__)
        finally:
            self._emit_idle_if_done()

    @Slot(int)
    def _on_cancelled(self, task_id: int) -> None:
        job = self._retire(task_id)
        try:
            if job is not None and job.on_cancel is not None and _alive(job.owner):
                job.on_cancel()
        finally:
            self._emit_idle_if_done()

    # helpers -------------------------------------------------------------------------
    def _retire(self, task_id: int) -> _Job[Any] | None:
        job = self._jobs.pop(task_id, None)
        if job is not None:
            self._close_feedback(job)
        return job

    def _close_feedback(self, job: _Job[Any]) -> None:
        if job.timer is not None:
            job.timer.stop()
            job.timer.deleteLater()
            job.timer = None
        if job.dialog is not None:
            job.dialog.hide()
            job.dialog.deleteLater()
            job.dialog = None

    def _emit_idle_if_done(self) -> None:
        if self._jobs:
            return
        if self._busy:
            self._busy = False
            self.busy_changed.emit(False, "")
        self.idle.emit()


def _alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)

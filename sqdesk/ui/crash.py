"""Unexpected exceptions: a dialog for the operator, a log file for the developer.

The log holds no personal data: for each exception of the chain only its type, its
message *scrubbed* (quoted text, e-mail addresses, SQL parameters and runs of 5+ digits
such as phone numbers are blanked) and the stack (file, line and function — neither
source text nor local variables). Paths under the home folder are written as ``~``.

The workspace stays consistent on its own: every change is one transaction
(``ws.write()``), so an exception in the middle rolls the whole change back.

:class:`UserError` is not a crash: it is shown as a plain warning with its message.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from sqdesk.core.errors import UserError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

LOG_NAME = "crash.log"
MAX_LOG_BYTES = 1_000_000
MAX_MESSAGE_CHARS = 2_000

_QUOTED = re.compile(
    r"'[^'\n]*'|\"[^\"\n]*\"|「[^」]*」|『[^』]*』|“[^”]*”|‘[^’]*’|《[^》]*》|【[^】]*】"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SQL_PARAMS = re.compile(r"\[parameters:[^\n]*")
_NUMBERISH = re.compile(r"\+?\d[\d \-]*\d|\d")


def scrub(text: str) -> str:
    """Remove what could be a member's data from an exception message."""
    text = _SQL_PARAMS.sub("[parameters: …]", text)
    text = _EMAIL.sub("<email>", text)
    text = _QUOTED.sub(lambda m: m.group(0)[0] + "…" + m.group(0)[-1], text)

    def digits(m: re.Match[str]) -> str:
        run = m.group(0)
        return "<数字>" if sum(c.isdigit() for c in run) >= 5 else run

    text = _NUMBERISH.sub(digits, text)
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + "…"
    return text


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("sqdesk", appauthor=False))


def log_path() -> Path:
    return log_dir() / LOG_NAME


def _short_path(filename: str) -> str:
    home = str(Path.home())
    if home and home != "/" and filename.startswith(home):
        return "~" + filename[len(home):]
    return filename


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes/contexts, oldest first (as Python prints them)."""
    out: list[BaseException] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        out.append(cur)
        cur = cur.__cause__ or (None if cur.__suppress_context__ else cur.__context__)
    return list(reversed(out))


def format_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
    *, where: str = "",
) -> str:
    import platform
    import traceback

    from sqdesk import __version__

    try:
        from PySide6 import __version__ as qt_version
    except ImportError:  # pragma: no cover
        qt_version = "?"
    lines = [
        f"==== {dt.datetime.now():%Y-%m-%d %H:%M:%S} · sqdesk {__version__} · "
        f"Python {platform.python_version()} · PySide6 {qt_version} · {platform.system()} ===="
    ]
    if where:
        lines.append(f"where: {where}")
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    for i, e in enumerate(_chain(exc)):
        if i:
            lines.append("-- which led to --")
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(e.__traceback__):
            # No source text: a literal on the failing line could be someone's data.
            lines.append(f'  File "{_short_path(frame.filename)}", line {frame.lineno}, in {frame.name}')
        name = f"{type(e).__module__}.{type(e).__qualname__}"
        lines.append(f"{name}: {scrub(str(e))}")
        for note in getattr(e, "__notes__", ()) or ():
            lines.append(f"  note: {scrub(str(note))}")
    return "\n".join(lines) + "\n"


_write_lock = threading.Lock()


def write_log(report: str, path: Path | None = None) -> Path:
    path = path or log_path()
    with _write_lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_name(path.name + ".1"))
        with path.open("a", encoding="utf-8") as fh:
            fh.write(report + "\n")
    return path


class CrashHandler(QObject):
    """Installs sys/threading excepthooks; shows one dialog at a time on the UI thread."""

    _crashed = Signal(str, str)  # summary, log file — queued to the UI thread

    def __init__(self, parent: QObject | None = None, *, interactive: bool = True) -> None:
        super().__init__(parent)
        self.interactive = interactive
        self.window: QWidget | None = None
        self.log_file: Path | None = None
        self._dialog: QMessageBox | None = None
        self._missed = 0
        self._user_boxes: list[QWidget] = []
        self._previous_hooks: tuple[object, object] | None = None
        self._crashed.connect(self._show_later)

    def install(self) -> None:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks  # type: ignore[assignment]
            self._previous_hooks = None

    # hooks ---------------------------------------------------------------------------
    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report(exc, tb=tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.report(args.exc_value, tb=args.exc_traceback,
                    where=f"thread {args.thread.name if args.thread else '?'}")

    def handle_task_error(self, exc: BaseException) -> None:
        """Default ``on_error`` of the TaskRunner: UserError → warning, else a crash."""
        if isinstance(exc, UserError):
            self.show_user_error(exc)
        else:
            self.report(exc, where="background task")

    # reporting -----------------------------------------------------------------------
    def report(self, exc: BaseException, *, tb: TracebackType | None = None, where: str = "") -> Path:
        """Log the exception (scrubbed) and show the dialog; callable from any thread."""
        report = format_report(type(exc), exc, tb if tb is not None else exc.__traceback__, where=where)
        try:
            path = write_log(report, self.log_file)
        except OSError:
            path = self.log_file or log_path()
        summary = f"{type(exc).__name__}: {scrub(str(exc))}"
        self._crashed.emit(summary, str(path))
        return path

    @Slot(str, str)
    def _show_later(self, summary: str, path: str) -> None:
        # Never open a dialog from inside the code that just failed (re-entrancy).
        QTimer.singleShot(0, self, lambda: self._show(summary, path))

    def _show(self, summary: str, path: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        if not self.interactive:
            print(self.tr("sqdesk 出现意外错误：{summary}\n错误报告已写入 {path}").format(
                summary=summary, path=path), file=sys.stderr)
            app = QApplication.instance()
            if app is not None:
                app.exit(70)
            return
        if self._dialog is not None and self._dialog.isVisible():
            self._missed += 1
            self._dialog.setInformativeText(self._informative(path))
            return
        self._missed = 0
        parent = self.window if self.window is not None and self.window.isVisible() else None
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("出现意外错误"))
        box.setText(self.tr("sqdesk 遇到了一个意外错误，刚才的操作没有完成。"))
        box.setInformativeText(self._informative(path))
        box.setDetailedText(summary)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._dialog_closed)
        self._dialog = box
        box.open()

    def _dialog_closed(self) -> None:
        self._dialog = None

    def _informative(self, path: str) -> str:
        text = self.tr(
            "工作区的数据是完整的：每次修改都在一个事务里完成，没做完的修改已全部撤回。\n"
            "错误报告（不含成员资料）已写入：{path}\n如果问题反复出现，请把这个文件发给技术支持。"
        ).format(path=path)
        if self._missed:
            text += "\n" + self.tr("此后又发生了 {n} 次错误，也已写入同一文件。").format(n=self._missed)
        return text

    def show_user_error(self, exc: UserError) -> None:
        if not self.interactive:
            print(self.tr("错误：{message}").format(message=str(exc)), file=sys.stderr)
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        parent = self.window if self.window is not None and self.window.isVisible() else None
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("无法完成"))
        box.setText(str(exc))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A parentless box lives only as long as a Python reference to it does.
        self._user_boxes.append(box)
        box.finished.connect(lambda _r, b=box: self._user_boxes.remove(b))
        box.open()

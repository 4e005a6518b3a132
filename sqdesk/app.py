"""Composition root of the desktop app: settings, language, font, crash handler, the
background worker, the workspace lock and the main window.

Startup is ordered for a fast first paint: only PySide6 and sqdesk's UI shell are
imported before the window is shown; SQLAlchemy, Alembic and the workspace (schema
check/migration) load on the worker thread right after, while the window already shows
"正在打开工作区…". matplotlib and openpyxl are never imported here.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from sqdesk.ui.context import AppContext, WorkspaceTarget
    from sqdesk.ui.main_window import MainWindow
    from sqdesk.ui.settings import Settings
    from sqdesk.ui.tasks import TaskHandle

EXIT_LOCKED = 2  # same code as any UserError from the CLI
EXIT_OPEN_FAILED = 3
EXIT_SCREENSHOT_FAILED = 4
SCREENSHOT_SIZE = (1280, 800)
SCREENSHOT_TIMEOUT_MS = 300_000
DEMO_MEMBERS = 800
LATIN_FONTS = ["Segoe UI", "Helvetica Neue", "Noto Sans", "Liberation Sans", "DejaVu Sans", "Arial"]
CJK_FONTS = [
    "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei", "Noto Sans SC", "Sarasa UI SC", "Heiti SC",
]


def run_gui(args: argparse.Namespace) -> int:
    """Run the desktop app (or render one screen with ``--screenshot``); returns the exit code."""
    screenshot: str | None = getattr(args, "screenshot", None)
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QTimer

    from sqdesk.core.errors import UserError
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.crash import CrashHandler
    from sqdesk.ui.i18n import install_translators
    from sqdesk.ui.settings import Settings
    from sqdesk.ui.tasks import TaskRunner
    from sqdesk.ui.widgets.icons import app_icon

    app = _application()
    settings = Settings()
    lang = install_translators(app, getattr(args, "lang", None) or settings.language)
    _apply_look(app, lang)

    crash = CrashHandler(app, interactive=not screenshot)
    crash.install()
    tasks = TaskRunner(app, error_handler=crash.handle_task_error, autostart=False)
    ctx = AppContext(settings, tasks, app)
    target, first_run = resolve_target(args, settings)

    try:
        def open_failed(exc: BaseException) -> None:
            # A UserError (not a workspace, unreadable…) is shown on the window's
            # welcome page with 新建/打开 buttons; anything else is a bug.
            if not isinstance(exc, UserError):
                crash.report(exc, where="opening the workspace")

        try:
            ctx.open_workspace(target, on_failed=open_failed)
        except UserError as exc:
            _refuse(app, str(exc), interactive=not screenshot)
            return EXIT_LOCKED

        from sqdesk.ui.main_window import MainWindow

        window = MainWindow(ctx, remember=not screenshot)
        crash.window = window
        if screenshot:
            window.resize(*SCREENSHOT_SIZE)
            window.show_view(args.view)
        window.show()
        # The worker (SQLAlchemy/Alembic imports, schema check) starts after the first
        # paint: importing on two threads at once would slow the window down (GIL).
        QTimer.singleShot(0, tasks.start)
        QTimer.singleShot(0, lambda: app.setWindowIcon(app_icon()))

        if first_run and not getattr(args, "no_demo", False):
            ctx.workspace_opened.connect(lambda: offer_demo(ctx, window, remember=not screenshot))
        shooter = _Screenshot(app, ctx, window, Path(screenshot), args.view) if screenshot else None
        if shooter is not None:
            shooter.start()
        return app.exec()
    finally:
        ctx.close()
        crash.uninstall()


def _application() -> QApplication:
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from sqdesk.ui.settings import APPLICATION, ORGANIZATION

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("sqdesk")
    app.setDesktopFileName("sqdesk")
    return app


def _apply_look(app: QApplication, lang: str = "zh") -> None:
    """Fusion style (same look on every OS), a CJK-capable UI font, the app stylesheet.

    Chinese UI: a CJK font first (its Latin glyphs are fine). English UI: a Latin font
    first, so quotes and punctuation are not the CJK full-width ones; member names in
    Chinese still render through the CJK fallback."""
    from PySide6.QtGui import QFont

    from sqdesk.ui.widgets.icons import resource_path

    if app.style().name().lower() != "fusion":  # already the default on Linux
        app.setStyle("Fusion")
    font = QFont(app.font())
    preferred = [*LATIN_FONTS, *CJK_FONTS] if lang == "en" else [*CJK_FONTS, *LATIN_FONTS]
    font.setFamilies([*preferred, *font.families()])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    # The window icon loads Qt's SVG icon plugin: after the first paint (see run_gui).
    app.setStyleSheet(resource_path("styles", "app.qss").read_text(encoding="utf-8"))


def resolve_target(args: argparse.Namespace, settings: Settings) -> tuple[WorkspaceTarget, bool]:
    """Which workspace to open, and whether this is the very first run (demo candidate).

    Order: --db, --workspace, $SQDESK_DB_URL, the last one used, the default file.
    """
    from sqdesk.ui.context import WorkspaceTarget, default_workspace_path

    if getattr(args, "db", None):
        return WorkspaceTarget(url=args.db), False
    if getattr(args, "workspace", None):
        return WorkspaceTarget.parse(args.workspace), False
    if os.environ.get("SQDESK_DB_URL"):
        return WorkspaceTarget(url=os.environ["SQDESK_DB_URL"]), False
    last = settings.last_workspace
    if last:
        target = WorkspaceTarget.parse(last)
        if target.path is None or target.path.exists():
            return target, False
    default = default_workspace_path()
    first = not settings.demo_offered and not (default.exists() and default.stat().st_size > 0)
    return WorkspaceTarget.parse(default), first


def offer_demo(ctx: AppContext, window: MainWindow, *, remember: bool = True) -> None:
    """First run: fill the new, empty default workspace with a demo community."""
    from PySide6.QtCore import QCoreApplication

    if remember:
        ctx.settings.demo_offered = True

    def run(h: TaskHandle) -> str | None:
        from sqdesk.core.demo import build_demo
        from sqdesk.core.workspace import is_empty

        with h.ws.read() as s:
            if not is_empty(s):
                return None

        def progress(done: int, total: int) -> None:
            h.check_cancelled()
            h.progress(done, total)

        summary = build_demo(h.ws, members=DEMO_MEMBERS, progress=progress)
        return str(summary.describe())

    def done(summary: str | None) -> None:
        if summary is not None:
            ctx.notify("members", "groups", "events", "rules", "activity", "supply", "imports")
            window.statusBar().showMessage(summary.splitlines()[0].rstrip("：:"), 15000)

    ctx.tasks.submit(
        run, on_done=done, label=QCoreApplication.translate("App", "首次使用：正在生成演示社群（{n} 名成员）…").format(n=DEMO_MEMBERS),
        progress_parent=window, cancellable=True,
    )


def _refuse(app: QApplication, message: str, *, interactive: bool) -> None:
    if not interactive:
        print(message, file=sys.stderr)
        return
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, QCoreApplication.translate("App", "无法打开工作区"), message)


class _Screenshot:
    """``--screenshot``: once the workspace is open and background work has settled,
    show the asked screen, let its data load, grab the window to a PNG and quit.

    Settled = the task queue and the chart render thread idle for three polls in a row
    and the screen not busy: a screen whose work comes in stages (the 总览 computes its
    charts a second after its figures, then draws them off the UI thread; the 简报 waits
    300 ms before a preview) says so with ``is_busy()``. All of it within
    ``SCREENSHOT_TIMEOUT_MS``; past that the screenshot fails (exit status 4)."""

    def __init__(self, app: QApplication, ctx: AppContext, window: MainWindow, out: Path, view: str) -> None:
        from PySide6.QtCore import QTimer

        self.app, self.ctx, self.window, self.out, self.view = app, ctx, window, out, view
        self.quiet_polls = 0
        self.phase = "opening"
        self.timer = QTimer(window)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self.deadline = QTimer(window)
        self.deadline.setSingleShot(True)
        self.deadline.timeout.connect(self._timeout)
        ctx.workspace_failed.connect(self._failed)

    def start(self) -> None:
        self.timer.start()
        self.deadline.start(SCREENSHOT_TIMEOUT_MS)

    def _settled(self) -> bool:
        from sqdesk.ui.widgets.chart_canvas import render_idle

        busy = getattr(self.window.view_widget(self.view), "is_busy", None) if self.phase == "view" else None
        idle = self.ctx.tasks.is_idle() and render_idle() and not (callable(busy) and busy())
        self.quiet_polls = self.quiet_polls + 1 if idle else 0
        return self.quiet_polls >= 3

    def _poll(self) -> None:
        if not self.ctx.has_workspace:
            return
        if not self._settled():
            return
        if self.phase == "opening":
            self.phase = "view"
            self.quiet_polls = 0
            self.window.show_view(self.view)
            return
        self.timer.stop()
        self.deadline.stop()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grab().save(str(self.out), "PNG"):
            print(f"无法写入截图文件「{self.out}」", file=sys.stderr)
            self.app.exit(EXIT_SCREENSHOT_FAILED)
            return
        print(self.out)
        self.app.exit(0)

    def _failed(self, exc: BaseException) -> None:
        print(f"无法打开工作区：{exc}", file=sys.stderr)
        self.app.exit(EXIT_OPEN_FAILED)

    def _timeout(self) -> None:
        print("截图超时：后台任务没有在规定时间内完成", file=sys.stderr)
        self.app.exit(EXIT_SCREENSHOT_FAILED)


"""The desktop shell end to end: main window, screens and shortcuts, remembered layout,
workspace switching and locking, background tasks, crash log, screenshots, language."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QThread
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget
from sqlalchemy import func, insert, select

from sqdesk.core.errors import ValidationError, WorkspaceLockedError
from sqdesk.core.workspace import open_workspace
from sqdesk.models import Event, Member
from sqdesk.ui.context import DATA_KINDS, AppContext, WorkspaceLock, WorkspaceTarget
from sqdesk.ui.crash import CrashHandler, scrub
from sqdesk.ui.main_window import MainWindow
from sqdesk.ui.settings import Settings
from sqdesk.ui.tasks import TaskHandle, TaskRunner
from sqdesk.ui.views import BY_KEY, VIEW_KEYS, VIEWS, load_view_class

REPO = Path(__file__).resolve().parents[2]
QUIET = 5_000


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        PYTHONPATH=str(REPO),
    )
    return env


def _settle(qtbot: Any, ctx: AppContext) -> None:
    qtbot.waitUntil(ctx.tasks.is_idle, timeout=QUIET)


@pytest.fixture
def window(qtbot: Any, ctx: AppContext) -> Iterator[MainWindow]:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    _settle(qtbot, ctx)
    yield win
    _settle(qtbot, ctx)


# ---- main window -------------------------------------------------------------------

def test_window_opens_on_the_dashboard_and_ctrl_numbers_switch_screens(
    qtbot: Any, window: MainWindow, ctx: AppContext
) -> None:
    assert window.current_view_key == "dashboard"
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "总览", "成员", "活动", "群规", "动态", "供求", "分析", "简报"]
    qtbot.waitUntil(lambda: window.status_members.text() == "在群成员 0 人", timeout=QUIET)
    assert str(ctx.target.path) in window.status_workspace.text()  # type: ignore[union-attr]

    window.activateWindow()
    qtbot.waitActive(window)
    for n, key in ((8, "brief"), (7, "analytics"), (1, "dashboard")):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_view_key == key
        assert window.sidebar.currentRow() == n - 1
        assert window.stack.currentWidget() is window.view_widget(key)
        assert window.header.text() == BY_KEY[key].label
    # A screen whose module is not written yet gets an honest page, not an empty pane.
    from sqdesk.ui.views import ViewSpec
    from sqdesk.ui.views.placeholder import PlaceholderView

    brief = BY_KEY["brief"]
    unwritten = ViewSpec("brief", "sqdesk.ui.views.not_written_yet:View", brief.title, brief.icon,
                         brief.purpose)
    page = window._build_view(unwritten)
    assert isinstance(page, PlaceholderView)
    texts = " ".join(w.text() for w in page.findChildren(type(window.header)))
    assert "简报" in texts and "导出" in texts and "还没有" in texts
    page.deleteLater()
    # Clicking in the sidebar switches too.
    window.sidebar.setCurrentRow(6)
    assert window.current_view_key == "analytics"


def test_every_registered_screen_builds_on_an_empty_workspace(
    qtbot: Any, window: MainWindow, ctx: AppContext
) -> None:
    assert VIEW_KEYS == ("dashboard", "roster", "calendar", "rules", "activity", "supply",
                         "analytics", "brief")
    for spec in VIEWS:
        cls = load_view_class(spec)
        widget = window.show_view(spec.key)
        assert widget is not None and widget.isVisible()
        if cls is not None:
            assert isinstance(widget, cls)
            assert isinstance(getattr(widget, "title", None), str) and widget.title
        _settle(qtbot, ctx)


def test_a_broken_view_module_is_not_mistaken_for_a_missing_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "brokenpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "view.py").write_text("import module_that_does_not_exist_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from sqdesk.ui.views import ViewSpec

    missing = ViewSpec("x", "brokenpkg.nothere:View", "x", "brief", "x")
    broken = ViewSpec("x", "brokenpkg.view:View", "x", "brief", "x")
    assert load_view_class(missing) is None
    with pytest.raises(ModuleNotFoundError):
        load_view_class(broken)


def test_geometry_splitter_and_last_screen_are_remembered(qtbot: Any, ctx: AppContext) -> None:
    def open_window() -> MainWindow:
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        _settle(qtbot, ctx)
        return win

    first = open_window()
    assert first.current_view_key == "dashboard"
    first.resize(720, 530)
    qtbot.waitUntil(lambda: first.size().width() == 720, timeout=QUIET)
    wide = first.sidebar.minimumWidth() + 37
    first.splitter.setSizes([wide, 720 - wide])
    qtbot.waitUntil(lambda: first.splitter.sizes()[0] == wide, timeout=QUIET)
    first.close()

    second = open_window()
    assert (second.width(), second.height()) == (720, 530)
    assert second.splitter.sizes()[0] == wide
    second.show_view("brief")
    _settle(qtbot, ctx)
    second.close()

    third = open_window()
    assert third.current_view_key == "brief"
    # It really is on disk, in the isolated INI file.
    assert Path(ctx.settings.q.fileName()).exists()


def test_undo_redo_actions_follow_the_context_undo_stack(window: MainWindow, ctx: AppContext) -> None:
    from PySide6.QtGui import QKeySequence, QUndoCommand

    values: list[int] = []

    class Add(QUndoCommand):
        def redo(self) -> None:
            values.append(1)

        def undo(self) -> None:
            values.pop()

    assert not window.act_undo.isEnabled()
    ctx.undo_stack.push(Add("加一"))
    assert values == [1] and window.act_undo.isEnabled()
    assert window.act_undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    window.act_undo.trigger()
    assert values == [] and window.act_redo.isEnabled()
    window.act_redo.trigger()
    assert values == [1]


# ---- workspaces ------------------------------------------------------------------------

def test_switching_workspace_reopens_notifies_and_moves_the_lock(
    qtbot: Any, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    first = ctx.target
    assert first is not None and first.path is not None
    kinds: list[frozenset[str]] = []
    ctx.changed.connect(kinds.append)
    ctx.undo_stack.push(_noop_command())
    dashboard = window.view_widget("dashboard")

    other = tmp_path / "其他社群.sqdesk"
    with qtbot.waitSignal(ctx.workspace_opened, timeout=QUIET):
        window.open_location(other)
    _settle(qtbot, ctx)
    assert ctx.target == WorkspaceTarget.parse(other)
    assert ctx.ws.path == other.resolve()
    assert frozenset({"workspace"}) in kinds
    assert ctx.undo_stack.count() == 0
    assert window.view_widget("dashboard") is not dashboard  # screens rebuilt
    assert other.name in window.windowTitle()
    assert ctx.settings.recent_workspaces[:2] == [str(other.resolve()), str(first.path)]
    assert ctx.settings.last_workspace == str(other.resolve())
    # The old file is free again, the new one is held.
    WorkspaceLock(first.path).acquire()
    with pytest.raises(WorkspaceLockedError):
        WorkspaceLock(other.resolve()).acquire()


def test_backup_copies_the_open_workspace(qtbot: Any, window: MainWindow, ctx: AppContext, tmp_path: Path) -> None:
    with ctx.ws.write() as s:
        s.execute(insert(Member), [{"display_name": f"成员{i}"} for i in range(5)])
    dest = tmp_path / "备份" / "copy.sqdesk"
    done: list[Path] = []
    window.backup_to(dest, then=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=QUIET)
    with sqlite3.connect(dest) as conn:
        assert conn.execute("select count(*) from members").fetchone() == (5,)


def test_default_path_matches_the_core(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from sqdesk.core.workspace import default_workspace_path as core_default
    from sqdesk.ui.context import default_workspace_path as ui_default

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert ui_default() == core_default()


# ---- single instance -------------------------------------------------------------------

HOLD_LOCK = textwrap.dedent("""
    import os, sys
    from PySide6.QtCore import QCoreApplication, QLockFile
    app = QCoreApplication([])
    lock = QLockFile(sys.argv[1]); lock.setStaleLockTime(0)
    assert lock.tryLock(0)
    print("locked", flush=True)
    if sys.argv[2] == "crash":
        os._exit(9)  # dies holding the lock, like a crash: the file stays behind
    sys.stdin.read()
""")


def _hold_lock(workspace_file: Path, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(workspace_file) + ".lock", mode],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_copy_is_refused_with_a_message_naming_the_file(tmp_path: Path, qapp: Any) -> None:
    file = tmp_path / "社群.sqdesk"
    open_workspace(file).close()
    holder = _hold_lock(file, "hold")
    try:
        with pytest.raises(WorkspaceLockedError) as err:
            WorkspaceLock(file).acquire()
        assert "社群.sqdesk" in str(err.value) and str(holder.pid) in str(err.value)

        # The real app, as a second process: refused, non-zero, the message on stderr.
        done = subprocess.run(
            [sys.executable, "-m", "sqdesk", "--workspace", str(file),
             "--screenshot", str(tmp_path / "x.png")],
            capture_output=True, text=True, env=_env(tmp_path), timeout=120,
        )
        assert done.returncode == 2
        assert "社群.sqdesk" in done.stderr and "已在另一个 sqdesk 窗口中打开" in done.stderr
        assert not (tmp_path / "x.png").exists()
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


def test_stale_lock_of_a_crashed_copy_is_recovered(tmp_path: Path, qapp: Any) -> None:
    file = tmp_path / "社群.sqdesk"
    crashed = _hold_lock(file, "crash")
    crashed.wait(timeout=30)
    crashed.stdout.close()  # type: ignore[union-attr]
    crashed.stdin.close()  # type: ignore[union-attr]
    lock_file = Path(str(file) + ".lock")
    assert lock_file.exists() and lock_file.read_text().split("\n")[0] == str(crashed.pid)

    lock = WorkspaceLock(file)
    lock.acquire()
    assert lock.held and lock_file.read_text().split("\n")[0] == str(os.getpid())
    lock.release()
    assert not lock_file.exists()


def test_stale_lock_with_a_dead_pid_is_recovered_through_the_context(
    qtbot: Any, tmp_path: Path, settings: Settings
) -> None:
    file = tmp_path / "w.sqdesk"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    from PySide6.QtCore import QSysInfo

    Path(str(file) + ".lock").write_text(
        f"{dead.pid}\nsqdesk\n{QSysInfo.machineHostName()}\n", encoding="utf-8")
    ctx = AppContext(settings)
    try:
        with qtbot.waitSignal(ctx.workspace_opened, timeout=QUIET):
            ctx.open_workspace(WorkspaceTarget.parse(file))
        assert ctx.ws.path == file.resolve()
    finally:
        ctx.close()
    assert not Path(str(file) + ".lock").exists()


# ---- background tasks ---------------------------------------------------------------------

def test_tasks_run_in_order_off_the_ui_thread_and_report_on_it(qtbot: Any, ctx: AppContext) -> None:
    ui_thread = QThread.currentThread()
    seen: list[tuple[str, bool]] = []

    def job(name: str) -> Any:
        def run(h: TaskHandle) -> str:
            assert QThread.currentThread() is not ui_thread
            with h.ws.read() as s:
                s.scalar(select(func.count()).select_from(Member))
            return name
        return run

    for name in "abc":
        ctx.tasks.submit(job(name), on_done=lambda r: seen.append((r, QThread.currentThread() is ui_thread)))
    with qtbot.waitSignal(ctx.tasks.idle, timeout=QUIET):
        pass
    assert seen == [("a", True), ("b", True), ("c", True)]


def test_progress_dialog_only_for_long_work_and_cancel_rolls_back(
    qtbot: Any, ctx: AppContext
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    busy: list[tuple[bool, str]] = []
    ctx.tasks.busy_changed.connect(lambda b, label: busy.append((b, label)))

    # Quick work: no dialog, no busy indicator.
    done: list[int] = []
    ctx.tasks.submit(lambda h: 1, on_done=done.append, label="快", progress_parent=parent)
    qtbot.waitUntil(lambda: done == [1], timeout=QUIET)
    qtbot.wait(600)
    assert not parent.findChildren(QProgressDialog) and busy == []

    # Long work that writes, then is cancelled from the dialog: nothing stays.
    started = threading.Event()
    cancelled: list[bool] = []

    def long_write(h: TaskHandle) -> None:
        with h.ws.write() as s:
            s.execute(insert(Member), [{"display_name": "半路"}])
            started.set()
            for i in range(400):
                h.progress(i, 400)
                h.check_cancelled()
                time.sleep(0.01)

    ctx.tasks.submit(long_write, on_cancel=lambda: cancelled.append(True), label="慢慢写",
                     progress_parent=parent, cancellable=True)
    qtbot.waitUntil(lambda: bool(parent.findChildren(QProgressDialog)), timeout=QUIET)
    dialog = parent.findChildren(QProgressDialog)[0]
    assert started.is_set() and dialog.labelText() == "慢慢写"
    assert busy and busy[-1] == (True, "慢慢写")
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=QUIET)
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cancelled == [True], timeout=QUIET)
    _settle(qtbot, ctx)
    assert busy[-1] == (False, "")
    with ctx.ws.read() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 0


def test_callbacks_of_a_deleted_owner_are_dropped(qtbot: Any, ctx: AppContext) -> None:
    owner = QWidget()
    gate = threading.Event()
    calls: list[int] = []
    ctx.tasks.submit(lambda h: gate.wait(5) and 1, on_done=calls.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _valid(owner), timeout=QUIET)
    gate.set()
    _settle(qtbot, ctx)
    assert calls == []


def _valid(obj: Any) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


def test_notify_validates_kinds(ctx: AppContext) -> None:
    got: list[frozenset[str]] = []
    ctx.changed.connect(got.append)
    ctx.notify("members", "groups")
    assert got == [frozenset({"members", "groups"})]
    assert "workspace" in DATA_KINDS
    with pytest.raises(ValueError):
        ctx.notify("member")


# ---- dashboard -----------------------------------------------------------------------------

def test_dashboard_loads_in_the_background_and_follows_changes(qtbot: Any, ctx_any_db: AppContext) -> None:
    from sqdesk.ui.views.dashboard import DashboardView

    ctx = ctx_any_db
    now = dt.datetime.now().replace(microsecond=0)
    with ctx.ws.write() as s:
        s.execute(insert(Member), [
            {"display_name": "张三", "role": "群主", "joined_on": now.date()},
            {"display_name": "李四", "role": "骨干", "joined_on": dt.date(2020, 1, 1)},
            {"display_name": "王五", "status": "已退出", "joined_on": dt.date(2020, 1, 1)},
        ])
        s.execute(insert(Event), [{"title": "周三夜聊", "kind": "线上讲座", "capacity": 50,
                                   "starts_at": now + dt.timedelta(days=2),
                                   "ends_at": now + dt.timedelta(days=2, hours=1)}])
    view = DashboardView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.overview is not None, timeout=QUIET)
    assert view.card_members.value.text() == "2"
    assert view.card_joins.value.text() == "1"
    assert "骨干 1" in view.card_members.note.text() and "全部 3 人" in view.card_members.note.text()
    assert view.events.rowCount() == 1 and view.events.item(0, 1).text() == "周三夜聊"
    assert view.events.item(0, 4).text() == "0 / 50"
    assert view.charts_area.isVisible()  # the analytics issue's place, labelled
    assert [a.text() for a in view.toolbar_actions()] == ["刷新"]

    with ctx.ws.write() as s:
        s.execute(insert(Member), [{"display_name": f"新人{i}"} for i in range(4)])
    ctx.notify("members")
    qtbot.waitUntil(lambda: view.card_members.value.text() == "6", timeout=QUIET)
    _settle(qtbot, ctx)


# ---- crash handler ---------------------------------------------------------------------------

def _raise_with_personal_data() -> None:
    def lookup() -> None:
        raise KeyError("张三")

    try:
        lookup()
    except KeyError as exc:
        raise ValueError(
            "成员「张三」的手机号 13800138000 与 '李四' 重复；wechat \"zhangsan_88\"，"
            "邮箱 zhang.san@example.com，电话 138-0013-8000\n[parameters: ('王五', '13912345678')]"
        ) from exc


def test_crash_log_has_the_stack_but_no_personal_data(qtbot: Any, tmp_path: Path) -> None:
    handler = CrashHandler()
    handler.log_file = tmp_path / "crash.log"
    try:
        _raise_with_personal_data()
    except ValueError as exc:
        handler.excepthook(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: handler._dialog is not None, timeout=QUIET)
    box = handler._dialog
    assert isinstance(box, QMessageBox) and "意外错误" in box.text()
    assert str(handler.log_file) in box.informativeText()
    box.close()

    log = handler.log_file.read_text(encoding="utf-8")
    for secret in ("13800138000", "张三", "李四", "zhangsan_88", "zhang.san@example.com",
                   "138-0013-8000", "王五", "13912345678"):
        assert secret not in log, secret
    assert "builtins.ValueError:" in log and "builtins.KeyError:" in log
    assert "in _raise_with_personal_data" in log and "in lookup" in log
    assert "test_shell.py" in log


def test_crashes_in_threads_and_tasks_are_logged_and_user_errors_are_not(
    qtbot: Any, tmp_path: Path
) -> None:
    handler = CrashHandler()
    handler.log_file = tmp_path / "crash.log"
    handler.install()
    runner = TaskRunner(error_handler=handler.handle_task_error)
    try:
        thread = threading.Thread(target=lambda: 1 / 0, name="报表线程")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: handler.log_file.exists(), timeout=QUIET)  # type: ignore[union-attr]
        assert "ZeroDivisionError" in handler.log_file.read_text(encoding="utf-8")
        qtbot.waitUntil(lambda: handler._dialog is not None, timeout=QUIET)
        handler._dialog.close()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: handler._dialog is None, timeout=QUIET)

        def bad_task(h: TaskHandle) -> None:
            raise RuntimeError("手机号 13800138000 无法处理")

        runner.submit(bad_task)
        qtbot.waitUntil(lambda: "RuntimeError" in handler.log_file.read_text(encoding="utf-8"), timeout=QUIET)  # type: ignore[union-attr]
        assert "13800138000" not in handler.log_file.read_text(encoding="utf-8")  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: handler._dialog is not None, timeout=QUIET)
        handler._dialog.close()  # type: ignore[union-attr]

        before = handler.log_file.read_text(encoding="utf-8")  # type: ignore[union-attr]
        runner.submit(lambda h: (_ for _ in ()).throw(ValidationError("姓名不能为空", column="姓名")))
        qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and "姓名不能为空" in w.text()
                                    for w in QApplication.topLevelWidgets() if w.isVisible()),
                        timeout=QUIET)
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox):
                w.close()
        assert handler.log_file.read_text(encoding="utf-8") == before  # type: ignore[union-attr]
    finally:
        runner.shutdown()
        handler.uninstall()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("row 12 column 3", "row 12 column 3"),
        ("电话 13800138000", "电话 <数字>"),
        ("+86 138 0013 8000 called", "<数字> called"),
        ("名字「张三」", "名字「…」"),
        ("x 'secret' y \"other\"", "x '…' y \"…\""),
        ("mail a.b@c.cn", "mail <email>"),
        ("[SQL: INSERT]\n[parameters: (1, 'x')]", "[SQL: INSERT]\n[parameters: …]"),
    ],
)
def test_scrub(text: str, expected: str) -> None:
    assert scrub(text) == expected


# ---- language ----------------------------------------------------------------------------------

@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    from sqdesk.ui.i18n import install_translators

    assert install_translators(qapp, "en") == "en"
    try:
        yield
    finally:
        install_translators(qapp, "zh")


def test_english_translation_switches_visible_strings(english: None, qtbot: Any, ctx: AppContext) -> None:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    _settle(qtbot, ctx)
    assert [win.sidebar.item(i).text() for i in range(win.sidebar.count())] == [
        "Overview", "Members", "Events", "Rules", "Activity", "Offers & needs", "Analytics", "Brief"]
    assert [a.text() for a in win.menuBar().actions()] == ["&Workspace", "&Edit", "&View", "&Help"]
    assert win.header.text() == "Overview"
    dashboard = win.view_widget("dashboard")
    assert dashboard is not None and dashboard.title == "Overview"
    assert win.status_members.text() == "0 members in the groups"
    from sqdesk.ui.i18n import vocab

    assert vocab("骨干") == "Core member" and vocab("线下见面会") == "Meetup"


def test_shell_catalogue_is_complete(qapp: QApplication) -> None:
    """Every string of the shell and every vocabulary value has an English translation."""
    import xml.etree.ElementTree as ET

    from sqdesk.models import vocab as v
    from sqdesk.ui.i18n import TRANSLATIONS

    root = ET.parse(TRANSLATIONS / "sqdesk_en.ts").getroot()
    unfinished = [
        (c.findtext("name"), m.findtext("source"))
        for c in root.iter("context") for m in c.iter("message")
        if not (m.findtext("translation") or "").strip()
        or m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert unfinished == []
    vocab_sources = {
        m.findtext("source") for c in root.iter("context") if c.findtext("name") == "Vocab"
        for m in c.iter("message")
    }
    values = {x for name in dir(v) if name.isupper() for x in getattr(v, name)}
    assert values <= vocab_sources
    # The shipped .qm is compiled from this .ts: every entry translates as written.
    from PySide6.QtCore import QTranslator

    qm = QTranslator()
    assert qm.load(str(TRANSLATIONS / "sqdesk_en.qm"))
    for c in root.iter("context"):
        for m in c.iter("message"):
            assert qm.translate(c.findtext("name"), m.findtext("source")) == m.findtext("translation")


# ---- the app as a process ------------------------------------------------------------------------

def test_screenshot_renders_a_png_and_exits(tmp_path: Path) -> None:
    ws = tmp_path / "demo.sqdesk"
    out = tmp_path / "shots" / "dashboard.png"
    done = subprocess.run(
        [sys.executable, "-m", "sqdesk", "--workspace", str(ws), "--screenshot", str(out),
         "--view", "dashboard"],
        capture_output=True, text=True, env=_env(tmp_path), timeout=180,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert not image.isNull() and (image.width(), image.height()) == (1280, 800)
    # Not a blank frame: the dark navigation rail and the light page are both there.
    assert image.pixelColor(40, 400).lightness() < 80
    assert image.pixelColor(900, 400).lightness() > 200
    assert not Path(str(ws) + ".lock").exists()  # released on exit
    # Screenshot mode leaves the operator's settings alone.
    assert not any((tmp_path / "cfg").rglob("*.ini")) or "workspace" not in "".join(
        p.read_text() for p in (tmp_path / "cfg").rglob("*.ini"))


STARTUP_PROBE = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    report = {}
    heavy = ("sqlalchemy", "alembic", "matplotlib", "openpyxl")
    def at_show():
        report["at_show"] = [m for m in heavy if m in sys.modules]
        QTimer.singleShot(50, poll)
    def poll():
        from sqdesk.ui.main_window import MainWindow
        win = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        dash = win.view_widget("dashboard")
        if win.ctx.has_workspace and dash is not None and dash.overview is not None and win.ctx.tasks.is_idle():
            report["loaded"] = [m for m in heavy if m in sys.modules]
            print(json.dumps(report), flush=True)
            app.quit()
        else:
            QTimer.singleShot(50, poll)
    QTimer.singleShot(0, at_show)
    from sqdesk.cli import main
    sys.exit(main(["--workspace", sys.argv[1], "--no-demo"]))
""")


def test_heavy_modules_stay_out_of_startup(tmp_path: Path) -> None:
    env = _env(tmp_path)
    plain = subprocess.run(
        [sys.executable, "-c",
         "import sys, sqdesk.app, sqdesk.ui.main_window, sqdesk.ui.views.dashboard\n"
         "assert 'matplotlib' not in sys.modules and 'openpyxl' not in sys.modules, sorted(sys.modules)"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert plain.returncode == 0, plain.stderr
    done = subprocess.run(
        [sys.executable, "-c", STARTUP_PROBE, str(tmp_path / "w.sqdesk")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # The window is up before SQLAlchemy/Alembic load (they load on the worker afterwards).
    assert report["at_show"] == []
    assert "sqlalchemy" in report["loaded"]
    assert "matplotlib" not in report["loaded"] and "openpyxl" not in report["loaded"]


def test_first_run_builds_the_demo_community_in_the_background(tmp_path: Path) -> None:
    pytest.importorskip("sqdesk.core.demo")
    out = tmp_path / "first.png"
    env = _env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "sqdesk", "--screenshot", str(out), "--view", "dashboard"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    default = tmp_path / "data" / "sqdesk" / "workspace.sqdesk"
    with sqlite3.connect(default) as conn:
        assert conn.execute("select count(*) from members").fetchone() == (800,)
    # --no-demo on another fresh profile leaves the default workspace empty.
    env2 = _env(tmp_path / "second")
    done = subprocess.run(
        [sys.executable, "-m", "sqdesk", "--no-demo", "--screenshot", str(tmp_path / "2.png")],
        capture_output=True, text=True, env=env2, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "second" / "data" / "sqdesk" / "workspace.sqdesk") as conn:
        assert conn.execute("select count(*) from members").fetchone() == (0,)


# ---- settings ------------------------------------------------------------------------------

def test_settings_are_typed_and_round_trip_through_the_ini_file() -> None:
    s = Settings()
    assert s.language == "zh" and s.recent_workspaces == [] and s.demo_offered is False
    s.demo_offered = True
    s.language = "en"
    for i in range(12):
        s.remember_workspace(f"/w/{i}.sqdesk")
    s.remember_workspace("/w/3.sqdesk")
    s.sync()
    again = Settings(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "sqdesk", "sqdesk"))
    assert again.demo_offered is True and again.language == "en"
    assert again.recent_workspaces[:3] == ["/w/3.sqdesk", "/w/11.sqdesk", "/w/10.sqdesk"]
    assert len(again.recent_workspaces) == 8 and again.last_workspace == "/w/3.sqdesk"
    again.remember_workspace("/only.sqdesk")
    again.recent_workspaces = ["/only.sqdesk"]
    assert Settings().recent_workspaces == ["/only.sqdesk"]  # a one-item list stays a list
    with pytest.raises(TypeError):
        s.language = 3  # type: ignore[assignment]
    QCoreApplication.processEvents()


def _noop_command() -> Any:
    from PySide6.QtGui import QUndoCommand

    return QUndoCommand("无操作")



def test_which_workspace_opens(tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from sqdesk.app import resolve_target

    def args(**kw: Any) -> argparse.Namespace:
        return argparse.Namespace(**{"db": None, "workspace": None, **kw})

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = tmp_path / "xdg" / "sqdesk" / "workspace.sqdesk"
    assert resolve_target(args(), settings) == (WorkspaceTarget(path=default), True)
    last = tmp_path / "last.sqdesk"
    last.write_bytes(b"")
    settings.remember_workspace(str(last))
    assert resolve_target(args(), settings) == (WorkspaceTarget(path=last), False)
    last.unlink()  # a remembered file that is gone: back to the default, not a demo again
    settings.demo_offered = True
    assert resolve_target(args(), settings) == (WorkspaceTarget(path=default), False)
    monkeypatch.setenv("SQDESK_DB_URL", "postgresql+psycopg://u:pw@db.example/team")
    target, first = resolve_target(args(), settings)
    assert target.url == "postgresql+psycopg://u:pw@db.example/team" and not first
    assert "pw" not in target.label and "db.example/team" in target.label
    ws = tmp_path / "x.sqdesk"
    assert resolve_target(args(workspace=str(ws)), settings)[0] == WorkspaceTarget(path=ws)
    assert resolve_target(args(workspace=str(ws), db="postgresql://h/d"), settings)[0].url == "postgresql://h/d"

"""The main window: navigation rail, toolbar, menus, status bar and the screens.

Startup note: touching PySide6's ``Qt`` namespace costs ~40 ms the first time (it
materialises every enum in it), so the window is built without it; alignment, focus
and tool-button style come from ``qproperty-…`` lines in ``styles/app.qss``.

Screens are built on first visit (their modules import lazily) and rebuilt when another
workspace is opened. The window owns no data: it asks ``ctx`` to open workspaces,
listens to ``ctx.changed`` for the member count, and to ``ctx.tasks.busy_changed`` for
the background-work indicator.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core.errors import UserError
from sqdesk.ui.context import AppContext, WorkspaceTarget
from sqdesk.ui.tasks import TaskHandle
from sqdesk.ui.views import BY_KEY, VIEWS, ViewSpec, load_view_class
from sqdesk.ui.widgets.icons import SELECTED, SIDEBAR, icon

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

DEFAULT_SIZE = QSize(1280, 800)


class WelcomePage(QWidget):
    """Shown while the workspace opens, or when it could not be opened."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.heading = QLabel(self)
        self.heading.setObjectName("welcomeHeading")
        self.text = QLabel(self)
        self.text.setObjectName("welcomeText")
        self.text.setWordWrap(True)
        self.text.setMaximumWidth(620)
        self.buttons = QWidget(self)
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.new_button = QPushButton(icon("new"), self.tr("新建工作区…"), self.buttons)
        self.open_button = QPushButton(icon("open"), self.tr("打开工作区…"), self.buttons)
        self.new_button.clicked.connect(window.new_workspace)
        self.open_button.clicked.connect(window.open_workspace_dialog)
        row.addStretch()
        row.addWidget(self.new_button)
        row.addWidget(self.open_button)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.heading)
        layout.addSpacing(10)
        centered = QHBoxLayout()
        centered.addStretch()
        centered.addWidget(self.text, 10)
        centered.addStretch()
        layout.addLayout(centered)
        layout.addSpacing(16)
        layout.addWidget(self.buttons)
        layout.addStretch(3)
        self.show_opening("")

    def show_opening(self, label: str) -> None:
        self.heading.setText(self.tr("正在打开工作区…"))
        self.text.setText(label)
        self.buttons.hide()

    def show_failure(self, message: str) -> None:
        self.heading.setText(self.tr("无法打开工作区"))
        self.text.setText(message)
        self.buttons.show()


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, *, remember: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.remember = remember  # False in --screenshot mode: leave the settings alone
        self.setObjectName("mainWindow")
        self._views: dict[str, QWidget] = {}
        self._view_actions: list[QAction] = []
        self._current = ""
        self._member_query_pending = False
        self._shortcuts: list[tuple[QAction, QKeySequence.StandardKey | str]] = []

        self._build_central()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        ctx.changed.connect(self._on_data_changed)
        ctx.workspace_opened.connect(self._on_workspace_opened)
        ctx.workspace_failed.connect(self._on_workspace_failed)
        ctx.tasks.busy_changed.connect(self._on_busy_changed)

        self._update_title()
        self._update_workspace_actions()
        self.restore_layout()
        # Building a QKeySequence makes PySide6 materialise its whole Qt namespace
        # (~40 ms); shortcuts are bound right after the first paint instead, long
        # before anyone can press a key.
        QTimer.singleShot(0, self, self._bind_shortcuts)
        if ctx.has_workspace:
            self._on_workspace_opened()
        else:
            self.stack.setCurrentWidget(self.welcome)
            if ctx.is_opening:
                self.welcome.show_opening("")

    # construction --------------------------------------------------------------
    def _build_central(self) -> None:
        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(22, 22))
        for spec in VIEWS:
            item = QListWidgetItem(icon(spec.icon, SIDEBAR, SELECTED), spec.label)
            item.setToolTip(spec.description)
            item.setSizeHint(QSize(0, 42))
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_row)
        # Wide enough for the longest label in the current language (in the qss font).
        self.sidebar.ensurePolished()
        metrics = QFontMetrics(self.sidebar.font())
        widest = max(metrics.horizontalAdvance(spec.label) for spec in VIEWS)
        self.sidebar.setMinimumWidth(max(112, widest + 22 + 48))  # icon, padding, border

        self.content = QWidget(self)
        self.content.setObjectName("contentPane")
        self.header = QLabel(self.content)
        self.header.setObjectName("viewHeader")
        self.stack = QStackedWidget(self.content)
        self.welcome = WelcomePage(self)
        self.stack.addWidget(self.welcome)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)

        # QSplitter(parent) would resolve an overload through Qt.Orientation and so
        # materialise the whole Qt namespace (~40 ms); QSplitter() does not.
        self.splitter = QSplitter()  # horizontal; parented by setCentralWidget
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.content)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([132, 1100])
        self.setCentralWidget(self.splitter)

    def _action(
        self, text: str, slot: Callable[[], object], *, shortcut: QKeySequence.StandardKey | str | None = None,
        icon_name: str | None = None, tip: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            self._shortcuts.append((action, shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.act_new = self._action(self.tr("新建…"), self.new_workspace, icon_name="new",
                                    shortcut="Ctrl+Shift+N", tip=self.tr("新建一个空的工作区文件"))
        self.act_open = self._action(self.tr("打开…"), self.open_workspace_dialog, icon_name="open",
                                     shortcut=QKeySequence.StandardKey.Open,
                                     tip=self.tr("打开一个工作区文件"))
        self.act_connect = self._action(self.tr("连接团队数据库…"), self.connect_database_dialog,
                                        tip=self.tr("打开 PostgreSQL 服务器上的工作区（团队模式）"))
        self.act_backup = self._action(self.tr("备份…"), self.backup_dialog, icon_name="backup",
                                       tip=self.tr("把当前工作区备份为一个文件（打开时也可以备份）"))
        self.act_save_as = self._action(self.tr("另存为…"), self.save_as_dialog,
                                        shortcut=QKeySequence.StandardKey.SaveAs,
                                        tip=self.tr("复制当前工作区到新文件，并改用新文件"))
        self.act_quit = self._action(self.tr("退出"), self.close, shortcut=QKeySequence.StandardKey.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        stack = self.ctx.undo_stack
        self.act_undo = stack.createUndoAction(self, self.tr("撤销"))
        self._shortcuts.append((self.act_undo, QKeySequence.StandardKey.Undo))
        self.act_undo.setIcon(icon("undo"))
        self.act_redo = stack.createRedoAction(self, self.tr("重做"))
        self._shortcuts.append((self.act_redo, QKeySequence.StandardKey.Redo))
        self.act_redo.setIcon(icon("redo"))

        self.view_group = QActionGroup(self)
        self.view_group.setExclusive(True)
        self.view_actions: dict[str, QAction] = {}
        for n, spec in enumerate(VIEWS, start=1):
            action = QAction(icon(spec.icon), spec.label, self)
            action.setCheckable(True)
            self._shortcuts.append((action, f"Ctrl+{n}"))
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_view(key))
            self.view_group.addAction(action)
            self.view_actions[spec.key] = action

        self.act_about = self._action(self.tr("关于 sqdesk"), self.about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        ws_menu = bar.addMenu(self.tr("工作区(&W)"))
        ws_menu.addAction(self.act_new)
        ws_menu.addAction(self.act_open)
        self.recent_menu = QMenu(self.tr("最近使用"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        ws_menu.addMenu(self.recent_menu)
        ws_menu.addAction(self.act_connect)
        ws_menu.addSeparator()
        ws_menu.addAction(self.act_backup)
        ws_menu.addAction(self.act_save_as)
        ws_menu.addSeparator()
        ws_menu.addAction(self.act_quit)
        self._fill_recent_menu()

        edit = bar.addMenu(self.tr("编辑(&E)"))
        edit.addAction(self.act_undo)
        edit.addAction(self.act_redo)

        view = bar.addMenu(self.tr("视图(&V)"))
        for action in self.view_actions.values():
            view.addAction(action)
        view.addSeparator()
        self.language_menu = view.addMenu(self.tr("界面语言"))
        language_group = QActionGroup(self)
        current = self.ctx.settings.language
        for code, name in (("zh", "中文"), ("en", "English")):
            action = self.language_menu.addAction(name)  # each name in its own language
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _c=False, code=code: self.set_language(code))
            language_group.addAction(action)

        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self.tr("主工具栏"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setIconSize(QSize(18, 18))
        self.toolbar.addAction(self.act_open)
        self.toolbar.addAction(self.act_backup)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_undo)
        self.toolbar.addAction(self.act_redo)
        self._view_separator = self.toolbar.addSeparator()
        self._view_separator.setVisible(False)
        self.addToolBar(self.toolbar)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_workspace = QLabel(self)
        self.status_workspace.setObjectName("statusWorkspace")
        self.status_members = QLabel(self)
        self.status_members.setObjectName("statusMembers")
        self.status_busy = QLabel(self)
        self.status_busy.setObjectName("statusBusy")
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(12)
        self.busy_bar.setTextVisible(False)
        bar.addWidget(self.status_workspace, 1)
        bar.addPermanentWidget(self.status_busy)
        bar.addPermanentWidget(self.busy_bar)
        bar.addPermanentWidget(self.status_members)
        self.status_busy.hide()
        self.busy_bar.hide()

    def _bind_shortcuts(self) -> None:
        for action, keys in self._shortcuts:
            action.setShortcut(QKeySequence(keys))
        self._shortcuts.clear()

    # screens ---------------------------------------------------------------------
    @property
    def current_view_key(self) -> str:
        return self._current

    def view_widget(self, key: str) -> QWidget | None:
        return self._views.get(key)

    def show_view(self, key: str) -> QWidget | None:
        """Make ``key`` the current screen (building it on first visit)."""
        spec = BY_KEY[key]
        self._current = key
        self.view_actions[key].setChecked(True)
        row = [v.key for v in VIEWS].index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)
        self.header.setText(spec.label)
        if not self.ctx.has_workspace:
            return None
        widget = self._views.get(key)
        if widget is None:
            widget = self._build_view(spec)
            self._views[key] = widget
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        self.header.setText(str(getattr(widget, "title", spec.label)))
        self._install_view_actions(widget)
        if self.remember:
            self.ctx.settings.last_view = key
        return widget

    def _build_view(self, spec: ViewSpec) -> QWidget:
        cls = load_view_class(spec)
        if cls is None:
            from sqdesk.ui.views.placeholder import PlaceholderView

            return PlaceholderView(self.ctx, spec, self.stack)
        factory = cast(Callable[[AppContext, QWidget], QWidget], cls)  # View(ctx, parent)
        return factory(self.ctx, self.stack)

    def _install_view_actions(self, widget: QWidget) -> None:
        for action in self._view_actions:
            self.toolbar.removeAction(action)
        provider = getattr(widget, "toolbar_actions", None)
        self._view_actions = list(provider()) if callable(provider) else []
        for action in self._view_actions:
            self.toolbar.addAction(action)
        self._view_separator.setVisible(bool(self._view_actions))

    def _drop_views(self) -> None:
        for action in self._view_actions:
            self.toolbar.removeAction(action)
        self._view_actions = []
        for widget in self._views.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._views.clear()

    @Slot(int)
    def _on_sidebar_row(self, row: int) -> None:
        if 0 <= row < len(VIEWS):
            self.show_view(VIEWS[row].key)

    # workspace -------------------------------------------------------------------
    def open_location(self, location: str | Path) -> None:
        """Open a workspace file or database URL, replacing the current one."""
        from PySide6.QtWidgets import QMessageBox

        target = WorkspaceTarget.parse(location)
        try:
            self.ctx.open_workspace(target)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("无法打开工作区"), str(exc))
            return
        if self.ctx.is_opening and not self.ctx.has_workspace:
            self.welcome.show_opening(target.label)
        self.statusBar().showMessage(self.tr("正在打开 {label}…").format(label=target.label), 3000)

    def new_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("新建工作区"), str(self._dialog_folder() / self.tr("新社群.sqdesk")),
            self._file_filter(),
        )
        if not path:
            return
        file = Path(path)
        if not file.suffix:
            file = file.with_suffix(".sqdesk")
        if file.exists() and file.stat().st_size > 0:
            QMessageBox.warning(
                self, self.tr("新建工作区"),
                self.tr("「{name}」已经存在。要使用它，请选择「打开…」；新建工作区请换一个文件名。").format(
                    name=file.name),
            )
            return
        self.open_location(file)

    def open_workspace_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("打开工作区"), str(self._dialog_folder()), self._file_filter(),
        )
        if path:
            self.open_location(path)

    def connect_database_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        url, ok = QInputDialog.getText(
            self, self.tr("连接团队数据库"),
            self.tr("数据库地址，例如 postgresql+psycopg://用户名@服务器/数据库名："),
        )
        if ok and url.strip():
            if not url.strip().startswith("postgresql"):
                QMessageBox.warning(self, self.tr("连接团队数据库"),
                                    self.tr("团队数据库的地址应以 postgresql 开头。"))
                return
            self.open_location(url.strip())

    def backup_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        target = self.ctx.target
        if target is None or target.path is None:
            return
        from sqdesk.db.backup import backup_name

        suggested = backup_name(target.path, "backup").with_suffix("")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("备份工作区"), str(suggested), self._file_filter(),
        )
        if path:
            self.backup_to(Path(path))

    def backup_to(self, dest: Path, *, then: Callable[[Path], None] | None = None) -> None:
        """Copy the open SQLite workspace to ``dest`` on the worker (consistent online backup)."""
        from PySide6.QtWidgets import QMessageBox

        target = self.ctx.target
        if target is None or target.path is None:
            raise UserError(self.tr("只有工作区文件（SQLite）可以这样备份；团队数据库请由服务器备份。"))
        source = target.path
        if dest.resolve() == source:
            QMessageBox.warning(self, self.tr("备份工作区"), self.tr("备份文件不能是工作区本身。"))
            return

        def run(_h: TaskHandle) -> Path:
            from sqdesk.db.backup import backup_sqlite

            return backup_sqlite(source, dest)

        def done(path: Path) -> None:
            self.statusBar().showMessage(self.tr("已备份到 {path}").format(path=path), 8000)
            if then is not None:
                then(path)

        self.ctx.tasks.submit(run, on_done=done, label=self.tr("正在备份工作区…"), progress_parent=self)

    def save_as_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        target = self.ctx.target
        if target is None or target.path is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("工作区另存为"), str(target.path.with_name(target.path.stem + "-副本.sqdesk")),
            self._file_filter(),
        )
        if path:
            dest = Path(path)
            if not dest.suffix:
                dest = dest.with_suffix(".sqdesk")
            self.backup_to(dest, then=lambda p: self.open_location(p))

    def _file_filter(self) -> str:
        return self.tr("sqdesk 工作区 (*.sqdesk);;SQLite 数据库 (*.sqlite *.db);;所有文件 (*)")

    def _dialog_folder(self) -> Path:
        target = self.ctx.target
        if target is not None and target.path is not None:
            return target.path.parent
        return Path.home()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.ctx.settings.recent_workspaces
        current = self.ctx.target.location if self.ctx.target else None
        for location in recent:
            target = WorkspaceTarget.parse(location)
            action = self.recent_menu.addAction(target.label)
            action.setCheckable(True)
            action.setChecked(location == current)
            if target.path is not None and not target.path.exists():
                action.setEnabled(False)
                action.setText(self.tr("{label}（文件不存在）").format(label=target.label))
            action.triggered.connect(lambda _c=False, loc=location: self.open_location(loc))
        if not recent:
            empty = self.recent_menu.addAction(self.tr("（无）"))
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(self.tr("清除列表"))
            clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        current = self.ctx.target.location if self.ctx.target else None
        self.ctx.settings.recent_workspaces = [current] if current else []

    @Slot()
    def _on_workspace_opened(self) -> None:
        self._drop_views()
        target = self.ctx.target
        if self.remember and target is not None:
            self.ctx.settings.remember_workspace(target.location)
        self._update_title()
        self._update_workspace_actions()
        self.show_view(self._current or self._initial_view())
        self.refresh_member_count()
        ws = self.ctx.ws
        if ws.backup_made is not None:
            self.statusBar().showMessage(
                self.tr("工作区已升级到新版本，升级前的备份在 {path}").format(path=ws.backup_made), 15000)

    def _initial_view(self) -> str:
        last = self.ctx.settings.last_view
        return last if last in BY_KEY else VIEWS[0].key

    @Slot(object)
    def _on_workspace_failed(self, exc: BaseException) -> None:
        if not self.ctx.has_workspace:
            self.header.setText("")
            self.welcome.show_failure(str(exc))
            self.stack.setCurrentWidget(self.welcome)

    def _update_title(self) -> None:
        target = self.ctx.target
        app_name = self.tr("sqdesk 社群运营工作台")
        if target is None:
            self.setWindowTitle(app_name)
            self.status_workspace.setText(self.tr("未打开工作区"))
            return
        name = target.path.name if target.path is not None else target.label
        self.setWindowTitle(f"{name} — {app_name}")
        self.status_workspace.setText(self.tr("工作区：{label}").format(label=target.label))
        self.status_workspace.setToolTip(target.label)

    def _update_workspace_actions(self) -> None:
        is_file = self.ctx.target is not None and self.ctx.target.path is not None
        for action in (self.act_backup, self.act_save_as):
            action.setEnabled(is_file and self.ctx.has_workspace)

    # status bar --------------------------------------------------------------------
    @Slot(object)
    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"members", "imports"}:  # "workspace": see _on_workspace_opened
            self.refresh_member_count()

    def refresh_member_count(self) -> None:
        if not self.ctx.has_workspace or self._member_query_pending:
            return
        self._member_query_pending = True

        def run(h: TaskHandle) -> int:
            from sqdesk.core.overview import member_count

            with h.ws.read() as s:
                return member_count(s)

        def done(n: int) -> None:
            self._member_query_pending = False
            self.status_members.setText(self.tr("在群成员 {n} 人").format(n=f"{n:,}"))

        def failed(exc: BaseException) -> None:
            self._member_query_pending = False
            self.status_members.setText("")
            if self.ctx.tasks.error_handler is not None:
                self.ctx.tasks.error_handler(exc)

        self.ctx.tasks.submit(run, on_done=done, on_error=failed, owner=self,
                              label=self.tr("正在统计成员…"))

    @Slot(bool, str)
    def _on_busy_changed(self, busy: bool, label: str) -> None:
        self.status_busy.setText(label or self.tr("后台处理中…"))
        self.status_busy.setVisible(busy)
        self.busy_bar.setVisible(busy)

    # misc ----------------------------------------------------------------------------
    def set_language(self, code: str) -> None:
        """Remember the UI language; it applies from the next start (every screen is
        built with its strings translated once)."""
        from PySide6.QtWidgets import QMessageBox

        if code == self.ctx.settings.language:
            return
        self.ctx.settings.language = code
        QMessageBox.information(
            self, self.tr("界面语言"),
            self.tr("重新启动 sqdesk 后，界面将切换为{language}。").format(
                language="English" if code == "en" else "中文"),
        )

    def about(self) -> None:
        from PySide6 import __version__ as qt_version
        from PySide6.QtWidgets import QMessageBox

        from sqdesk import __version__

        QMessageBox.about(
            self, self.tr("关于 sqdesk"),
            self.tr(
                "<h3>sqdesk 社群运营工作台 {version}</h3>"
                "<p>管理成员、活动、群规、动态与供求，生成供求简报。"
                "数据保存在本机的工作区文件里（或团队的 PostgreSQL 服务器上），离线可用。</p>"
                "<p>Qt for Python (PySide6) {qt}</p>"
            ).format(version=__version__, qt=qt_version),
        )

    def restore_layout(self) -> None:
        settings = self.ctx.settings
        geometry = settings.state("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)
        state = settings.state("main/window")
        if state is not None:
            self.restoreState(state)
        splitter = settings.state("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self._current = self._initial_view()
        self.show_view(self._current)

    def save_layout(self) -> None:
        if not self.remember:
            return
        settings = self.ctx.settings
        settings.set_state("main/geometry", self.saveGeometry())
        settings.set_state("main/window", self.saveState())
        settings.set_state("main/splitter", self.splitter.saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 — Qt override
        self.save_layout()
        super().closeEvent(event)


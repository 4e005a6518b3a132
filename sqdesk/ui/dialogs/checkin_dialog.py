"""门口签到模式: a large-type window for the door of an offline meetup.

Type a name, pinyin initials (zs), full pinyin or phone digits; the first hit is
highlighted and Enter checks that person in (someone not on the list is registered on
the spot, someone waitlisted is let in). The counts (已签到 / 已报名 / 候补 / 容量)
update after every check-in, the last check-ins are listed, and Ctrl+Z (or the undo
button) takes back a mistaken one through the undo stack, restoring exactly the
registration it changed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sqdesk.core import events as core_events
from sqdesk.core.checkin import find_for_checkin
from sqdesk.core.text import mask_phone
from sqdesk.ui.commands import CoreCommand
from sqdesk.ui.commands_events import RegistrationCommand, check_in_command
from sqdesk.ui.dialogs.event_dialog import Hit, MemberSearchBox
from sqdesk.ui.i18n import vocab

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

RECENT = 8
OK_STYLE = "color: #047857;"
WARN_STYLE = "color: #b45309;"
ERR_STYLE = "color: #b91c1c;"
INFO_STYLE = "color: #334155;"


def _font(base: QFont, px: int, bold: bool = False) -> QFont:
    f = QFont(base)
    f.setPixelSize(px)
    f.setBold(bold)
    return f


class _Stat(QFrame):
    def __init__(self, caption: str, parent: QWidget, colour: str) -> None:
        super().__init__(parent)
        self.setObjectName("door_stat")
        self.setStyleSheet("QFrame#door_stat { background: #ffffff; border: 1px solid #e2e8f0; border-radius: 6px; }")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        self.value = QLabel("–", self)
        self.value.setFont(_font(self.font(), 40, bold=True))
        self.value.setStyleSheet(f"color: {colour};")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(caption, self)
        self.caption.setFont(_font(self.font(), 16))
        self.caption.setStyleSheet("color: #475569;")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.value)
        lay.addWidget(self.caption)


class CheckinDialog(QDialog):
    counts_updated = Signal(object)  # RegistrationCounts
    checked_in = Signal(str)  # the message shown

    def __init__(self, ctx: AppContext, event_id: int, title: str, parent: QWidget | None = None,
                 *, when: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.event_id = event_id
        self.counts: core_events.RegistrationCounts | None = None
        self._statuses: dict[int, str] = {}
        self._mine: list[RegistrationCommand] = []  # this window's check-ins, newest last
        self._not_listed = self.tr("未报名，将现场报名")
        self.setWindowTitle(self.tr("门口签到 · {title}").format(title=title))
        self.resize(980, 760)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 18, 24, 18)
        lay.setSpacing(12)
        head = QLabel(title, self)
        head.setFont(_font(self.font(), 26, bold=True))
        head.setWordWrap(True)
        lay.addWidget(head)
        if when:
            sub = QLabel(when, self)
            sub.setFont(_font(self.font(), 17))
            sub.setStyleSheet("color: #475569;")
            lay.addWidget(sub)

        stats = QHBoxLayout()
        self.stat_checked = _Stat(self.tr("已签到"), self, "#047857")
        self.stat_registered = _Stat(self.tr("已报名未到"), self, "#1d4ed8")
        self.stat_waitlist = _Stat(self.tr("候补"), self, "#b45309")
        self.stat_capacity = _Stat(self.tr("人数上限"), self, "#334155")
        for s in (self.stat_checked, self.stat_registered, self.stat_waitlist, self.stat_capacity):
            stats.addWidget(s)
        lay.addLayout(stats)

        self.search = MemberSearchBox(ctx, self, limit=6, search=self._door_hits,
                                      placeholder=self.tr("输入姓名、拼音首字母(zs)或手机号，回车签到"))
        self.search.edit.setObjectName("door_search")
        self.search.edit.setFont(_font(self.font(), 30))
        self.search.edit.setMinimumHeight(64)
        self.search.results.setFont(_font(self.font(), 22))
        self.search.set_visible_rows(5, padding=14)
        self.search.keep_results_visible = True
        self.search.results.setVisible(True)
        self.search.results.setStyleSheet(
            "QListWidget::item { padding: 4px; } QListWidget::item:selected { background: #dbeafe; color: #0f172a; }")
        lay.addWidget(self.search)

        self.message = QLabel(self.tr("请输入要签到的成员"), self)
        self.message.setObjectName("door_message")
        self.message.setFont(_font(self.font(), 22, bold=True))
        self.message.setWordWrap(True)
        self.message.setStyleSheet(INFO_STYLE)
        lay.addWidget(self.message)

        recent_title = QLabel(self.tr("最近签到"), self)
        recent_title.setFont(_font(self.font(), 16, bold=True))
        lay.addWidget(recent_title)
        self.recent = QListWidget(self)
        self.recent.setFont(_font(self.font(), 17))
        self.recent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lay.addWidget(self.recent, 1)

        buttons = QHBoxLayout()
        self.undo_button = QPushButton(self.tr("撤销上一次签到 (Ctrl+Z)"), self)
        self.undo_button.setFont(_font(self.font(), 16))
        self.undo_button.setEnabled(False)
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_button.clicked.connect(self.undo_last)
        close = QPushButton(self.tr("退出签到模式"), self)
        close.setFont(_font(self.font(), 16))
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay.addLayout(buttons)

        self.search.picked.connect(self.check_in)
        self.search.not_found.connect(
            lambda text: self._say(self.tr("没有找到「{text}」，请换个写法（姓名、拼音首字母或手机号）").format(text=text),
                                   ERR_STYLE))
        self.search.edit.installEventFilter(self)
        self.installEventFilter(self)
        ctx.changed.connect(self._on_changed)
        self.reload()
        self.search.edit.setFocus()

    # ---- keys -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and watched in (self, self.search.edit):
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Undo):
                self.undo_last()
                return True
            if event.key() == Qt.Key.Key_Escape and watched is self.search.edit and self.search.edit.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    # ---- data -------------------------------------------------------------------------
    def reload(self) -> None:
        event_id = self.event_id

        def work(h: TaskHandle) -> tuple[core_events.RegistrationCounts, dict[int, str]]:
            with h.ws.read() as s:
                counts = core_events.registration_counts(s, event_id)
                statuses = {r.member_id: r.status for r in core_events.list_registrations(s, event_id)}
            return counts, statuses

        self.ctx.tasks.submit(work, on_done=self._loaded, owner=self)

    def _loaded(self, result: tuple[core_events.RegistrationCounts, dict[int, str]]) -> None:
        counts, statuses = result
        self.counts = counts
        self._statuses = statuses
        self.stat_checked.value.setText(str(counts.checked_in))
        self.stat_registered.value.setText(str(counts.registered))
        self.stat_waitlist.value.setText(str(counts.waitlisted))
        self.stat_capacity.value.setText(str(counts.capacity) if counts.capacity is not None else self.tr("不限"))
        self.counts_updated.emit(counts)

    def _door_hits(self, session: Session, text: str, limit: int) -> list[Hit]:
        """Runs on the worker: ranked hits, each saying where the person stands."""
        hits = []
        for h in find_for_checkin(session, self.event_id, text, limit=limit):
            label = vocab(h.status) if h.status else self._not_listed
            extra = " · ".join(p for p in (mask_phone(h.phone), h.city) if p)
            hits.append((h.member_id, h.display_name, f"{h.display_name}    {extra}    【{label}】"))
        return hits

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"events", "members", "workspace"} and shiboken6.isValid(self):
            self.reload()

    # ---- actions ------------------------------------------------------------------------
    def check_in(self, member_id: int, name: str) -> None:
        cmd = check_in_command(self.ctx, self.event_id, member_id, name,
                               on_done=self._command_done, on_error=self._command_failed)
        self._mine.append(cmd)
        self.ctx.undo_stack.push(cmd)
        self.search.edit.setFocus()
        self._say(self.tr("正在签到「{name}」…").format(name=name), INFO_STYLE)

    def undo_last(self) -> None:
        stack = self.ctx.undo_stack
        index = stack.index()
        top = stack.command(index - 1) if index > 0 else None
        if top is None or not any(top is c for c in self._mine):
            self._say(self.tr("没有可撤销的签到"), INFO_STYLE)
            return
        stack.undo()

    def _command_done(self, cmd: CoreCommand, forward: bool) -> None:
        if not shiboken6.isValid(self) or not isinstance(cmd, RegistrationCommand):
            return
        if forward:
            result = cmd.result
            assert isinstance(result, core_events.CheckInResult)
            style = INFO_STYLE if result.already else (WARN_STYLE if result.walk_in or result.from_waitlist
                                                       else OK_STYLE)
            self._say(result.message, style)
            at = result.registration.checked_in_at or dt.datetime.now()
            item = QListWidgetItem(f"{at:%H:%M}  {result.message}")
            item.setData(Qt.ItemDataRole.UserRole, id(cmd))
            self.recent.insertItem(0, item)
            while self.recent.count() > RECENT:
                self.recent.takeItem(self.recent.count() - 1)
            self.checked_in.emit(result.message)
        else:
            self._say(self.tr("已撤销：{what}").format(what=cmd.label), WARN_STYLE)
            for i in range(self.recent.count()):
                if self.recent.item(i).data(Qt.ItemDataRole.UserRole) == id(cmd):
                    self.recent.takeItem(i)
                    break
        self.undo_button.setEnabled(self.ctx.undo_stack.canUndo())
        self.reload()

    def _command_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self._say(str(exc), ERR_STYLE)
            self.reload()

    def _say(self, text: str, style: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)

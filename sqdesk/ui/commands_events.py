"""Undoable event and registration edits (活动 screen, door check-in).

Same pattern as :mod:`sqdesk.ui.commands`: the database work runs on the DB worker in
one write transaction; a refused step takes the command off the stack.

Registration commands capture the event's whole list before and after the core call
(:mod:`sqdesk.core.checkin`), so undo puts back exactly the rows the call changed —
the promoted waitlist of a cancellation, the walk-in row of a door check-in — and
refuses if one of them changed again meanwhile. Redo runs the core call again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from sqlalchemy.orm import Session

from sqdesk.core import checkin
from sqdesk.core import events as core_events
from sqdesk.ui.commands import CoreCommand

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext


class CreateEventCommand(CoreCommand):
    """新建活动. Undo deletes it (keeping a snapshot); redo restores it with the same id."""

    kinds = ("events",)

    def __init__(self, ctx: AppContext, data: core_events.EventInput, **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_events", "新建活动「{title}」").format(title=data.title), **kw)
        self.data = data
        self.event_id: int | None = None
        self._snapshot: dict[str, Any] | None = None

    def apply(self, session: Session, operator: str) -> None:
        if self._snapshot is None:
            self.event_id = core_events.create_event(session, self.data, operator).id
        else:
            core_events.restore_event(session, self._snapshot, operator)

    def revert(self, session: Session, operator: str) -> None:
        assert self.event_id is not None
        self._snapshot = core_events.delete_event(session, self.event_id, operator=operator)


class EditEventCommand(CoreCommand):
    """Save the editor over an event loaded at ``expected_version``; undo puts the
    previous fields back, and the people a larger capacity promoted from the waitlist
    back on it (refused, like a registration's undo, if one of them changed since)."""

    kinds = ("events",)

    def __init__(
        self, ctx: AppContext, event_id: int, data: core_events.EventInput, *,
        expected_version: int, **kw: Any,
    ) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_events", "编辑活动「{title}」").format(title=data.title), **kw)
        self.event_id = event_id
        self.data = data
        self.version = expected_version
        self._before: core_events.EventInput | None = None
        self._list_before: checkin.EventListState | None = None
        self._list_after: checkin.EventListState | None = None

    def apply(self, session: Session, operator: str) -> None:
        current = core_events.get_event(session, self.event_id)
        self._before = current.to_input()
        self._list_before = checkin.capture(session, self.event_id)
        self.version = core_events.update_event(
            session, self.event_id, self.data, expected_version=self.version, operator=operator,
        ).version
        self._list_after = checkin.capture(session, self.event_id)

    def revert(self, session: Session, operator: str) -> None:
        assert self._before is not None and self._list_before is not None and self._list_after is not None
        # The fields first (a smaller capacity promotes no one), then the list as it was.
        self.version = core_events.update_event(
            session, self.event_id, self._before, expected_version=self.version, operator=operator,
        ).version
        if self._list_before.changed_members(self._list_after):
            note = QCoreApplication.translate("commands_events", "撤销：{what}").format(what=self.label)
            checkin.restore(session, self._list_before, self._list_after, operator, note=note)
            # seats freed since (a cancellation) go to the waitlist again; status follows
            core_events.settle_seats(session, self.event_id, operator, note)
            self.version = core_events.get_event(session, self.event_id).version


class DeleteEventCommand(CoreCommand):
    """删除活动 with its registrations; undo restores everything with the same ids."""

    kinds = ("events",)

    def __init__(self, ctx: AppContext, event_id: int, title: str, *, expected_version: int | None = None,
                 **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_events", "删除活动「{title}」").format(title=title), **kw)
        self.event_id = event_id
        self.version = expected_version
        self._snapshot: dict[str, Any] | None = None

    def apply(self, session: Session, operator: str) -> None:
        self._snapshot = core_events.delete_event(
            session, self.event_id, expected_version=self.version, operator=operator)
        self.version = None  # the restored row comes back with its own version

    def revert(self, session: Session, operator: str) -> None:
        assert self._snapshot is not None
        core_events.restore_event(session, self._snapshot, operator)


class RegistrationCommand(CoreCommand):
    """One registration action (``action(session, operator)`` calls core); ``result``
    holds what core returned after the last redo (a RegisterResult, CancelResult…)."""

    kinds = ("events",)

    def __init__(
        self, ctx: AppContext, event_id: int, text: str,
        action: Callable[[Session, str], Any], **kw: Any,
    ) -> None:
        super().__init__(ctx, text, **kw)
        self.event_id = event_id
        self.action = action
        self.result: Any = None
        self._before: checkin.EventListState | None = None
        self._after: checkin.EventListState | None = None

    def apply(self, session: Session, operator: str) -> None:
        self._before = checkin.capture(session, self.event_id)
        self.result = self.action(session, operator)
        self._after = checkin.capture(session, self.event_id)

    def revert(self, session: Session, operator: str) -> None:
        assert self._before is not None and self._after is not None
        checkin.restore(session, self._before, self._after, operator, note=QCoreApplication.translate("commands_events", "撤销：{what}").format(what=self.label))


def register_command(ctx: AppContext, event_id: int, member_id: int, name: str, **kw: Any) -> RegistrationCommand:
    return RegistrationCommand(
        ctx, event_id, QCoreApplication.translate("commands_events", "为「{name}」报名").format(name=name),
        lambda s, op: core_events.register(s, event_id, member_id, op), **kw)


def cancel_command(ctx: AppContext, event_id: int, member_id: int, name: str, **kw: Any) -> RegistrationCommand:
    return RegistrationCommand(
        ctx, event_id, QCoreApplication.translate("commands_events", "取消「{name}」的报名").format(name=name),
        lambda s, op: core_events.cancel_registration(s, event_id, member_id, op), **kw)


def check_in_command(ctx: AppContext, event_id: int, member_id: int, name: str, **kw: Any) -> RegistrationCommand:
    return RegistrationCommand(
        ctx, event_id, QCoreApplication.translate("commands_events", "「{name}」签到").format(name=name),
        lambda s, op: core_events.check_in(s, event_id, member_id, op), **kw)


def no_show_command(ctx: AppContext, event_id: int, title: str, **kw: Any) -> RegistrationCommand:
    return RegistrationCommand(
        ctx, event_id, QCoreApplication.translate("commands_events", "标记「{title}」的缺席").format(title=title),
        lambda s, op: core_events.mark_no_shows(s, event_id, op), **kw)

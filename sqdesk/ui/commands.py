"""Undoable edits: QUndoCommand subclasses that call core functions.

Every roster edit — one member or thousands, including delete — is pushed on
``ctx.undo_stack`` as one of these. The database work of ``redo()`` / ``undo()`` runs
in a write session on the single background DB worker (``ctx.tasks``), so a big bulk
edit never freezes the window and SQLite never sees two writers from this process.
Jobs run in submission order, so an undo queued behind its redo sees what the redo
did (the state it needs — a delete's snapshot, a bulk edit's previous values — is
stored on the command by the worker before the next job starts).

When the database refuses a step (validation, a version conflict, the row is gone),
the command reports the error, marks itself failed and obsolete, and is taken off the
stack, so Ctrl+Z never tries to undo something that did not happen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from sqdesk.core import roster
from sqdesk.core.errors import ConflictError

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.tasks import TaskHandle

log = logging.getLogger(__name__)

ErrorCallback = Callable[[BaseException], None]
DoneCallback = Callable[["CoreCommand", bool], None]  # (command, True after redo / False after undo)


class CoreCommand(QUndoCommand):
    """Base: ``apply`` / ``revert`` run on the worker inside one write transaction."""

    kinds: tuple[str, ...] = ("members",)

    def __init__(
        self,
        ctx: AppContext,
        text: str,
        *,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.label = text
        self.on_done = on_done
        self.on_error = on_error
        self.applied = False  # the database state, as the worker last left it
        self.failed = False
        self.error: BaseException | None = None

    # subclasses ------------------------------------------------------------------------
    def apply(self, session: Session, operator: str) -> None:
        raise NotImplementedError

    def revert(self, session: Session, operator: str) -> None:
        raise NotImplementedError

    # QUndoCommand ------------------------------------------------------------------------
    def redo(self) -> None:
        self._submit(forward=True)

    def undo(self) -> None:
        self._submit(forward=False)

    def _submit(self, *, forward: bool) -> None:
        def work(h: TaskHandle) -> bool | None:
            if self.failed or self.applied == forward:
                return None
            try:
                with h.ws.write() as session:
                    (self.apply if forward else self.revert)(session, h.ws.operator)
            except BaseException:
                self.failed = True
                raise
            self.applied = forward
            return forward

        self.ctx.tasks.submit(
            work, on_done=self._finished, on_error=self._failed, label=self.label,
        )

    def _finished(self, result: bool | None) -> None:
        if result is None:
            return
        self.ctx.notify(*self.kinds)
        if self.on_done is not None:
            self.on_done(self, result)

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        stack = self.ctx.undo_stack
        if shiboken6.isValid(self):
            self.setObsolete(True)
            # Take it off the stack: undo()/redo() of an obsolete command deletes it, and
            # a failed command's own undo()/redo() does nothing.
            index = stack.index()
            if index > 0 and stack.command(index - 1) is self:
                stack.undo()
            elif index < stack.count() and stack.command(index) is self:
                stack.redo()
        self.ctx.notify(*self.kinds)
        if self.on_error is not None:
            self.on_error(exc)
        elif self.ctx.tasks.error_handler is not None:
            self.ctx.tasks.error_handler(exc)
        else:
            log.error("%s failed: %s", self.label, exc)


class CreateMemberCommand(CoreCommand):
    """新建成员. Undo deletes it (keeping a snapshot); redo restores it with the same id."""

    def __init__(self, ctx: AppContext, data: roster.MemberInput, **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("Commands", "新建成员「{name}」").format(name=data.display_name), **kw)
        self.data = data
        self.member_id: int | None = None
        self._snapshot: dict[str, Any] | None = None

    def apply(self, session: Session, operator: str) -> None:
        if self._snapshot is None:
            self.member_id = roster.create_member(session, self.data, operator).id
        else:
            roster.restore_member(session, self._snapshot, operator)

    def revert(self, session: Session, operator: str) -> None:
        assert self.member_id is not None
        self._snapshot = roster.delete_member(session, self.member_id, operator)


class EditMemberCommand(CoreCommand):
    """Profile changes (and optionally the tag list) of one member.

    ``expected_version`` is the version the form was loaded with: a save over someone
    else's newer edit fails with ConflictError instead of overwriting it. Undo puts
    the previous values back under the same check."""

    def __init__(
        self,
        ctx: AppContext,
        member_id: int,
        changes: dict[str, Any],
        *,
        expected_version: int,
        tags: Sequence[str] | None = None,
        name: str = "",
        **kw: Any,
    ) -> None:
        super().__init__(ctx, QCoreApplication.translate("Commands", "编辑成员「{name}」").format(name=name or f"#{member_id}"), **kw)
        self.member_id = member_id
        self.changes = dict(changes)
        self.tags = list(tags) if tags is not None else None
        self.version = expected_version
        self._before: dict[str, Any] = {}
        self._tags_before: list[str] = []

    def apply(self, session: Session, operator: str) -> None:
        current = roster.get_member(session, self.member_id)
        if current.version != self.version:
            raise ConflictError(
                QCoreApplication.translate("Commands", "成员「{name}」已被其他人修改，请刷新后再编辑").format(name=current.display_name)
            )
        self._before = {k: getattr(current, k) for k in self.changes}
        self._tags_before = list(current.tags)
        if self.changes:
            self.version = roster.update_member(
                session, self.member_id, self.changes,
                expected_version=self.version, operator=operator,
            ).version
        if self.tags is not None and list(self.tags) != self._tags_before:
            roster.set_member_tags(session, self.member_id, self.tags, operator)

    def revert(self, session: Session, operator: str) -> None:
        if self._before:
            self.version = roster.update_member(
                session, self.member_id, self._before,
                expected_version=self.version, operator=operator,
            ).version
        if self.tags is not None and list(self.tags) != self._tags_before:
            roster.set_member_tags(session, self.member_id, self._tags_before, operator)


class DeleteMembersCommand(CoreCommand):
    """删除成员: each delete keeps a snapshot of everything it removed; undo restores
    them in reverse order (so a deleted inviter is back before its invitees' links)."""

    kinds = ("members", "groups", "activity", "events", "supply")

    def __init__(self, ctx: AppContext, member_ids: Sequence[int], *, name: str = "", **kw: Any) -> None:
        text = (
            QCoreApplication.translate("Commands", "删除成员「{name}」").format(name=name) if len(member_ids) == 1 and name
            else QCoreApplication.translate("Commands", "删除 {n} 名成员").format(n=len(member_ids))
        )
        super().__init__(ctx, text, **kw)
        self.member_ids = list(member_ids)
        self._snapshots: list[dict[str, Any]] = []

    def apply(self, session: Session, operator: str) -> None:
        self._snapshots = [roster.delete_member(session, mid, operator) for mid in self.member_ids]

    def revert(self, session: Session, operator: str) -> None:
        for snap in reversed(self._snapshots):
            roster.restore_member(session, snap, operator)


class BulkUpdateCommand(CoreCommand):
    """The same field values on many members (改角色, 标记已清退…)."""

    def __init__(self, ctx: AppContext, member_ids: Sequence[int], changes: dict[str, Any],
                 text: str, **kw: Any) -> None:
        super().__init__(ctx, text, **kw)
        self.member_ids = list(member_ids)
        self.changes = dict(changes)
        self._before: dict[int, dict[str, Any]] = {}

    def apply(self, session: Session, operator: str) -> None:
        self._before = roster.update_members_bulk(session, self.member_ids, self.changes, operator)

    def revert(self, session: Session, operator: str) -> None:
        roster.restore_member_values(session, self._before, operator)


class BulkTagCommand(CoreCommand):
    """打标签 on many members; undo removes exactly the (member, tag) pairs it added."""

    def __init__(self, ctx: AppContext, member_ids: Sequence[int], tags: Sequence[str], **kw: Any) -> None:
        super().__init__(
            ctx,
            QCoreApplication.translate("Commands", "给 {n} 名成员打标签 {tags}").format(
                n=len(member_ids), tags=" ".join("#" + t for t in tags)),
            **kw,
        )
        self.member_ids = list(member_ids)
        self.tags = list(tags)
        self._pairs: list[tuple[int, int]] = []

    def apply(self, session: Session, operator: str) -> None:
        self._pairs = roster.add_tags_bulk(session, self.member_ids, self.tags, operator)

    def revert(self, session: Session, operator: str) -> None:
        roster.remove_tag_pairs(session, self._pairs, operator)


class MoveToGroupCommand(CoreCommand):
    """移到群: add to a group (optionally recording that they left another one)."""

    kinds = ("members", "groups")

    def __init__(
        self, ctx: AppContext, member_ids: Sequence[int], group_id: int, group_name: str,
        *, from_group_id: int | None = None, **kw: Any,
    ) -> None:
        super().__init__(
            ctx, QCoreApplication.translate("Commands", "把 {n} 名成员移到「{group}」").format(n=len(member_ids), group=group_name), **kw
        )
        self.member_ids = list(member_ids)
        self.group_id = group_id
        self.from_group_id = from_group_id
        self._result: dict[str, list[Any]] = {"joined": [], "left": [], "rejoined": []}

    def apply(self, session: Session, operator: str) -> None:
        self._result = roster.move_to_group(
            session, self.member_ids, self.group_id, from_group_id=self.from_group_id,
            operator=operator,
        )

    def revert(self, session: Session, operator: str) -> None:
        roster.undo_move(session, self._result, operator)

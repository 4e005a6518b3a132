"""Undoable edits of the activity log (动态): manual entry, edit, delete.

Each is a :class:`~sqdesk.ui.commands.CoreCommand`: the database work runs on the DB
worker in one write transaction; a refused step (validation, version conflict, row
gone) marks the command failed and takes it off the undo stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from sqlalchemy.orm import Session

from sqdesk.core import activity
from sqdesk.ui.commands import CoreCommand

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext


class AddActivityCommand(CoreCommand):
    """补录一条动态. Undo deletes it (keeping the row); redo puts the same row back."""

    kinds = ("activity",)

    def __init__(
        self,
        ctx: AppContext,
        *,
        member_id: int,
        kind: str,
        occurred_at: dt.datetime,
        value: float = 1,
        group_id: int | None = None,
        note: str = "",
        member_name: str = "",
        **kw: Any,
    ) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_activity", "补录动态：{name} {kind}").format(name=member_name or f"#{member_id}", kind=kind),
                         **kw)
        self.values: dict[str, Any] = {
            "member_id": member_id, "kind": kind, "occurred_at": occurred_at, "value": value,
            "group_id": group_id, "note": note,
        }
        self.activity_id: int | None = None
        self._snapshot: dict[str, Any] | None = None

    def apply(self, session: Session, operator: str) -> None:
        if self._snapshot is None:
            self.activity_id = activity.add_activity(session, **self.values, source="manual", operator=operator).id
        else:
            activity.restore_activity(session, self._snapshot, operator)

    def revert(self, session: Session, operator: str) -> None:
        assert self.activity_id is not None
        self._snapshot = activity.delete_activity(session, self.activity_id, operator=operator)


class EditActivityCommand(CoreCommand):
    """修改一条动态; undo puts the previous values back (same version check)."""

    kinds = ("activity",)

    def __init__(self, ctx: AppContext, activity_id: int, changes: dict[str, Any], *, expected_version: int,
                 **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_activity", "修改动态 #{id}").format(id=activity_id), **kw)
        self.activity_id = activity_id
        self.changes = dict(changes)
        self.version = expected_version
        self._before: dict[str, Any] = {}

    def apply(self, session: Session, operator: str) -> None:
        current = activity.get_activity(session, self.activity_id)
        self._before = {k: getattr(current, k) for k in self.changes}
        self.version = activity.update_activity(
            session, self.activity_id, self.changes, expected_version=self.version, operator=operator,
        ).version

    def revert(self, session: Session, operator: str) -> None:
        self.version = activity.update_activity(
            session, self.activity_id, self._before, expected_version=self.version, operator=operator,
        ).version


class DeleteActivitiesCommand(CoreCommand):
    """删除动态 (one or many); undo restores the exact rows."""

    kinds = ("activity",)

    def __init__(self, ctx: AppContext, activity_ids: Sequence[int], **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_activity", "删除 {n} 条动态").format(n=len(activity_ids)), **kw)
        self.activity_ids = list(activity_ids)
        self._snapshots: list[dict[str, Any]] = []

    def apply(self, session: Session, operator: str) -> None:
        self._snapshots = [activity.delete_activity(session, aid, operator=operator) for aid in self.activity_ids]

    def revert(self, session: Session, operator: str) -> None:
        for snap in reversed(self._snapshots):
            activity.restore_activity(session, snap, operator)

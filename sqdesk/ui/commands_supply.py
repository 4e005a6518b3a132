"""Undoable edits of 供求: save (create/update), delete, and match outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from sqlalchemy.orm import Session

from sqdesk.core import supply_demand as sd
from sqdesk.ui.commands import CoreCommand

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext


class SaveSupplyCommand(CoreCommand):
    """新建 / 修改一条供给或需求. Undo of a create deletes it (snapshot kept, redo puts
    the same row back); undo of an edit saves the previous values."""

    kinds = ("supply",)

    def __init__(self, ctx: AppContext, item_id: int | None, data: sd.SupplyDemandInput, *,
                 expected_version: int | None = None, **kw: Any) -> None:
        head = data.text.strip()[:16] or "—"
        text = (QCoreApplication.translate("commands_supply", "新建{kind}「{text}」") if item_id is None else QCoreApplication.translate("commands_supply", "修改{kind}「{text}」")).format(
            kind=data.kind, text=head)
        super().__init__(ctx, text, **kw)
        self.created = item_id is None
        self.item_id = item_id
        self.data = data
        self.version = expected_version
        self._before: sd.SupplyDemandInput | None = None
        self._snapshot: dict[str, Any] | None = None

    def apply(self, session: Session, operator: str) -> None:
        if self.created:
            if self._snapshot is None:
                view = sd.create_supply_demand(session, self.data, operator)
                self.item_id = view.id
                self.version = view.version
            else:
                sd.restore_supply_demand(session, self._snapshot, operator)
            return
        assert self.item_id is not None
        if self._before is None:
            self._before = sd.get_supply_demand(session, self.item_id).to_input()
        self.version = sd.update_supply_demand(
            session, self.item_id, self.data, expected_version=self.version, operator=operator,
        ).version

    def revert(self, session: Session, operator: str) -> None:
        assert self.item_id is not None
        if self.created:
            self._snapshot = sd.delete_supply_demand(session, self.item_id, operator=operator)
            return
        assert self._before is not None
        self.version = sd.update_supply_demand(
            session, self.item_id, self._before, expected_version=self.version, operator=operator,
        ).version


class DeleteSupplyCommand(CoreCommand):
    """删除供求 (with their matches); undo restores them."""

    kinds = ("supply",)

    def __init__(self, ctx: AppContext, item_ids: Sequence[int], **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_supply", "删除 {n} 条供求").format(n=len(item_ids)), **kw)
        self.item_ids = list(item_ids)
        self._snapshots: list[dict[str, Any]] = []

    def apply(self, session: Session, operator: str) -> None:
        self._snapshots = [sd.delete_supply_demand(session, iid, operator=operator) for iid in self.item_ids]

    def revert(self, session: Session, operator: str) -> None:
        # Reverse order: a match between two deleted items went with the first one
        # deleted, so it comes back with it, after the other item is back.
        for snap in reversed(self._snapshots):
            sd.restore_supply_demand(session, snap, operator)


class SetMatchOutcomeCommand(CoreCommand):
    """记录匹配结果; undo puts the previous outcome and note back (items' status follows)."""

    kinds = ("supply",)

    def __init__(self, ctx: AppContext, match_id: int, outcome: str, note: str = "", *,
                 expected_version: int | None = None, label: str = "", **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_supply", "匹配 #{id} 结果改为「{outcome}」").format(id=match_id, outcome=label or outcome),
                         **kw)
        self.match_id = match_id
        self.outcome = outcome
        self.note = note
        self.version = expected_version
        self._before: tuple[str, str] | None = None

    def apply(self, session: Session, operator: str) -> None:
        current = sd.get_match(session, self.match_id)
        if self._before is None:
            self._before = (current.outcome, current.note)
        self.version = sd.set_match_outcome(
            session, self.match_id, self.outcome, self.note, expected_version=self.version, operator=operator,
        ).version

    def revert(self, session: Session, operator: str) -> None:
        assert self._before is not None
        self.version = sd.set_match_outcome(
            session, self.match_id, self._before[0], self._before[1], expected_version=self.version,
            operator=operator,
        ).version


class SuggestionVerdictCommand(CoreCommand):
    """接受 / 不合适 for a suggested pair: records the match (accepted: both items become
    matched; rejected: never suggested again). Undo removes the record, so the pair is
    suggested again and the items' status goes back."""

    kinds = ("supply",)

    def __init__(self, ctx: AppContext, suggestion: Any, accept: bool, **kw: Any) -> None:
        text = (QCoreApplication.translate("commands_supply", "接受推荐：{need} ↔ {offer}") if accept
                else QCoreApplication.translate("commands_supply", "不采纳推荐：{need} ↔ {offer}"))
        super().__init__(ctx, text.format(need=suggestion.need_member_name, offer=suggestion.offer_member_name), **kw)
        self.suggestion = suggestion
        self.accept = accept
        self.match_id: int | None = None

    def apply(self, session: Session, operator: str) -> None:
        from sqdesk.core import matching

        decide = matching.accept_suggestion if self.accept else matching.reject_suggestion
        self.match_id = decide(session, self.suggestion, operator=operator).id

    def revert(self, session: Session, operator: str) -> None:
        assert self.match_id is not None
        match = sd.get_match(session, self.match_id)
        if match.outcome != "proposed":  # an accepted match must stop holding the items first
            sd.set_match_outcome(session, self.match_id, "proposed", match.note,
                                 expected_version=match.version, operator=operator)
        sd.delete_match(session, self.match_id, operator=operator)

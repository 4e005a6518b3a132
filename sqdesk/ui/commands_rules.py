"""Undoable 群规 edits: save (create/update), delete, reorder, install the starter rules,
and confirming to-do items — each a :class:`~sqdesk.ui.commands.CoreCommand` whose
database work runs on the DB worker inside one write transaction.

Undo of a create withdraws the rule (``delete_rule`` keeps its history) and redo
brings it back (``restore_rule``), so the rule keeps its id and history throughout.
Undo of an edit saves the previous values as a new revision: history only grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from sqlalchemy.orm import Session

from sqdesk.core import rules_store
from sqdesk.core.rules_store import RuleInput
from sqdesk.ui.commands import CoreCommand

if TYPE_CHECKING:
    from sqdesk.rules.engine import ConfirmResult, TodoItem
    from sqdesk.ui.context import AppContext


def _check(text: str) -> None:
    from sqdesk.rules.lang import validate_condition

    validate_condition(text)


class SaveRuleCommand(CoreCommand):
    """新建 / 修改群规. ``rule_id`` None creates; the new id is in ``rule_id`` afterwards."""

    kinds = ("rules",)

    def __init__(
        self,
        ctx: AppContext,
        rule_id: int | None,
        data: RuleInput,
        *,
        expected_version: int | None = None,
        **kw: Any,
    ) -> None:
        title = data.title.strip() or "—"
        text = (QCoreApplication.translate("commands_rules", "新建群规「{title}」") if rule_id is None else QCoreApplication.translate("commands_rules", "修改群规「{title}」")).format(title=title)
        super().__init__(ctx, text, **kw)
        self.created = rule_id is None
        self.rule_id = rule_id
        self.data = data
        self.version = expected_version
        self._before: RuleInput | None = None
        self._done_once = False

    def apply(self, session: Session, operator: str) -> None:
        if self.created:
            if not self._done_once:
                view = rules_store.create_rule(session, self.data, operator=operator, validate_condition=_check)
                self.rule_id = view.id
            else:
                assert self.rule_id is not None
                view = rules_store.restore_rule(session, self.rule_id, operator=operator)
        else:
            assert self.rule_id is not None
            if self._before is None:
                current = rules_store.get_rule(session, self.rule_id)
                self._before = current.to_input()
            view = rules_store.update_rule(
                session, self.rule_id, self.data, expected_version=self.version, operator=operator,
                validate_condition=_check,
            )
        self.version = view.version
        self._done_once = True

    def revert(self, session: Session, operator: str) -> None:
        assert self.rule_id is not None
        if self.created:
            rules_store.delete_rule(session, self.rule_id, operator=operator)
            return
        assert self._before is not None
        # the previous values may hold a condition older than today's language: no check
        view = rules_store.update_rule(
            session, self.rule_id, self._before, expected_version=self.version, operator=operator,
        )
        self.version = view.version


class DeleteRuleCommand(CoreCommand):
    """删除群规 (history kept); undo restores it in its old place."""

    kinds = ("rules",)

    def __init__(self, ctx: AppContext, rule_id: int, title: str, *, expected_version: int | None = None,
                 **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_rules", "删除群规「{title}」").format(title=title), **kw)
        self.rule_id = rule_id
        self.version = expected_version
        self._done_once = False

    def apply(self, session: Session, operator: str) -> None:
        rules_store.delete_rule(
            session, self.rule_id, expected_version=None if self._done_once else self.version, operator=operator,
        )
        self._done_once = True

    def revert(self, session: Session, operator: str) -> None:
        rules_store.restore_rule(session, self.rule_id, operator=operator)


class MoveRuleCommand(CoreCommand):
    """调整顺序: put a rule at ``new_position``; undo puts it back."""

    kinds = ("rules",)

    def __init__(self, ctx: AppContext, rule_id: int, old_position: int, new_position: int, title: str,
                 **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_rules", "移动群规「{title}」").format(title=title), **kw)
        self.rule_id = rule_id
        self.old_position = old_position
        self.new_position = new_position

    def apply(self, session: Session, operator: str) -> None:
        rules_store.move_rule(session, self.rule_id, self.new_position, operator)

    def revert(self, session: Session, operator: str) -> None:
        rules_store.move_rule(session, self.rule_id, self.old_position, operator)


class InstallStarterRulesCommand(CoreCommand):
    """安装推荐群规; undo withdraws the rules it added, redo brings the same ones back."""

    kinds = ("rules",)

    def __init__(self, ctx: AppContext, **kw: Any) -> None:
        super().__init__(ctx, QCoreApplication.translate("commands_rules", "安装推荐群规"), **kw)
        self.rule_ids: list[int] = []
        self._done_once = False

    def apply(self, session: Session, operator: str) -> None:
        if not self._done_once:
            from sqdesk.rules.templates import install_starter_rules

            self.rule_ids = install_starter_rules(session, operator)
            self._done_once = True
            return
        for rid in self.rule_ids:
            rules_store.restore_rule(session, rid, operator=operator)

    def revert(self, session: Session, operator: str) -> None:
        for rid in reversed(self.rule_ids):
            rules_store.delete_rule(session, rid, operator=operator)


class ConfirmTodoCommand(CoreCommand):
    """确认群规待办: writes the log lines and changes status/role/tags; undo takes back
    exactly that (``undo_confirm`` refuses when a member was changed again since)."""

    kinds = ("members", "activity", "rules")

    def __init__(self, ctx: AppContext, items: Sequence[TodoItem], **kw: Any) -> None:
        if len(items) == 1:
            text = QCoreApplication.translate("commands_rules", "确认待办：{action}「{name}」").format(action=items[0].action, name=items[0].member_name)
        else:
            text = QCoreApplication.translate("commands_rules", "确认 {n} 项群规待办").format(n=len(items))
        super().__init__(ctx, text, **kw)
        self.items = list(items)
        self.result: ConfirmResult | None = None

    def apply(self, session: Session, operator: str) -> None:
        from sqdesk.rules.engine import confirm_actions

        self.result = confirm_actions(session, self.items, operator)

    def revert(self, session: Session, operator: str) -> None:
        from sqdesk.rules.engine import undo_confirm

        assert self.result is not None
        undo_confirm(session, self.result, operator)

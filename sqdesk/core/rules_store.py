"""The 群规 as data, with history: every saved change is a new, immutable revision.

``rules`` holds each rule as it is now; ``rule_versions`` holds every revision with
the moment it took effect (``valid_from``) and who wrote it, so the published 群规 as
of any date can be shown (``rules_as_of``, ``published_text``). Conditions are stored
as text here; sqdesk/rules/ parses and evaluates them, and callers pass its checker as
``validate_condition`` to refuse a condition that does not parse.

Decisions worth knowing:
- A disabled rule (``enabled=False``, 停用) is not in force: it is left out of the
  published text and should not be evaluated. Its text stays in history.
- Deleting a rule keeps its history. The rule is disabled, a final revision records
  the deletion moment (so ``rules_as_of`` after it leaves the rule out and before it
  still shows it), ``deleted_at`` is set and the row is hidden from ``list_rules``; it
  keeps its old ``position`` so ``restore_rule`` can put it back there.
- Order (``position``) is layout, not content: ``move_rule`` renumbers without a new
  revision and without bumping ``version`` (an editor's save never carries position).
  Each revision records the place the rule had when it was written; ``rules_as_of``
  lists rules in today's order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from sqdesk.core import audit
from sqdesk.core.errors import ConflictError, NotFoundError, UserError, ValidationError
from sqdesk.core.text import clean_text
from sqdesk.models import Group, Rule, RuleVersion
from sqdesk.models.rule import rule_groups
from sqdesk.models.vocab import RULE_ACTIONS, RULE_CATEGORIES

RULE_FIELDS: dict[str, str] = {
    "title": "标题",
    "body": "正文",
    "category": "类别",
    "all_groups": "适用范围",
    "group_ids": "适用的群",
    "condition": "条件",
    "action": "处理动作",
    "action_arg": "动作参数",
    "grace_days": "宽限天数",
    "enabled": "启用",
}
CONTENT = ("title", "body", "category", "all_groups", "condition", "action", "action_arg", "grace_days", "enabled")
CHINESE_NUMERALS = "一二三四五六七八九十"

ConditionCheck = Callable[[str], None]


@dataclass
class RuleInput:
    """What the rule editor submits. ``position`` is used on create only (None: at the
    end); reorder with ``move_rule``."""

    title: str
    body: str = ""
    category: str = "言行"
    all_groups: bool = True
    group_ids: Sequence[int] = field(default_factory=tuple)
    condition: str = ""
    action: str = ""
    action_arg: str = ""
    grace_days: int = 0
    enabled: bool = True
    position: int | None = None


@dataclass(frozen=True)
class RuleView:
    id: int
    version: int
    title: str
    body: str
    category: str
    all_groups: bool
    group_ids: tuple[int, ...]
    group_names: tuple[str, ...]
    condition: str
    action: str
    action_arg: str
    grace_days: int
    enabled: bool
    position: int
    deleted: bool
    revision: int  # latest revision number
    changed_at: dt.datetime | None  # when the latest revision took effect
    changed_by: str

    def to_input(self) -> RuleInput:
        return RuleInput(
            title=self.title, body=self.body, category=self.category, all_groups=self.all_groups,
            group_ids=self.group_ids, condition=self.condition, action=self.action,
            action_arg=self.action_arg, grace_days=self.grace_days, enabled=self.enabled,
        )


@dataclass(frozen=True)
class RuleVersionView:
    rule_id: int
    revision: int
    title: str
    body: str
    category: str
    condition: str
    action: str
    enabled: bool
    valid_from: dt.datetime
    author: str
    position: int  # the rule's place when this revision was written
    all_groups: bool = True
    group_ids: tuple[int, ...] = ()
    action_arg: str = ""
    grace_days: int = 0


# ---- validation ---------------------------------------------------------------------

def _validate(session: Session, data: RuleInput, validate_condition: ConditionCheck | None) -> dict[str, Any]:
    f = RULE_FIELDS
    title = clean_text(data.title)
    if not title:
        raise ValidationError("标题不能为空", column=f["title"])
    if len(title) > 200:
        raise ValidationError("标题超过 200 个字符", column=f["title"])
    category = clean_text(data.category)
    if category not in RULE_CATEGORIES:
        raise ValidationError(f"类别「{category}」应为 {'/'.join(RULE_CATEGORIES)}", column=f["category"])
    all_groups = bool(data.all_groups)
    group_ids = [] if all_groups else list(dict.fromkeys(int(g) for g in data.group_ids))
    if not all_groups:
        if not group_ids:
            raise ValidationError("请选择这条群规适用的群（或改为适用于全部群）", column=f["group_ids"])
        found = set(session.scalars(select(Group.id).where(Group.id.in_(group_ids))))
        missing = [str(g) for g in group_ids if g not in found]
        if missing:
            raise ValidationError(f"群 #{'、#'.join(missing)} 不存在", column=f["group_ids"])
    condition = clean_text(data.condition)
    if condition and validate_condition is not None:
        try:
            validate_condition(condition)
        except UserError as exc:
            raise ValidationError(str(exc), column=f["condition"]) from exc
        except ValueError as exc:
            raise ValidationError(f"条件无法识别：{exc}", column=f["condition"]) from exc
    action = clean_text(data.action)
    if action and action not in RULE_ACTIONS:
        raise ValidationError(f"处理动作「{action}」应为 {'/'.join(RULE_ACTIONS)} 或留空", column=f["action"])
    if action and not condition:
        raise ValidationError(f"设置了处理动作「{action}」，但没有写条件", column=f["condition"])
    action_arg = clean_text(data.action_arg)
    if len(action_arg) > 100:
        raise ValidationError("动作参数超过 100 个字符", column=f["action_arg"])
    if action == "打标签" and not action_arg:
        raise ValidationError("「打标签」需要在动作参数里写上标签名", column=f["action_arg"])
    grace = data.grace_days
    if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
        raise ValidationError(f"宽限天数应为不小于 0 的整数，而不是「{grace}」", column=f["grace_days"])
    return {
        "title": title, "body": (data.body or "").replace("\r\n", "\n").strip(), "category": category,
        "all_groups": all_groups, "group_ids": group_ids, "condition": condition, "action": action,
        "action_arg": action_arg, "grace_days": grace, "enabled": bool(data.enabled),
    }


# ---- positions --------------------------------------------------------------------

def _live_ids(session: Session) -> list[int]:
    return list(
        session.scalars(select(Rule.id).where(Rule.deleted_at.is_(None)).order_by(Rule.position, Rule.id))
    )


def _renumber(session: Session, ordered: Sequence[int]) -> None:
    """Positions 0..n-1 in the given order (no version bump: order is layout)."""
    current = dict(session.execute(select(Rule.id, Rule.position).where(Rule.id.in_(list(ordered)))).all())
    params = [{"rid": rid, "pos": pos} for pos, rid in enumerate(ordered) if current.get(rid) != pos]
    for p in params:
        session.execute(
            update(Rule).where(Rule.id == p["rid"]).values(position=p["pos"])
            .execution_options(synchronize_session=False)
        )
    if params:
        session.expire_all()


# ---- create / update / delete -----------------------------------------------------

def _last_version(session: Session, rule_id: int) -> RuleVersion | None:
    return session.scalars(
        select(RuleVersion).where(RuleVersion.rule_id == rule_id).order_by(RuleVersion.revision.desc()).limit(1)
    ).first()


def _write_version(session: Session, rule: Rule, author: str, now: dt.datetime | None) -> None:
    last = _last_version(session, rule.id)
    moment = now or dt.datetime.now()
    if last is not None and moment < last.valid_from:
        moment = last.valid_from  # clocks of two operators may disagree; history stays ordered
    group_ids = sorted(session.scalars(select(rule_groups.c.group_id).where(rule_groups.c.rule_id == rule.id)))
    session.execute(insert(RuleVersion).values(
        rule_id=rule.id, revision=(last.revision + 1) if last else 1, title=rule.title, body=rule.body,
        category=rule.category, condition=rule.condition, action=rule.action, action_arg=rule.action_arg,
        grace_days=rule.grace_days, all_groups=rule.all_groups, group_ids=group_ids, position=rule.position,
        enabled=rule.enabled, valid_from=moment, author=author,
    ))


def _set_groups(session: Session, rule_id: int, group_ids: Sequence[int]) -> None:
    session.execute(delete(rule_groups).where(rule_groups.c.rule_id == rule_id))
    if group_ids:
        session.execute(insert(rule_groups), [{"rule_id": rule_id, "group_id": g} for g in group_ids])


def create_rule(
    session: Session,
    data: RuleInput,
    *,
    operator: str = "",
    now: dt.datetime | None = None,
    validate_condition: ConditionCheck | None = None,
) -> RuleView:
    values = _validate(session, data, validate_condition)
    group_ids = values.pop("group_ids")
    order = _live_ids(session)
    rule = Rule(**values, position=len(order))
    session.add(rule)
    session.flush()
    _set_groups(session, rule.id, group_ids)
    if data.position is not None:
        order.insert(max(0, min(data.position, len(order))), rule.id)
        _renumber(session, order)
    _write_version(session, rule, operator, now)
    audit.record(session, operator, "create", "rule", rule.id, after={**values, "group_ids": group_ids})
    return get_rule(session, rule.id)


def update_rule(
    session: Session,
    rule_id: int,
    data: RuleInput,
    *,
    expected_version: int | None = None,
    operator: str = "",
    now: dt.datetime | None = None,
    validate_condition: ConditionCheck | None = None,
) -> RuleView:
    """Save an edit. Any change writes revision + 1, in force from ``now``."""
    rule = _rule(session, rule_id)
    if rule.deleted_at is not None:
        raise NotFoundError(f"群规「{rule.title}」已删除")
    if expected_version is not None and rule.version != expected_version:
        raise ConflictError(f"群规「{rule.title}」已被其他人修改，请刷新后再编辑")
    values = _validate(session, data, validate_condition)
    group_ids = values.pop("group_ids")
    old_groups = sorted(session.scalars(select(rule_groups.c.group_id).where(rule_groups.c.rule_id == rule_id)))
    before = {k: getattr(rule, k) for k in CONTENT if getattr(rule, k) != values[k]}
    after = {k: values[k] for k in before}
    if old_groups != sorted(group_ids):
        before["group_ids"], after["group_ids"] = old_groups, group_ids
    if not after:
        return get_rule(session, rule_id)
    for key, value in values.items():
        setattr(rule, key, value)
    session.flush()
    _set_groups(session, rule_id, group_ids)
    _write_version(session, rule, operator, now)
    audit.record(session, operator, "update", "rule", rule_id, before=before, after=after)
    return get_rule(session, rule_id)


def save_rule(
    session: Session,
    rule_id: int | None,
    data: RuleInput,
    *,
    expected_version: int | None = None,
    operator: str = "",
    now: dt.datetime | None = None,
    validate_condition: ConditionCheck | None = None,
) -> RuleView:
    """The editor's save: create when ``rule_id`` is None, else update."""
    if rule_id is None:
        return create_rule(session, data, operator=operator, now=now, validate_condition=validate_condition)
    return update_rule(session, rule_id, data, expected_version=expected_version, operator=operator, now=now,
                       validate_condition=validate_condition)


def delete_rule(
    session: Session,
    rule_id: int,
    *,
    expected_version: int | None = None,
    operator: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Withdraw a rule from ``now`` on, keeping its history (see the module notes)."""
    rule = _rule(session, rule_id)
    if rule.deleted_at is not None:
        raise NotFoundError(f"群规「{rule.title}」已删除")
    if expected_version is not None and rule.version != expected_version:
        raise ConflictError(f"群规「{rule.title}」已被其他人修改，请刷新后再删除")
    was_enabled, position = rule.enabled, rule.position
    rule.enabled = False
    session.flush()
    _write_version(session, rule, operator, now)
    moment = session.scalar(select(func.max(RuleVersion.valid_from)).where(RuleVersion.rule_id == rule_id))
    session.execute(
        update(Rule).where(Rule.id == rule_id).values(deleted_at=moment)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    # the deleted row keeps its old position (for restore); the live ones close the gap
    _renumber(session, _live_ids(session))
    audit.record(session, operator, "delete", "rule", rule_id,
                 before={"title": rule.title, "enabled": was_enabled, "position": position})


def restore_rule(
    session: Session, rule_id: int, *, operator: str = "", now: dt.datetime | None = None
) -> RuleView:
    """Undo a delete: back in its old place, enabled as it was, from ``now`` on."""
    rule = _rule(session, rule_id)
    if rule.deleted_at is None:
        raise ConflictError(f"群规「{rule.title}」没有被删除")
    versions = session.scalars(
        select(RuleVersion.enabled).where(RuleVersion.rule_id == rule_id)
        .order_by(RuleVersion.revision.desc()).limit(2)
    ).all()
    rule.enabled = bool(versions[1]) if len(versions) > 1 else True
    old_position = rule.position
    rule.deleted_at = None
    session.flush()
    order = [r for r in _live_ids(session) if r != rule_id]
    order.insert(min(old_position, len(order)), rule_id)
    _renumber(session, order)
    session.refresh(rule)
    _write_version(session, rule, operator, now)
    audit.record(session, operator, "restore", "rule", rule_id)
    return get_rule(session, rule_id)


def move_rule(session: Session, rule_id: int, new_position: int, operator: str = "") -> list[RuleView]:
    """Put a rule at ``new_position`` (0-based, clamped) among the live rules; returns
    the rules in their new order."""
    rule = _rule(session, rule_id)
    if rule.deleted_at is not None:
        raise NotFoundError(f"群规「{rule.title}」已删除")
    order = [r for r in _live_ids(session) if r != rule_id]
    target = max(0, min(int(new_position), len(order)))
    old = rule.position
    order.insert(target, rule_id)
    _renumber(session, order)
    audit.record(session, operator, "move", "rule", rule_id, before={"position": old}, after={"position": target})
    return list_rules(session)


# ---- reading ----------------------------------------------------------------------------

def _rule(session: Session, rule_id: int) -> Rule:
    rule = session.get(Rule, rule_id)
    if rule is None:
        raise NotFoundError(f"群规 #{rule_id} 不存在")
    return rule


def _views(session: Session, rules: Sequence[Rule]) -> list[RuleView]:
    ids = [r.id for r in rules]
    if not ids:
        return []
    groups: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rid, gid, name in session.execute(
        select(rule_groups.c.rule_id, Group.id, Group.name).join(Group, Group.id == rule_groups.c.group_id)
        .where(rule_groups.c.rule_id.in_(ids)).order_by(Group.id)
    ):
        groups[rid].append((gid, name))
    latest = (
        select(RuleVersion.rule_id, func.max(RuleVersion.revision).label("rev"))
        .where(RuleVersion.rule_id.in_(ids)).group_by(RuleVersion.rule_id).subquery()
    )
    last = {
        rid: (rev, at, who)
        for rid, rev, at, who in session.execute(
            select(RuleVersion.rule_id, RuleVersion.revision, RuleVersion.valid_from, RuleVersion.author)
            .join(latest, and_(RuleVersion.rule_id == latest.c.rule_id, RuleVersion.revision == latest.c.rev))
        )
    }
    out = []
    for r in rules:
        rev, at, who = last.get(r.id, (0, None, ""))
        out.append(RuleView(
            id=r.id, version=r.version, title=r.title, body=r.body, category=r.category,
            all_groups=r.all_groups, group_ids=tuple(g for g, _ in groups[r.id]),
            group_names=tuple(n for _, n in groups[r.id]), condition=r.condition, action=r.action,
            action_arg=r.action_arg, grace_days=r.grace_days, enabled=r.enabled,
            position=r.position, deleted=r.deleted_at is not None, revision=rev, changed_at=at, changed_by=who,
        ))
    return out


def get_rule(session: Session, rule_id: int) -> RuleView:
    """A rule as it is now (also a deleted one: ``deleted`` says so)."""
    rule = _rule(session, rule_id)
    session.refresh(rule)
    return _views(session, [rule])[0]


def list_rules(
    session: Session, *, category: str | None = None, include_disabled: bool = True
) -> list[RuleView]:
    """The rule set in the editor's order (deleted rules left out)."""
    stmt = select(Rule).where(Rule.deleted_at.is_(None)).order_by(Rule.position, Rule.id)
    if category:
        stmt = stmt.where(Rule.category == category)
    if not include_disabled:
        stmt = stmt.where(Rule.enabled.is_(True))
    return _views(session, session.scalars(stmt.execution_options(populate_existing=True)).all())


def rule_history(session: Session, rule_id: int) -> list[RuleVersionView]:
    _rule(session, rule_id)
    return [
        _version_view(v, v.position)
        for v in session.scalars(
            select(RuleVersion).where(RuleVersion.rule_id == rule_id).order_by(RuleVersion.revision)
        )
    ]


def _version_view(v: RuleVersion, position: int) -> RuleVersionView:
    return RuleVersionView(
        rule_id=v.rule_id, revision=v.revision, title=v.title, body=v.body, category=v.category,
        condition=v.condition, action=v.action, enabled=v.enabled, valid_from=v.valid_from,
        author=v.author, position=position, all_groups=v.all_groups, group_ids=tuple(v.group_ids or ()),
        action_arg=v.action_arg, grace_days=v.grace_days,
    )


def rules_as_of(session: Session, when: dt.datetime) -> list[RuleVersionView]:
    """The rules in force at ``when``: for each rule its latest revision from then, if
    that revision is enabled; in today's order."""
    latest = (
        select(RuleVersion.rule_id, func.max(RuleVersion.revision).label("rev"))
        .where(RuleVersion.valid_from <= when).group_by(RuleVersion.rule_id).subquery()
    )
    rows = session.execute(
        select(RuleVersion, Rule.position)
        .join(latest, and_(RuleVersion.rule_id == latest.c.rule_id, RuleVersion.revision == latest.c.rev))
        .join(Rule, Rule.id == RuleVersion.rule_id)
        .where(RuleVersion.enabled.is_(True))
    ).all()
    views = [_version_view(v, pos) for v, pos in rows]
    views.sort(key=lambda v: (v.position, v.rule_id))
    return views


def published_text(session: Session, when: dt.datetime | None = None, *, heading: str = "群规") -> str:
    """The 群规 in force at ``when`` (default: now), ready to paste into a group
    announcement: one numbered list across the categories 准入/言行/清退/激励, so a
    member can point at "第 5 条"."""
    when = when or dt.datetime.now()
    rules = rules_as_of(session, when)
    lines = [f"{heading}（截至 {when:%Y-%m-%d}）"]
    if not rules:
        return "\n".join([*lines, "", "（暂无生效的群规）"])
    by_category: dict[str, list[RuleVersionView]] = defaultdict(list)
    for r in rules:
        by_category[r.category].append(r)
    number = 0
    section = 0
    for category in RULE_CATEGORIES:
        items = by_category.get(category)
        if not items:
            continue
        lines += ["", f"{CHINESE_NUMERALS[section]}、{category}"]
        section += 1
        for r in items:
            number += 1
            prefix = f"{number}. "
            lines.append(prefix + r.title)
            lines += [" " * len(prefix) + part for part in r.body.splitlines() if part.strip()]
    return "\n".join(lines)

"""Dry runs, the to-do list and confirming rule actions.

``dry_run`` evaluates every enabled rule that has a condition against the per-member
metrics (computed once for everybody) and lists, per rule, who it catches and why.
It writes nothing.

Who a rule looks at: members whose status is 在群 — unless the condition itself
mentions ``status``, in which case the condition decides. A rule limited to some
groups (``all_groups`` false) looks only at members currently in one of them, with
their community-wide figures (one person across several groups is one member: being
active in 上海群 counts for a 杭州一群 rule too, and the metrics are computed once).

``todo_list`` turns the dry run into what the operator should do now, and
``confirm_actions`` does it: it writes one line to the activity log per member and
rule (source ``system``, note starting with the marker ``[群规#<rule id>]``) and
changes status / role / tags. Those log lines are the memory of the to-do list:

* **Recently actioned.** A member actioned for a rule is left off that rule's to-do
  list for ``REPEAT_AFTER_DAYS`` days (a 提醒 is not sent again every day); after
  that, a member the rule still catches comes back. Actions that change the member
  (清退 → 已清退, 升为骨干, 打标签) take them off the list by themselves, and an
  action that would change nothing (promoting a 骨干, a tag already there) is never
  listed.
* **Grace period.** For a rule with ``grace_days`` > 0 whose action is not 提醒 or
  仅标记, the first to-do for a caught member is a 宽限提醒 (a 提醒 naming the rule
  and what will follow). The rule's own action becomes due ``grace_days`` days after
  that reminder was confirmed, if the rule still catches the member then; before
  that the member is 宽限中 (shown by the dry run, not on the to-do list). So "first
  caught" is the day the operator warned the member — the only date sqdesk can
  vouch for without storing every evaluation. A reminder older than
  ``grace_days + REPEAT_AFTER_DAYS`` has lapsed and a new one starts over.

Undo: ``confirm_actions`` returns a ``ConfirmResult`` holding the log lines it wrote,
the members' previous status/role and the tag links it added; ``undo_confirm``
removes and restores exactly those.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from sqdesk.analytics.metrics import (
    ActivityEvidence,
    MetricsTable,
    evidence_rows,
    member_metrics,
)
from sqdesk.core import audit
from sqdesk.core.errors import ConflictError
from sqdesk.core.roster import (
    add_tags_bulk,
    remove_tag_pairs,
    restore_member_values,
    update_members_bulk,
)
from sqdesk.models import Activity, Group, Member, Rule, rule_groups
from sqdesk.models.vocab import RULE_ACTIONS
from sqdesk.rules.evaluate import MetricColumns, compile_condition
from sqdesk.rules.lang import ConditionError, parse, to_text

REPEAT_AFTER_DAYS = 30
ACTIVE_STATUS = "在群"
MARKER = "[群规#{rule_id}]"
_MARKER_RE = re.compile(r"^\[群规#(\d+)\]")
GRACE_STAGE = "宽限提醒"
EXECUTE_STAGE = "执行"
LOG_KIND = {"提醒": "提醒", "警告": "警告", "清退": "清退", "升为骨干": "备注", "打标签": "备注", "仅标记": "备注"}
_NO_GRACE = ("提醒", "仅标记")
_CHUNK = 900


# ---- results -------------------------------------------------------------------------

@dataclass(frozen=True)
class CaughtMember:
    member_id: int
    display_name: str
    values: dict[str, Any]  # every variable the condition mentions → this member's value
    evidence: dict[str, list[ActivityEvidence]] = field(default_factory=dict)

    def reason(self) -> str:
        """The evidence in one line, e.g. "未发言天数 = 45；角色 = 成员"."""
        from sqdesk.rules.catalogue import MEMBER_VARIABLES

        return "；".join(f"{MEMBER_VARIABLES[k].alias} = {_shown(v)}" for k, v in self.values.items())


@dataclass(frozen=True)
class RuleResult:
    rule_id: int
    title: str
    condition: str  # canonical text ("" when it could not be read)
    action: str
    action_arg: str
    grace_days: int
    members: tuple[CaughtMember, ...] = ()
    error: str = ""  # a stored condition that no longer reads: the rule is skipped

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id, "title": self.title, "condition": self.condition,
            "action": self.action, "action_arg": self.action_arg, "grace_days": self.grace_days,
            "error": self.error, "count": len(self.members),
            "members": [
                {"member_id": m.member_id, "name": m.display_name,
                 "values": {k: _jsonable(v) for k, v in m.values.items()},
                 **({"evidence": {k: [_evidence_dict(e) for e in rows] for k, rows in m.evidence.items()}}
                    if m.evidence else {})}
                for m in self.members
            ],
        }


@dataclass(frozen=True)
class TodoItem:
    rule_id: int
    rule_title: str
    member_id: int
    member_name: str
    action: str  # what confirming does now (提醒 during a grace period)
    action_arg: str
    stage: str  # 执行 or 宽限提醒
    due_on: dt.date
    reason: str
    rule_action: str = ""  # the rule's own action (differs from ``action`` in a grace period)
    grace_days: int = 0


@dataclass
class ConfirmResult:
    activity_ids: list[int] = field(default_factory=list)
    member_before: dict[int, dict[str, Any]] = field(default_factory=dict)
    member_after: dict[int, dict[str, Any]] = field(default_factory=dict)
    tag_pairs: list[tuple[int, int]] = field(default_factory=list)
    done: list[TodoItem] = field(default_factory=list)
    skipped: list[tuple[TodoItem, str]] = field(default_factory=list)

    def describe(self) -> str:
        counts: dict[str, int] = defaultdict(int)
        for item in self.done:
            counts[item.action] += 1
        parts = [f"{a} {n} 人" for a, n in counts.items()]
        text = "已处理：" + ("，".join(parts) if parts else "无")
        if self.skipped:
            text += f"；跳过 {len(self.skipped)} 项"
        return text


def _shown(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "（无）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _evidence_dict(e: ActivityEvidence) -> dict[str, Any]:
    return {"source": e.source, "id": e.id, "at": _jsonable(e.at), "kind": e.kind, "value": e.value, "note": e.note}


# ---- the rules ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _RuleRow:
    id: int
    title: str
    condition: str
    action: str
    action_arg: str
    grace_days: int
    group_names: frozenset[str] | None  # None: all groups


def _checkable_rules(session: Session, rule_ids: Sequence[int] | None = None) -> list[_RuleRow]:
    stmt = (
        select(Rule.id, Rule.title, Rule.condition, Rule.action, Rule.action_arg, Rule.grace_days, Rule.all_groups)
        .where(Rule.enabled.is_(True), Rule.position >= 0, Rule.condition != "")
        .order_by(Rule.position, Rule.id)
    )
    if rule_ids is not None:
        stmt = stmt.where(Rule.id.in_(list(rule_ids)))
    rows = session.execute(stmt).all()
    scoped = [r[0] for r in rows if not r[6]]
    names: dict[int, set[str]] = defaultdict(set)
    if scoped:
        for rid, gname in session.execute(
            select(rule_groups.c.rule_id, Group.name)
            .join(Group, Group.id == rule_groups.c.group_id)
            .where(rule_groups.c.rule_id.in_(scoped))
        ):
            names[rid].add(gname)
    return [
        _RuleRow(r[0], r[1], r[2].strip(), r[3] or "仅标记", r[4] or "", int(r[5] or 0),
                 None if r[6] else frozenset(names[r[0]]))
        for r in rows
        if r[2] and r[2].strip()
    ]


def _names(session: Session, member_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(member_ids))
    out: dict[int, str] = {}
    if len(ids) > 5 * _CHUNK:
        # many members: one scan of the roster beats dozens of IN (…) queries
        wanted = set(ids)
        return {mid: name for mid, name in session.execute(select(Member.id, Member.display_name))
                if mid in wanted}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        out.update((mid, name) for mid, name in session.execute(
            select(Member.id, Member.display_name).where(Member.id.in_(chunk))
        ))
    return out


def evaluate_rules(
    rules: Sequence[tuple[int, str]], table: MetricColumns
) -> dict[int, list[int] | ConditionError]:
    """Rule id → ids of the members the condition catches (over the whole table), or the
    error of a condition that does not read. No scope, no status filter: the plain
    evaluation the performance target is measured on."""
    out: dict[int, list[int] | ConditionError] = {}
    for rule_id, condition in rules:
        try:
            out[rule_id] = compile_condition(condition).matching_ids(table)
        except ConditionError as err:
            out[rule_id] = err
    return out


def dry_run(
    session: Session,
    as_of: dt.date | None = None,
    *,
    metrics: MetricsTable | None = None,
    rule_ids: Sequence[int] | None = None,
    with_evidence: bool = False,
) -> list[RuleResult]:
    """Per enabled rule with a condition, the members it catches as of ``as_of`` (today
    by default) with the values of the variables the condition mentions; with
    ``with_evidence`` also the activity rows behind each value (one query per member
    and variable: ask for it on small results, or use ``member_evidence``)."""
    as_of = as_of or dt.date.today()
    rules = _checkable_rules(session, rule_ids)
    if not rules:
        return []
    table = metrics if metrics is not None else member_metrics(session, as_of)
    cols = table.columns
    active = [s == ACTIVE_STATUS for s in cols["status"]]
    results: list[RuleResult] = []
    caught_rows: list[tuple[_RuleRow, str, tuple[str, ...], list[int]]] = []
    for rule in rules:
        try:
            compiled = compile_condition(rule.condition)
        except ConditionError as err:
            results.append(RuleResult(rule.id, rule.title, "", rule.action, rule.action_arg,
                                      rule.grace_days, error=str(err)))
            caught_rows.append((rule, "", (), []))
            continue
        mask = compiled.mask(table)
        if "status" not in compiled.variables:
            mask = [m and a for m, a in zip(mask, active, strict=True)]
        if rule.group_names is not None:
            wanted = rule.group_names
            groups: Sequence[Any] = cols["groups"]
            mask = [m and g is not None and not wanted.isdisjoint(g)
                    for m, g in zip(mask, groups, strict=True)]
        rows = [i for i, hit in enumerate(mask) if hit]
        caught_rows.append((rule, to_text(compiled.condition), compiled.variables, rows))
        results.append(RuleResult(rule.id, rule.title, to_text(compiled.condition), rule.action,
                                  rule.action_arg, rule.grace_days))
    names = _names(session, (table.member_ids[i] for _, _, _, rows in caught_rows for i in rows))
    final: list[RuleResult] = []
    for result, (_rule, _text, variables, rows) in zip(results, caught_rows, strict=True):
        if result.error:
            final.append(result)
            continue
        members = []
        for i in rows:
            mid = table.member_ids[i]
            values = {v: cols[v][i] for v in variables}
            evidence = (
                {v: evidence_rows(session, mid, v, table.as_of) for v in variables}
                if with_evidence else {}
            )
            members.append(CaughtMember(mid, names.get(mid, ""), values, evidence))
        final.append(RuleResult(result.rule_id, result.title, result.condition, result.action,
                                result.action_arg, result.grace_days, tuple(members)))
    return final


def member_evidence(
    session: Session, condition: str, member_id: int, as_of: dt.date
) -> dict[str, list[ActivityEvidence]]:
    """The rows behind each variable a condition mentions, for one member (drill-down)."""
    return {v: evidence_rows(session, member_id, v, as_of) for v in compile_condition(condition).variables}


# ---- the to-do list ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Mark:
    rule_id: int
    member_id: int
    at: dt.datetime
    grace: bool


def _marks(
    session: Session, rule_ids: Sequence[int], member_ids: Sequence[int], since: dt.datetime, until: dt.datetime
) -> dict[tuple[int, int], list[_Mark]]:
    """Log lines this module wrote for these rules and members in [since, until)."""
    out: dict[tuple[int, int], list[_Mark]] = defaultdict(list)
    wanted = set(rule_ids)
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        stmt = select(Activity.member_id, Activity.occurred_at, Activity.note).where(
            Activity.member_id.in_(chunk),
            Activity.source == "system",
            Activity.kind.in_(sorted(set(LOG_KIND.values()))),
            Activity.occurred_at >= since,
            Activity.occurred_at < until,
            Activity.note.like("[群规#%"),
        )
        for mid, at, note in session.execute(stmt):
            match = _MARKER_RE.match(note or "")
            if match is None or int(match.group(1)) not in wanted:
                continue
            rid = int(match.group(1))
            out[(rid, mid)].append(_Mark(rid, mid, at, GRACE_STAGE in note))
    return out


def _day_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _no_op(action: str, arg: str, values: Mapping[str, Any]) -> bool:
    if action == "升为骨干":
        return values.get("role") in ("骨干", "管理员", "群主")
    if action == "打标签":
        return arg in (values.get("tags") or ())
    if action == "清退":
        return values.get("status") not in (None, ACTIVE_STATUS)
    return False


def todo_list(
    session: Session,
    as_of: dt.date | None = None,
    *,
    metrics: MetricsTable | None = None,
    results: Sequence[RuleResult] | None = None,
) -> list[TodoItem]:
    """What to do now: the dry run minus members recently actioned for the rule, members
    in a grace period, and actions that would change nothing (see the module doc)."""
    as_of = as_of or dt.date.today()
    if results is None:
        results = dry_run(session, as_of, metrics=metrics)
    results = [r for r in results if not r.error and r.members]
    if not results:
        return []
    # the member facts no-op checks need, whether or not the condition mentions them
    caught = sorted({m.member_id for r in results for m in r.members})
    facts = _member_facts(session, caught)
    longest = max([r.grace_days for r in results] + [0]) + REPEAT_AFTER_DAYS
    until = _day_after(as_of)
    marks = _marks(session, [r.rule_id for r in results], caught, until - dt.timedelta(days=longest), until)
    repeat_since = until - dt.timedelta(days=REPEAT_AFTER_DAYS)
    items: list[TodoItem] = []
    for r in results:
        graced = r.grace_days > 0 and r.action not in _NO_GRACE
        for m in r.members:
            if _no_op(r.action, r.action_arg, facts.get(m.member_id, {})):
                continue
            mine = marks.get((r.rule_id, m.member_id), [])
            if any(not k.grace and k.at >= repeat_since for k in mine):
                continue  # actioned recently
            stage, action, due = EXECUTE_STAGE, r.action, as_of
            if graced:
                lapse = until - dt.timedelta(days=r.grace_days + REPEAT_AFTER_DAYS)
                reminders = [k.at for k in mine if k.grace and k.at >= lapse]
                if not reminders:
                    stage, action = GRACE_STAGE, "提醒"
                else:
                    due = max(reminders).date() + dt.timedelta(days=r.grace_days)
                    if due > as_of:
                        continue  # 宽限中
            items.append(TodoItem(
                rule_id=r.rule_id, rule_title=r.title, member_id=m.member_id, member_name=m.display_name,
                action=action, action_arg=r.action_arg if stage == EXECUTE_STAGE else "", stage=stage,
                due_on=due, reason=m.reason(), rule_action=r.action, grace_days=r.grace_days,
            ))
    return items


def _member_facts(session: Session, member_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    from sqdesk.models import Tag, member_tags

    facts: dict[int, dict[str, Any]] = {}
    for start in range(0, len(member_ids), _CHUNK):
        chunk = list(member_ids[start : start + _CHUNK])
        for mid, role, status in session.execute(
            select(Member.id, Member.role, Member.status).where(Member.id.in_(chunk))
        ):
            facts[mid] = {"role": role, "status": status, "tags": set()}
        for mid, tag in session.execute(
            select(member_tags.c.member_id, Tag.name)
            .join(Tag, Tag.id == member_tags.c.tag_id)
            .where(member_tags.c.member_id.in_(chunk))
        ):
            facts[mid]["tags"].add(tag)
    return facts


# ---- confirming ----------------------------------------------------------------------------

def marker_note(item: TodoItem) -> str:
    head = f"{MARKER.format(rule_id=item.rule_id)} {item.rule_title}"
    if item.stage == GRACE_STAGE:
        return f"{head}：{GRACE_STAGE}，{item.grace_days} 天后仍符合将{item.rule_action}（{item.reason}）"
    arg = f"「{item.action_arg}」" if item.action == "打标签" and item.action_arg else ""
    return f"{head}：{item.action}{arg}（{item.reason}）"


def confirm_actions(
    session: Session,
    items: Sequence[TodoItem],
    operator: str,
    *,
    at: dt.datetime | None = None,
) -> ConfirmResult:
    """Do what the to-do items say: one log line each, then status/role/tag changes in
    bulk. Items already done since the list was made (by another operator, or twice in
    one selection) and members that no longer exist are skipped and reported."""
    at = at or dt.datetime.now().replace(microsecond=0)
    result = ConfirmResult()
    if not items:
        return result
    for item in items:
        if item.action not in RULE_ACTIONS:
            raise ValueError(f"unknown action {item.action!r}")
    member_ids = sorted({i.member_id for i in items})
    existing = set(_names(session, member_ids))
    until = at + dt.timedelta(microseconds=1)
    longest = max(i.grace_days for i in items) + REPEAT_AFTER_DAYS
    marks = _marks(session, sorted({i.rule_id for i in items}), member_ids, at - dt.timedelta(days=longest), until)
    seen: set[tuple[int, int]] = set()
    todo: list[TodoItem] = []
    for item in items:
        key = (item.rule_id, item.member_id)
        if item.member_id not in existing:
            result.skipped.append((item, "成员已不存在"))
            continue
        if key in seen:
            result.skipped.append((item, "重复的待办"))
            continue
        mine = marks.get(key, [])
        recent_exec = [k for k in mine if not k.grace and k.at >= at - dt.timedelta(days=REPEAT_AFTER_DAYS)]
        if item.stage == EXECUTE_STAGE and recent_exec:
            result.skipped.append((item, "最近已处理过"))
            continue
        if item.stage == GRACE_STAGE and (recent_exec or any(
            k.grace and k.at >= at - dt.timedelta(days=item.grace_days + REPEAT_AFTER_DAYS) for k in mine
        )):
            result.skipped.append((item, "宽限提醒已发出"))
            continue
        seen.add(key)
        todo.append(item)
    if not todo:
        return result

    rows = [
        {"member_id": i.member_id, "group_id": None, "kind": LOG_KIND[i.action], "occurred_at": at,
         "value": 1.0, "note": marker_note(i), "source": "system"}
        for i in todo
    ]
    result.activity_ids = [
        int(x) for x in session.scalars(
            insert(Activity).returning(Activity.id, sort_by_parameter_order=True), rows
        )
    ]

    def change(member_ids: list[int], values: dict[str, Any]) -> None:
        if not member_ids:
            return
        before = update_members_bulk(session, member_ids, values, operator)
        for mid, old in before.items():
            slot = result.member_before.setdefault(mid, {})
            for key, value in old.items():
                slot.setdefault(key, value)
            result.member_after.setdefault(mid, {}).update(values)

    execute = [i for i in todo if i.stage == EXECUTE_STAGE]
    change(sorted({i.member_id for i in execute if i.action == "清退"}), {"status": "已清退"})
    change(sorted({i.member_id for i in execute if i.action == "升为骨干"}), {"role": "骨干"})
    by_tag: dict[str, set[int]] = defaultdict(set)
    for i in execute:
        if i.action == "打标签" and i.action_arg.strip():
            by_tag[i.action_arg.strip()].add(i.member_id)
    for tag, mids in sorted(by_tag.items()):
        result.tag_pairs += add_tags_bulk(session, sorted(mids), [tag], operator)
    per_rule: dict[int, list[int]] = defaultdict(list)
    for i in todo:
        per_rule[i.rule_id].append(i.member_id)
    for rid, rule_members in per_rule.items():
        audit.record(session, operator, "rule_confirm", "rule", rid,
                     after={"members": len(rule_members)}, note=f"确认群规待办 {len(rule_members)} 项")
    result.done = todo
    return result


def undo_confirm(session: Session, result: ConfirmResult, operator: str) -> None:
    """Take back a confirm: remove its log lines, restore status/role, remove added tags.
    If someone changed a member's status or role again since the confirm, nothing is
    undone (ConflictError): restoring would silently overwrite their change."""
    changed: list[str] = []
    mids = sorted(result.member_after)
    for start in range(0, len(mids), _CHUNK):
        chunk = mids[start : start + _CHUNK]
        for mid, name, status, role in session.execute(
            select(Member.id, Member.display_name, Member.status, Member.role).where(Member.id.in_(chunk))
        ):
            now = {"status": status, "role": role}
            if any(now[k] != v for k, v in result.member_after[mid].items()):
                changed.append(name)
    if changed:
        shown = "、".join(changed[:5]) + (f" 等 {len(changed)} 人" if len(changed) > 5 else "")
        raise ConflictError(f"成员 {shown} 在处理之后又被修改过，无法撤销这次处理")
    ids = result.activity_ids
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(Activity).where(Activity.id.in_(ids[start : start + _CHUNK])))
    if result.member_before:
        restore_member_values(session, {mid: dict(v) for mid, v in result.member_before.items()}, operator)
    if result.tag_pairs:
        remove_tag_pairs(session, result.tag_pairs, operator)
    for rid in sorted({i.rule_id for i in result.done}):
        audit.record(session, operator, "rule_undo", "rule", rid, note="撤销群规待办的处理")


def check_condition(text: str) -> str:
    """The canonical form of a condition, or ConditionError (for editors and stores)."""
    return to_text(parse(text))

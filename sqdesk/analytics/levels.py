"""Held levels: upgrades at once, downgrades only after a review period.

A member *holds* a level (``members.level``). Each update computes the level the
numbers say now (:func:`sqdesk.analytics.metrics.level_of`). Same or higher: the
member takes it at once and has "qualified" today. Lower: the held level stays
until the member has gone ``review_days`` without qualifying for it, so one quiet
fortnight does not flicker 核心 → 一般 → 核心.

State: ``members.level_held_since`` is set while a downgrade is being held back (the
first day the member fell short of the held level) and cleared when the level changes
or the member qualifies again, so a run writes only what changed. Each decision is
also kept in the audit trail: ``level`` (the held level changed; a member's first
level is counted in one ``level_init`` summary entry per run instead), ``level_hold``
(a downgrade is being held back) and ``level_keep`` (the member qualified again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from sqdesk.analytics._sql import chunks
from sqdesk.analytics.metrics import (
    LevelThresholds,
    ScoreWeights,
    compute_member_metrics,
)
from sqdesk.models import AuditEntry, Member
from sqdesk.models.base import table_of
from sqdesk.models.vocab import LEVELS

DEFAULT_REVIEW_DAYS = 30
_RANK = {name: i for i, name in enumerate(LEVELS)}  # 0 = 核心 (highest)
LEVEL_ACTIONS = ("level", "level_hold", "level_keep")


def level_rank(level: str) -> int:
    """Smaller is higher; an unknown/empty level ranks below 沉默."""
    return _RANK.get(level, len(LEVELS))


def apply_level_hysteresis(
    previous_level: str | None,
    previous_since: dt.date | None,
    new_level: str,
    as_of: dt.date,
    review_days: int = DEFAULT_REVIEW_DAYS,
) -> tuple[str, dt.date]:
    """(level to hold, last day the member qualified for it).

    ``previous_since`` is the last day the member qualified for ``previous_level``
    (None: unknown, treated as long ago). A downgrade happens once
    ``as_of - previous_since >= review_days``; upgrades and confirmations are immediate."""
    if not previous_level or previous_level not in _RANK:
        return new_level, as_of
    if level_rank(new_level) <= level_rank(previous_level):
        return new_level, as_of
    if previous_since is None or (as_of - previous_since).days >= review_days:
        return new_level, as_of
    return previous_level, previous_since


@dataclass
class LevelChange:
    member_id: int
    before: str
    after: str


@dataclass
class LevelUpdate:
    as_of: dt.date
    changed: list[LevelChange] = field(default_factory=list)
    held: list[int] = field(default_factory=list)       # downgrades held back (member ids)
    released: list[int] = field(default_factory=list)   # holds ended because the member qualified again
    distribution: dict[str, int] = field(default_factory=dict)


def pending_holds(session: Session, member_ids: Sequence[int] | None = None) -> dict[int, dt.date]:
    """Members whose downgrade is being held back → first day of their review period."""
    stmt = select(Member.id, Member.level_held_since).where(Member.level_held_since.is_not(None))
    wanted = set(member_ids) if member_ids is not None else None
    return {
        int(mid): since for mid, since in session.execute(stmt)
        if since is not None and (wanted is None or mid in wanted)
    }


def update_levels(
    session: Session,
    as_of: dt.date | None = None,
    *,
    review_days: int = DEFAULT_REVIEW_DAYS,
    operator: str = "",
    weights: ScoreWeights = ScoreWeights(),  # noqa: B008
    thresholds: LevelThresholds = LevelThresholds(),  # noqa: B008
) -> LevelUpdate:
    """Recompute every member's level and store the held one (bulk UPDATE per level,
    bumping ``version``), recording each decision in the audit trail."""
    as_of = as_of or dt.date.today()
    table = compute_member_metrics(session, as_of, weights=weights, thresholds=thresholds)
    stored = {int(mid): lvl for mid, lvl in session.execute(select(Member.id, Member.level))}
    holds = pending_holds(session)
    result = LevelUpdate(as_of=as_of)
    by_level: dict[str, list[int]] = {}
    audit_rows: list[dict[str, Any]] = []
    now = dt.datetime.now()

    def audit(mid: int, action: str, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        audit_rows.append({
            "at": now, "operator": operator, "action": action, "entity": "member", "entity_id": mid,
            "before": before, "after": after, "note": f"活跃度等级（{as_of.isoformat()}）", "batch_id": None,
        })

    first_levels = 0   # members getting a level for the first time: one summary entry
    computed_col = table.columns["level_computed"]
    for mid, computed_obj in zip(table.member_ids, computed_col, strict=True):
        computed = str(computed_obj)
        previous = stored.get(mid, "")
        hold_since = holds.get(mid)
        since = hold_since if hold_since is not None else as_of
        level, new_since = apply_level_hysteresis(previous, since, computed, as_of, review_days)
        result.distribution[level] = result.distribution.get(level, 0) + 1
        if level != previous:
            by_level.setdefault(level, []).append(mid)
            result.changed.append(LevelChange(mid, previous, level))
            if previous:
                audit(mid, "level", {"level": previous}, {"level": level, "computed": computed, "since": new_since.isoformat()})
            else:
                first_levels += 1
        elif level != computed:
            if hold_since is None:
                result.held.append(mid)
                audit(mid, "level_hold", {"level": previous}, {"level": level, "computed": computed, "since": since.isoformat()})
        elif hold_since is not None:
            result.released.append(mid)
            audit(mid, "level_keep", {"level": previous}, {"level": level, "computed": computed, "since": as_of.isoformat()})
    members_t = table_of(Member)
    for level, members in by_level.items():
        for part in chunks(members):
            session.execute(
                update(members_t)
                .where(members_t.c.id.in_(list(part)))
                .values(level=level, level_held_since=None, version=members_t.c.version + 1)
            )
    # the hold is bookkeeping of the analytics, not an edit: no version bump, so an
    # operator's open member page does not turn stale because levels were reviewed
    for held_since, members in ((as_of, result.held), (None, result.released)):
        for part in chunks(members):
            session.execute(
                update(members_t).where(members_t.c.id.in_(list(part))).values(level_held_since=held_since)
            )
    if first_levels:
        audit_rows.append({
            "at": now, "operator": operator, "action": "level_init", "entity": "member", "entity_id": None,
            "before": None, "after": {"members": first_levels, "as_of": as_of.isoformat()},
            "note": f"首次评定活跃度等级（{as_of.isoformat()}）", "batch_id": None,
        })
    if audit_rows:
        session.execute(insert(table_of(AuditEntry)), audit_rows)
    return result

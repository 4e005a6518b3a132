"""Import batches: list them, and undo one as a whole.

Every import writes one ``import_batches`` row; what it created carries the batch id
(members, memberships, activities, supply/demand rows) and what it changed left its
previous values in ``audit_entries.before`` with the batch id. Undo deletes the former
and restores the latter, in the caller's write session, all or nothing.

Undo refuses (ConflictError naming the batch or the member) when later data depends on
the batch: a later batch's activities, memberships or invitees hang on a member it
created, or someone edited a member after the import, so that putting it back would
silently throw that later work away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from sqdesk.core import audit
from sqdesk.core.errors import ConflictError, NotFoundError, UserError
from sqdesk.core.roster import refresh_search_text
from sqdesk.models import (
    Activity,
    AuditEntry,
    Group,
    ImportBatch,
    Member,
    Membership,
    Registration,
    SupplyDemand,
    Tag,
)
from sqdesk.models.base import table_of
from sqdesk.models.member import member_tags

KIND_LABELS = {"members": "成员名单", "activity": "动态记录"}
_CHUNK = 500
_DATE_FIELDS = ("joined_on", "paid_until")


class ImportCancelled(UserError):
    """The operator cancelled an import; raised so the caller's transaction rolls back."""


@dataclass(frozen=True)
class BatchView:
    id: int
    kind: str
    file_name: str
    file_sha256: str
    operator: str
    created_at: dt.datetime
    rows_created: int
    rows_updated: int
    status: str
    undone_at: dt.datetime | None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    kind: str
    file_name: str
    members_deleted: int = 0
    members_restored: int = 0
    activities_deleted: int = 0
    memberships_deleted: int = 0
    other_deleted: int = 0

    def describe(self) -> str:
        parts = []
        if self.members_deleted:
            parts.append(f"删除导入的成员 {self.members_deleted} 人")
        if self.members_restored:
            parts.append(f"恢复被更新成员 {self.members_restored} 人的原值")
        if self.memberships_deleted:
            parts.append(f"移除入群记录 {self.memberships_deleted} 条")
        if self.activities_deleted:
            parts.append(f"删除动态 {self.activities_deleted} 条")
        if self.other_deleted:
            parts.append(f"删除其他记录 {self.other_deleted} 条")
        what = "，".join(parts) if parts else "没有需要撤销的数据"
        return f"已撤销导入批次 #{self.batch_id}（{KIND_LABELS.get(self.kind, self.kind)}「{self.file_name}」）：{what}。"


def _view(b: ImportBatch) -> BatchView:
    return BatchView(
        id=b.id, kind=b.kind, file_name=b.file_name, file_sha256=b.file_sha256,
        operator=b.operator, created_at=b.created_at, rows_created=b.rows_created,
        rows_updated=b.rows_updated, status=b.status, undone_at=b.undone_at,
        summary=dict(b.summary or {}),
    )


def list_batches(session: Session) -> list[BatchView]:
    """All import batches, newest first."""
    return [_view(b) for b in session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()))]


def get_batch(session: Session, batch_id: int) -> BatchView:
    b = session.get(ImportBatch, batch_id)
    if b is None:
        raise NotFoundError(f"导入批次 #{batch_id} 不存在")
    return _view(b)


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i : i + _CHUNK]) for i in range(0, len(ids), _CHUNK)]


def _batch_label(session: Session, batch_id: int | None) -> str:
    if batch_id is None:
        return "手工录入的数据"
    b = session.get(ImportBatch, batch_id)
    if b is None:
        return f"导入批次 #{batch_id}"
    return f"导入批次 #{b.id}（{KIND_LABELS.get(b.kind, b.kind)}「{b.file_name}」）"


def undo_import(session: Session, batch_id: int, *, operator: str) -> UndoResult:
    """Take back everything batch ``batch_id`` wrote; refuse if later data depends on it."""
    batch = session.get(ImportBatch, batch_id, with_for_update=True)
    if batch is None:
        raise NotFoundError(f"导入批次 #{batch_id} 不存在")
    if batch.status == "undone":
        when = f"（{batch.undone_at:%Y-%m-%d %H:%M}）" if batch.undone_at else ""
        raise ConflictError(f"导入批次 #{batch_id}「{batch.file_name}」已经撤销过了{when}")

    mt = table_of(Member)
    created = list(session.scalars(select(mt.c.id).where(mt.c.batch_id == batch_id).order_by(mt.c.id)))
    updates = list(
        session.execute(
            select(AuditEntry.entity_id, AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.batch_id == batch_id, AuditEntry.action == "import_update",
                   AuditEntry.entity == "member")
            .order_by(AuditEntry.id)
        ).all()
    )
    _check_dependants(session, batch_id, created, updates)

    summary = dict(batch.summary or {})
    activities_deleted = _count_delete(session, Activity, Activity.batch_id == batch_id)
    other_deleted = _count_delete(session, SupplyDemand, SupplyDemand.batch_id == batch_id)
    memberships_deleted = _count_delete(session, Membership, Membership.batch_id == batch_id)

    restored = _restore_updates(session, updates)
    for chunk in _chunks(created):
        session.execute(delete(mt).where(mt.c.id.in_(chunk)))

    # groups and tags the batch created, if nothing else uses them now
    for gid in summary.get("created_groups", []):
        in_use = session.scalar(select(func.count()).select_from(Membership).where(Membership.group_id == gid))
        if not in_use:
            session.execute(delete(Group).where(Group.id == gid))
    tag_ids = list(summary.get("created_tags", []))
    if tag_ids:
        used = set(session.scalars(select(member_tags.c.tag_id).where(member_tags.c.tag_id.in_(tag_ids)).distinct()))
        unused = [t for t in tag_ids if t not in used]
        for chunk in _chunks(unused):
            session.execute(delete(Tag).where(Tag.id.in_(chunk)))

    now = dt.datetime.now()
    session.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id).values(status="undone", undone_at=now)
    )
    session.expire(batch)
    audit.record(
        session, operator, "undo_import", "import_batch", batch_id,
        after={"members_deleted": len(created), "members_restored": restored,
               "activities_deleted": activities_deleted},
    )
    return UndoResult(
        batch_id=batch_id, kind=batch.kind, file_name=batch.file_name,
        members_deleted=len(created), members_restored=restored,
        activities_deleted=activities_deleted,
        memberships_deleted=max(memberships_deleted, 0), other_deleted=other_deleted,
    )


def _count_delete(session: Session, model: Any, condition: Any) -> int:
    n = session.scalar(select(func.count()).select_from(model).where(condition)) or 0
    if n:
        session.execute(delete(model).where(condition))
    return int(n)


def _check_dependants(
    session: Session, batch_id: int, created: list[int], updates: list[Any]
) -> None:
    """Refuse when later work hangs on what the batch wrote."""
    mt = table_of(Member)
    for chunk in _chunks(created):
        # activities (of another batch or entered by hand) of members this batch created
        hit = session.execute(
            select(Activity.batch_id, Member.display_name)
            .join(Member, Member.id == Activity.member_id)
            .where(Activity.member_id.in_(chunk),
                   or_(Activity.batch_id.is_(None), Activity.batch_id != batch_id))
            .limit(1)
        ).first()
        if hit:
            raise ConflictError(
                f"无法撤销导入批次 #{batch_id}：{_batch_label(session, hit[0])}里有本批导入的成员"
                f"「{hit[1]}」的动态；请先撤销或删除那些数据"
            )
        hit = session.execute(
            select(Membership.batch_id, Member.display_name)
            .join(Member, Member.id == Membership.member_id)
            .where(Membership.member_id.in_(chunk),
                   or_(Membership.batch_id.is_(None), Membership.batch_id != batch_id))
            .limit(1)
        ).first()
        if hit:
            raise ConflictError(
                f"无法撤销导入批次 #{batch_id}：本批导入的成员「{hit[1]}」之后又被加入了群"
                f"（{_batch_label(session, hit[0])}）"
            )
        hit = session.execute(
            select(mt.c.batch_id, mt.c.display_name)
            .where(mt.c.inviter_id.in_(chunk),
                   or_(mt.c.batch_id.is_(None), mt.c.batch_id != batch_id))
            .limit(1)
        ).first()
        if hit:
            raise ConflictError(
                f"无法撤销导入批次 #{batch_id}：成员「{hit[1]}」（{_batch_label(session, hit[0])}）"
                "的邀请人是本批导入的成员"
            )
        for model, what in ((Registration, "活动报名"), (SupplyDemand, "供求信息")):
            cond: Any = model.member_id.in_(chunk)
            if model is SupplyDemand:
                cond = and_(cond, or_(SupplyDemand.batch_id.is_(None), SupplyDemand.batch_id != batch_id))
            name = session.execute(
                select(Member.display_name).join(model, model.member_id == Member.id).where(cond).limit(1)
            ).scalar()
            if name is not None:
                raise ConflictError(
                    f"无法撤销导入批次 #{batch_id}：本批导入的成员「{name}」之后有了{what}；请先处理那些数据"
                )
        name = session.scalar(
            select(mt.c.display_name).where(mt.c.id.in_(chunk), mt.c.version != 1).limit(1)
        )
        if name is not None:
            raise ConflictError(
                f"无法撤销导入批次 #{batch_id}：本批导入的成员「{name}」在导入后又被修改过，"
                "撤销会丢失这些修改"
            )
    # members the batch updated must not have been changed since
    expected = {mid: (after or {}).get("_version") for mid, _before, after in updates}
    ids = [m for m in expected if m is not None]
    for chunk in _chunks(ids):
        for mid, version, name in session.execute(
            select(mt.c.id, mt.c.version, mt.c.display_name).where(mt.c.id.in_(chunk))
        ):
            if expected[mid] is not None and version != expected[mid]:
                later = session.scalar(
                    select(AuditEntry.batch_id).where(
                        AuditEntry.entity == "member", AuditEntry.entity_id == mid,
                        AuditEntry.batch_id != batch_id, AuditEntry.batch_id.is_not(None),
                        AuditEntry.batch_id > batch_id,
                    ).limit(1)
                )
                by = f"（{_batch_label(session, later)}）" if later else ""
                raise ConflictError(
                    f"无法撤销导入批次 #{batch_id}：它更新过的成员「{name}」之后又被修改过{by}，"
                    "撤销会覆盖那次修改"
                )


def _restore_updates(session: Session, updates: list[Any]) -> int:
    """Put back the fields, nicknames and tag/group additions of updated members."""
    if not updates:
        return 0
    mt = table_of(Member)
    mst = table_of(Membership)
    touched: list[int] = []
    for mid, before, after in updates:
        before = dict(before or {})
        after = dict(after or {})
        nicknames = before.pop("_nicknames", {}) or {}
        for key in _DATE_FIELDS:
            if isinstance(before.get(key), str):
                before[key] = dt.date.fromisoformat(before[key])
        fields = {k: v for k, v in before.items() if not k.startswith("_")}
        if fields:
            session.execute(
                update(mt).where(mt.c.id == mid).values(
                    **fields, version=mt.c.version + 1, updated_at=dt.datetime.now()
                )
            )
        for msid, nick in nicknames.items():
            session.execute(
                update(mst).where(mst.c.id == int(msid)).values(nickname=nick, version=mst.c.version + 1)
            )
        tags_added = after.get("_tags_added") or []
        if tags_added:
            session.execute(
                delete(member_tags).where(member_tags.c.member_id == mid, member_tags.c.tag_id.in_(tags_added))
            )
        touched.append(mid)
    refresh_search_text(session, touched)
    return len(touched)

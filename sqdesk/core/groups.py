"""Groups (群) and memberships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sqdesk.core import audit
from sqdesk.core.errors import ConflictError, NotFoundError, ValidationError
from sqdesk.models import Group, Membership
from sqdesk.models.vocab import PLATFORMS


@dataclass(frozen=True)
class GroupView:
    id: int
    name: str
    platform: str
    capacity: int | None
    created_on: dt.date | None
    notes: str
    version: int
    member_count: int = 0


def _view(g: Group, count: int = 0) -> GroupView:
    return GroupView(g.id, g.name, g.platform, g.capacity, g.created_on, g.notes, g.version, count)


def _validate(name: str, platform: str, capacity: int | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("群名称不能为空", column="名称")
    if platform not in PLATFORMS:
        raise ValidationError(f"平台「{platform}」不在可选范围：{'/'.join(PLATFORMS)}", column="平台")
    if capacity is not None and capacity <= 0:
        raise ValidationError("人数上限必须大于 0", column="人数上限")
    return name


def create_group(
    session: Session,
    name: str,
    platform: str = "微信",
    *,
    capacity: int | None = None,
    created_on: dt.date | None = None,
    notes: str = "",
    operator: str = "",
) -> GroupView:
    name = _validate(name, platform, capacity)
    if session.scalar(select(Group.id).where(Group.name == name)) is not None:
        raise ConflictError(f"已有名为「{name}」的群")
    group = Group(name=name, platform=platform, capacity=capacity, created_on=created_on, notes=notes)
    session.add(group)
    session.flush()
    audit.record(session, operator, "create", "group", group.id, after={"name": name})
    return _view(group)


def get_or_create_group(session: Session, name: str, operator: str = "") -> int:
    gid = session.scalar(select(Group.id).where(Group.name == name.strip()))
    if gid is not None:
        return gid
    return create_group(session, name, operator=operator).id


def update_group(
    session: Session, group_id: int, expected_version: int, operator: str = "", **changes: object
) -> GroupView:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFoundError("该群已不存在")
    if group.version != expected_version:
        raise ConflictError("该群已被其他人修改，请刷新后再试")
    before = {k: getattr(group, k) for k in changes}
    for key, value in changes.items():
        if key not in {"name", "platform", "capacity", "created_on", "notes"}:
            raise ValidationError(f"未知字段 {key}")
        setattr(group, key, value)
    _validate(group.name, group.platform, group.capacity)
    session.flush()
    audit.record(session, operator, "update", "group", group_id, before=before, after=dict(changes))
    return _view(group)


def delete_group(session: Session, group_id: int, operator: str = "") -> None:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFoundError("该群已不存在")
    audit.record(session, operator, "delete", "group", group_id, before={"name": group.name})
    session.execute(delete(Group).where(Group.id == group_id))


def list_groups(session: Session) -> list[GroupView]:
    counts: dict[int, int] = {
        gid: n
        for gid, n in session.execute(
            select(Membership.group_id, func.count())
            .where(Membership.left_on.is_(None))
            .group_by(Membership.group_id)
        )
    }
    return [_view(g, counts.get(g.id, 0)) for g in session.scalars(select(Group).order_by(Group.id))]


def group_ids_by_name(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Group.name, Group.id)).all())

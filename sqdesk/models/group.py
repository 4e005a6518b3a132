from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sqdesk.models.base import Base, Versioned, created_ts, intpk


class Group(Versioned, Base):
    """A chat group (微信群/QQ群/…) or an offline circle of the community."""

    __tablename__ = "groups"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(100), unique=True)
    platform: Mapped[str] = mapped_column(String(20), default="微信")
    capacity: Mapped[int | None] = mapped_column(Integer)
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_ts]


class Membership(Versioned, Base):
    """A member's stay in a group: 群昵称, join and leave dates."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("member_id", "group_id"),
        Index("ix_memberships_group_nickname", "group_id", "nickname"),
    )

    id: Mapped[intpk]
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(100), default="")
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )

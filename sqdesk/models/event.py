from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sqdesk.models.base import Base, Versioned, intpk

event_hosts = Table(
    "event_hosts",
    Base.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_groups = Table(
    "event_groups",
    Base.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Event(Versioned, Base):
    """A talk, live stream, meetup, 打卡 campaign… Times are local wall-clock."""

    __tablename__ = "events"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="其他")
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="筹备")
    rrule: Mapped[str] = mapped_column(String(300), default="")
    cost: Mapped[float | None] = mapped_column(Float)


class Registration(Versioned, Base):
    """A member's sign-up; ``registered_at`` orders the waitlist."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id"),
        Index("ix_registrations_member", "member_id", "status"),
    )

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="已报名")
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sqdesk.models.base import Base, Versioned, intpk


class Activity(Versioned, Base):
    """One line of the activity log (动态). ``value`` is a count or an amount."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_member_time", "member_id", "occurred_at"),
        Index("ix_activities_time", "occurred_at"),
        Index("ix_activities_group_time", "group_id", "occurred_at"),
        Index("ix_activities_batch_time", "batch_id", "occurred_at"),
    )

    id: Mapped[intpk]
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    value: Mapped[float] = mapped_column(Float, default=1.0)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="manual")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"))

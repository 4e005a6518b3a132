from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sqdesk.models.base import Base, Versioned, created_ts, intpk

member_tags = Table(
    "member_tags",
    Base.metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(50), unique=True)


class Member(Versioned, Base):
    """One person of the community, reconciled across groups.

    ``name_pinyin`` / ``name_initials`` are computed once on write (pypinyin is
    slow per call); ``search_text`` is the lower-cased concatenation of every field
    member search looks at, so a search is one LIKE over one column.
    """

    __tablename__ = "members"
    __table_args__ = (
        Index("ix_members_phone", "phone"),
        Index("ix_members_wechat_id", "wechat_id"),
        Index("ix_members_name_initials", "name_initials"),
        Index("ix_members_display_name", "display_name"),
        Index("ix_members_status_role", "status", "role"),
    )

    id: Mapped[intpk]
    display_name: Mapped[str] = mapped_column(String(100))
    real_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    wechat_id: Mapped[str | None] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(10), default="未知")
    city: Mapped[str] = mapped_column(String(50), default="")
    industry: Mapped[str] = mapped_column(String(50), default="")
    company: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(100), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    joined_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(50), default="")
    inviter_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str] = mapped_column(String(10), default="成员")
    tier: Mapped[str] = mapped_column(String(30), default="")
    paid_until: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="在群")
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    custom: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    name_pinyin: Mapped[str] = mapped_column(String(400), default="")
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(10), default="")
    # set while a downgrade of ``level`` is held back for review (sqdesk.analytics.levels)
    level_held_since: Mapped[dt.date | None] = mapped_column(Date)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[created_ts]
    updated_at: Mapped[dt.datetime | None] = mapped_column()

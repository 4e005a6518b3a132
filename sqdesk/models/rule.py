from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from sqdesk.models.base import Base, Versioned, intpk

rule_groups = Table(
    "rule_groups",
    Base.metadata,
    Column("rule_id", ForeignKey("rules.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


class Rule(Versioned, Base):
    """One 群规 entry: the text members read, and optionally a checkable condition."""

    __tablename__ = "rules"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(10), default="言行")
    all_groups: Mapped[bool] = mapped_column(Boolean, default=True)
    condition: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(10), default="")
    action_arg: Mapped[str] = mapped_column(String(100), default="")
    grace_days: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class RuleVersion(Base):
    """Immutable snapshot of a rule each time it changes (published text history)."""

    __tablename__ = "rule_versions"
    __table_args__ = (UniqueConstraint("rule_id", "revision"),)

    id: Mapped[intpk]
    rule_id: Mapped[int] = mapped_column(ForeignKey("rules.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(10))
    condition: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(10), default="")
    action_arg: Mapped[str] = mapped_column(String(100), default="", server_default="")
    grace_days: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    all_groups: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    group_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    valid_from: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    author: Mapped[str] = mapped_column(String(50), default="")

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sqdesk.models.base import Base, Versioned, created_ts, intpk


class SupplyDemand(Versioned, Base):
    """An offer (供给) or a need (需求) a member posted."""

    __tablename__ = "supply_demand"
    __table_args__ = (Index("ix_supply_demand_kind_status", "kind", "status", "created_on"),)

    id: Mapped[intpk]
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(4))
    category: Mapped[str] = mapped_column(String(10), default="其他")
    text: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(String(400), default="")
    created_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )


class Match(Versioned, Base):
    """A suggested or recorded introduction: this offer answers that need."""

    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("offer_id", "need_id"),)

    id: Mapped[intpk]
    offer_id: Mapped[int] = mapped_column(ForeignKey("supply_demand.id", ondelete="CASCADE"))
    need_id: Mapped[int] = mapped_column(
        ForeignKey("supply_demand.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str] = mapped_column(Text, default="")
    proposed_by: Mapped[str] = mapped_column(String(50), default="")
    outcome: Mapped[str] = mapped_column(String(12), default="proposed")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_ts]

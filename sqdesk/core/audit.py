"""Audit trail: every mutation through core writes one entry (who, what, before/after)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sqdesk.models import AuditEntry


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, (dt.date, dt.datetime)):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def record(
    session: Session,
    operator: str,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    batch_id: int | None = None,
) -> None:
    session.execute(
        insert(AuditEntry).values(
            at=dt.datetime.now(),
            operator=operator,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=jsonable(before) if before is not None else None,
            after=jsonable(after) if after is not None else None,
            note=note,
            batch_id=batch_id,
        )
    )

"""Alembic environment: always driven from sqdesk.db.migrate with a live connection."""

from __future__ import annotations

from alembic import context

import sqdesk.models  # noqa: F401  (registers every table)
from sqdesk.models.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

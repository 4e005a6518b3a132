"""Member level hold: the date a downgrade started being held back for review

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 14:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level_held_since", sa.Date(), nullable=True))
    # Holds recorded so far live in the audit trail: the latest level decision per member.
    op.execute(
        """
        UPDATE members SET level_held_since = (
            SELECT substr(json_extract(a.after, '$.since'), 1, 10) FROM audit_entries a
            WHERE a.id = (SELECT max(b.id) FROM audit_entries b
                          WHERE b.entity = 'member' AND b.entity_id = members.id
                            AND b.action IN ('level', 'level_hold', 'level_keep'))
              AND a.action = 'level_hold')
        """
        if op.get_context().dialect.name == "sqlite"
        else """
        UPDATE members SET level_held_since = (
            SELECT CAST(a.after::json ->> 'since' AS DATE) FROM audit_entries a
            WHERE a.id = (SELECT max(b.id) FROM audit_entries b
                          WHERE b.entity = 'member' AND b.entity_id = members.id
                            AND b.action IN ('level', 'level_hold', 'level_keep'))
              AND a.action = 'level_hold')
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("level_held_since")

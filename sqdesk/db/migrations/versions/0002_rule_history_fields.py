"""Rule deletion mark, fuller rule history (scope, action details, order), batch+time index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 13:17:17.580768
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_batch'))
        batch_op.create_index('ix_activities_batch_time', ['batch_id', 'occurred_at'], unique=False)

    with op.batch_alter_table('rule_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_arg', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('grace_days', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('all_groups', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('group_ids', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('position', sa.Integer(), server_default=sa.text('0'), nullable=False))

    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))

    # Existing history rows take the scope/action details of their rule as it is now:
    # the best record there is of what they said.
    for col in ("action_arg", "grace_days", "all_groups", "position"):
        op.execute(
            f"UPDATE rule_versions SET {col} = "
            f"(SELECT rules.{col} FROM rules WHERE rules.id = rule_versions.rule_id)"
        )


def downgrade() -> None:
    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')

    with op.batch_alter_table('rule_versions', schema=None) as batch_op:
        batch_op.drop_column('position')
        batch_op.drop_column('group_ids')
        batch_op.drop_column('all_groups')
        batch_op.drop_column('grace_days')
        batch_op.drop_column('action_arg')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_batch_time')
        batch_op.create_index(batch_op.f('ix_activities_batch'), ['batch_id'], unique=False)


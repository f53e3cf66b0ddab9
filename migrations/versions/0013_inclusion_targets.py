"""inclusion targets: the shares of women, under-35s and persons declaring a need that admins aim at

Revision ID: 0013
Revises: 0012

One row per group for the whole plan (event_id NULL) and, where an event overrides it, one per group
and event. Branches from 0011 beside 0012 (written at the same time); a merge revision joins them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inclusion_target',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('group_name', sa.String(length=20), nullable=False),
        sa.Column('percent', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('uq_inclusion_target_plan', 'inclusion_target', ['group_name'], unique=True,
                    sqlite_where=sa.text('event_id IS NULL'), postgresql_where=sa.text('event_id IS NULL'))
    op.create_index('uq_inclusion_target_event', 'inclusion_target', ['event_id', 'group_name'], unique=True,
                    sqlite_where=sa.text('event_id IS NOT NULL'), postgresql_where=sa.text('event_id IS NOT NULL'))


def downgrade():
    op.drop_index('uq_inclusion_target_event', table_name='inclusion_target')
    op.drop_index('uq_inclusion_target_plan', table_name='inclusion_target')
    op.drop_table('inclusion_target')

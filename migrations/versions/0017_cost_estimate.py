"""cost estimate: unit costs for the plan and per event, and an event's lines entered by hand

Revision ID: 0017
Revises: 0016

unit_cost: one row per item for the plan (event_id NULL) and, where an event overrides it, one per
event and item; amounts in whole MAD. other_cost: an event's lines by hand (label, quantity, unit cost).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'unit_cost',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('item', sa.String(length=40), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('uq_unit_cost_plan', 'unit_cost', ['item'], unique=True,
                    sqlite_where=sa.text('event_id IS NULL'), postgresql_where=sa.text('event_id IS NULL'))
    op.create_index('uq_unit_cost_event', 'unit_cost', ['event_id', 'item'], unique=True,
                    sqlite_where=sa.text('event_id IS NOT NULL'), postgresql_where=sa.text('event_id IS NOT NULL'))
    op.create_table(
        'other_cost',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('label_fr', sa.String(length=200), nullable=False),
        sa.Column('label_ar', sa.String(length=200), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_cost', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_other_cost_event_id'), 'other_cost', ['event_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_other_cost_event_id'), table_name='other_cost')
    op.drop_table('other_cost')
    op.drop_index('uq_unit_cost_event', table_name='unit_cost')
    op.drop_index('uq_unit_cost_plan', table_name='unit_cost')
    op.drop_table('unit_cost')

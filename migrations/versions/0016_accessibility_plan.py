"""accessibility plan: the lines of an event's plan that a coordinator ticked done

Revision ID: 0016
Revises: 0015

One row per event and action (review.accessibility.ACTIONS): when and by whom it was done. Written
beside 0014 (from 0013 too); the lead chains them when merging.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'accessibility_action_done',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('done_at', sa.DateTime(), nullable=False),
        sa.Column('done_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['done_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('event_id', 'action'),
    )


def downgrade():
    op.drop_table('accessibility_action_done')

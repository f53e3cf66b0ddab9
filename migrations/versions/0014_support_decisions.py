"""support decisions: a coordinator's confirmation or override of a participant's travel and accommodation

Revision ID: 0014
Revises: 0013

Only decisions are stored; the proposals are computed from the rules and the approvals (registration.grants).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'support_decision',
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('travel', sa.Boolean(), nullable=False),
        sa.Column('nights', sa.Integer(), nullable=False),
        sa.Column('room', sa.String(length=8), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('registration_id'),
    )
    op.create_index('ix_support_decision_event_id', 'support_decision', ['event_id'])


def downgrade():
    op.drop_index('ix_support_decision_event_id', table_name='support_decision')
    op.drop_table('support_decision')

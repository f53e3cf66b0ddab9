"""the questionnaire after an event (anonymous answers, a "has answered" mark) and the event report's texts

Revision ID: 0023
Revises: 0022

feedback_answer holds no registration, no time and a random id: an answer cannot be traced back.
registration.feedback_given is the only mark that a person answered.
event_report: the introduction, conclusion and next steps that admins write, in French and Arabic.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'feedback_answer',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('change_key', sa.String(length=64), nullable=False),
        sa.Column('usefulness', sa.Integer(), nullable=False),
        sa.Column('accessibility', sa.Integer(), nullable=False),
        sa.Column('needs_met', sa.String(length=16), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('change_key'),
    )
    with op.batch_alter_table('feedback_answer') as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_answer_event_id'), ['event_id'], unique=False)
    with op.batch_alter_table('registration') as batch_op:
        batch_op.add_column(sa.Column('feedback_given', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'event_report',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('introduction_fr', sa.Text(), nullable=False),
        sa.Column('introduction_ar', sa.Text(), nullable=False),
        sa.Column('conclusion_fr', sa.Text(), nullable=False),
        sa.Column('conclusion_ar', sa.Text(), nullable=False),
        sa.Column('next_steps_fr', sa.Text(), nullable=False),
        sa.Column('next_steps_ar', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('event_id'),
    )


def downgrade():
    op.drop_table('event_report')
    with op.batch_alter_table('registration') as batch_op:
        batch_op.drop_column('feedback_given')
    with op.batch_alter_table('feedback_answer') as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_answer_event_id'))
    op.drop_table('feedback_answer')

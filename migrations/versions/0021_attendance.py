"""attendance: who was marked present at the door, when and by whom, and its audit log

Revision ID: 0021
Revises: 0020

registration.checked_in_at / checked_in_by_id (issue 11, item 3); attendance_change: one row per
mark or undo (registration.attendance). Written beside the other helpers' revisions (from 0018);
the lead chains them when merging.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration') as batch_op:
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('checked_in_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_registration_checked_in_by_id_user_account'), 'user_account',
                                    ['checked_in_by_id'], ['id'], ondelete='SET NULL')
    op.create_table(
        'attendance_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('present', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_attendance_change_registration_id'), 'attendance_change', ['registration_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_attendance_change_registration_id'), table_name='attendance_change')
    op.drop_table('attendance_change')
    with op.batch_alter_table('registration') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registration_checked_in_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('checked_in_by_id')
        batch_op.drop_column('checked_in_at')

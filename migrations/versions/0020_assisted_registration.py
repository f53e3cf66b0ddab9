"""assisted registration: how a registration came in, who entered it; people without an email

Revision ID: 0020
Revises: 0019

registration.channel: a CHANNEL value (online, assisted, imported, walk_in); the rows before are
"online". registration.registered_by_id / registered_by_name: the coordinator who entered it.
A registration without an email keeps "" in email and email_normalized: the unique rule "one
active registration per email per event" now leaves those out (their duplicates are found by phone).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = "0019"
branch_labels = None
depends_on = None

OLD_WHERE = "status != 'cancelled'"
NEW_WHERE = "status != 'cancelled' AND email_normalized != ''"


def _unique_email(batch_op, where):
    batch_op.create_index('uq_registration_event_email_active', ['event_id', 'email_normalized'], unique=True,
                          sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade():
    with op.batch_alter_table('registration') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=12), nullable=False, server_default='online'))
        batch_op.add_column(sa.Column('registered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('registered_by_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.create_foreign_key('fk_registration_registered_by_id_user_account', 'user_account',
                                    ['registered_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_registration_channel', ['channel'], unique=False)
        batch_op.drop_index('uq_registration_event_email_active')
        _unique_email(batch_op, NEW_WHERE)


def downgrade():
    with op.batch_alter_table('registration') as batch_op:
        batch_op.drop_index('uq_registration_event_email_active')
        _unique_email(batch_op, OLD_WHERE)
        batch_op.drop_index('ix_registration_channel')
        batch_op.drop_constraint('fk_registration_registered_by_id_user_account', type_='foreignkey')
        batch_op.drop_column('registered_by_name')
        batch_op.drop_column('registered_by_id')
        batch_op.drop_column('channel')

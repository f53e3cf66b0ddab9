"""privacy: whose data a message carries, consent version, anonymisation

Revision ID: 0007
Revises: 0006

Registrations made before this migration agreed to the notice as it was then: version "2023-1".
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('about', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_about'), ['about'], unique=False)

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sa.String(length=20), nullable=False,
                                      server_default='2023-1'))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.alter_column('consent_version', server_default=None)


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('consent_version')

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_about'))
        batch_op.drop_column('about')


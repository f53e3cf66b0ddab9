"""support decisions: the travel mode a coordinator set

Revision ID: 0018
Revises: 0017

support_decision.mode: a TRAVEL_MODE value; "" (the rows decided before) reads as "to be decided".
The estimated amount is not stored: it is read from the cost estimate's flat amount per zone.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('support_decision') as batch_op:
        batch_op.add_column(sa.Column('mode', sa.String(length=16), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('support_decision') as batch_op:
        batch_op.drop_column('mode')

"""language codes longer than two letters (a third language such as "zgh", or "zgh-Tfng")

Revision ID: 0024
Revises: 0023

The offered languages are a setting (PORTAL_LANGUAGES); the columns that store a person's or an
institution's language, and a queued message's, hold any of their codes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = "0023"
branch_labels = None
depends_on = None

TABLES = ("registration", "institution", "outbox_message")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('language', existing_type=sa.String(length=2), type_=sa.String(length=16),
                                  existing_nullable=False)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('language', existing_type=sa.String(length=16), type_=sa.String(length=2),
                                  existing_nullable=False)

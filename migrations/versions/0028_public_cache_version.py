"""the public pages' cache version, kept in the database (when CACHE_VERSIONS_URI is empty)

Revision ID: 0028
Revises: 0027

A committed write that may change a public page adds one to one of the 16 rows (a shard chosen
at random, so that simultaneous registrations on PostgreSQL rarely wait on the same row); each
app process reads their sum at most once per PUBLIC_CACHE_MAX_STALENESS seconds
(portal/public_cache.py, docs/architecture.md "Public pages' cache").
"""
import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

SHARDS = 16


def upgrade():
    table = op.create_table(
        "public_cache_version",
        sa.Column("shard", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
    )
    op.bulk_insert(table, [{"shard": shard, "version": 0} for shard in range(SHARDS)])


def downgrade():
    op.drop_table("public_cache_version")

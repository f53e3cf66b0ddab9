"""Morocco's 12 regions and 75 provinces/prefectures (HCP codes), from portal/geo/data/.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

from portal.geo.reference import province_rows, region_rows

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

region = sa.table('region', sa.column('code', sa.String), sa.column('name_fr', sa.String),
                  sa.column('name_ar', sa.String), sa.column('population_2024', sa.Integer))
province = sa.table('province', sa.column('code', sa.String), sa.column('name_fr', sa.String),
                    sa.column('name_ar', sa.String), sa.column('kind', sa.String),
                    sa.column('region_code', sa.String), sa.column('population_2024', sa.Integer))


def upgrade():
    op.bulk_insert(region, region_rows())
    op.bulk_insert(province, province_rows())


def downgrade():
    op.execute(province.delete())
    op.execute(region.delete())

"""travel and accommodation support: an event's rules and its provinces moved to another zone

Revision ID: 0012
Revises: 0011

The bordering regions are not a table: portal/geo/data/region_borders.csv is read at run time.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('support_rules',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('travel_zones', sa.String(length=8), nullable=False),
    sa.Column('accommodation_zones', sa.String(length=8), nullable=False),
    sa.Column('nights', sa.Integer(), nullable=False),
    sa.Column('cap', sa.Integer(), nullable=True),
    sa.Column('priority', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_support_rules_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_support_rules_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_support_rules'))
    )
    op.create_table('zone_override',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.String(length=6), nullable=False),
    sa.Column('zone', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_zone_override_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], name=op.f('fk_zone_override_province_code_province')),
    sa.PrimaryKeyConstraint('event_id', 'province_code', name=op.f('pk_zone_override'))
    )


def downgrade():
    op.drop_table('zone_override')
    op.drop_table('support_rules')

"""logistics sheet: the rooms of an event with their seats and equipment, the organising team's
head count and the meals' head counts set by hand (issue 10, item 5)

Revision ID: 0015
Revises: 0014

Written beside 0014 and 0015 (also from 0013); the lead chains them when merging.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'logistics_sheet',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('team_count', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('event_id'),
    )
    op.create_table(
        'logistics_room',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('seats', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_logistics_room_event_id'), 'logistics_room', ['event_id'], unique=False)
    op.create_index(op.f('ix_logistics_room_workshop_id'), 'logistics_room', ['workshop_id'], unique=False)
    # One plenary room per event, one room per workshop.
    op.create_index('uq_logistics_room_plenary', 'logistics_room', ['event_id'], unique=True,
                    sqlite_where=sa.text('workshop_id IS NULL'), postgresql_where=sa.text('workshop_id IS NULL'))
    op.create_index('uq_logistics_room_workshop', 'logistics_room', ['workshop_id'], unique=True,
                    sqlite_where=sa.text('workshop_id IS NOT NULL'),
                    postgresql_where=sa.text('workshop_id IS NOT NULL'))
    op.create_table(
        'room_equipment',
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('equipment', sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(['room_id'], ['logistics_room.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('room_id', 'equipment'),
    )
    op.create_table(
        'meal_override',
        sa.Column('agenda_item_id', sa.Integer(), nullable=False),
        sa.Column('head_count', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('agenda_item_id'),
    )


def downgrade():
    op.drop_table('meal_override')
    op.drop_table('room_equipment')
    op.drop_index('uq_logistics_room_workshop', table_name='logistics_room')
    op.drop_index('uq_logistics_room_plenary', table_name='logistics_room')
    op.drop_index(op.f('ix_logistics_room_workshop_id'), table_name='logistics_room')
    op.drop_index(op.f('ix_logistics_room_event_id'), table_name='logistics_room')
    op.drop_table('logistics_room')
    op.drop_table('logistics_sheet')

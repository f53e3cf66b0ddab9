"""dietary needs of a registration; each organiser's registration link and where people heard of it

Revision ID: 0019
Revises: 0018

registration_diet: one row per declared diet (DIET); registration.diet_details: the "other" diet's
words (health data, kept only with the needs' consent). event_organizer.source_code: the short code of
each organiser's registration link (existing rows get one here); registration.source_organization_id:
the association whose link was followed; registration.heard_from: the answer to "how did you hear of
the event" (HEARD_FROM, or "").
"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def upgrade():
    op.create_table(
        'registration_diet',
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('diet', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('registration_id', 'diet', name=op.f('pk_registration_diet')),
    )
    op.create_index(op.f('ix_registration_diet_diet'), 'registration_diet', ['diet'], unique=False)
    with op.batch_alter_table('registration') as batch_op:
        batch_op.add_column(sa.Column('diet_details', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('source_organization_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('heard_from', sa.String(length=20), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_registration_source_organization_id'), ['source_organization_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_registration_source_organization_id_organization', 'organization',
                                    ['source_organization_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('event_organizer') as batch_op:
        batch_op.add_column(sa.Column('source_code', sa.String(length=8), nullable=True))
    connection = op.get_bind()
    organizer = sa.table('event_organizer', sa.column('event_id', sa.Integer), sa.column('organization_id', sa.Integer),
                         sa.column('source_code', sa.String))
    for event_id, organization_id in connection.execute(
            sa.select(organizer.c.event_id, organizer.c.organization_id)).all():
        code = "".join(secrets.choice(_ALPHABET) for _ in range(6))
        connection.execute(organizer.update().where(organizer.c.event_id == event_id,
                                                     organizer.c.organization_id == organization_id)
                           .values(source_code=code))
    with op.batch_alter_table('event_organizer') as batch_op:
        batch_op.alter_column('source_code', existing_type=sa.String(length=8), nullable=False)
        batch_op.create_unique_constraint('uq_event_organizer_event_id_source_code', ['event_id', 'source_code'])


def downgrade():
    with op.batch_alter_table('event_organizer') as batch_op:
        batch_op.drop_constraint('uq_event_organizer_event_id_source_code', type_='unique')
        batch_op.drop_column('source_code')
    with op.batch_alter_table('registration') as batch_op:
        batch_op.drop_constraint('fk_registration_source_organization_id_organization', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_registration_source_organization_id'))
        batch_op.drop_column('heard_from')
        batch_op.drop_column('source_organization_id')
        batch_op.drop_column('diet_details')
    op.drop_index(op.f('ix_registration_diet_diet'), table_name='registration_diet')
    op.drop_table('registration_diet')

"""organisers workspace: event states, venue facts, people and roles, partners, invitations

Revision ID: 0009
Revises: 0008

- event.status replaces event.published (published → "published", else "draft"); event times,
  province, contact address and a version number for the edit form (optimistic locking);
- venue: one per event, with typed accessibility facts (yes / no / unknown); the old free-text
  venue fields move into it, the old free-text accessibility paragraph is dropped (the public page
  now says only typed facts);
- person and event_role replace contributor: one person whatever their events, a role per event
  with a status (the old speakers and experts keep their names, as confirmed speakers and experts
  to invite);
- workshop description, room, seat limit; agenda item kind; event_partner (institutions);
- institution.reference_code (the pre-filled directory), password_reset.purpose (invitations).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

def upgrade():
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=False),
    sa.Column('name_ar', sa.String(length=300), nullable=False),
    sa.Column('organization', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('email', name=op.f('uq_person_email'))
    )
    op.create_table('event_partner',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_partner_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_event_partner_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'institution_id', name=op.f('pk_event_partner'))
    )
    op.create_table('venue',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=False),
    sa.Column('name_ar', sa.String(length=200), nullable=False),
    sa.Column('address_fr', sa.String(length=300), nullable=False),
    sa.Column('address_ar', sa.String(length=300), nullable=False),
    sa.Column('map_url', sa.String(length=500), nullable=False),
    sa.Column('step_free_entrance', sa.String(length=8), nullable=False),
    sa.Column('lift', sa.String(length=8), nullable=False),
    sa.Column('accessible_toilets', sa.String(length=8), nullable=False),
    sa.Column('hearing_loop', sa.String(length=8), nullable=False),
    sa.Column('sign_language', sa.String(length=8), nullable=False),
    sa.Column('reserved_seating', sa.String(length=8), nullable=False),
    sa.Column('quiet_room', sa.String(length=8), nullable=False),
    sa.Column('accessible_parking', sa.String(length=8), nullable=False),
    sa.Column('public_transport', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_venue_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_venue'))
    )
    op.create_table('event_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_event_role_agenda_item_id_agenda_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_role_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_event_role_person_id_person')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_event_role_workshop_id_workshop'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_role'))
    )
    with op.batch_alter_table('event_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_role_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_role_person_id'), ['person_id'], unique=False)

    _copy_contributors()
    with op.batch_alter_table('contributor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributor_event_id'))

    op.drop_table('contributor')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='plenary'))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('end_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('province_code', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('status', sa.String(length=24), nullable=False, server_default='draft'))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_event_status'), ['status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_event_province_code_province'), 'province', ['province_code'], ['code'])
        batch_op.create_foreign_key(batch_op.f('fk_event_updated_by_id_user_account'), 'user_account', ['updated_by_id'], ['id'], ondelete='SET NULL')

    op.execute("UPDATE event SET status = CASE WHEN published THEN 'published' ELSE 'draft' END")
    op.execute("INSERT INTO venue (event_id, name_fr, name_ar, address_fr, address_ar, map_url, step_free_entrance, "
               "lift, accessible_toilets, hearing_loop, sign_language, reserved_seating, quiet_room, "
               "accessible_parking, public_transport) "
               "SELECT id, venue_name, '', venue_address, '', '', 'unknown', 'unknown', 'unknown', 'unknown', "
               "'unknown', 'unknown', 'unknown', 'unknown', 'unknown' FROM event "
               "WHERE venue_name <> '' OR venue_address <> ''")
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('venue_accessibility_ar')
        batch_op.drop_column('venue_accessibility_fr')
        batch_op.drop_column('venue_address')
        batch_op.drop_column('published')
        batch_op.drop_column('venue_name')

    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference_code', sa.String(length=12), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_institution_kind_reference_code'), ['kind', 'reference_code'])

    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=8), nullable=False, server_default='reset'))

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description_fr', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description_ar', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('room', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('seat_limit', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('seat_limit')
        batch_op.drop_column('room')
        batch_op.drop_column('description_ar')
        batch_op.drop_column('description_fr')

    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_column('purpose')

    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_institution_kind_reference_code'), type_='unique')
        batch_op.drop_column('reference_code')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_name', sa.VARCHAR(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('published', sa.BOOLEAN(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('venue_address', sa.VARCHAR(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_accessibility_fr', sa.TEXT(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_accessibility_ar', sa.TEXT(), nullable=False, server_default=''))
    op.execute("UPDATE event SET published = (status <> 'draft')")
    op.execute("UPDATE event SET venue_name = (SELECT name_fr FROM venue WHERE venue.event_id = event.id), "
               "venue_address = (SELECT address_fr FROM venue WHERE venue.event_id = event.id) "
               "WHERE id IN (SELECT event_id FROM venue)")
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_updated_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_event_province_code_province'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_event_status'))
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('version')
        batch_op.drop_column('status')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('province_code')
        batch_op.drop_column('end_time')
        batch_op.drop_column('start_time')

    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_column('kind')

    op.create_table('contributor',
    sa.Column('id', sa.INTEGER(), nullable=False),
    sa.Column('event_id', sa.INTEGER(), nullable=False),
    sa.Column('position', sa.INTEGER(), nullable=False),
    sa.Column('kind', sa.VARCHAR(length=20), nullable=False),
    sa.Column('name_fr', sa.VARCHAR(length=300), nullable=False),
    sa.Column('name_ar', sa.VARCHAR(length=300), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_contributor_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributor'))
    )
    with op.batch_alter_table('contributor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributor_event_id'), ['event_id'], unique=False)

    op.execute("INSERT INTO contributor (event_id, position, kind, name_fr, name_ar) "
               "SELECT r.event_id, r.position, CASE WHEN r.role = 'expert' THEN 'expert' ELSE 'speaker' END, "
               "p.name_fr, p.name_ar FROM event_role r JOIN person p ON p.id = r.person_id "
               "WHERE r.role IN ('speaker', 'expert')")
    with op.batch_alter_table('event_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_role_person_id'))
        batch_op.drop_index(batch_op.f('ix_event_role_event_id'))

    op.drop_table('event_role')
    op.drop_table('venue')
    op.drop_table('event_partner')
    op.drop_table('person')


def _copy_contributors():
    """Each old speaker or expert becomes a person (one per name) with a role in its event."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT event_id, position, kind, name_fr, name_ar FROM contributor ORDER BY event_id, position")).all()
    person_ids = {}
    for event_id, position, kind, name_fr, name_ar in rows:
        if name_fr not in person_ids:
            connection.execute(sa.text("INSERT INTO person (name_fr, name_ar, organization, phone, created_at) "
                                       "VALUES (:fr, :ar, '', '', CURRENT_TIMESTAMP)"), {"fr": name_fr, "ar": name_ar})
            person_ids[name_fr] = connection.execute(
                sa.text("SELECT id FROM person WHERE name_fr = :fr"), {"fr": name_fr}).scalar_one()
        connection.execute(sa.text(
            "INSERT INTO event_role (event_id, person_id, role, status, position) "
            "VALUES (:event, :person, :role, :status, :position)"),
            {"event": event_id, "person": person_ids[name_fr], "role": kind, "position": position,
             "status": "confirmed" if kind == "speaker" else "to_invite"})

"""manage links stored as hashes, one per mail, expiring after the retention period

Revision ID: 0006
Revises: 0005

Each existing registration's link keeps working: its token's hash moves to manage_link, valid
until 12 months (the default RETENTION_MONTHS) after the event; then the token column goes.
"""
import datetime as dt
import hashlib

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _twelve_months_after(day: dt.date) -> dt.datetime:
    try:
        later = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        later = day.replace(year=day.year + 1, day=28)
    return dt.datetime.combine(later, dt.time())


def upgrade():
    op.create_table('manage_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_manage_link_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manage_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_manage_link_token_hash'))
    )
    with op.batch_alter_table('manage_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manage_link_registration_id'), ['registration_id'], unique=False)

    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT registration.id, registration.manage_token, event.starts_on FROM registration "
        "JOIN event ON event.id = registration.event_id")).all()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    links = sa.table('manage_link', sa.column('registration_id'), sa.column('token_hash'),
                     sa.column('created_at'), sa.column('expires_at'))
    if rows:
        op.bulk_insert(links, [
            {"registration_id": registration_id, "token_hash": hashlib.sha256(token.encode()).hexdigest(),
             "created_at": now,
             "expires_at": _twelve_months_after(starts_on if isinstance(starts_on, dt.date)
                                                else dt.date.fromisoformat(str(starts_on)))}
            for registration_id, token, starts_on in rows])

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_registration_manage_token'), type_='unique')
        batch_op.drop_column('manage_token')


def downgrade():
    # The tokens themselves were never stored again: old links cannot come back. New random ones
    # are made so the column can be restored; people use the link of their next mail.
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manage_token', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    import secrets
    for (registration_id,) in connection.execute(sa.text("SELECT id FROM registration")).all():
        connection.execute(sa.text("UPDATE registration SET manage_token = :token WHERE id = :id"),
                           {"token": secrets.token_urlsafe(32), "id": registration_id})
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.alter_column('manage_token', nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_registration_manage_token'), ['manage_token'])
    with op.batch_alter_table('manage_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_manage_link_registration_id'))
    op.drop_table('manage_link')

"""proposals and the reasoned response (issue 11, items 5 and 6)

Revision ID: 0022
Revises: 0021

- proposal: a workshop's or a registrant's proposal (FR and/or AR), its theme, moderation and the
  ministry's response (status, commitment, public reasons FR/AR, published_at);
- proposal_institution, proposal_carrier: the institutions it concerns, the registrants who carried it;
- proposal_change: its history; rapporteur_link: the rapporteurs' links (hashed tokens);
- proposal_naming_consent: a registrant agreed to be named;
- the default template "Ce que sont devenues vos propositions" (audience: the participants of the
  event), added by name when missing, as 0011 does (a fresh database has it from 0005).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('title_fr', sa.String(length=300), nullable=False),
    sa.Column('title_ar', sa.String(length=300), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_ar', sa.Text(), nullable=False),
    sa.Column('theme', sa.String(length=30), nullable=False),
    sa.Column('moderation', sa.String(length=12), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('set_aside_reason', sa.Text(), nullable=False),
    sa.Column('response', sa.String(length=20), nullable=False),
    sa.Column('commitment', sa.String(length=200), nullable=False),
    sa.Column('reason_fr', sa.Text(), nullable=False),
    sa.Column('reason_ar', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_proposal_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['proposal.id'], name=op.f('fk_proposal_merged_into_id_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_proposal_registration_id_registration'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_proposal_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_moderation'), ['moderation'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_response'), ['response'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_theme'), ['theme'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('proposal_naming_consent',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_proposal_naming_consent_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_proposal_naming_consent'))
    )
    op.create_table('rapporteur_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_role_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_role_id'], ['event_role.id'], name=op.f('fk_rapporteur_link_event_role_id_event_role'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rapporteur_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_rapporteur_link_token_hash'))
    )
    with op.batch_alter_table('rapporteur_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rapporteur_link_event_role_id'), ['event_role_id'], unique=False)

    op.create_table('proposal_carrier',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_carrier_proposal_id_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_proposal_carrier_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'registration_id', name=op.f('pk_proposal_carrier'))
    )
    with op.batch_alter_table('proposal_carrier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_carrier_registration_id'), ['registration_id'], unique=False)

    op.create_table('proposal_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=300), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_change_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_change'))
    )
    with op.batch_alter_table('proposal_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_change_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_institution',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_proposal_institution_institution_id_institution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_institution_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'institution_id', name=op.f('pk_proposal_institution'))
    )
    with op.batch_alter_table('proposal_institution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_institution_institution_id'), ['institution_id'], unique=False)

    from portal.campaigns.defaults import DEFAULT_TEMPLATES, PROPOSALS_FEEDBACK_NAME
    template = sa.table('message_template', *[sa.column(name, sa.String) for name in (
        'name', 'purpose', 'audience_kind', 'subject_fr', 'body_fr', 'subject_ar', 'body_ar')])
    present = op.get_bind().execute(
        sa.select(template.c.name).where(template.c.name == PROPOSALS_FEEDBACK_NAME)).first()
    if present is None:
        op.bulk_insert(template, [d for d in DEFAULT_TEMPLATES if d["name"] == PROPOSALS_FEEDBACK_NAME])



def downgrade():
    # The default template stays (the organisers' data once installed, as in 0011).
    with op.batch_alter_table('proposal_institution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_institution_institution_id'))

    op.drop_table('proposal_institution')
    with op.batch_alter_table('proposal_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_change_proposal_id'))

    op.drop_table('proposal_change')
    with op.batch_alter_table('proposal_carrier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_carrier_registration_id'))

    op.drop_table('proposal_carrier')
    with op.batch_alter_table('rapporteur_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rapporteur_link_event_role_id'))

    op.drop_table('rapporteur_link')
    op.drop_table('proposal_naming_consent')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_theme'))
        batch_op.drop_index(batch_op.f('ix_proposal_response'))
        batch_op.drop_index(batch_op.f('ix_proposal_registration_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_published_at'))
        batch_op.drop_index(batch_op.f('ix_proposal_moderation'))
        batch_op.drop_index(batch_op.f('ix_proposal_event_id'))

    op.drop_table('proposal')

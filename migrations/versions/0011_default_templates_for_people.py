"""default templates added since 0005: the change notice and the invitation to speak

Revision ID: 0011
Revises: 0010

Migration 0005 installs the default templates of its day, read from portal.campaigns.defaults; a
database created before a default was added lacks it. This one adds, by name, each default that
is still missing: "Changement de date, d'horaire ou de lieu" (offered when a published event's
date, times or venue change) and "Invitation à intervenir" (written to the event's people). A
template with that name is left as it is, whatever its text (it may have been edited), so running
this on a fresh database, or twice, adds nothing. No schema change.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    from portal.campaigns.defaults import CHANGE_NOTICE_NAME, DEFAULT_TEMPLATES, SPEAKER_INVITATION_NAME
    wanted = {CHANGE_NOTICE_NAME, SPEAKER_INVITATION_NAME}
    template = sa.table('message_template', *[sa.column(name, sa.String) for name in (
        'name', 'purpose', 'audience_kind', 'subject_fr', 'body_fr', 'subject_ar', 'body_ar')])
    present = set(op.get_bind().execute(
        sa.select(template.c.name).where(template.c.name.in_(sorted(wanted)))).scalars())
    missing = [default for default in DEFAULT_TEMPLATES if default["name"] in wanted - present]
    if len(missing) != len(wanted - present):  # a default renamed without this list: say so, add nothing
        raise RuntimeError("a default template named by migration 0011 is not in portal.campaigns.defaults")
    if missing:
        op.bulk_insert(template, missing)


def downgrade():
    # Nothing to undo: once installed, templates are the organisers' data (perhaps edited, perhaps
    # used by a campaign); they stay.
    pass

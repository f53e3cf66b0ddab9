"""institutions end to end: the pre-filled directory, invitations and their answers, per-message files

Revision ID: 0010
Revises: 0009

- the directory receives, from the reference data (portal/geo/data/, read here as it is today: this
  migration must not depend on portal code that may change), the 12 wilayas, the 12 region councils
  and the 75 provinces and prefectures, with no address yet ("contact à compléter"). A row already
  there with the same kind and reference code is kept as it is; one entered by hand for the same
  place (same kind, same region or province, no reference code) is adopted: it gets the code;
- invitation: one per institution invited by a campaign, with its answer link (hashed) and answer;
- outbox_message.own_attachments_key: files of one message alone (the invitation letter);
- the default template "Invitation institutionnelle" gains the answer link, when it has none yet
  (a fresh database already has it from 0005, which installs today's defaults).
"""
import csv
import os

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


DATA_DIR = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "portal", "geo", "data")

institution = sa.table(
    'institution', sa.column('id', sa.Integer), sa.column('kind', sa.String), sa.column('reference_code', sa.String),
    sa.column('name_fr', sa.String), sa.column('name_ar', sa.String), sa.column('region_code', sa.String),
    sa.column('province_code', sa.String), sa.column('contact_name', sa.String),
    sa.column('contact_title', sa.String), sa.column('language', sa.String), sa.column('notes', sa.Text))
institution_email = sa.table('institution_email', sa.column('institution_id', sa.Integer))


def _read(name):
    with open(os.path.join(DATA_DIR, name), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _of(name):
    """French "de X", "de l'Oriental", "d'Azilal"."""
    if name == "Oriental":
        return "de l'Oriental"
    return f"d'{name}" if name[:1] in "AEIOUÉ" else f"de {name}"


def reference_institutions():
    """The 99 institutions of the reference data, as rows of the institution table."""
    rows = []
    for region in _read("regions.csv"):
        code, fr, ar = region["code"], region["name_fr"], region["name_ar"]
        rows.append(dict(kind="wilaya", reference_code=code, name_fr=f"Wilaya de la région {_of(fr)}",
                         name_ar=f"ولاية جهة {ar}", region_code=code, province_code=None))
        council = f"Conseil de la région {_of(fr)}" if fr == "Oriental" else f"Conseil de la région {fr}"
        rows.append(dict(kind="region_council", reference_code=code, name_fr=council,
                         name_ar=f"مجلس جهة {ar}", region_code=code, province_code=None))
    for province in _read("provinces.csv"):
        code, fr, ar, kind = province["code"], province["name_fr"], province["name_ar"], province["type"]
        title_fr, title_ar = ("Préfecture", "عمالة") if kind == "prefecture" else ("Province", "إقليم")
        rows.append(dict(kind=kind, reference_code=code, name_fr=f"{title_fr} {_of(fr)}", name_ar=f"{title_ar} {ar}",
                         region_code=province["region_code"], province_code=code))
    return [dict(row, contact_name="", contact_title="", language="fr", notes="") for row in rows]


def _prefill_directory():
    connection = op.get_bind()
    present = set(connection.execute(sa.select(institution.c.kind, institution.c.reference_code)
                                     .where(institution.c.reference_code.is_not(None))))
    by_hand = {}  # (kind, region, province) -> id of a row entered without a reference code
    for row_id, kind, region_code, province_code in connection.execute(sa.select(
            institution.c.id, institution.c.kind, institution.c.region_code, institution.c.province_code)
            .where(institution.c.reference_code.is_(None)).order_by(institution.c.id)):
        by_hand.setdefault((kind, region_code, province_code), row_id)
    missing = []
    for row in reference_institutions():
        if (row["kind"], row["reference_code"]) in present:
            continue
        adopted = by_hand.pop((row["kind"], row["region_code"], row["province_code"]), None)
        if adopted is not None:
            connection.execute(institution.update().where(institution.c.id == adopted)
                               .values(reference_code=row["reference_code"]))
        else:
            missing.append(row)
    if missing:
        op.bulk_insert(institution, missing)


ANSWER_LINES = {
    "body_fr": ("Programme et informations : {{ event.link }}",
                "\n\nVotre réponse (présence, absence ou représentation), par votre lien personnel : {{ answer_link }}"
                "\n\nLa lettre d'invitation officielle est jointe à ce message."),
    "body_ar": ("البرنامج والمعلومات: {{ event.link }}",
                "\n\nجوابكم (الحضور أو الاعتذار أو التمثيل)، عبر رابطكم الشخصي: {{ answer_link }}"
                "\n\nتجدون رسالة الدعوة الرسمية مرفقة بهذه الرسالة."),
}


def _answer_link_in_the_invitation_template():
    template = sa.table('message_template', sa.column('name', sa.String), sa.column('body_fr', sa.Text),
                        sa.column('body_ar', sa.Text))
    for column, (after, added) in ANSWER_LINES.items():
        body = template.c[column]
        op.execute(template.update().where(template.c.name == "Invitation institutionnelle",
                                           ~body.contains("answer_link"))
                   .values({column: sa.func.replace(body, after, after + added)}))


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.String(length=12), nullable=True),
    sa.Column('delegate_name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('delegate_title', sa.String(length=200), server_default='', nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_invitation_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_invitation_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_invitation_institution_id_institution'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('campaign_id', 'institution_id', name=op.f('uq_invitation_campaign_id_institution_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_institution_id'), ['institution_id'], unique=False)

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own_attachments_key', sa.String(length=80), nullable=True))

    # ### end Alembic commands ###
    _prefill_directory()
    _answer_link_in_the_invitation_template()


def downgrade():
    # The pre-filled rows nobody completed (no address, no contact) go; the others stay, with their code.
    op.execute(institution.delete().where(
        institution.c.reference_code.is_not(None), institution.c.contact_name == "",
        ~sa.exists().where(institution_email.c.institution_id == institution.c.id)))
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('own_attachments_key')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_institution_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_event_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_campaign_id'))

    op.drop_table('invitation')
    # ### end Alembic commands ###

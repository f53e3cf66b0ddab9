"""letters to institutions open, close and are signed as official letters: institution.salutation,
and the default institutional invitation rewritten where nobody edited it

Revision ID: 0026
Revises: 0025

- institution.salutation: the opening of its letters and mails (« Monsieur le Wali »), in the
  language of its messages; empty: a generic one (portal.campaigns.courtesy).
- message_template "Invitation institutionnelle": its French or Arabic body, when it is still the
  default of before (0005 and 0010), becomes today's default ({{ salutation }}, {{ closing }},
  {{ signature }}, {{ action_plan }}). An edited body is the organisers' text and stays as it is.
  The texts are written here: a migration must not change with later files.
"""
import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

NAME = "Invitation institutionnelle"
OLD_BODY_FR = "Madame, Monsieur {{ contact.name }},\n\nDans le cadre du plan d'action national du gouvernement ouvert, le Ministère de la Transition Numérique et de la Réforme de l'Administration et les associations partenaires ont l'honneur d'inviter {{ institution.name }} à « {{ event.title }} », le {{ event.date }} à {{ event.city }} ({{ event.venue }}).\n\nCette rencontre réunit la société civile, les administrations et les collectivités territoriales pour co-construire les engagements du plan, dans le prolongement du programme des collectivités territoriales ouvertes.\n\nProgramme et informations : {{ event.link }}\n\nVotre réponse (présence, absence ou représentation), par votre lien personnel : {{ answer_link }}\n\nLa lettre d'invitation officielle est jointe à ce message.\n\nVeuillez agréer, Madame, Monsieur, l'expression de notre haute considération."
OLD_BODY_AR = 'السيدة، السيد {{ contact.name }}،\n\nفي إطار خطة العمل الوطنية للحكومة المنفتحة، تتشرف وزارة الانتقال الرقمي وإصلاح الإدارة والجمعيات الشريكة بدعوة {{ institution.name }} إلى «{{ event.title }}»، يوم {{ event.date }} بمدينة {{ event.city }} ({{ event.venue }}).\n\nيجمع هذا اللقاء المجتمع المدني والإدارات والجماعات الترابية للإنشاء المشترك لالتزامات الخطة، امتدادًا لبرنامج الجماعات الترابية المنفتحة.\n\nالبرنامج والمعلومات: {{ event.link }}\n\nجوابكم (الحضور أو الاعتذار أو التمثيل)، عبر رابطكم الشخصي: {{ answer_link }}\n\nتجدون رسالة الدعوة الرسمية مرفقة بهذه الرسالة.\n\nوتفضلوا بقبول فائق عبارات التقدير والاحترام.'
NEW_BODY_FR = "{{ salutation }},\n\nDans le cadre de l'élaboration du {{ action_plan }}, au titre du Partenariat pour un Gouvernement Ouvert, le Ministère de la Transition Numérique et de la Réforme de l'Administration et les associations partenaires ont l'honneur d'inviter {{ institution.name }} à « {{ event.title }} », le {{ event.date }} à {{ event.city }} ({{ event.venue }}).\n\nCette rencontre réunit la société civile, les administrations et les collectivités territoriales pour co-construire les engagements du plan, dans le prolongement du programme des collectivités territoriales ouvertes.\n\nProgramme et informations : {{ event.link }}\n\nVotre réponse (présence, absence ou représentation), par votre lien personnel : {{ answer_link }}\n\nLa lettre d'invitation officielle est jointe à ce message.\n\n{{ closing }}\n\n{{ signature }}"
NEW_BODY_AR = '{{ salutation }}،\n\nفي إطار إعداد {{ action_plan }}، ضمن الشراكة من أجل الحكومة المنفتحة، تتشرف وزارة الانتقال الرقمي وإصلاح الإدارة والجمعيات الشريكة بدعوة {{ institution.name }} إلى «{{ event.title }}»، يوم {{ event.date }} بمدينة {{ event.city }} ({{ event.venue }}).\n\nيجمع هذا اللقاء المجتمع المدني والإدارات والجماعات الترابية للإعداد المشترك لالتزامات المخطط، امتدادًا لبرنامج الجماعات الترابية المنفتحة.\n\nالبرنامج والمعلومات: {{ event.link }}\n\nجوابكم (الحضور أو الاعتذار أو التمثيل)، عبر رابطكم الشخصي: {{ answer_link }}\n\nتجدون رسالة الدعوة الرسمية مرفقة بهذه الرسالة.\n\n{{ closing }}\n\n{{ signature }}'

template = sa.table("message_template", sa.column("name", sa.String), sa.column("body_fr", sa.Text),
                    sa.column("body_ar", sa.Text))


def _replace(column, before, after):
    op.execute(template.update().where(template.c.name == NAME, template.c[column] == before)
               .values({column: after}))


def upgrade():
    with op.batch_alter_table("institution") as batch_op:
        batch_op.add_column(sa.Column("salutation", sa.String(length=200), nullable=False, server_default=""))
    _replace("body_fr", OLD_BODY_FR, NEW_BODY_FR)
    _replace("body_ar", OLD_BODY_AR, NEW_BODY_AR)


def downgrade():
    _replace("body_fr", NEW_BODY_FR, OLD_BODY_FR)
    _replace("body_ar", NEW_BODY_AR, OLD_BODY_AR)
    with op.batch_alter_table("institution") as batch_op:
        batch_op.drop_column("salutation")

"""The templates every installation starts with (loaded by migration 0005; editable). A template
added here later is also added, by name, to existing databases by a migration (0011 adds the
change notice and the invitation to speak); a default rewritten later replaces, by a migration,
the old default where nobody edited it (0026: the institutional invitation's opening, closing and
signature).

CHANGE_NOTICE_NAME is offered, pre-filled, on an event's page when a published event's date,
times or venue change (portal.organizing)."""

CHANGE_NOTICE_NAME = "Changement de date, d'horaire ou de lieu"
SPEAKER_INVITATION_NAME = "Invitation à intervenir"
# Sent to the participants of an event once the ministry has answered its proposals (migration 0022).
PROPOSALS_FEEDBACK_NAME = "Ce que sont devenues vos propositions"

DEFAULT_TEMPLATES = [
    {
        "name": "Confirmation de participation",
        "purpose": "confirmation", "audience_kind": "participants",
        "subject_fr": "Votre participation est confirmée : {{ event.title }}",
        "body_fr": """Bonjour {{ first_name }},

Nous avons le plaisir de vous confirmer votre participation à « {{ event.title }} », le {{ event.date }} à {{ event.city }}.

Lieu : {{ event.venue }}
Atelier : {{ workshop }}
Accueil des participantes et participants à partir de 9 h.

Si vous ne pouvez plus venir, annulez avec votre lien personnel : votre place sera proposée à une autre personne.
{{ manage_link }}

Au plaisir de vous accueillir,
Le comité d'organisation""",
        "subject_ar": "تأكيد مشاركتكم: {{ event.title }}",
        "body_ar": """مرحبًا {{ first_name }}،

يسعدنا أن نؤكد مشاركتكم في «{{ event.title }}»، يوم {{ event.date }} بمدينة {{ event.city }}.

المكان: {{ event.venue }}
الورشة: {{ workshop }}
يبدأ استقبال المشاركات والمشاركين ابتداءً من الساعة التاسعة صباحًا.

إذا تعذر عليكم الحضور، المرجو إلغاء التسجيل عبر رابطكم الشخصي حتى نقترح المقعد على شخص آخر.
{{ manage_link }}

في انتظار لقائكم،
لجنة التنظيم""",
    },
    {
        "name": "Liste d'attente",
        "purpose": "waitlist", "audience_kind": "participants",
        "subject_fr": "Vous êtes sur la liste d'attente : {{ event.title }}",
        "body_fr": """Bonjour {{ first_name }},

Merci pour votre intérêt pour « {{ event.title }} » ({{ event.date }}). Toutes les places sont attribuées pour le moment : vous êtes sur la liste d'attente.

Si une place se libère, nous vous l'écrirons aussitôt, avec un lien pour l'accepter.

Votre inscription : {{ manage_link }}

Le comité d'organisation""",
        "subject_ar": "أنتم على لائحة الانتظار: {{ event.title }}",
        "body_ar": """مرحبًا {{ first_name }}،

شكرًا على اهتمامكم بـ«{{ event.title }}» ({{ event.date }}). جميع المقاعد محجوزة حاليًا، وأنتم على لائحة الانتظار.

إذا شغر مقعد، سنراسلكم فورًا مع رابط لقبوله.

تسجيلكم: {{ manage_link }}

لجنة التنظيم""",
    },
    {
        "name": "Regrets",
        "purpose": "regrets", "audience_kind": "participants",
        "subject_fr": "Votre demande de participation : {{ event.title }}",
        "body_fr": """Bonjour {{ first_name }},

Merci pour votre demande de participation à « {{ event.title }} ». Le nombre de places étant limité, nous ne pouvons pas retenir votre candidature pour cet événement.

Le plan d'action national du gouvernement ouvert se construit aussi en ligne : nous vous tiendrons informé(e) des prochaines consultations.

Le comité d'organisation""",
        "subject_ar": "طلب مشاركتكم: {{ event.title }}",
        "body_ar": """مرحبًا {{ first_name }}،

شكرًا على طلب مشاركتكم في «{{ event.title }}». نظرًا لمحدودية المقاعد، يتعذر علينا قبول طلبكم لهذا اللقاء.

تُبنى خطة العمل الوطنية للحكومة المنفتحة أيضًا عبر الإنترنت، وسنخبركم بالاستشارات المقبلة.

لجنة التنظيم""",
    },
    {
        "name": "Invitation institutionnelle",
        "purpose": "invitation", "audience_kind": "institutions",
        "subject_fr": "Invitation : {{ event.title }}, {{ event.date }}",
        "body_fr": """{{ salutation }},

Dans le cadre de l'élaboration du {{ action_plan }}, au titre du Partenariat pour un Gouvernement Ouvert, le Ministère de la Transition Numérique et de la Réforme de l'Administration et les associations partenaires ont l'honneur d'inviter {{ institution.name }} à « {{ event.title }} », le {{ event.date }} à {{ event.city }} ({{ event.venue }}).

Cette rencontre réunit la société civile, les administrations et les collectivités territoriales pour co-construire les engagements du plan, dans le prolongement du programme des collectivités territoriales ouvertes.

Programme et informations : {{ event.link }}

Votre réponse (présence, absence ou représentation), par votre lien personnel : {{ answer_link }}

La lettre d'invitation officielle est jointe à ce message.

{{ closing }}

{{ signature }}""",
        "subject_ar": "دعوة: {{ event.title }}، {{ event.date }}",
        "body_ar": """{{ salutation }}،

في إطار إعداد {{ action_plan }}، ضمن الشراكة من أجل الحكومة المنفتحة، تتشرف وزارة الانتقال الرقمي وإصلاح الإدارة والجمعيات الشريكة بدعوة {{ institution.name }} إلى «{{ event.title }}»، يوم {{ event.date }} بمدينة {{ event.city }} ({{ event.venue }}).

يجمع هذا اللقاء المجتمع المدني والإدارات والجماعات الترابية للإعداد المشترك لالتزامات الخطة، امتدادًا لبرنامج الجماعات الترابية المنفتحة.

البرنامج والمعلومات: {{ event.link }}

جوابكم (الحضور أو الاعتذار أو التمثيل)، عبر رابطكم الشخصي: {{ answer_link }}

تجدون رسالة الدعوة الرسمية مرفقة بهذه الرسالة.

{{ closing }}

{{ signature }}""",
    },
    {
        "name": CHANGE_NOTICE_NAME,
        "purpose": "other", "audience_kind": "participants",
        "subject_fr": "Changement : {{ event.title }}",
        "body_fr": """Bonjour {{ first_name }},

Les informations pratiques de « {{ event.title }} » ont changé. Voici ce qui vaut désormais :

Date : {{ event.date }}
Lieu : {{ event.venue }}
Horaires et programme : {{ event.link }}

Votre inscription reste valable. Si vous ne pouvez plus venir, annulez avec votre lien personnel : votre place sera proposée à une autre personne.
{{ manage_link }}

Avec nos excuses pour ce changement,
Le comité d'organisation""",
        "subject_ar": "تغيير: {{ event.title }}",
        "body_ar": """مرحبًا {{ first_name }}،

تغيرت المعلومات العملية الخاصة بـ«{{ event.title }}». وهذه هي المعلومات المعتمدة من الآن:

التاريخ: {{ event.date }}
المكان: {{ event.venue }}
التوقيت والبرنامج: {{ event.link }}

يبقى تسجيلكم ساريًا. إذا تعذر عليكم الحضور، المرجو إلغاء التسجيل عبر رابطكم الشخصي حتى نقترح المقعد على شخص آخر.
{{ manage_link }}

مع اعتذارنا عن هذا التغيير،
لجنة التنظيم""",
    },
    {
        "name": SPEAKER_INVITATION_NAME,
        "purpose": "invitation", "audience_kind": "people",
        "subject_fr": "Invitation à intervenir : {{ event.title }}, {{ event.date }}",
        "body_fr": """Bonjour {{ person_name }},

Dans le cadre du plan d'action national du gouvernement ouvert, le Ministère de la Transition Numérique et de la Réforme de l'Administration et les associations partenaires ont le plaisir de vous inviter à « {{ event.title }} », le {{ event.date }} à {{ event.city }} ({{ event.venue }}), en qualité de : {{ roles }}.

Programme et informations : {{ event.link }}

L'équipe d'organisation prendra contact avec vous pour confirmer votre participation et préparer votre intervention (déroulé, supports, déplacement).

Avec nos remerciements,
Le comité d'organisation""",
        "subject_ar": "دعوة للمساهمة: {{ event.title }}، {{ event.date }}",
        "body_ar": """مرحبًا {{ person_name }}،

في إطار خطة العمل الوطنية للحكومة المنفتحة، يسر وزارة الانتقال الرقمي وإصلاح الإدارة والجمعيات الشريكة دعوتكم إلى «{{ event.title }}»، يوم {{ event.date }} بمدينة {{ event.city }} ({{ event.venue }})، بصفتكم: {{ roles }}.

البرنامج والمعلومات: {{ event.link }}

سيتواصل معكم فريق التنظيم لتأكيد مشاركتكم والتحضير لمداخلتكم (سير اللقاء، والعروض، والتنقل).

مع خالص الشكر،
لجنة التنظيم""",
    },
    {
        "name": PROPOSALS_FEEDBACK_NAME,
        "purpose": "other", "audience_kind": "event_participants",
        "subject_fr": "Vos propositions : la réponse du ministère ({{ event.title }})",
        "body_fr": """Bonjour {{ first_name }},

Merci d'avoir participé à « {{ event.title }} », le {{ event.date }}.

Les propositions des ateliers ont été étudiées. Pour chacune, le ministère dit si elle est retenue comme engagement du plan d'action national, fusionnée dans un engagement, partiellement retenue, non retenue ou encore à l'étude, et pourquoi :
{{ event.proposals_link }}

Vous pouvez filtrer la page par thème et par réponse, l'imprimer, ou en télécharger les données.

Avec nos remerciements,
Le comité d'organisation""",
        "subject_ar": "مقترحاتكم: جواب الوزارة ({{ event.title }})",
        "body_ar": """مرحبًا {{ first_name }}،

شكرًا على مشاركتكم في «{{ event.title }}» يوم {{ event.date }}.

تمت دراسة مقترحات الورشات. وتبين الوزارة بالنسبة لكل مقترح ما إذا تم اعتماده كالتزام في خطة العمل الوطنية، أو دمجه في التزام، أو اعتماده جزئيًا، أو عدم اعتماده، أو أنه لا يزال قيد الدراسة، مع بيان الأسباب:
{{ event.proposals_link }}

يمكنكم تصفية الصفحة حسب المحور والجواب، أو طباعتها، أو تحميل بياناتها.

مع خالص الشكر،
لجنة التنظيم""",
    },
]

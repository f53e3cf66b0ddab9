"""The four co-creation events agreed in the preparatory meetings of July-August 2023
(their relevé de conclusions). Only facts from the minutes: they name the regions, not the host
cities nor the venues, so the demo leaves those empty ("to be confirmed" on the pages). The demo's
own choices (dates moved to the coming year, registration windows) are listed in the README."""

MTNRA = ("Ministère de la Transition Numérique et de la Réforme de l'Administration",
         "وزارة الانتقال الرقمي وإصلاح الإدارة", "MTNRA", "ministry")
PARLIAMENT = ("Ministère délégué chargé des Relations avec le Parlement",
              "الوزارة المنتدبة المكلفة بالعلاقات مع البرلمان", "", "ministry")
# The Arabic names are those the associations use themselves where known (ADFM, ALCI "حركة بدائل
# مواطنة", AMCDD, OPEMH, ACB); those of 4Chabab and ACODEC are translations of their French names,
# to be checked with them before a public demonstration.
ORGANIZATIONS = {
    "ADFM": ("Association démocratique des femmes du Maroc", "الجمعية الديمقراطية لنساء المغرب", "ADFM", "association"),
    "4Chabab": ("Association 4Chabab", "جمعية 4 شباب", "4Chabab", "association"),
    "ACODEC": ("Association de Coopération pour le Développement et la Culture",
               "جمعية التعاون من أجل التنمية والثقافة", "ACODEC", "association"),
    "ALCI": ("Mouvement Alternatives Citoyennes", "حركة بدائل مواطنة", "ALCI", "association"),
    "ACB": ("Association Colombe Blanche pour les droits des personnes en situation de handicap",
            "جمعية الحمامة البيضاء لحقوق الأشخاص في وضعية إعاقة", "ACB", "association"),
    "AMCDD": ("Alliance Marocaine pour le Climat et le Développement Durable",
              "التحالف المغربي من أجل المناخ والتنمية المستدامة", "AMCDD", "association"),
    "OPEMH": ("Observatoire pour la protection de l'environnement et les monuments historiques",
              "مرصد حماية البيئة والمآثر التاريخية", "OPEMH", "association"),
    "MTNRA": MTNRA,
    "PARLIAMENT": PARLIAMENT,
}

# (start, end, kind, title fr, title ar, details fr, details ar): the unified agenda of the minutes.
UNIFIED_AGENDA = [
    ("09:00", "09:30", "welcome", "Accueil des participants", "استقبال المشاركات والمشاركين", "", ""),
    ("09:30", "10:15", "welcome", "Session d'ouverture", "الجلسة الافتتاحية",
     "Mots de bienvenue des associations pilotes et des partenaires\n"
     "Mot du MTNRA : contexte, réalisations et prochaines étapes\n"
     "Animateur principal (de l'association) : objectifs de l'événement, agenda et méthodologie de travail",
     "كلمات ترحيبية للجمعيات الرائدة والشركاء\n"
     "كلمة الوزارة: السياق والإنجازات والخطوات المقبلة\n"
     "المنشط الرئيسي (من الجمعية): أهداف اللقاء وجدول الأعمال ومنهجية العمل"),
    ("10:15", "12:30", "plenary", "Session plénière", "الجلسة العامة",
     "Présentations (4 au maximum) sur les thématiques prioritaires et les principaux défis de la société "
     "civile (société civile, administration, université, communes)\n"
     "Questions et réponses\n"
     "Répartition des groupes (facilitateur, animateurs de groupes)",
     "عروض (أربعة على الأكثر) حول المحاور ذات الأولوية وأبرز تحديات المجتمع المدني "
     "(المجتمع المدني، الإدارة، الجامعة، الجماعات)\n"
     "أسئلة وأجوبة\n"
     "توزيع المجموعات (الميسر ومنشطو المجموعات)"),
    ("12:30", "13:00", "break", "Pause-café", "استراحة قهوة", "", ""),
    ("13:00", "15:00", "workshops", "Ateliers parallèles", "ورشات موازية",
     "3 à 4 ateliers thématiques en parallèle\n"
     "Introduction, animation du débat et collecte des propositions (animateur expert de la thématique, "
     "facilitateur ou rapporteur)",
     "من 3 إلى 4 ورشات موضوعاتية موازية\n"
     "تقديم وتنشيط النقاش وتجميع المقترحات (منشط خبير في الموضوع، ميسر أو مقرر)"),
    ("15:00", "15:30", "closing", "Restitution et clôture", "تقديم النتائج والاختتام",
     "Présentation des résultats des travaux des groupes (animateurs de groupes)\n"
     "Mot de clôture et prochaines étapes (association pilote, MTNRA)",
     "عرض نتائج أشغال المجموعات (منشطو المجموعات)\n"
     "كلمة الاختتام والخطوات المقبلة (الجمعية الرائدة، الوزارة)"),
    ("15:30", "17:00", "meal", "Pause déjeuner", "استراحة الغداء", "", ""),
]

EVENTS = [
    {
        "slug": "casablanca-settat-rabat-sale-kenitra",
        "number": 1, "month": 10, "day": 14,
        "title_fr": "1er événement de co-création : Casablanca-Settat et Rabat-Salé-Kénitra",
        "title_ar": "لقاء الإعداد المشترك الأول: الدار البيضاء-سطات والرباط-سلا-القنيطرة",
        "regions": ["06", "04"],
        "co_organizers": ["ADFM", "4Chabab"],
        "workshops": [
            ("Qualité, simplification et dématérialisation des services publics",
             "جودة الخدمات العمومية وتبسيطها ورقمنتها"),
            ("Égalité et droits des femmes", "المساواة وحقوق النساء"),
        ],
        "speakers": ["ADFM", "4Chabab", "MTNRA"],
        "experts": [
            ("Expert(e) en management du changement", "خبير(ة) في تدبير التغيير"),
            ("Expert(e) en genre et en politiques publiques", "خبير(ة) في النوع الاجتماعي والسياسات العمومية"),
        ],
    },
    {
        "slug": "oriental",
        "number": 2, "month": 10, "day": 19,
        "title_fr": "2e événement de co-création : région de l'Oriental",
        "title_ar": "لقاء الإعداد المشترك الثاني: جهة الشرق",
        "regions": ["02"],
        "co_organizers": ["ACODEC"],
        "workshops": [
            ("Droit d'accès à l'information : entre la loi et la pratique",
             "الحق في الحصول على المعلومات: بين القانون والممارسة"),
            ("Environnement favorable aux associations", "بيئة مواتية للجمعيات"),
            ("Société civile et digitalisation", "المجتمع المدني والرقمنة"),
        ],
        "speakers": ["ACODEC", "MTNRA", "PARLIAMENT"],
        "experts": [
            ("Expert(e) en gouvernance et en droit", "خبير(ة) في الحكامة والقانون"),
            ("Expert(e) en planification territoriale", "خبير(ة) في التخطيط الترابي"),
            ("Expert(e) en démocratie participative", "خبير(ة) في الديمقراطية التشاركية"),
        ],
    },
    {
        "slug": "fes-meknes",
        "number": 3, "month": 10, "day": 21,
        "title_fr": "3e événement de co-création : région de Fès-Meknès",
        "title_ar": "لقاء الإعداد المشترك الثالث: جهة فاس-مكناس",
        "regions": ["03"],
        "co_organizers": ["ALCI"],
        "workshops": [
            ("Collectivités territoriales ouvertes : référence du droit et contexte de la pratique",
             "الجماعات الترابية المنفتحة: المرجعية القانونية وسياق الممارسة"),
            ("Participation inclusive des jeunes, des femmes et des personnes en situation de handicap",
             "المشاركة الدامجة للشباب والنساء والأشخاص في وضعية إعاقة"),
        ],
        "speakers": ["ALCI", "4Chabab", "MTNRA"],
        "experts": [
            ("Professeur(e) universitaire, expert(e) en politiques publiques",
             "أستاذ(ة) جامعي(ة)، خبير(ة) في السياسات العمومية"),
            ("Professeur(e) universitaire, expert(e) en développement et droits de l'homme",
             "أستاذ(ة) جامعي(ة)، خبير(ة) في التنمية وحقوق الإنسان"),
        ],
    },
    {
        "slug": "tanger-tetouan-al-hoceima",
        "number": 4, "month": 10, "day": 28,
        "title_fr": "4e événement de co-création : région de Tanger-Tétouan-Al Hoceima",
        "title_ar": "لقاء الإعداد المشترك الرابع: جهة طنجة-تطوان-الحسيمة",
        "regions": ["01"],
        "co_organizers": ["ACB"],
        "workshops": [
            ("Cadre juridique pour le fonctionnement des associations et la consultation publique",
             "الإطار القانوني لعمل الجمعيات والتشاور العمومي"),
            ("Changements climatiques", "التغيرات المناخية"),
            ("Collectivités territoriales ouvertes et inclusives", "جماعات ترابية منفتحة ودامجة"),
        ],
        "speakers": [
            ("Représentants du Conseil de la région Tanger-Tétouan-Al Hoceima (CRTTA)",
             "ممثلو مجلس جهة طنجة-تطوان-الحسيمة"),
            ("Représentants de la Commune de Tétouan", "ممثلو جماعة تطوان"),
            "ACB", "AMCDD", "OPEMH", "MTNRA", "PARLIAMENT",
        ],
        "experts": [
            ("Expert(e) en droit des associations", "خبير(ة) في قانون الجمعيات"),
            ("Expert(e) en climat", "خبير(ة) في المناخ"),
            ("Expert(e) en politiques publiques", "خبير(ة) في السياسات العمومية"),
        ],
    },
]

SUMMARY_FR = ("Rencontre régionale de co-création du 3e plan d'action national du gouvernement ouvert : "
              "associations, citoyennes et citoyens, administrations et experts construisent ensemble des "
              "engagements, en plénière puis en ateliers thématiques.")
SUMMARY_AR = ("لقاء جهوي للإعداد المشترك لخطة العمل الوطنية الثالثة للحكومة المنفتحة: تبني فيه الجمعيات "
              "والمواطنات والمواطنون والإدارات والخبراء التزامات مشتركة، في جلسة عامة ثم في ورشات موضوعاتية.")

"""docs/translation-review.md, the file a native reviewer reads, says what the portal says: it is
regenerated from the catalogue, the Arabic pages and the default mail templates, and a change to any of
them without `make translation-review` fails here."""
import os

from portal.translations.review_file import OUTPUT, build


def test_the_committed_review_file_is_up_to_date():
    with open(OUTPUT, encoding="utf-8") as handle:
        committed = handle.read()
    assert committed == build(), "run `make translation-review` and commit docs/translation-review.md"


def test_the_review_file_holds_the_long_texts_with_their_french_source():
    text = build()
    # the privacy notice, block by block, French then Arabic
    assert "Qui est responsable, et qui contacter" in text and "يوضح هذا الإشعار المعطيات" in text
    # a default mail template and a long catalogue entry (the invitation letter)
    assert "Confirmation de participation" in text and "يسعدنا أن نؤكد مشاركتكم" in text
    assert "Dans le cadre du plan d'action national du gouvernement ouvert" in text
    assert "في إطار خطة العمل الوطنية للحكومة المنفتحة" in text
    # short texts stay out: the reviewer reads the long ones here, the rest in the portal
    assert "Exporter en CSV" not in text
    # Arabic reads right to left in a Markdown viewer
    assert text.count('<div dir="rtl" lang="ar">') > 50
    assert os.path.basename(OUTPUT) == "translation-review.md"

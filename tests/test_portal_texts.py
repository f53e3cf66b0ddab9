"""Texts that say what the portal is (issue 12, item 7): it names the Open Government Partnership
and the national action plan (a setting, never a year written in the code); the registration mail
is an acknowledgement, not a confirmation; the origin question asks for the province of residence."""
import html
import re

import pytest

from tests.support.data import outbox
from tests.support.web import post_registration, valid_registration
from tests.test_assisted_registration import coordinator  # noqa: F401 (a fixture)

SLUG = "oriental"
AR = {"Accept-Language": "ar"}


def text(response) -> str:
    """The page, its isolating <bdi> (inserted values in Arabic sentences) taken off."""
    return html.unescape(re.sub(r"</?bdi[^>]*>", "", response.get_data(as_text=True)))


@pytest.fixture
def fourth_plan(app):
    """Another plan, set in the settings: every text follows it."""
    before = app.config["ACTION_PLAN_FR"], app.config["ACTION_PLAN_AR"]
    app.config["ACTION_PLAN_FR"] = "4e plan d'action national du gouvernement ouvert"
    app.config["ACTION_PLAN_AR"] = "خطة العمل الوطنية الرابعة للحكومة المنفتحة"
    yield
    app.config["ACTION_PLAN_FR"], app.config["ACTION_PLAN_AR"] = before


def test_the_pages_name_the_partnership_and_the_plan_of_the_settings(client, events, fourth_plan):
    home = text(client.get("/"))
    assert "participez à l'élaboration du 4e plan d'action national du gouvernement ouvert, dans le cadre du " \
           "Partenariat pour un Gouvernement Ouvert" in home
    assert "Rencontres de co-création du 4e plan d'action national" in home  # the tagline, on every page
    assert "Portail de co-création du 4e plan d'action national du gouvernement ouvert, dans le cadre du " \
           "Partenariat pour un Gouvernement Ouvert." in text(client.get(f"/events/{SLUG}"))  # the footer
    assert "3e plan" not in home
    home_ar = text(client.get("/", headers=AR))
    assert "إعداد خطة العمل الوطنية الرابعة للحكومة المنفتحة، في إطار الشراكة من أجل الحكومة المنفتحة" in home_ar
    privacy = text(client.get("/privacy"))
    assert "les événements de co-création du 4e plan d'action national du gouvernement ouvert, que le Maroc " \
           "élabore dans le cadre du Partenariat pour un Gouvernement Ouvert" in privacy
    privacy_ar = text(client.get("/privacy", headers=AR))
    assert "الخاصة بـخطة العمل الوطنية الرابعة للحكومة المنفتحة، في إطار الشراكة من أجل الحكومة المنفتحة" in privacy_ar


def test_the_registration_mail_is_an_acknowledgement_in_both_languages(app, client, events):
    response = post_registration(client, SLUG, valid_registration(app, SLUG))
    done = text(client.get(response.headers["Location"]))
    assert "Nous venons d'envoyer un accusé de réception à a•••@example.org." in done
    assert "Cet accusé de réception contient votre numéro de référence" in done and "confirmation" not in done
    [message] = outbox(app)
    assert message.subject.startswith("Accusé de réception de votre inscription : 2e événement de co-création")
    assert message.body_text.startswith("Accusé de réception de votre inscription\n")
    assert "il ne confirme pas encore votre participation" in message.body_text
    assert "<h1" in message.body_html and "Accusé de réception de votre inscription</h1>" in message.body_html
    for body in (message.body_text, message.body_html):  # the footer names the plan and the partnership
        assert "Portail de co-création du 3e plan d'action national du gouvernement ouvert, dans le cadre du " \
               "Partenariat pour un Gouvernement Ouvert." in html.unescape(body)
    post_registration(client, SLUG, valid_registration(app, SLUG, email="salma@example.org", language="ar"))
    arabic = next(m for m in outbox(app) if m.to_address == "salma@example.org")
    assert arabic.subject.startswith("إشعار بالتوصل بطلب تسجيلكم: ")
    assert arabic.body_text.startswith("إشعار بالتوصل بطلب تسجيلكم\n")
    assert "هذه الرسالة إشعار بالتوصل بطلبكم، ولا تعني بعدُ تأكيد مشاركتكم." in arabic.body_text
    assert "الشراكة من أجل الحكومة المنفتحة" in arabic.body_text
    assert "تأكيد" not in arabic.subject


def _label_of(page: str, field: str) -> str:
    return re.search(rf'<label for="{field}"[^>]*>(.*?)</label>', page, re.DOTALL).group(1).strip()


def test_every_form_asks_for_the_province_of_residence(client, coordinator, events):  # noqa: F811
    assert _label_of(text(client.get(f"/events/{SLUG}/register")), "province") == "Province ou préfecture de résidence"
    assert _label_of(text(client.get(f"/events/{SLUG}/register", headers=AR)), "province") \
        == "الإقليم أو العمالة محل الإقامة"
    assert "Province ou préfecture de résidence" in text(client.get(f"/events/{SLUG}/paper-form"))
    assert "الإقليم أو العمالة محل الإقامة" in text(client.get(f"/events/{SLUG}/paper-form", headers=AR))
    event_id = events[SLUG]
    assisted = text(coordinator.get(f"/review/events/{event_id}/register"))
    assert _label_of(assisted, "province") == "Province ou préfecture de résidence"
    listing = text(coordinator.get(f"/review/events/{event_id}/participants"))
    assert "Province de résidence" in listing and "d'origine" not in listing
    header = coordinator.get(f"/review/events/{event_id}/export.csv").get_data(as_text=True).splitlines()[0]
    assert "Province ou préfecture de résidence" in header and "Code HCP de la province de résidence" in header

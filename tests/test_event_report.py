"""The event report (issue 11, item 7): the day's figures computed by hand, the workshops with their
facilitator and rapporteur, the admins' texts in French and Arabic (admins only), the need counts
only for SEE_HEALTH_DATA, coordinators reading their own events' report only."""
import re
from html import unescape

import pytest

from portal.events.models import EventRole, Person, Workshop
from portal.extensions import db
from tests.support.data import make_registrations
from tests.support.web import csrf_token

SLUG = "oriental"
ELSEWHERE = "01.511"  # Tanger-Assilah, region 01


def text_of(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def day(app, events):
    """6 approved (4 women, 2 men; 3 aged 25-34, 3 aged 50-64; 2 from Tanger-Assilah; 2 declaring a
    need: braille and wheelchair+braille), 2 pending (women, 18-24, no need), 1 rejected and 1
    cancelled (not counted). The first workshop gets a facilitator and a rapporteur."""
    event_id = events[SLUG]
    make_registrations(app, event_id, 6, status="approved",
                       gender=lambda i: "female" if i < 4 else "male",
                       age_band=lambda i: "25_34" if i < 3 else "50_64",
                       province_code=lambda i: ELSEWHERE if i >= 4 else "02.411",
                       access_needs=lambda i: {0: ["braille"], 1: ["wheelchair", "braille"]}.get(i, []))
    make_registrations(app, event_id, 2, status="pending", gender="female", age_band="18_24")
    make_registrations(app, event_id, 1, status="rejected", gender="male", age_band="65_plus",
                       access_needs=["sign_language"])
    make_registrations(app, event_id, 1, status="cancelled", gender="male", age_band="65_plus")
    with app.app_context():
        workshop = db.session.scalar(db.select(Workshop).where(Workshop.event_id == event_id)
                                     .order_by(Workshop.position))
        db.session.add_all([
            EventRole(event_id=event_id, role="facilitator", workshop_id=workshop.id,
                      person=Person(name_fr="Nadia Berrada", name_ar="نادية برادة")),
            EventRole(event_id=event_id, role="rapporteur", workshop_id=workshop.id,
                      person=Person(name_fr="Youssef Alami", name_ar="يوسف العلمي"))])
        db.session.commit()
        return {"event": event_id, "workshop": workshop.title_fr}


def report_text(client, event_id) -> str:
    response = client.get(f"/organizing/events/{event_id}/report")
    assert response.status_code == 200
    return text_of(response.get_data(as_text=True))


def test_the_figures_computed_by_hand(app, auth, day):
    auth.sign_in("coordinator", SLUG)
    text = report_text(auth.client, day["event"])
    # registered = active (6 approved + 2 pending) = 8; approved = 6
    assert "Inscrites 8 Approuvées 6" in text
    # groups: women 4+2 / 4; under 35: 3+2 / 3; declaring a need 2 / 2
    assert "Femmes 6 4" in text and "Moins de 35 ans 5 3" in text
    assert "Personnes déclarant un besoin d'accessibilité 2 2" in text
    # by gender, by age band (every value of the vocabulary, zeros included)
    assert "Femme 6 4 Homme 2 2 Je préfère ne pas le dire 0 0" in text
    assert "18 à 24 ans 2 0 25 à 34 ans 3 3 35 à 49 ans 0 0 50 à 64 ans 3 3 65 ans et plus 0 0" in text
    # by region: 6 from L'Oriental (4 approved), 2 from Tanger-Tétouan-Al Hoceima (both approved)
    assert "Oriental 6 4" in text and "Tanger-Tétouan-Al Hoceima 2 2" in text
    # by need: braille 2, wheelchair 1 (the rejected person's sign language is not counted)
    assert "Documents en braille 2 2" in text and "Accès en fauteuil roulant 1 1" in text
    assert "langue des signes" not in text
    # the workshops with their facilitator and rapporteur; nothing claims to count presence
    assert text_of(day["workshop"]) in text and "Nadia Berrada" in text and "Youssef Alami" in text
    assert "présent" not in text.lower()


def test_an_observer_reads_the_report_without_any_need_count(app, auth, day):
    auth.make("observer", day["event"])
    auth.sign_in("observer")
    text = report_text(auth.client, day["event"])
    assert "Inscrites 8 Approuvées 6" in text and "Femme 6 4" in text
    assert "besoin" not in text.lower() and "braille" not in text.lower()


def test_the_admin_writes_the_texts_in_both_languages(app, auth, day):
    auth.sign_in("admin")
    url = f"/organizing/events/{day['event']}/report/texts"
    token = csrf_token(auth.client.get(url).get_data(as_text=True))
    saved = auth.client.post(url, data={
        "csrf_token": token, "introduction_fr": "La rencontre de l'Oriental a réuni les associations.",
        "introduction_ar": "جمع لقاء جهة الشرق الجمعيات.", "conclusion_fr": "Premier paragraphe.\r\n\r\nSecond paragraphe.",
        "next_steps_fr": "Publication du plan en mars.", "next_steps_ar": "نشر المخطط في مارس."})
    assert saved.status_code == 303
    html = auth.client.get(f"/organizing/events/{day['event']}/report").get_data(as_text=True)
    assert "La rencontre de l&#39;Oriental a réuni les associations." in html
    assert "<p class=\"report-text\">Premier paragraphe.</p>" in html and "Second paragraphe." in html
    auth.client.set_cookie("portal_lang", "ar")
    arabic = auth.client.get(f"/organizing/events/{day['event']}/report").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in arabic
    assert "جمع لقاء جهة الشرق الجمعيات." in arabic and "نشر المخطط في مارس." in arabic
    assert "Premier paragraphe." in arabic  # no Arabic conclusion written: the French one is shown
    assert "نادية برادة" in arabic


def test_texts_saved_by_another_admin_meanwhile_are_not_overwritten(app, auth, day, clock):
    auth.sign_in("admin")
    url = f"/organizing/events/{day['event']}/report/texts"

    def opened_form():
        html = auth.client.get(url).get_data(as_text=True)
        return csrf_token(html), re.search(r'name="version" type="hidden" value="([^"]*)"', html).group(1)

    token, mine = opened_form()
    _, theirs = opened_form()
    assert auth.client.post(url, data={"csrf_token": token, "version": theirs,
                                       "introduction_fr": "Leur introduction."}).status_code == 303
    clock.advance(minutes=5)
    refused = auth.client.post(url, data={"csrf_token": token, "version": mine, "introduction_fr": "Mon introduction."})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "depuis que vous l&#39;avez ouvert" in html and "Mon introduction." in html  # what I typed is kept
    assert "Leur introduction." in auth.client.get(f"/organizing/events/{day['event']}/report").get_data(as_text=True)
    # Saving again from the refused form replaces their version, knowingly.
    current = re.search(r'name="version" type="hidden" value="([^"]*)"', html).group(1)
    assert auth.client.post(url, data={"csrf_token": token, "version": current,
                                       "introduction_fr": "Mon introduction."}).status_code == 303
    assert "Mon introduction." in auth.client.get(f"/organizing/events/{day['event']}/report").get_data(as_text=True)


def test_coordinators_read_their_events_report_and_cannot_write_it(app, auth, events, day):
    auth.sign_in("coordinator", SLUG)
    url = f"/organizing/events/{day['event']}/report"
    assert auth.client.get(url).status_code == 200
    assert "report/texts" not in auth.client.get(url).get_data(as_text=True)
    assert auth.client.get(f"{url}/texts").status_code == 403
    token = csrf_token(auth.client.get(url).get_data(as_text=True))
    assert auth.client.post(f"{url}/texts", data={"csrf_token": token, "introduction_fr": "x"}).status_code == 403
    assert auth.client.get(f"/organizing/events/{events['fes-meknes']}/report").status_code == 404


def test_each_workshop_lists_its_accepted_proposals_with_the_published_response(app, auth, day):
    """A workshop's own proposal and a registrant's accepted one are listed with their theme; a
    proposal waiting for moderation or set aside is not; the response shows once published."""
    import datetime as dt

    from portal.proposals.models import Proposal
    with app.app_context():
        workshop_id = db.session.scalar(db.select(Workshop.id).where(Workshop.event_id == day["event"])
                                        .order_by(Workshop.position))
        now = dt.datetime(2026, 11, 20, 10, 0)
        common = {"event_id": day["event"], "workshop_id": workshop_id, "theme": "access_to_information", "created_at": now}
        db.session.add_all([
            Proposal(title_fr="Publier les budgets communaux", title_ar="نشر ميزانيات الجماعات", **common,
                     response="retained", commitment="Engagement 3", published_at=now),
            Proposal(title_fr="Un registre des bénéficiaires", origin="registrant", **common),
            Proposal(title_fr="Proposition en attente", origin="registrant", moderation="pending", **common),
            Proposal(title_fr="Proposition écartée", origin="registrant", moderation="set_aside",
                     set_aside_reason="Hors sujet", **common)])
        db.session.commit()
    auth.sign_in("coordinator", SLUG)
    text = report_text(auth.client, day["event"])
    assert "Publier les budgets communaux" in text and "réponse : Retenue comme engagement" in text
    assert "Un registre des bénéficiaires" in text
    assert "Proposition en attente" not in text and "Proposition écartée" not in text
    assert text.count("réponse :") == 1  # the unpublished response stays the ministry's
    auth.client.set_cookie("portal_lang", "ar")
    assert "نشر ميزانيات الجماعات" in report_text(auth.client, day["event"])


def test_once_people_are_marked_present_the_report_counts_them(app, auth, day):
    """Of the 6 approved, the two men from Tanger-Assilah and the woman declaring braille are marked
    present: a third column counts them; before that, no such column."""
    import datetime as dt

    from portal.registration.models import Registration
    auth.sign_in("admin")
    assert "Présentes" not in report_text(auth.client, day["event"])
    with app.app_context():
        approved = db.session.scalars(db.select(Registration).where(
            Registration.event_id == day["event"], Registration.status == "approved").order_by(Registration.id)).all()
        for registration in (approved[0], approved[4], approved[5]):
            registration.checked_in_at = dt.datetime(2026, 11, 20, 8, 30)
        db.session.commit()
    text = report_text(auth.client, day["event"])
    assert "Inscrites 8 Approuvées 6 Présentes 3" in text
    assert "Femmes 6 4 1" in text and "Moins de 35 ans 5 3 1" in text
    assert "Femme 6 4 1 Homme 2 2 2" in text
    assert "Oriental 6 4 1" in text and "Tanger-Tétouan-Al Hoceima 2 2 2" in text
    assert "Documents en braille 2 2 1" in text and "Accès en fauteuil roulant 1 1 0" in text

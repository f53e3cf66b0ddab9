"""The privacy notice keeps the law's promises: each test reads one promise on /privacy, in French
and in Arabic (with the settings' values), then proves it by doing what the notice says.

README.md, "Privacy promises", lists which test proves which promise.
"""
import datetime as dt
import html as html_module
import json
import re

import pytest
from sqlalchemy import select

from portal.events.models import Event
from portal.extensions import db
from portal.registration.links import add_months
from portal.registration.models import Registration, WaitlistOffer
from portal.review.models import ExportLog, InternalNote
from tests.support.data import make_registrations, outbox, registrations
from tests.support.outbox import deliver_until_done
from tests.support.web import csrf_token, form_page, post_registration, squeeze, submit_form, valid_registration

SLUG = "oriental"  # co-organised with ACODEC
MANAGE_PATH = re.compile(r"/manage/[A-Za-z0-9_-]{20,}")


# --- reading the notice -----------------------------------------------------------------------
def notice(client, lang: str) -> str:
    client.set_cookie("portal_lang", lang)
    response = client.get("/privacy")
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.get_data(as_text=True)
    return response.get_data(as_text=True)


def section(page: str, name: str) -> str:
    """The text of one section of the notice (its tags removed, entities decoded, spaces joined)."""
    match = re.search(rf'<section id="{name}"[^>]*>(.*?)</section>', page, re.DOTALL)
    assert match, f"no section {name!r} in the notice"
    return squeeze(html_module.unescape(re.sub(r"<[^>]+>", " ", match.group(1))))


def both_languages(client, name: str) -> dict[str, str]:
    return {lang: section(notice(client, lang), name) for lang in ("fr", "ar")}


# --- acting as the person ---------------------------------------------------------------------
def register(app, client, slug=SLUG, **overrides):
    response = post_registration(client, slug, valid_registration(app, slug, **overrides))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    email = overrides.get("email", "amina@example.org")
    return [r for r in registrations(app) if r.email == email and r.status != "cancelled"][-1]


def manage_path(app, registration) -> str:
    """The manage link of the latest mail sent to this registration (as the person reads it)."""
    bodies = [m.body_text for m in outbox(app) if m.about == f"registration:{registration.id}"]
    links = [match for body in bodies for match in MANAGE_PATH.findall(body or "")]
    assert links, "no manage link in the mail"
    return links[-1]


def event_of(app, slug=SLUG) -> Event:
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        db.session.expunge(event)
        return event


def purge(runner) -> str:
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    return result.output


# --- the controller and its contact -----------------------------------------------------------
def test_controller_and_contact_for_exercising_rights(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "donnees@mtnra.example.ma")
    for lang, text in both_languages(client, "controller").items():
        assert "donnees@mtnra.example.ma" in text, lang
        assert ("ministère chargé de la Transition numérique" if lang == "fr" else "الوزارة المكلفة بالانتقال الرقمي") in text
    page = notice(client, "fr")
    assert 'href="mailto:donnees@mtnra.example.ma"' in page
    assert "donnees@mtnra.example.ma" in section(page, "rights")


# --- the CNDP ---------------------------------------------------------------------------------
def test_cndp_declaration_in_progress_until_its_reference_is_set(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CNDP_REFERENCE", "")
    text = both_languages(client, "cndp")
    assert "09-08" in text["fr"] and "est en cours" in text["fr"]
    assert "09.08" in text["ar"] and "في طور الإنجاز" in text["ar"]
    monkeypatch.setitem(app.config, "CNDP_REFERENCE", "D-GC-123/2026")
    text = both_languages(client, "cndp")
    for lang in ("fr", "ar"):
        assert "D-GC-123/2026" in text[lang], lang
    assert "en cours" not in text["fr"] and "في طور الإنجاز" not in text["ar"]


# --- the version of the notice, stored with each consent --------------------------------------
def test_notice_shows_its_version_and_date(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_VERSION", "2027-03")
    fr, ar = notice(client, "fr"), notice(client, "ar")
    assert re.search(r'id="notice-version">Version 2027-03 \(mars 2027\)', fr)
    assert "2027-03" in ar and "2027" in ar


def test_consent_text_version_is_stored_with_each_registration_and_shown_to_the_person(app, client, events,
                                                                                       monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_VERSION", "2027-03")
    for lang, text in both_languages(client, "purposes").items():
        assert ("version de cette notice" if lang == "fr" else "صيغة هذا الإشعار") in text, lang
    client.set_cookie("portal_lang", "fr")
    assert "version 2027-03 de la notice" in form_page(client, SLUG)  # said beside the consent box
    registration = register(app, client)
    assert registration.consent_version == "2027-03" and registration.consent_at is not None
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_VERSION", "2027-09")  # the notice changes later
    path = manage_path(app, registration)
    page = client.get(path).get_data(as_text=True)
    assert "version 2027-03 de la notice" in page
    copy = json.loads(client.get(f"{path}/data.json").get_data(as_text=True))
    assert copy["consent_version"] == "2027-03" and copy["consent_at"]


# --- purposes: health data only with its own consent ------------------------------------------
def test_access_needs_are_kept_only_with_their_separate_consent(app, client, events):
    for lang, text in both_languages(client, "purposes").items():
        assert ("données de santé" if lang == "fr" else "معطيات صحية") in text, lang
        assert ("case séparée" if lang == "fr" else "خانة مستقلة") in text, lang
    client.set_cookie("portal_lang", "fr")
    refused = post_registration(client, SLUG, valid_registration(app, SLUG, access_needs=["wheelchair"]))
    assert refused.status_code == 422 and 'href="#consent_needs"' in refused.get_data(as_text=True)
    assert registrations(app) == []
    registration = register(app, client, access_needs=["wheelchair"], consent_needs="y")
    assert registration.access_needs == ["wheelchair"] and registration.consent_needs_at is not None


# --- recipients -------------------------------------------------------------------------------
def test_recipients_name_the_co_organising_associations_of_published_events(app, client, events):
    text = both_languages(client, "recipients")
    for acronym, name_fr, name_ar in [
            ("ACODEC", "Association de Coopération pour le Développement et la Culture", "جمعية التعاون من أجل التنمية والثقافة"),
            ("ALCI", "Mouvement Alternatives Citoyennes", "حركة بدائل مواطنة"),
            ("ADFM", "Association démocratique des femmes du Maroc", "الجمعية الديمقراطية لنساء المغرب")]:
        assert f"{name_fr} ({acronym})" in text["fr"]
        assert name_ar in text["ar"] and acronym in text["ar"]
    assert "page de chaque événement nomme ses propres associations" in text["fr"]
    assert "تذكر صفحة كل لقاء الجمعيات المشاركة في تنظيمه" in text["ar"]
    # The list follows the events: an association that co-organises no published event is not named.
    with app.app_context():
        db.session.get(Event, events["fes-meknes"]).status = "draft"  # ALCI's only event
        db.session.commit()
    assert "Mouvement Alternatives Citoyennes" not in section(notice(client, "fr"), "recipients")
    # Each event's page names its own.
    client.set_cookie("portal_lang", "fr")
    event_page = client.get(f"/events/{SLUG}").get_data(as_text=True)
    assert "Association de Coopération pour le Développement et la Culture (ACODEC)" in event_page


def test_co_organisers_see_their_events_registrations_with_health_data_and_only_theirs(app, client, events, auth):
    for lang, text in both_languages(client, "recipients").items():
        assert ("elles seules parmi les associations" if lang == "fr" else "دون غيرها من الجمعيات") in text, lang
    registration = register(app, client, access_needs=["wheelchair"], access_needs_details="Rampe d'accès",
                            consent_needs="y")
    other = make_registrations(app, events["fes-meknes"], 1)[0]
    coordinator = auth.sign_in("coordinator", SLUG)  # ACODEC
    page = coordinator.get(f"/review/events/{events[SLUG]}/participants/{registration.id}").get_data(as_text=True)
    assert "amina@example.org" in page and "Rampe d&#39;accès" in page
    export = coordinator.get(f"/review/events/{events[SLUG]}/export.csv?columns=full").get_data(as_text=True)
    assert "amina@example.org" in export and "Rampe d'accès" in export
    assert coordinator.get(f"/review/events/{events['fes-meknes']}/participants").status_code == 404
    assert coordinator.get(f"/review/events/{events['fes-meknes']}/participants/{other}").status_code == 404
    assert app.test_client().get(f"/review/events/{events[SLUG]}/participants").status_code in (302, 303)


def test_partners_see_lists_without_health_data_notes_or_decision_reasons(app, client, events, auth):
    for lang, text in both_languages(client, "recipients").items():
        if lang == "fr":
            assert "sans les besoins d'accessibilité, sans les notes internes et sans les motifs des décisions" in text
            assert "leurs exports ne contiennent pas de données de santé" in text
        else:
            assert "دون الاحتياجات المتعلقة بالولوجيات، ودون الملاحظات الداخلية وأسباب القرارات" in text
            assert "لا تتضمن الملفات التي يصدّرونها أي معطيات صحية" in text
    registration = register(app, client, access_needs=["wheelchair"], access_needs_details="Rampe d'accès",
                            consent_needs="y")
    with app.app_context():
        db.session.add(InternalNote(registration_id=registration.id, created_at=dt.datetime(2026, 11, 2),
                                    body="Note sur sa santé"))
        db.session.get(Registration, registration.id).history[0].reason = "Motif confidentiel"
        db.session.commit()
    observer = auth.sign_in("observer", SLUG)
    base = f"/review/events/{events[SLUG]}"
    listing = observer.get(f"{base}/participants").get_data(as_text=True)
    assert "El Idrissi" in listing and "Accès en fauteuil roulant" not in listing
    page = observer.get(f"{base}/participants/{registration.id}").get_data(as_text=True)
    assert "El Idrissi" in page
    for secret in ("Rampe", "fauteuil roulant", "Note sur sa santé", "Motif confidentiel"):
        assert secret not in page, secret
    for columns in ("full", "partners"):
        export = observer.get(f"{base}/export.csv?columns={columns}").get_data(as_text=True)
        assert "El Idrissi" in export and "Rampe" not in export and "Besoins" not in export
    assert observer.get(f"{base}/participants?need=wheelchair").get_data(as_text=True).count("El Idrissi") >= 1


# --- retention, per kind of data --------------------------------------------------------------
def test_retention_periods_are_those_of_the_settings(app, client, monkeypatch):
    text = both_languages(client, "retention")
    assert "jusqu'à 12 mois après la date de l'événement" in text["fr"]
    assert "au plus tard 90 jours après leur envoi" in text["fr"]
    assert "supprimés 30 jours après" in text["fr"] and "supprimés après 12 mois" in text["fr"]
    assert "12 شهرًا بعد تاريخ اللقاء" in text["ar"] and "90 يومًا" in text["ar"] and "30 يومًا" in text["ar"]
    for key, value in (("RETENTION_MONTHS", 6), ("MAIL_RETENTION_DAYS", 45), ("TOKEN_RETENTION_DAYS", 7),
                       ("LOG_RETENTION_MONTHS", 24)):
        monkeypatch.setitem(app.config, key, value)
    text = both_languages(client, "retention")
    assert "jusqu'à 6 mois après" in text["fr"] and "45 jours" in text["fr"] and "7 jours" in text["fr"] \
        and "après 24 mois" in text["fr"]
    assert "6 أشهر بعد تاريخ اللقاء" in text["ar"] and "45 يومًا" in text["ar"] and "7 أيام" in text["ar"] \
        and "24 شهرًا" in text["ar"]


def test_registrations_are_anonymised_retention_months_after_the_event(app, client, runner, events, clock):
    text = both_languages(client, "retention")
    assert "anonymisée" in text["fr"] and "تُجهَّل هويته" in text["ar"]
    assert "votre lien personnel cesse de fonctionner" in text["fr"]
    registration = register(app, client, access_needs=["wheelchair"], access_needs_details="Rampe", consent_needs="y")
    path = manage_path(app, registration)
    with app.app_context():
        db.session.add(InternalNote(registration_id=registration.id, created_at=clock.now, body="Note"))
        db.session.commit()
    end = dt.datetime.combine(add_months(event_of(app).starts_on, app.config["RETENTION_MONTHS"]), dt.time())

    clock.now = end - dt.timedelta(days=1)
    purge(runner)
    [kept] = registrations(app)
    assert kept.anonymised_at is None and kept.email == "amina@example.org"
    assert client.get(path).status_code == 200

    clock.now = end + dt.timedelta(days=1)
    purge(runner)
    [gone] = registrations(app)
    assert gone.anonymised_at is not None
    assert (gone.first_name, gone.last_name, gone.phone, gone.organization, gone.city) == ("—", "—", "", "", "")
    assert "amina" not in gone.email and gone.access_needs == [] and gone.access_needs_details == ""
    # What the statistics count stays.
    assert (gone.status, gone.gender, gone.age_band, gone.organization_type) == ("pending", "female", "25_34",
                                                                                  "association")
    assert gone.province_code == registration.province_code and gone.workshop_id == registration.workshop_id
    with app.app_context():
        assert db.session.scalar(select(InternalNote.id)) is None
        assert all(h.reason == "" for h in db.session.get(Registration, gone.id).history)
    assert all("Amina" not in (m.body_text or "") and "amina@" not in m.to_address for m in outbox(app))
    assert client.get(path).status_code == 404


def test_copies_of_sent_mail_are_blanked_after_mail_retention_days(app, client, runner, events, clock, smtp_server):
    text = both_languages(client, "retention")
    assert "Les copies des messages envoyés perdent leur destinataire et leur contenu au plus tard 90 jours" in text["fr"]
    assert "نسخ الرسائل المرسلة يُحذف منها المرسَل إليه ومضمونها في أجل أقصاه 90 يومًا" in text["ar"]
    register(app, client)
    deliver_until_done(app)
    [sent] = outbox(app)
    assert sent.status == "sent" and "Amina" in sent.body_text
    clock.advance(days=app.config["MAIL_RETENTION_DAYS"] - 1)
    purge(runner)
    assert "Amina" in outbox(app)[0].body_text
    clock.advance(days=2)
    purge(runner)
    [blanked] = outbox(app)
    assert blanked.status == "sent" and blanked.body_text == "" and blanked.subject == ""
    assert blanked.to_address == "erased@invalid"


def test_settled_waiting_list_offers_are_deleted_after_token_retention_days(app, client, runner, events, clock):
    text = both_languages(client, "retention")
    assert "offre de place (liste d'attente) sont supprimés 30 jours après avoir été utilisés ou avoir expiré" \
        in text["fr"]
    assert "روابط عروض المقاعد (لائحة الانتظار) تُحذف بعد 30 يومًا" in text["ar"]
    [registration_id] = make_registrations(app, events[SLUG], 1, status="waitlisted")
    with app.app_context():
        offer, _ = WaitlistOffer.make(db.session.get(Registration, registration_id), clock.now,
                                      dt.timedelta(hours=48))
        offer.status, offer.resolved_at = "expired", clock.now
        db.session.add(offer)
        db.session.commit()
    clock.advance(days=app.config["TOKEN_RETENTION_DAYS"] - 1)
    purge(runner)
    with app.app_context():
        assert db.session.scalar(select(WaitlistOffer.id)) is not None
    clock.advance(days=2)
    purge(runner)
    with app.app_context():
        assert db.session.scalar(select(WaitlistOffer.id)) is None


def test_export_logs_are_deleted_after_log_retention_months(app, client, runner, events, auth, clock):
    text = both_languages(client, "retention")
    assert "Les journaux des exports (qui a exporté quelle liste, et quand) sont supprimés après 12 mois" in text["fr"]
    assert "سجلات التصدير (من صدّر أي لائحة ومتى) تُحذف بعد 12 شهرًا" in text["ar"]
    coordinator = auth.sign_in("coordinator", SLUG)
    assert coordinator.get(f"/review/events/{events[SLUG]}/export.csv").status_code == 200
    start = clock.now
    clock.now = dt.datetime.combine(add_months(start.date(), app.config["LOG_RETENTION_MONTHS"]), dt.time()) \
        - dt.timedelta(days=1)
    purge(runner)
    with app.app_context():
        assert db.session.scalar(select(ExportLog.id)) is not None
    clock.now = dt.datetime.combine(add_months(start.date(), app.config["LOG_RETENTION_MONTHS"]), dt.time()) \
        + dt.timedelta(days=2)
    purge(runner)
    with app.app_context():
        assert db.session.scalar(select(ExportLog.id)) is None


# --- rights -----------------------------------------------------------------------------------
def test_right_of_access_the_manage_page_and_a_copy_of_ones_data(app, client, events):
    for lang, text in both_languages(client, "rights").items():
        assert ("droit d'accès, de rectification, d'opposition et d'effacement" if lang == "fr"
                else "الحق في الولوج والتصحيح والتعرض والمحو") in text, lang
        assert "JSON" in text
    registration = register(app, client, phone="0612345678", city="Berkane")
    path = manage_path(app, registration)
    page = client.get(path).get_data(as_text=True)
    for value in (registration.reference, "Amina", "El Idrissi", "amina@example.org", "0612345678", "Berkane",
                  "Association Tawasol"):
        assert value in page, value
    copy = json.loads(client.get(f"{path}/data.json").get_data(as_text=True))
    assert copy["email"] == "amina@example.org" and copy["city"] == "Berkane" and copy["status_history"]
    # The link comes again when the person registers again with the same address.
    assert post_registration(client, SLUG, valid_registration(app, SLUG)).status_code == 303
    again = manage_path(app, registration)
    assert again != path and client.get(again).status_code == 200


def test_right_of_rectification_needs_by_oneself_the_rest_by_registering_again(app, client, events):
    text = both_languages(client, "rights")
    assert "modifier vous-même vos besoins d'accessibilité et vos demandes de prise en charge" in text["fr"]
    assert "annulez votre inscription et inscrivez-vous de nouveau" in text["fr"]
    assert "ألغوا تسجيلكم وسجلوا من جديد" in text["ar"]
    registration = register(app, client, first_name="Amna")
    path = manage_path(app, registration)
    done = submit_form(client, path, {"access_needs": ["braille"], "consent_needs": "y", "travel_support": "y"})
    assert done.status_code == 303
    [updated] = registrations(app)
    assert updated.access_needs == ["braille"] and updated.travel_support
    assert submit_form(client, f"{path}/cancel", {}).status_code == 303
    corrected = register(app, client, first_name="Amina")
    assert corrected.first_name == "Amina" and corrected.status == "pending"


def test_withdrawing_the_health_data_consent_erases_the_needs(app, client, events):
    text = both_languages(client, "rights")
    assert "vos besoins d'accessibilité sont alors effacés" in text["fr"]
    assert "فتُمحى احتياجاتكم المتعلقة بالولوجيات" in text["ar"]
    registration = register(app, client, access_needs=["wheelchair"], access_needs_details="Rampe", consent_needs="y")
    assert submit_form(client, manage_path(app, registration), {}).status_code == 303
    [updated] = registrations(app)
    assert updated.access_needs == [] and updated.access_needs_details == "" and updated.consent_needs_at is None


def test_right_to_object_by_cancelling_or_by_writing(app, client, events, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "donnees@mtnra.example.ma")
    text = both_languages(client, "rights")
    assert "Pour vous opposer à une utilisation particulière de vos données, écrivez à donnees@mtnra.example.ma" \
        in text["fr"]
    assert "وللتعرض على استعمال معين لمعطياتكم، اكتبوا إلى donnees@mtnra.example.ma" in text["ar"]
    registration = register(app, client)
    assert submit_form(client, f"{manage_path(app, registration)}/cancel", {}).status_code == 303
    [cancelled] = registrations(app)
    assert cancelled.status == "cancelled"


def test_right_to_erasure_by_the_person_and_by_the_ministry_on_request(app, client, events, auth):
    text = both_languages(client, "rights")
    assert "effacer définitivement votre inscription" in text["fr"]
    assert "retrouve toutes vos inscriptions, à tous les événements, par votre adresse e-mail" in text["fr"]
    assert "تبحث الوزارة عن جميع تسجيلاتكم، في كل اللقاءات" in text["ar"]
    # By oneself, with the link.
    registration = register(app, client)
    assert submit_form(client, f"{manage_path(app, registration)}/erase", {}).status_code == 200
    assert registrations(app) == []
    assert all("Amina" not in (m.body_text or "") for m in outbox(app))
    # By the ministry, on request: every event, one address.
    register(app, client, SLUG)
    register(app, client, "fes-meknes")
    admin = auth.sign_in("admin", client=app.test_client())
    copy = json.loads(admin.get("/people/data.json?email=amina@example.org").get_data(as_text=True))
    assert len(copy) == 2
    page = admin.get("/people/?email=amina@example.org").get_data(as_text=True)
    erased = admin.post("/people/erase", data={"email": "amina@example.org", "csrf_token": csrf_token(page)})
    assert erased.status_code == 303
    assert registrations(app) == []


# --- minors -----------------------------------------------------------------------------------
def test_minors_register_with_the_agreement_of_a_parent_or_guardian(app, client, events):
    text = both_languages(client, "minors")
    assert "avec l'accord de l'un de ses parents ou de son tuteur légal" in text["fr"]
    assert "بموافقة أحد والديه أو نائبه الشرعي" in text["ar"]
    for lang, message in (("fr", "Vous avez moins de 18 ans"), ("ar", "عمركم أقل من 18 سنة")):
        client.set_cookie("portal_lang", lang)
        refused = post_registration(client, SLUG, valid_registration(app, SLUG, age_band="under_18"))
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422 and message in page and 'href="#guardian_consent"' in page, lang
    assert registrations(app) == []
    client.set_cookie("portal_lang", "fr")
    minor = register(app, client, age_band="under_18", guardian_consent="y")
    assert minor.age_band == "under_18"
    adult = register(app, client, email="karim@example.org")  # the box concerns minors only
    assert adult.age_band == "25_34"


# --- cookies ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_language_cookie_lasts_a_year(app, client, lang):
    text = section(notice(client, lang), "purposes")
    assert ("pendant un an" if lang == "fr" else "لمدة سنة") in text
    response = client.get(f"/language/{lang}")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("portal_lang=")]
    assert f"Max-Age={365 * 24 * 3600}" in cookie


def test_months_of_the_security_log_are_deleted_after_log_retention_months(app, client, runner, clock):
    import os

    from portal.security_log import log_path, security_event
    text = both_languages(client, "retention")
    assert "Le journal de sécurité" in text["fr"] and "supprimé mois par mois après 12 mois" in text["fr"]
    assert "سجل الأمان" in text["ar"] and "بعد 12 شهرًا" in text["ar"]
    clock.now = dt.datetime(2027, 3, 10, 9, 0)
    with app.test_request_context("/"):
        security_event("forbidden", user=None)
    march = log_path(app)
    clock.now = dt.datetime(2028, 3, 31, 9, 0)  # March 2027 is within the last 12 months
    purge(runner)
    assert os.path.exists(march)
    clock.now = dt.datetime(2028, 4, 1, 9, 0)
    purge(runner)
    assert not os.path.exists(march)


def test_the_notice_says_the_questionnaire_is_anonymous(client):
    """The questionnaire after the event (tests/test_feedback.py) keeps no link to the person: the
    notice says so, in both languages, among the purposes."""
    purposes = both_languages(client, "purposes")
    assert "Le questionnaire après l'événement" in purposes["fr"] and "vos réponses sont anonymes" in purposes["fr"]
    assert "الاستبيان بعد اللقاء" in purposes["ar"] and "مجهولة الهوية" in purposes["ar"]

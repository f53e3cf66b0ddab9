"""Dietary needs (issue 10, item 5): an optional question of the registration form and of the manage
page; the health diets (no gluten, diabetic-friendly, other) are kept only with the consent that
covers the access needs, shown only to roles that may see health data, absent from the partners'
version; the logistics sheet counts each diet per meal among the approved participants. Figures by hand."""
import csv
import io
import re
from html import unescape
from types import SimpleNamespace

from sqlalchemy import select

from portal.clock import utcnow
from portal.events.logistics import meals_of
from portal.events.models import Event
from portal.extensions import db
from portal.organizing.logistics_counts import logistics_sheet
from portal.registration.models import Registration, RegistrationDiet
from portal.registration.operations import _set_needs
from tests.support.data import mailed_manage_path, registrations
from tests.support.web import csrf_token, post_registration, squeeze, valid_registration

SLUG = "oriental"


def text_of(html: str) -> str:
    return squeeze(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " "))


def register(app, client, email, **answers):
    response = post_registration(client, SLUG, valid_registration(app, SLUG, email=email, **answers))
    return response


def approve(app, *emails):
    with app.app_context():
        for registration in db.session.scalars(select(Registration).where(Registration.email.in_(emails))):
            registration.change_status("approved", utcnow())
        db.session.commit()


def diets_of(app, email) -> tuple[list[str], str, bool]:
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(Registration.email == email))
        return registration.diets, registration.diet_details, registration.consent_needs_at is not None


def meal_rows(html: str) -> list[list[str]]:
    """The cells of the meals table's rows (the table after the "Repas et pauses" heading)."""
    section = html.split('id="meals-title"', 1)[1].split("</table>", 1)[0]
    body = section.split("<tbody>", 1)[1]
    return [[text_of(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def test_health_diets_need_the_needs_consent_and_vegetarian_does_not(app, client, events):
    # Vegetarian alone: no consent asked, kept as said.
    assert register(app, client, "vege@example.org", diets=["vegetarian"]).status_code == 303
    assert diets_of(app, "vege@example.org") == (["vegetarian"], "", False)
    # Diabetic without the consent: refused, the summary points to the consent, nothing is kept.
    refused = register(app, client, "diab@example.org", diets=["diabetic", "vegetarian"])
    assert refused.status_code == 422 and 'href="#consent_needs"' in refused.get_data(as_text=True)
    assert [r.email for r in registrations(app)] == ["vege@example.org"]
    # "Other" needs its words; with them and the consent, every diet is kept.
    refused = register(app, client, "autre@example.org", diets=["other"], consent_needs="y")
    assert refused.status_code == 422 and 'href="#diet_details"' in refused.get_data(as_text=True)
    assert register(app, client, "autre@example.org", diets=["other", "gluten_free"], diet_details="Sans lactose",
                    consent_needs="y").status_code == 303
    assert diets_of(app, "autre@example.org") == (["gluten_free", "other"], "Sans lactose", True)
    # A forged value is refused.
    assert register(app, client, "x@example.org", diets=["halal"]).status_code == 422


def test_without_consent_the_operation_keeps_no_health_diet(app, events):
    """Whatever a form lets through, the operation keeps no health diet without the consent."""
    with app.app_context():
        registration = Registration(consent_needs_at=None)
        form = SimpleNamespace(
            access_needs=SimpleNamespace(data=[]), access_needs_details=SimpleNamespace(data=""),
            consent_needs=SimpleNamespace(data=False), diets=SimpleNamespace(data=["diabetic", "vegetarian", "other"]),
            diet_details=SimpleNamespace(data="Diabète de type 1"), declares_needs=lambda: False)
        _set_needs(registration, form, utcnow())
        assert registration.diets == ["vegetarian"] and registration.diet_details == ""
        assert registration.consent_needs_at is None


def test_the_registrant_changes_their_diet_on_the_manage_page(app, client, events, smtp_server):
    assert register(app, client, "amina@example.org", diets=["diabetic"], consent_needs="y").status_code == 303
    link = mailed_manage_path(app)
    page = client.get(link).get_data(as_text=True)
    assert 'name="diets" value="diabetic"\n          checked' in page or re.search(
        r'name="diets" value="diabetic"\s+checked', page)
    # Withdrawing the consent while keeping the diabetic diet: refused, nothing changes.
    refused = client.post(link, data={"csrf_token": csrf_token(page), "diets": ["diabetic", "vegetarian"]})
    assert refused.status_code == 422 and 'href="#consent_needs"' in refused.get_data(as_text=True)
    assert diets_of(app, "amina@example.org") == (["diabetic"], "", True)
    # Vegetarian only, consent withdrawn: the health diet is gone, and the consent with it.
    done = client.post(link, data={"csrf_token": csrf_token(page), "diets": ["vegetarian"]})
    assert done.status_code == 303
    assert diets_of(app, "amina@example.org") == (["vegetarian"], "", False)
    # Their own copy of their data says it.
    assert client.get(f"{link}/data.json").get_json()["diets"] == ["vegetarian"]


def test_logistics_sheet_counts_each_diet_per_meal_among_the_approved(app, client, auth, events):
    """Registered through the form, then approved: 5 approved, of whom 2 vegetarian (one also without
    gluten), 1 diabetic with consent, 1 who asked for a diabetic meal without the consent (refused,
    then registered without it), 1 with nothing. Besides them, a pending vegetarian and a rejected
    diabetic do not count. So each meal: vegetarian 2, no gluten 1, diabetic 1, other 0."""
    approved = ["a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org"]
    assert register(app, client, approved[0], diets=["vegetarian"]).status_code == 303
    assert register(app, client, approved[1], diets=["vegetarian", "gluten_free"], consent_needs="y").status_code == 303
    assert register(app, client, approved[2], diets=["diabetic"], consent_needs="y").status_code == 303
    assert register(app, client, approved[3], diets=["diabetic"]).status_code == 422  # no consent: not kept
    assert register(app, client, approved[3]).status_code == 303
    assert register(app, client, approved[4]).status_code == 303
    assert register(app, client, "pending@example.org", diets=["vegetarian"]).status_code == 303
    assert register(app, client, "rejected@example.org", diets=["diabetic"], consent_needs="y").status_code == 303
    approve(app, *approved)
    with app.app_context():
        rejected = db.session.scalar(select(Registration).where(Registration.email == "rejected@example.org"))
        rejected.change_status("rejected", utcnow())
        db.session.commit()
        meals = meals_of(events[SLUG])
        assert meals, "the demo agenda has meals"
        meal_count = len(meals)
    coordinator = auth.sign_in("coordinator", SLUG)
    html = coordinator.get(f"/organizing/events/{events[SLUG]}/logistics").get_data(as_text=True)
    header = html.split('id="meals-title"', 1)[1].split("</thead>", 1)[0]
    assert [text_of(h).strip() for h in re.findall(r"<th scope=\"col\">(.*?)</th>", header, re.DOTALL)][-4:] == [
        "Dont : Végétarien", "Dont : Sans gluten", "Dont : Adapté au diabète", "Dont : Autre régime (précisez ci-dessous)"]
    rows = meal_rows(html)
    assert len(rows) == meal_count
    for row in rows:
        assert row[-4:] == ["2", "1", "1", "0"]
    # A reader without the right to see health data would get the vegetarian count only.
    with app.app_context():
        sheet = logistics_sheet(db.session.get(Event, events[SLUG]), can_see_health=False)
        assert sheet.diets_shown == ("vegetarian",)
        assert all(meal.diets == {"vegetarian": 2} for meal in sheet.meals)


def test_observers_see_no_health_diet_anywhere(app, client, auth, events):
    assert register(app, client, "amina@example.org", diets=["vegetarian", "diabetic", "other"],
                    diet_details="Sans lactose", consent_needs="y").status_code == 303
    [registration] = registrations(app)
    event_id = events[SLUG]
    participant = f"/review/events/{event_id}/participants/{registration.id}"
    coordinator = auth.sign_in("coordinator", SLUG, client=app.test_client())
    page = text_of(coordinator.get(participant).get_data(as_text=True))
    assert "Régime alimentaire Végétarien, Adapté au diabète, Autre régime (précisez ci-dessous) Sans lactose" in page
    full = list(csv.reader(io.StringIO(coordinator.get(f"/review/events/{event_id}/export.csv").get_data(
        as_text=True)[1:])))
    row = dict(zip(full[0], full[1]))
    assert row["Régime alimentaire"] == "Végétarien, Adapté au diabète, Autre régime (précisez ci-dessous)" and row["Précisions sur le régime"] == "Sans lactose"

    observer = auth.sign_in("observer", SLUG, client=app.test_client())
    page = text_of(observer.get(participant).get_data(as_text=True))
    assert "Régime alimentaire Végétarien" in page
    assert "diabète" not in page.lower() and "Sans lactose" not in page and "Autre régime" not in page
    for columns in ("full", "partners"):
        body = observer.get(f"/review/events/{event_id}/export.csv?columns={columns}").get_data(as_text=True)
        rows = list(csv.reader(io.StringIO(body[1:])))
        row = dict(zip(rows[0], rows[1]))
        assert row["Régime alimentaire"] == "Végétarien"
        assert "diabète" not in body and "Autre régime" not in body and "Sans lactose" not in body and "Précisions sur le régime" not in rows[0]
    # The partners' version asked for by a coordinator: vegetarian only, too.
    body = coordinator.get(f"/review/events/{event_id}/export.csv?columns=partners").get_data(as_text=True)
    assert "diabète" not in body and "Sans lactose" not in body and "Végétarien" in body
    # The logistics sheet is not theirs at all.
    assert observer.get(f"/organizing/events/{event_id}/logistics").status_code in (403, 404)
    # The arabic page says nothing either.
    observer.set_cookie("portal_lang", "ar")
    page = observer.get(participant).get_data(as_text=True)
    assert "Sans lactose" not in page and "السكري" not in page


def test_erasure_forgets_the_diets(app, client, events, smtp_server):
    assert register(app, client, "amina@example.org", diets=["vegetarian", "gluten_free", "other"],
                    diet_details="Sans lactose", consent_needs="y").status_code == 303
    link = mailed_manage_path(app)
    page = client.get(f"{link}/erase").get_data(as_text=True)
    assert client.post(f"{link}/erase", data={"csrf_token": csrf_token(page)}).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(RegistrationDiet)).all() == []
        assert db.session.scalars(select(Registration)).all() == []


def test_the_privacy_notice_says_what_becomes_of_the_diets(client, events):
    """The promise (the tests above prove it): health diets under the needs' consent, unseen by partners."""
    french = text_of(client.get("/privacy").get_data(as_text=True))
    assert "nous ne les gardons qu'avec le même consentement que les besoins d'accessibilité, les partenaires ne les voient pas" in french
    client.set_cookie("portal_lang", "ar")
    arabic = text_of(client.get("/privacy").get_data(as_text=True))
    assert "لا نحتفظ بها إلا بنفس الموافقة التي تخص الاحتياجات المتعلقة بالولوجيات، ولا يطّلع عليها الشركاء" in arabic

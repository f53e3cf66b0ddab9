"""Issue 10, item 7: the cost estimate. An event's budget, line by line, equals the total computed
by hand from the unit costs (the plan's, one overridden by the event) and the live counts; it moves
by the right amount when an approved person with a grant cancels; only admins set unit costs."""
import datetime as dt
import io
import re
from html import unescape

import pytest

from portal.events.models import Event, EventRole
from portal.events.support import DEFAULT_RULES, save_rules
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.data import cancel_through_manage_link, make_registrations
from tests.support.web import csrf_token, submit_form

FES, OUJDA, DAKHLA = "03.231", "02.411", "12.391"
APPROVED = dt.datetime(2026, 11, 2, 9, 0)
PLAN_COSTS = {"room_day": 2000, "equipment_projector": 500, "meal_break": 30, "meal_meal": 120,
              "travel_zone_1": 100, "travel_zone_2": 300, "travel_zone_3": 800, "night": 450,
              "interpreter_day": 1500, "printing": 20}


def text_of(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def total_of(client, event_id) -> int:
    html = client.get(f"/organizing/events/{event_id}/budget").get_data(as_text=True)
    [total] = re.findall(r'id="budget-total">([^<]+)<', html)
    return int(re.sub(r"\D", "", unescape(total)))


@pytest.fixture
def small_event(app, events):
    """Fès-Meknès held in Fès, default rules, no roles; the demo agenda has one coffee break and one
    lunch. 5 approved: one from Oujda (zone 2) asking for travel and a night, one from Dakhla (zone 3)
    asking for travel only, three from Fès asking for nothing."""
    event_id = events["fes-meknes"]
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.province_code = FES
        db.session.execute(db.delete(EventRole).where(EventRole.event_id == event_id))
        save_rules(event, DEFAULT_RULES, None, APPROVED)
        db.session.commit()
    [oujda] = make_registrations(app, event_id, 1, status="approved", province_code=OUJDA,
                                 travel_support=True, accommodation_support=True)
    [dakhla] = make_registrations(app, event_id, 1, status="approved", province_code=DAKHLA,
                                  travel_support=True, accommodation_support=False)
    make_registrations(app, event_id, 3, status="approved", province_code=FES)
    with app.app_context():
        for registration in db.session.scalars(db.select(Registration).where(Registration.event_id == event_id)):
            registration.status_changed_at = APPROVED
        db.session.commit()
    return {"event": event_id, "oujda": oujda, "dakhla": dakhla}


def _set_up_as_admin(client, event_id):
    assert submit_form(client, "/organizing/budget", PLAN_COSTS, action="/organizing/budget/costs").status_code == 303
    page = f"/organizing/events/{event_id}/budget"
    # The event pays its lunch 150 instead of the plan's 120.
    assert submit_form(client, page, {"meal_meal": "150"}, action=f"{page}/costs").status_code == 303
    logistics = f"/organizing/events/{event_id}/logistics"
    assert submit_form(client, logistics, {"room": "plenary", "room-plenary-name": "Salle A", "room-plenary-seats": "40",
                                           "room-plenary-equipment": ["projector"]},
                       action=f"{logistics}/rooms").status_code == 303
    grants = f"/organizing/events/{event_id}/grants"
    assert submit_form(client, grants, {}, action=f"{grants}/confirm").status_code == 303


def test_the_budget_equals_the_hand_total_and_follows_a_cancellation(app, auth, client, small_event):
    event_id = small_event["event"]
    auth.sign_in("admin")
    _set_up_as_admin(client, event_id)
    # By hand: 1 room × 2000 + 1 projector × 500 + coffee break 5 × 30 + lunch 5 × 150 (the event's price)
    # + travel zone 2: 1 × 300 + zone 3: 1 × 800 + 1 night × 450 + no interpreter + printing 5 × 20.
    assert total_of(client, event_id) == 2000 + 500 + 150 + 750 + 300 + 800 + 450 + 0 + 100 == 5050
    page = f"/organizing/events/{event_id}/budget"
    assert submit_form(client, page, {"label_fr": "Banderole", "label_ar": "لافتة", "quantity": "2", "unit_cost": "250"},
                       action=f"{page}/lines").status_code == 303
    assert total_of(client, event_id) == 5050 + 500
    text = text_of(client.get(page).get_data(as_text=True))
    assert "Banderole 2 250 500" in text and "Déplacement, forfait zone 2 1 300 300" in text

    # The person from Oujda cancels through their manage link: their travel (300), their night (450),
    # a coffee break (30), a lunch (150) and a printed set (20) go: 950 less.
    visitor = app.test_client()
    assert cancel_through_manage_link(app, visitor, small_event["oujda"]).status_code == 303
    assert total_of(client, event_id) == 5550 - 950


def test_the_plan_shows_each_event_and_the_total(app, auth, client, events, small_event):
    auth.sign_in("admin")
    _set_up_as_admin(client, small_event["event"])
    html = client.get("/organizing/budget").get_data(as_text=True)
    [total] = re.findall(r'id="plan-total">([^<]+)<', html)
    # The plan's total is the sum of its events' (the others' meals count their confirmed speakers).
    totals = {slug: total_of(client, event_id) for slug, event_id in events.items()}
    assert totals["fes-meknes"] == 5050
    assert int(re.sub(r"\D", "", unescape(total))) == sum(totals.values())
    response = client.get("/organizing/budget.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    from openpyxl import load_workbook
    workbook = load_workbook(io.BytesIO(response.data))
    summary = workbook.worksheets[0]
    assert summary.cell(summary.max_row, 3).value == sum(totals.values())


def test_the_xlsx_is_formula_safe(app, auth, client, small_event):
    event_id = small_event["event"]
    auth.sign_in("admin")
    page = f"/organizing/events/{event_id}/budget"
    submit_form(client, page, {"label_fr": "=HYPERLINK(\"http://x\")", "quantity": "1", "unit_cost": "10"},
                action=f"{page}/lines")
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(client.get(f"{page}.xlsx").data)).worksheets[0]
    labels = [row[0].value for row in sheet.iter_rows()]
    assert "'=HYPERLINK(\"http://x\")" in labels
    assert sheet.cell(sheet.max_row, 4).value == 10


def test_a_coordinator_reads_the_budget_but_may_not_set_unit_costs(app, auth, client, events):
    event_id = events["oriental"]
    auth.sign_in("coordinator", organization="ACODEC")
    page = f"/organizing/events/{event_id}/budget"
    html = client.get(page).get_data(as_text=True)
    assert "Total estimé" in html and "Enregistrer les coûts unitaires" not in html
    token = csrf_token(html)
    assert client.post(f"{page}/costs", data={"csrf_token": token, "night": "1"}).status_code == 403
    assert client.post("/organizing/budget/costs", data={"csrf_token": token, "night": "1"}).status_code == 403


def test_an_impossible_unit_cost_is_refused_and_nothing_changes(app, auth, client, events):
    event_id = events["oriental"]
    auth.sign_in("admin")
    page = f"/organizing/events/{event_id}/budget"
    response = submit_form(client, page, {"night": "-5", "printing": "3"}, action=f"{page}/costs")
    assert response.status_code == 422 and "Indiquez un montant entier" in response.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert 'name="printing" type="number" value="3"' not in html and "Vide\u202f: le prix du plan" in html


def test_after_the_day_the_committed_budget_follows_attendance(app, auth, client, clock, small_event):
    """Issue 10, item 7 with issue 11's attendance: estimated from approvals and grants, committed from
    who came, line by line, figures computed by hand; the XLSX carries both."""
    event_id = small_event["event"]
    with app.app_context():
        starts_on = db.session.get(Event, event_id).starts_on
    clock.now = dt.datetime.combine(starts_on, dt.time(8, 0))  # the morning of the day
    auth.sign_in("admin")
    _set_up_as_admin(client, event_id)
    page = f"/organizing/events/{event_id}/budget"
    assert re.findall(r'id="budget-committed-total">([^<]+)<', client.get(page).get_data(as_text=True)) == ["—"]
    # At the door: Dakhla's traveller and two people from Fès come; Oujda's traveller does not.
    with app.app_context():
        fes = list(db.session.scalars(db.select(Registration.id).where(
            Registration.event_id == event_id, Registration.province_code == FES).order_by(Registration.id)))[:2]
    door = f"/review/events/{event_id}/check-in"
    token = csrf_token(client.get(door).get_data(as_text=True))
    for registration_id in [small_event["dakhla"], *fes]:
        assert client.post(f"{door}/{registration_id}/present", data={"csrf_token": token}).status_code == 303
    # On the day itself the committed budget is not known yet; the day after it is.
    clock.advance(minutes=20)
    assert "—" in re.findall(r'id="budget-committed-total">([^<]+)<', client.get(page).get_data(as_text=True))[0]
    clock.now = dt.datetime.combine(starts_on + dt.timedelta(days=1), dt.time(9, 0))
    auth.sign_in("admin")
    html = client.get(page).get_data(as_text=True)
    [committed] = re.findall(r'id="budget-committed-total">([^<]+)<', html)
    # By hand: room 2000 + projector 500 + coffee break 3 × 30 + lunch 3 × 150 + zone 2: 0 (Oujda absent)
    # + zone 3: 1 × 800 + nights 0 + no interpreter + printing 5 × 20 (printed before the day).
    assert int(re.sub(r"\D", "", unescape(committed))) == 2000 + 500 + 90 + 450 + 0 + 800 + 0 + 100 == 3940
    assert total_of(client, event_id) == 5050  # the estimate stays
    text = text_of(html)
    assert "Déplacement, forfait zone 2 1 300 300 0 0" in text
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(client.get(f"{page}.xlsx").data)).worksheets[0]
    assert [cell.value for cell in sheet[sheet.max_row]] == ["Total", None, None, 5050, None, 3940]
    plan = client.get("/organizing/budget").get_data(as_text=True)
    assert re.search(r"3\D?940", text_of(plan))

"""Attendance feeds the figures (issue 11, item 4; issue 10, item 8): the inclusion report counts the
present after the day (and says so), the dashboard shows attendance rates by profile. By hand below."""
import datetime as dt
import re
from html import unescape

from portal.events.models import Event
from portal.extensions import db
from tests.support.data import make_registrations
from tests.support.web import csrf_token

SLUG = "oriental"
ELSEWHERE = "01.511"  # Tanger-Assilah, region 01: out of the event's region


def text_of(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def _check_in(client, event_id, ids):
    door = f"/review/events/{event_id}/check-in"
    token = csrf_token(client.get(door).get_data(as_text=True))
    for registration_id in ids:
        assert client.post(f"{door}/{registration_id}/present", data={"csrf_token": token}).status_code == 303


def test_after_the_day_the_inclusion_report_counts_the_present(app, auth, client, clock, events):
    event_id = events[SLUG]
    # 6 approved: women 0-3, men 4-5; 4 and 5 from elsewhere (out of region).
    ids = make_registrations(app, event_id, 6, status="approved", gender=lambda i: "female" if i < 4 else "male",
                             province_code=lambda i: ELSEWHERE if i >= 4 else "02.411", out_of_region=lambda i: i >= 4)
    with app.app_context():
        starts_on = db.session.get(Event, event_id).starts_on
    clock.now = dt.datetime.combine(starts_on, dt.time(8, 0))
    auth.sign_in("coordinator", event_id)
    before = text_of(client.get(f"/review/events/{event_id}/inclusion").get_data(as_text=True))
    assert "Participants comptés 6" in before and "Femmes 4 67 %" in before
    assert "compte les personnes approuvées" in before
    # Present: two women (0, 1) and the two men from elsewhere (4, 5): 4 present, 2 women = 50 %.
    _check_in(client, event_id, [ids[0], ids[1], ids[4], ids[5]])
    on_the_day = text_of(client.get(f"/review/events/{event_id}/inclusion").get_data(as_text=True))
    assert "Participants comptés 6" in on_the_day  # the day is not over: still the approved
    clock.now = dt.datetime.combine(starts_on + dt.timedelta(days=1), dt.time(9, 0))
    auth.sign_in("coordinator", event_id)
    after = text_of(client.get(f"/review/events/{event_id}/inclusion").get_data(as_text=True))
    assert "Le rapport compte les personnes présentes" in after
    assert "Participants comptés 4" in after and "Hors région 2" in after
    assert "Femmes 2 50 %" in after


def test_the_plan_report_says_which_events_count_the_present(app, auth, client, clock, events):
    own = events[SLUG]
    ids = make_registrations(app, own, 2, status="approved")
    make_registrations(app, events["fes-meknes"], 3, status="approved")
    with app.app_context():
        starts_on = db.session.get(Event, own).starts_on
    clock.now = dt.datetime.combine(starts_on, dt.time(8, 0))
    auth.sign_in("admin")
    _check_in(client, own, ids[:1])
    clock.now = dt.datetime.combine(starts_on + dt.timedelta(days=1), dt.time(9, 0))
    auth.sign_in("admin")
    text = text_of(client.get("/review/inclusion").get_data(as_text=True))
    with app.app_context():
        other_day = db.session.get(Event, events["fes-meknes"]).starts_on
    # Oriental counts its 1 present; Fès-Meknès its 3 approved (whether held or not, no attendance there).
    assert "présentes pour 1 événement passé" in text
    assert other_day and "Participants comptés 4" in text


def test_the_dashboard_shows_attendance_rates_by_profile(app, auth, client, events):
    event_id = events[SLUG]
    ids = make_registrations(app, event_id, 4, status="approved", gender=lambda i: "female" if i < 3 else "male",
                             age_band=lambda i: "25_34" if i < 2 else "35_49")
    auth.sign_in("coordinator", event_id)
    assert "Taux de présence par profil" not in client.get("/review/").get_data(as_text=True)
    _check_in(client, event_id, [ids[0], ids[3]])  # one woman of three, the man
    text = text_of(client.get("/review/").get_data(as_text=True))
    assert "Présents : 2 / 4 approuvés (50 %)" in text
    assert "Femme 1 3 33 %" in text and "Homme 1 1 100 %" in text
    assert "25 à 34 ans 1 2 50 %" in text and "35 à 49 ans 1 2 50 %" in text
    assert "Association 2 4 50 %" in text and "Oriental 2 4 50 %" in text

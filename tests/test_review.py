"""The associations' review: dashboard, filters, decisions within capacity, audit, waiting list."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.registration.models import Registration, SeatReservation, StatusChange, WaitlistOffer
from tests.support.data import cancel_through_manage_link, make_registrations, outbox, set_capacity
from tests.support.web import csrf_token

SLUG = "oriental"


@pytest.fixture
def coordinator(auth, events):
    """The test's client, signed in as a coordinator of ACODEC, which co-organises the event."""
    return auth.sign_in("coordinator", SLUG)


def decide(client, event_id, registration_ids, decision, reason="", headers=None, query=""):
    page = client.get(f"/review/events/{event_id}/participants?{query}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "decision": decision, "reason": reason,
            "registration": [str(i) for i in registration_ids], "return_query": query}
    return client.post(f"/review/events/{event_id}/decisions", data=data, headers=headers or {})


def statuses(app, ids):
    with app.app_context():
        return [db.session.get(Registration, i).status for i in ids]


def test_dashboard_shows_figures_for_the_coordinators_events_only(app, coordinator, events):
    make_registrations(app, events[SLUG], 3, travel_support=True)
    make_registrations(app, events["fes-meknes"], 2)
    html = coordinator.get("/review/").get_data(as_text=True)
    assert "2e événement de co-création" in html and "3e événement" not in html
    assert re.search(r"Places restantes</dt><dd>70 / 70", html)
    assert re.search(r"Déplacement demandé</dt><dd>3<", html)


def test_filters_live_in_the_query_string_and_combine(app, coordinator, events):
    event_id = events[SLUG]
    women = make_registrations(app, event_id, 4, gender="female", province_code="02.411", travel_support=True)
    make_registrations(app, event_id, 3, gender="male", province_code="02.411", travel_support=True)
    make_registrations(app, event_id, 2, gender="female", province_code="02.381")  # Nador, no travel
    url = f"/review/events/{event_id}/participants?gender=female&province=02.411&support=travel"
    html = coordinator.get(url).get_data(as_text=True)
    assert "Résultats : 4 personnes" in html
    for registration_id in women:
        assert f'id="row-{registration_id}"' in html
    # Negation: women NOT from Oujda-Angad.
    html = coordinator.get(f"/review/events/{event_id}/participants?gender=female&province=02.411&province_not=1").get_data(as_text=True)
    assert "Résultats : 2 personnes" in html
    # Several values of one filter match any of them.
    html = coordinator.get(f"/review/events/{event_id}/participants?province=02.411&province=02.381").get_data(as_text=True)
    assert "Résultats : 9 personnes" in html


def test_free_text_search_and_unknown_filter_values(app, coordinator, events):
    event_id = events[SLUG]
    make_registrations(app, event_id, 1, last_name="Benkirane", organization="Jeunes 100% actifs")
    make_registrations(app, event_id, 2)
    assert "Résultats : 1 personne" in coordinator.get(f"/review/events/{event_id}/participants?q=benkir").get_data(as_text=True)
    assert "Résultats : 1 personne" in coordinator.get(f"/review/events/{event_id}/participants?q=100%25").get_data(as_text=True)
    html = coordinator.get(f"/review/events/{event_id}/participants?status=bogus&province=99.999").get_data(as_text=True)
    assert "ignorées" in html and "Résultats : 3 personnes" in html


def test_sorting_and_pagination_keep_the_filters(app, coordinator, events):
    event_id = events[SLUG]
    make_registrations(app, event_id, 120, gender="female")
    html = coordinator.get(f"/review/events/{event_id}/participants?gender=female&sort=-name").get_data(as_text=True)
    assert "Page 1 sur 3" in html
    assert 'href="?gender=female&amp;sort=-name&amp;page=2"' in html
    names = re.findall(r">(Nom\d{5}) Prénom", html)
    assert names == sorted(names, reverse=True) and len(names) == 50


def test_approve_waitlist_reject_with_audit_and_reason(app, coordinator, events):
    event_id = events[SLUG]
    a, b, c = make_registrations(app, event_id, 3)
    assert decide(coordinator, event_id, [a], "approve", reason="Profil jeune").status_code == 303
    decide(coordinator, event_id, [b], "waitlist")
    decide(coordinator, event_id, [c], "reject", reason="Hors sujet")
    assert statuses(app, [a, b, c]) == ["approved", "waitlisted", "rejected"]
    with app.app_context():
        changes = db.session.scalars(select(StatusChange).where(StatusChange.registration_id == a)
                                     .order_by(StatusChange.id)).all()
        assert [(ch.from_status, ch.to_status) for ch in changes] == [(None, "pending"), ("pending", "approved")]
        assert changes[1].reason == "Profil jeune" and changes[1].actor_id is not None
    page = coordinator.get(f"/review/events/{event_id}/participants/{a}").get_data(as_text=True)
    assert "Profil jeune" in page and "acodec" in page


def test_decision_without_js_returns_to_the_same_filtered_list(app, coordinator, events):
    event_id = events[SLUG]
    [a] = make_registrations(app, event_id, 1)
    response = decide(coordinator, event_id, [a], "approve", query="gender=male&sort=-name")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/review/events/{event_id}/participants?gender=male&sort=-name")


def test_row_decision_with_htmx_returns_the_row_counters_and_announcement(app, coordinator, events):
    event_id = events[SLUG]
    [a] = make_registrations(app, event_id, 1)
    page = coordinator.get(f"/review/events/{event_id}/participants").get_data(as_text=True)
    response = coordinator.post(f"/review/events/{event_id}/participants/{a}/decision", headers={"HX-Request": "true"},
                                data={"csrf_token": csrf_token(page), "decision": "approve", "return_query": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-{a}">')
    assert 'id="counters" hx-swap-oob="true"' in html and re.search(r"Approuvées</dt><dd>1<", html)
    assert 'id="announce" role="status" aria-live="polite"' in html and "approuvé(e)" in html


def test_capacity_is_enforced_with_a_clear_message(app, coordinator, events):
    event_id = events[SLUG]
    set_capacity(app, event_id, 2)
    ids = make_registrations(app, event_id, 3)
    response = decide(coordinator, event_id, ids, "approve")
    assert statuses(app, ids) == ["approved", "approved", "pending"]
    follow = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Complet : les 2 places sont attribuées" in follow


def test_reserved_seats_hold_until_their_date(app, coordinator, events):
    event_id = events[SLUG]
    set_capacity(app, event_id, 3)
    with app.app_context():
        db.session.add(SeatReservation(event_id=event_id, group="disability", seats=2, until=dt.datetime(2100, 1, 1)))
        db.session.commit()
    others = make_registrations(app, event_id, 2)
    [with_need] = make_registrations(app, event_id, 1, access_needs=["wheelchair"])
    decide(coordinator, event_id, others, "approve")
    assert statuses(app, others) == ["approved", "pending"]  # 1 free seat, 2 held for the group
    decide(coordinator, event_id, [with_need], "approve")
    assert statuses(app, [with_need]) == ["approved"]
    with app.app_context():
        db.session.execute(SeatReservation.__table__.update().values(until=dt.datetime(2000, 1, 1)))
        db.session.commit()
    decide(coordinator, event_id, [others[1]], "approve")  # the reservation has ended
    assert statuses(app, others) == ["approved", "approved"]


def test_cancellation_offers_the_seat_to_the_first_waitlisted(app, client, coordinator, events):
    event_id = events[SLUG]
    set_capacity(app, event_id, 1)
    first, second, third = make_registrations(app, event_id, 3)
    decide(coordinator, event_id, [first], "approve")
    decide(coordinator, event_id, [second], "waitlist")
    decide(coordinator, event_id, [third], "waitlist")
    cancel_through_manage_link(app, client, first)
    [offer_mail] = [m for m in outbox(app) if "place s'est libérée" in m.subject]
    assert offer_mail.to_address.startswith("person") and "place s'est libérée" in offer_mail.subject
    link = re.search(r"http://portal\.example\.org(/offers/\S+)", offer_mail.body_text).group(1)
    with app.app_context():
        offer = db.session.scalar(select(WaitlistOffer))
        assert offer.registration_id == second and offer.status == "open"
        assert (offer.expires_at - offer.offered_at) == dt.timedelta(hours=48)
    # The coordinator cannot give the held seat away meanwhile.
    decide(coordinator, event_id, [third], "approve")
    assert statuses(app, [third]) == ["waitlisted"]
    accept_page = client.get(link).get_data(as_text=True)
    assert "J'accepte cette place" in accept_page
    client.post(link, data={"csrf_token": csrf_token(accept_page)})
    assert statuses(app, [second, third]) == ["approved", "waitlisted"]


def test_an_expired_offer_passes_to_the_next_person(app, client, coordinator, events):
    from portal.registration.waitlist import expire_waitlist_offers
    event_id = events[SLUG]
    set_capacity(app, event_id, 1)
    first, second, third = make_registrations(app, event_id, 3)
    decide(coordinator, event_id, [first], "approve")
    decide(coordinator, event_id, [second, third], "waitlist")
    with app.app_context():
        assert db.session.scalar(select(WaitlistOffer)) is None  # no seat was free: nothing offered
    cancel_through_manage_link(app, client, first)  # offered to `second`
    with app.app_context():
        db.session.execute(WaitlistOffer.__table__.update().values(expires_at=dt.datetime(2000, 1, 1)))
        db.session.commit()
        assert expire_waitlist_offers() == 1
        offers = db.session.scalars(select(WaitlistOffer).order_by(WaitlistOffer.id)).all()
        assert [(o.registration_id, o.status) for o in offers] == [(second, "expired"), (third, "open")]


def test_a_seat_freed_by_the_coordinator_is_theirs_to_give_by_hand(app, coordinator, events):
    event_id = events[SLUG]
    set_capacity(app, event_id, 1)
    first, second, third = make_registrations(app, event_id, 3)
    decide(coordinator, event_id, [first], "approve")
    decide(coordinator, event_id, [second, third], "waitlist")
    decide(coordinator, event_id, [first], "reject")
    decide(coordinator, event_id, [third], "approve")  # picked by hand, ahead of `second`
    assert statuses(app, [first, second, third]) == ["rejected", "waitlisted", "approved"]
    with app.app_context():
        assert db.session.scalar(select(WaitlistOffer)) is None


def test_internal_notes(app, coordinator, events):
    event_id = events[SLUG]
    [a] = make_registrations(app, event_id, 1)
    url = f"/review/events/{event_id}/participants/{a}"
    page = coordinator.get(url).get_data(as_text=True)
    assert coordinator.post(url + "/notes", data={"csrf_token": csrf_token(page), "body": ""}).status_code == 422
    coordinator.post(url + "/notes", data={"csrf_token": csrf_token(page), "body": "<b>Appeler</b> avant"})
    html = coordinator.get(url).get_data(as_text=True)
    assert "&lt;b&gt;Appeler&lt;/b&gt; avant" in html


def test_distribution_page_counts_by_region_and_province(app, coordinator, events):
    event_id = events[SLUG]
    make_registrations(app, event_id, 3, province_code="02.411", travel_support=True)
    ids = make_registrations(app, event_id, 2, province_code="09.001", out_of_region=True, accommodation_support=True)
    decide(coordinator, event_id, ids[:1], "approve")
    html = coordinator.get(f"/review/events/{event_id}/distribution").get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html
    assert re.search(r"Oujda-Angad</th><td>3</td><td>0</td><td>3</td><td>0</td>", html)
    assert re.search(r"Agadir[^<]*</th><td>2</td><td>1</td><td>0</td><td>2</td>", html)

"""Issue 10, item 3: the support granted to approved participants, proposed from the rules, confirmed
or overridden by a coordinator, following the approvals; seen by the participant on their manage page."""
import csv
import datetime as dt
import io
import re

from portal.events.budget import save_unit_costs
from portal.events.models import Event
from portal.events.support import DEFAULT_RULES, save_rules
from portal.extensions import db
from portal.registration.grants import event_grants
from portal.registration.models import Registration
from tests.support.data import issue_manage_path, make_registrations
from tests.support.web import submit_form

FES, MEKNES, OUJDA, DAKHLA = "03.231", "03.061", "02.411", "12.391"
APPROVED = dt.datetime(2026, 11, 2, 9, 0)


def _set_cap(app, event_id, cap):
    with app.app_context():
        save_rules(db.session.get(Event, event_id), {**DEFAULT_RULES, "cap": cap}, None, APPROVED)
        db.session.commit()


def _approved(app, event_id, count, province, *, first=0, needs=(), **fields):
    """`count` approved registrations asking for travel and accommodation, approved one minute apart
    from APPROVED + `first` minutes."""
    fields = {"travel_support": True, "accommodation_support": True, **fields}
    ids = make_registrations(app, event_id, count, status="approved", province_code=province,
                             access_needs=list(needs), **fields)
    with app.app_context():
        for index, registration_id in enumerate(ids):
            db.session.get(Registration, registration_id).status_changed_at = APPROVED + dt.timedelta(minutes=first + index)
        db.session.commit()
    return ids


def _grants(app, event_id):
    with app.app_context():
        grants = {g.registration.id: (g.status, g.travel, g.nights, g.room)
                  for g in event_grants(db.session.get(Event, event_id))}
        db.session.remove()
        return grants


def test_a_participant_from_oujda_at_a_fes_event_gets_travel_and_one_night(app, fes_event_with_rules):
    [oujda] = _approved(app, fes_event_with_rules, 1, OUJDA)
    [fes] = _approved(app, fes_event_with_rules, 1, FES, first=1)
    [meknes] = _approved(app, fes_event_with_rules, 1, MEKNES, first=2)
    [no_ask] = _approved(app, fes_event_with_rules, 1, DAKHLA, first=3, travel_support=False, accommodation_support=False)
    [wheelchair] = _approved(app, fes_event_with_rules, 1, DAKHLA, first=4, needs=["wheelchair"])
    grants = _grants(app, fes_event_with_rules)
    # By hand, default rules: travel for zones 1-3, one night for zones 2-3. Oujda (Oriental borders
    # Fès-Meknès): zone 2, travel and one night in a shared room. Fès: zone 0, nothing. Meknès: zone 1,
    # travel only. Dakhla without asking: nothing. Dakhla in a wheelchair: zone 3, a single room.
    assert grants[oujda] == ("proposed", True, 1, "shared")
    assert grants[fes] == ("none", False, 0, "")
    assert grants[meknes] == ("proposed", True, 0, "")
    assert grants[no_ask] == ("none", False, 0, "")
    assert grants[wheelchair] == ("proposed", True, 1, "single")


def test_a_cap_of_10_with_14_eligible_grants_the_10_by_priority(app, fes_event_with_rules):
    _set_cap(app, fes_event_with_rules, 10)
    # Approved first, from outside the event's region, no need declared: last by priority but first approved.
    outside = _approved(app, fes_event_with_rules, 6, OUJDA, first=0)
    in_region = _approved(app, fes_event_with_rules, 5, MEKNES, first=10)
    with_need = _approved(app, fes_event_with_rules, 3, OUJDA, first=20, needs=["braille"])
    grants = _grants(app, fes_event_with_rules)
    granted = {rid for rid, grant in grants.items() if grant[0] == "proposed"}
    # By hand: the 3 with a need, then the 5 of the region (Fès-Meknès), then the 2 approved first.
    assert granted == set(with_need) | set(in_region) | set(outside[:2])
    assert {grants[rid][0] for rid in outside[2:]} == {"beyond_cap"}
    assert len(grants) == 14


def test_a_cancellation_frees_a_grant_for_the_next_eligible_person(app, fes_event_with_rules, clock):
    _set_cap(app, fes_event_with_rules, 2)
    first, second, third = _approved(app, fes_event_with_rules, 3, OUJDA)
    assert [_grants(app, fes_event_with_rules)[rid][0] for rid in (first, second, third)] == ["proposed", "proposed", "beyond_cap"]
    with app.app_context():
        db.session.get(Registration, second).change_status("cancelled", clock.now)
        db.session.commit()
    grants = _grants(app, fes_event_with_rules)
    assert second not in grants
    assert (grants[first][0], grants[third][0]) == ("proposed", "proposed")


def test_a_coordinator_confirms_in_bulk_and_overrides_one_with_a_reason_kept_in_history(app, auth, client, fes_event_with_rules):
    _, other = _approved(app, fes_event_with_rules, 2, OUJDA)
    auth.sign_in("admin")
    url = f"/organizing/events/{fes_event_with_rules}/grants"
    page = client.get(url).get_data(as_text=True)
    assert "Confirmer les 2 propositions" in page and "Proposée" in page
    assert submit_form(client, url, {}, action=f"{url}/confirm").status_code == 303
    assert {grant[0] for grant in _grants(app, fes_event_with_rules).values()} == {"confirmed"}
    refused = submit_form(client, url, {"registration_id": str(other), "travel": "y", "nights": "2", "reason": ""},
                          action=f"{url}/override")
    assert refused.status_code == 422 and "Indiquez la raison de cette décision." in refused.get_data(as_text=True)
    answer = submit_form(client, url, {"registration_id": str(other), "nights": "2", "reason": "Vient en train payé"},
                         action=f"{url}/override")
    assert answer.status_code == 303
    assert _grants(app, fes_event_with_rules)[other] == ("overridden", False, 2, "shared")
    with app.app_context():
        history = [change.reason for change in db.session.get(Registration, other).history]
    assert history[-1] == "Prise en charge : déplacement non, 2 nuits (Vient en train payé)"
    assert "Vient en train payé" in client.get(url).get_data(as_text=True)


def test_the_manage_page_shows_the_decided_support(app, auth, client, fes_event_with_rules):
    [oujda] = _approved(app, fes_event_with_rules, 1, OUJDA)
    manage = issue_manage_path(app, oujda)
    visitor = app.test_client()
    assert "Vos frais de déplacement sont pris en charge" not in visitor.get(manage).get_data(as_text=True)
    auth.sign_in("admin")
    url = f"/organizing/events/{fes_event_with_rules}/grants"
    assert submit_form(client, url, {}, action=f"{url}/confirm").status_code == 303
    page = visitor.get(manage).get_data(as_text=True)
    assert "Vos frais de déplacement sont pris en charge." in page
    assert "Votre hébergement est pris en charge pour 1 nuit." in page
    visitor.get("/language/ar?next=/")
    arabic = visitor.get(manage).get_data(as_text=True)
    assert "مصاريف تنقلكم متكفل بها." in arabic and "إيواؤكم متكفل به لمدة ليلة واحدة." in arabic


def test_observers_are_refused_and_the_room_reason_is_health_data(app, auth, client, fes_event_with_rules):
    _approved(app, fes_event_with_rules, 1, OUJDA, needs=["wheelchair"])
    auth.sign_in("admin")
    page = client.get(f"/organizing/events/{fes_event_with_rules}/grants").get_data(as_text=True)
    assert "Chambre individuelle (besoin d'accessibilité)" in page
    observer = app.test_client()
    auth.sign_in("observer", fes_event_with_rules, client=observer)
    assert observer.get(f"/organizing/events/{fes_event_with_rules}/grants").status_code == 403


def test_placeholders_and_the_beneficiaries_audience(app, fes_event_with_rules):
    from portal.campaigns.audiences import Criteria, participant_recipients
    _set_cap(app, fes_event_with_rules, 2)
    oujda, meknes, beyond = (_approved(app, fes_event_with_rules, 1, OUJDA)[0], _approved(app, fes_event_with_rules, 1, MEKNES, first=1)[0],
                             _approved(app, fes_event_with_rules, 1, OUJDA, first=2)[0])
    with app.app_context():
        event = db.session.get(Event, fes_event_with_rules)
        values = {r.registration.id: (r.values["support.travel"], r.values["support.nights"])
                  for r in participant_recipients(event, Criteria(statuses=["approved"]))}
        assert values == {oujda: ("pris en charge", "1"), meknes: ("pris en charge", "0"),
                          beyond: ("non pris en charge", "0")}
        def ids(benefit):
            return {r.registration.id for r in participant_recipients(event, Criteria(benefits=[benefit]))}
        assert (ids("any"), ids("travel"), ids("accommodation")) == ({oujda, meknes}, {oujda, meknes}, {oujda})


def _travel_row(client, event_id, registration_id):
    """The (mode, amount) cells of one person in the grants table."""
    page = client.get(f"/organizing/events/{event_id}/grants").get_data(as_text=True)
    with client.application.app_context():
        name = db.session.get(Registration, registration_id).full_name
    row = re.search(rf"<th scope=\"row\">{re.escape(name)}</th>(.*?)</tr>", page, re.DOTALL).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)]
    return cells[3], cells[4]  # province, zone, travel, then mode and amount


def _transport_csv(client, event_id):
    text = client.get(f"/organizing/events/{event_id}/lists/transport.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_travel_amount_is_the_zones_flat_amount_and_the_mode_is_set_by_an_override(app, auth, client, fes_event_with_rules):
    [oujda] = _approved(app, fes_event_with_rules, 1, OUJDA)
    with app.app_context():  # the plan prices zone 2 at 300 MAD; zone 1 is priced nowhere
        save_unit_costs(None, {"travel_zone_2": 300}, None, APPROVED)
        db.session.commit()
    [meknes] = _approved(app, fes_event_with_rules, 1, MEKNES, first=1)
    auth.sign_in("admin")
    url = f"/organizing/events/{fes_event_with_rules}/grants"
    # Oujda is in zone 2 of a Fès event: 300 MAD, mode still to be decided; Meknès (zone 1): not priced.
    assert _travel_row(client, fes_event_with_rules, oujda) == ("À déterminer", "300 MAD")
    assert _travel_row(client, fes_event_with_rules, meknes) == ("À déterminer", "à estimer")
    assert submit_form(client, url, {}, action=f"{url}/confirm").status_code == 303
    answer = submit_form(client, url, {"registration_id": str(oujda), "travel": "y", "mode": "car", "nights": "1",
                                       "reason": "Covoiturage organisé"}, action=f"{url}/override")
    assert answer.status_code == 303
    assert _travel_row(client, fes_event_with_rules, oujda) == ("Voiture (covoiturage)", "300 MAD")
    with app.app_context():
        history = [change.reason for change in db.session.get(Registration, oujda).history]
    assert history[-1] == "Prise en charge : déplacement oui (Voiture (covoiturage)), 1 nuit (Covoiturage organisé)"
    rows = {row["Province"]: row for row in _transport_csv(client, fes_event_with_rules)}
    assert (rows["Oujda-Angad"]["Mode"], rows["Oujda-Angad"]["Montant estimé (MAD)"]) == ("Voiture (covoiturage)", "300")
    assert (rows["Meknès"]["Mode"], rows["Meknès"]["Montant estimé (MAD)"]) == ("À déterminer", "à estimer")
    refused = submit_form(client, url, {"registration_id": str(oujda), "travel": "y", "mode": "rocket", "nights": "1",
                                        "reason": "x"}, action=f"{url}/override")
    assert refused.status_code == 422 and "Choisissez un mode de déplacement de la liste." in refused.get_data(as_text=True)
    client.get("/language/ar?next=/")
    arabic = client.get(f"/organizing/events/{fes_event_with_rules}/lists/transport").get_data(as_text=True)
    assert "سيارة (تنقل مشترك)" in arabic and "يحدد لاحقا" in arabic


def test_an_event_override_of_the_flat_amount_wins_over_the_plan(app, auth, client, fes_event_with_rules):
    [oujda] = _approved(app, fes_event_with_rules, 1, OUJDA)
    with app.app_context():
        save_unit_costs(None, {"travel_zone_2": 300}, None, APPROVED)
        save_unit_costs(fes_event_with_rules, {"travel_zone_2": 450}, None, APPROVED)
        db.session.commit()
    auth.sign_in("admin")
    assert _travel_row(client, fes_event_with_rules, oujda) == ("À déterminer", "450 MAD")

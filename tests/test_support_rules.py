"""Issue 10, items 1 and 2: an event's travel zones (from the venue's province and the bordering
regions, with an admin's overrides) and its support rules, said in plain words to the public."""
import re

import pytest

from portal.events.models import Event
from portal.events.support import event_zones
from portal.extensions import db
from tests.support.web import submit_form

FES, MEKNES, OUJDA, KENITRA, DAKHLA, IFRANE = "03.231", "03.061", "02.411", "04.281", "12.391", "03.271"


def _zones(app, event_id):
    with app.app_context():
        zones = event_zones(db.session.get(Event, event_id))
        db.session.remove()
        return zones


def test_zones_of_provinces_for_a_fes_event(app, fes_event):
    zones = _zones(app, fes_event)
    # By hand: Fès is the venue's prefecture; Meknès is in the same region (03); Kénitra is in
    # Rabat-Salé-Kénitra (04) and Oujda-Angad in the Oriental (02), both bordering Fès-Meknès;
    # Oued Ed-Dahab (Dakhla) is in Dakhla-Oued Ed-Dahab (12), far from it.
    assert (zones[FES], zones[MEKNES], zones[KENITRA], zones[OUJDA], zones[DAKHLA]) == (0, 1, 2, 2, 3)
    assert len(zones) == 75


def test_no_venue_province_no_zones_and_the_screen_says_so(app, auth, client, events):
    auth.sign_in("admin")
    page = client.get(f"/organizing/events/{events['oriental']}/support").get_data(as_text=True)
    assert "La province du lieu n'est pas indiquée : pas de zones" in page


def test_an_override_moves_a_province_and_back(app, auth, client, fes_event):
    auth.sign_in("admin")
    url = f"/organizing/events/{fes_event}/support"
    answer = submit_form(client, url, {"province_code": DAKHLA, "zone": "2"}, action=f"{url}/zones")
    assert answer.status_code == 303
    zones = _zones(app, fes_event)
    assert zones[DAKHLA] == 2 and zones[IFRANE] == 1  # the others keep their zones
    page = client.get(url).get_data(as_text=True)
    assert "Oued Ed-Dahab <strong>(zone changée pour cet événement)</strong>" in page
    answer = submit_form(client, url, {"province_code": DAKHLA, "zone": ""}, action=f"{url}/zones")
    assert answer.status_code == 303
    assert _zones(app, fes_event)[DAKHLA] == 3
    refused = submit_form(client, url, {"province_code": "99.999", "zone": "1"}, action=f"{url}/zones")
    assert refused.status_code == 422
    assert "Choisissez une province de la liste." in refused.get_data(as_text=True)


RULES = {"travel_zones": ["1", "2", "3"], "accommodation_zones": ["2", "3"], "nights": "1", "cap": "10",
         "priority_1": "access_need", "priority_2": "event_region", "priority_3": "approval_order"}


@pytest.mark.parametrize("change, message", [
    ({"nights": "-1"}, "Indiquez un nombre de nuits entre 0 et 7 (0 : pas d&#39;hébergement)."),
    ({"cap": "0"}, "Le plafond est d&#39;au moins 1 bénéficiaire"),
    ({"nights": "0"}, "Indiquez au moins une nuit, ou ne cochez aucune zone pour l&#39;hébergement."),
    ({"priority_2": "access_need"}, "Classez chacun des trois critères une fois, sans le répéter."),
])
def test_the_rules_form_refuses_nonsense(app, auth, client, fes_event, change, message):
    auth.sign_in("admin")
    url = f"/organizing/events/{fes_event}/support"
    answer = submit_form(client, url, {**RULES, **change})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'class="error-summary"' in page and message in page
    with app.app_context():
        from portal.events.support import rules_of
        assert rules_of(fes_event) is None  # nothing saved


def test_the_public_page_says_the_rules_in_plain_words_in_both_languages(app, auth, client, fes_event):
    public = "/events/fes-meknes"
    assert "Qui peut avoir ses frais de déplacement pris en charge" not in client.get(public).get_data(as_text=True)
    auth.sign_in("admin")
    url = f"/organizing/events/{fes_event}/support"
    assert submit_form(client, url, {**RULES, "nights": "2"}).status_code == 303
    assert submit_form(client, url, {"province_code": IFRANE, "zone": "3"}, action=f"{url}/zones").status_code == 303
    visitor = app.test_client()
    page = visitor.get(public).get_data(as_text=True)
    assert "Qui peut avoir ses frais de déplacement pris en charge ?" in page
    assert "Vos frais de déplacement peuvent être pris en charge si vous venez :" in page
    assert "des autres provinces de la région Fès-Meknès" in page
    # Fès-Meknès borders, by the table: Tanger-Tétouan-Al Hoceima, Oriental, Rabat-Salé-Kénitra,
    # Béni Mellal-Khénifra, Drâa-Tafilalet.
    assert ("des régions voisines (Tanger-Tétouan-Al Hoceima, Oriental, Rabat-Salé-Kénitra, "
            "Béni Mellal-Khénifra, Drâa-Tafilalet)") in page
    assert "Votre hébergement pour 2 nuits, à partir de la veille de l'événement" in page
    assert "Pour cet événement, la province Ifrane compte comme le reste du Maroc." in page
    assert "Au plus 10 personnes en bénéficient." in page
    assert page.index("besoin d'accessibilité") < page.index("régions concernées par l'événement")
    form = visitor.get(f"{public}/register").get_data(as_text=True)
    assert "Qui peut avoir ses frais pris en charge ?" in form and "des autres provinces de la région Fès-Meknès" in form
    visitor.get("/language/ar?next=/")
    arabic = re.sub(r"</?bdi[^>]*>", "", visitor.get(public).get_data(as_text=True))  # values isolated in Arabic
    assert "من يمكنه الاستفادة من التكفل بمصاريف التنقل؟" in arabic
    assert "من الأقاليم الأخرى لجهة فاس-مكناس" in arabic
    assert "يمكن التكفل بإيوائكم لمدة ليلتين، ابتداءً من الليلة السابقة للقاء" in arabic  # the dual, not "2 ليال"
    assert "بالنسبة لهذا اللقاء، يُحتسب إقليم إفران ضمن باقي المغرب." in arabic


def test_coordinators_see_no_support_section(app, auth, client, events):
    auth.sign_in("coordinator", organization="ACODEC")
    page = client.get(f"/organizing/events/{events['oriental']}").get_data(as_text=True)
    assert "/support" not in page
    assert client.get(f"/organizing/events/{events['oriental']}/support").status_code == 403

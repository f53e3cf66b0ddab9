"""The inclusion report: shares of the groups among approved participants, regions and provinces,
out-of-region participants, beside the targets that admins set. Figures computed by hand below."""
import re
from html import unescape

import pytest

from tests.support.data import cancel_through_manage_link, make_registrations
from tests.support.web import submit_form

SLUG = "oriental"  # region 02 (L'Oriental); make_registrations puts people in its first province
ELSEWHERE = "01.511"  # Tanger-Assilah, region 01: out of the event's region


def text_of(html: str) -> str:
    """The page's text, tags removed and spaces made plain (French percent signs use a no-break space)."""
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def approved(app, events):
    """10 approved: 6 women (0-5), 3 under 35 (0, 6, 7), 2 declaring a need (8, 9), 4 out of region (6-9);
    besides them, 2 pending and 1 rejected women under 35 with a need, from elsewhere, who do not count."""
    event_id = events[SLUG]
    ids = make_registrations(
        app, event_id, 10, status="approved",
        gender=lambda i: "female" if i < 6 else "male",
        age_band=lambda i: "25_34" if i in (0, 6, 7) else "35_49",
        access_needs=lambda i: ["wheelchair"] if i >= 8 else [],
        province_code=lambda i: ELSEWHERE if i >= 6 else "02.411",
        out_of_region=lambda i: i >= 6)
    for status in ("pending", "pending", "rejected"):
        make_registrations(app, event_id, 1, status=status, gender="female", age_band="18_24",
                           access_needs=["braille"], province_code=ELSEWHERE, out_of_region=True)
    return ids


def report_text(client, event_id) -> str:
    response = client.get(f"/review/events/{event_id}/inclusion")
    assert response.status_code == 200
    return text_of(response.get_data(as_text=True))


def set_targets(client, data):
    response = submit_form(client, "/review/inclusion", data, action="/review/inclusion/targets")
    assert response.status_code == 303, response.get_data(as_text=True)


def test_the_event_report_counts_approved_participants_beside_the_targets(app, auth, events, approved):
    event_id = events[SLUG]
    auth.sign_in("admin")
    client = auth.client
    set_targets(auth.client, {"event": "", "women": "50", "youth": "30", "disability": ""})
    text = report_text(client, event_id)
    assert "Participants comptés 10" in text
    assert "Hors région 4" in text
    # group, number, share, target, reached
    assert "Femmes 6 60 % 50 % oui" in text
    assert "Moins de 35 ans 3 30 % 30 % oui" in text
    assert "Personnes déclarant un besoin d'accessibilité 2 20 % aucune" in text
    # per region and province: 6 from Oujda-Angad (L'Oriental), 4 from Tanger-Assilah
    assert "Oriental 6 Oujda-Angad 6" in text and "Tanger-Tétouan-Al Hoceima 4 Tanger-Assilah 4" in text
    # an event's own target overrides the plan's; an empty box goes back to the plan's
    set_targets(client, {"event": str(event_id), "women": "", "youth": "40", "disability": "10"})
    text = report_text(client, event_id)
    assert "Moins de 35 ans 3 30 % 40 % non" in text and "Femmes 6 60 % 50 % oui" in text
    assert "2 20 % 10 % oui" in text


def test_a_cancellation_changes_the_figures(app, client, auth, events, approved):
    event_id = events[SLUG]
    # a woman under 35 from the region
    assert cancel_through_manage_link(app, client, approved[0]).status_code in (200, 303)
    auth.sign_in("coordinator", SLUG)
    text = report_text(client, event_id)
    assert "Participants comptés 9" in text
    assert "Femmes 5 56 %" in text  # 5 / 9
    assert "Moins de 35 ans 2 22 %" in text  # 2 / 9
    assert "2 22 %" in text and "Hors région 4" in text


def test_an_observer_reads_the_report_without_the_count_of_needs(app, auth, events, approved):
    auth.make("observer", events[SLUG])
    auth.sign_in("observer")
    text = report_text(auth.client, events[SLUG])
    assert "Femmes 6 60 %" in text
    assert "besoin" not in text.lower()


def test_the_plan_adds_up_its_events_and_only_admins_set_targets(app, auth, events, approved):
    make_registrations(app, events["fes-meknes"], 2, status="approved", gender="female", age_band="50_64")
    auth.sign_in("admin")
    text = text_of(auth.client.get("/review/inclusion").get_data(as_text=True))
    assert "Participants comptés 12" in text  # 10 + 2
    assert "Femmes 8 67 %" in text  # 8 / 12
    refused = submit_form(auth.client, "/review/inclusion", {"event": "", "women": "150"},
                          action="/review/inclusion/targets")
    assert refused.status_code == 422 and "de 0 à 100" in refused.get_data(as_text=True)


def test_the_report_speaks_arabic(app, auth, events, approved):
    auth.sign_in("admin")
    auth.client.set_cookie("portal_lang", "ar")
    html = auth.client.get(f"/review/events/{events[SLUG]}/inclusion").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in html
    assert "60%" in text_of(html) and "Rapport" not in html

"""Where people heard of an event (issue 11, item 2): each organising association has its own
registration link (?via=<code>); a registration keeps the association whose link was followed and
the answer to "Comment avez-vous connu cet événement ?"; the review dashboard counts both, and an
unknown code registers the person without a source. Figures by hand."""
import re
from html import unescape

from sqlalchemy import select

from portal.events.models import SOURCE_CODE_ALPHABET, Event, EventOrganizer
from portal.extensions import db
from portal.registration.models import Registration
from portal.review.sources import registration_sources
from tests.support.data import registrations
from tests.support.web import csrf_token, squeeze, valid_registration

SLUG = "casablanca-settat-rabat-sale-kenitra"  # organised with ADFM and 4Chabab


def text_of(html: str) -> str:
    return squeeze(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " "))


def links(app, slug=SLUG) -> dict[str, str]:
    """{organisation's acronym or name: code} of the event's organisers."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        return {link.organization.acronym or link.organization.name: link.source_code for link in event.organizers}


def register_through(client, app, address: str, email: str, **answers):
    """Follow a link (as a person does), then send the form that page shows."""
    page = client.get(address)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    via = re.search(r'name="via"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="via"', html)
    data = valid_registration(app, SLUG, email=email, **answers)
    data["via"] = (via.group(1) or via.group(2)) if via else ""
    return client.post(f"/events/{SLUG}/register", data={**data, "csrf_token": csrf_token(html)})


def source_of(app, email):
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(Registration.email == email))
        return (registration.source_organization.acronym if registration.source_organization else None,
                registration.heard_from)


def test_every_organiser_has_a_short_unambiguous_code(app, events):
    with app.app_context():
        rows = db.session.scalars(select(EventOrganizer)).all()
        assert rows
        for row in rows:
            assert len(row.source_code) == 6 and set(row.source_code) <= set(SOURCE_CODE_ALPHABET)
            assert not set(row.source_code) & set("01ILOU")
        codes = [(row.event_id, row.source_code) for row in rows]
        assert len(codes) == len(set(codes))


def test_registrations_through_two_associations_links_are_counted_by_hand(app, client, auth, events):
    codes = links(app)
    adfm, chabab = codes["ADFM"], codes["4Chabab"]
    base = f"/events/{SLUG}/register"
    # ADFM's link: 3 people (one answers "partner", one "word_of_mouth", one nothing).
    assert register_through(client, app, f"{base}?via={adfm}", "a1@example.org", heard_from="partner").status_code == 303
    assert register_through(client, app, f"{base}?via={adfm}", "a2@example.org",
                            heard_from="word_of_mouth").status_code == 303
    assert register_through(client, app, f"{base}?via={adfm.lower()}", "a3@example.org").status_code == 303
    # 4Chabab's link: 2 people (both "social_networks"); one first sends a form with an error, the
    # code survives the refused form.
    refused = register_through(client, app, f"{base}?via={chabab}", "c1@example.org", heard_from="social_networks",
                                city="")
    assert refused.status_code == 422 and f'value="{chabab}"' in refused.get_data(as_text=True)
    html = refused.get_data(as_text=True)
    data = valid_registration(app, SLUG, email="c1@example.org", heard_from="social_networks", via=chabab)
    assert client.post(base, data={**data, "csrf_token": csrf_token(html)}).status_code == 303
    assert register_through(client, app, f"{base}?via={chabab}", "c2@example.org",
                            heard_from="social_networks").status_code == 303
    # The plain link: 1 ("ministry_website"); an unknown code: 1 (no answer), registered all the same.
    assert register_through(client, app, base, "p1@example.org", heard_from="ministry_website").status_code == 303
    assert register_through(client, app, f"{base}?via=ZZZZZZ", "u1@example.org").status_code == 303
    assert source_of(app, "a3@example.org") == ("ADFM", "")
    assert source_of(app, "c1@example.org") == ("4Chabab", "social_networks")
    assert source_of(app, "u1@example.org") == (None, "")
    assert len(registrations(app)) == 7
    with app.app_context():
        sources = registration_sources(db.session.scalar(select(Event).where(Event.slug == SLUG)))
        assert (sources.total, sources.without_link, sources.unanswered) == (7, 2, 2)
        assert {row.organization.acronym: row.registrations for row in sources.links}["ADFM"] == 3

    coordinator = auth.sign_in("coordinator", SLUG)
    html = coordinator.get("/review/").get_data(as_text=True)
    with app.app_context():
        event_id = db.session.scalar(select(Event.id).where(Event.slug == SLUG))
    section = html.split(f'id="sources-section-{event_id}"', 1)[1].split("</section>", 1)[0]
    text = text_of(section)
    # Per link: ADFM 3, 4Chabab 2, the lead organiser 0, without a link 2 (plain + unknown code) = 7.
    assert f"Code : {adfm} 3" in text
    assert f"Code : {chabab} 2" in text
    assert "Sans lien d'association Lien ordinaire de l'événement, ou code inconnu 2" in text
    assert text.count("Total 7") == 2  # each table adds up to the 7 registrations
    # Per answer: partner 1, social networks 2, ministry 1, word of mouth 1, press 0, other 0, none 2.
    for label, count in [("Par une association partenaire", 1), ("Sur les réseaux sociaux", 2),
                         ("Sur le site du ministère", 1), ("Par le bouche-à-oreille", 1),
                         ("Par la presse, la radio ou la télévision", 0), ("Autrement", 0), ("Sans réponse", 2)]:
        assert f"{label} {count}" in text, label
    assert text.rstrip().endswith("Total 7")
    # The copyable link is the registration form's address with the code.
    assert f"/events/{SLUG}/register?via={adfm}" in section
    # Each count opens the list of the people it counts.
    with app.app_context():
        adfm_id = next(link.organization_id for link in db.session.get(Event, event_id).organizers
                       if link.source_code == adfm)
    for query, expected in [(f"source={adfm_id}", {"a1", "a2", "a3"}), ("source=none", {"p1", "u1"}),
                            ("heard_from=social_networks", {"c1", "c2"}), ("heard_from=none", {"a3", "u1"})]:
        assert f"participants?{query}" in section.replace("&amp;", "&")
        listed = coordinator.get(f"/review/events/{event_id}/participants?{query}").get_data(as_text=True)
        assert {name for name in ("a1", "a2", "a3", "c1", "c2", "p1", "u1")
                if f"{name}@example.org" in listed} == expected, query
    # A zero is not a link: nothing to list, and one tab stop less per row.
    assert "heard_from=press" not in section and "heard_from=other" not in section


def test_an_unknown_or_forged_code_registers_without_a_source(app, client, events):
    base = f"/events/{SLUG}/register"
    other_event = links(app, "fes-meknes")
    foreign = next(iter(other_event.values()))
    for code in ("nothing", foreign, "x" * 300):
        assert client.get(f"{base}?via={code}").status_code == 200
    assert 'value="&lt;b&gt;"' in client.get(f"{base}?via=<b>").get_data(as_text=True)  # escaped, never markup
    long_code = "x" * 300
    assert 'value="' + long_code[:16] + '"' in client.get(f"{base}?via={long_code}").get_data(as_text=True)
    assert register_through(client, app, f"{base}?via={foreign}", "f@example.org").status_code == 303
    assert source_of(app, "f@example.org") == (None, "")
    # The hidden code is no field to check inline.
    html = client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/check/via", data={"csrf_token": csrf_token(html), "via": "x"}).status_code == 404
    # A forged answer is refused with a message, nothing kept.
    data = valid_registration(app, SLUG, email="g@example.org", heard_from="tv_ads")
    html = client.get(base).get_data(as_text=True)
    response = client.post(base, data={**data, "csrf_token": csrf_token(html)})
    assert response.status_code == 422 and 'href="#heard_from-0"' in response.get_data(as_text=True)


def test_observers_see_the_counts_too(app, client, auth, events):
    codes = links(app)
    assert register_through(client, app, f"/events/{SLUG}/register?via={codes['ADFM']}", "a@example.org").status_code == 303
    observer = auth.sign_in("observer", SLUG)
    text = text_of(observer.get("/review/").get_data(as_text=True))
    assert f"Code : {codes['ADFM']} 1" in text

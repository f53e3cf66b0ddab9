"""The registration form served from a shared rendering, and the POST that takes the write lock
only for its write (issue 13): what a visitor or an operator would notice.

- The empty form is rendered once per event content and language (registration/form_page.py):
  each visitor still gets the token of their own session and the code of their own link, and a
  change to the event (a workshop renamed, added or full, support rules saved) shows on the very
  next form.
- A refused POST is answered without the write transaction: it answers while another connection
  holds the database's write lock (SQLite) or the event's rows (PostgreSQL).
"""
import datetime as dt
import re

from sqlalchemy import select

from portal.events.models import Event, Workshop
from portal.events.support import DEFAULT_RULES, save_rules
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.registration.models import Registration
from tests.support.data import count, make_registrations, registrations
from tests.support.web import csrf_token, form_page, post_registration, valid_registration

SLUG = "oriental"
URL = f"/events/{SLUG}/register"
AR = {"Accept-Language": "ar"}


def _workshop_labels(html: str) -> list[str]:
    group = re.search(r'id="group-workshop".*?</fieldset>', html, re.DOTALL).group(0)
    return [re.sub(r"<[^>]+>|\s+", " ", label).strip()
            for label in re.findall(r'<label for="workshop-\d+"[^>]*>(.*?)</label>', group, re.DOTALL)]


def _edit(app, change):
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == SLUG))
        change(event)
        db.session.commit()
        db.session.remove()


def test_each_visitor_gets_the_token_of_their_own_session_and_their_own_link_code(app, events):
    first, second = app.test_client(), app.test_client()
    page_one = first.get(f"{URL}?via=ABC234").get_data(as_text=True)
    page_two = second.get(f'{URL}?via=x"><b>').get_data(as_text=True)
    token_one, token_two = csrf_token(page_one), csrf_token(page_two)
    assert token_one != token_two
    # Each copy carries its visitor's token only: no placeholder, no other visitor's.
    assert page_one.count(token_one) == 1 and token_two not in page_one and "csrf-placeholder" not in page_one
    assert page_two.count(token_two) == 1 and token_one not in page_two and "csrf-placeholder" not in page_two
    assert re.search(r'name="via"[^>]*value="ABC234"', page_one)
    assert 'value="x&#34;&gt;&lt;b&gt;"' in page_two and "<b>" not in page_two
    assert re.search(r'name="via"[^>]*value=""', first.get(URL).get_data(as_text=True))  # not the last visitor's
    # The same address for another visitor (a page already rendered for the first): their own token.
    # (A token carries the second it was signed at: compare what it opens, not its text.)
    again = second.get(URL).get_data(as_text=True)
    token_again = csrf_token(again)
    assert again.count(token_again) == 1 and "csrf-placeholder" not in again
    # Each token works for its own session only.
    data = valid_registration(app, SLUG)
    assert second.post(URL, data={**data, "csrf_token": token_one}).status_code == 400
    assert first.post(URL, data={**data, "csrf_token": token_again}).status_code == 400
    assert first.post(URL, data={**data, "csrf_token": token_one}).status_code == 303
    other = valid_registration(app, SLUG, email="other@example.org")
    assert second.post(URL, data={**other, "csrf_token": token_again}).status_code == 303
    assert sorted(r.email for r in registrations(app)) == ["amina@example.org", "other@example.org"]


def test_the_form_in_each_language_stays_in_it(client, events):
    french = form_page(client, SLUG)
    arabic = client.get(URL, headers=AR).get_data(as_text=True)
    again = form_page(client, SLUG)
    assert "Atelier thématique souhaité" in french and "Atelier thématique souhaité" in again
    assert "Atelier thématique souhaité" not in arabic and 'dir="rtl"' in arabic
    assert "الناظور" in arabic and "Nador" in french and "الناظور" not in again


def test_a_workshop_renamed_added_or_full_shows_on_the_next_form(app, client, events):
    before = _workshop_labels(form_page(client, SLUG))
    assert before and not any("complet" in label for label in before)

    def rename_and_add(event):
        event.workshops[0].title_fr = "Atelier renommé"
        event.workshops.append(Workshop(title_fr="Atelier ajouté", position=99, seat_limit=1))
    _edit(app, rename_and_add)
    after = _workshop_labels(form_page(client, SLUG))
    assert after[0].startswith("Atelier renommé") and after[-1].startswith("Atelier ajouté")
    assert len(after) == len(before) + 1 and not any("complet" in label for label in after)

    with app.app_context():
        added = db.session.scalar(select(Workshop.id).where(Workshop.title_fr == "Atelier ajouté"))
    make_registrations(app, events[SLUG], 1, workshop_id=added)
    full = _workshop_labels(form_page(client, SLUG))
    assert "complet" in full[-1] and not any("complet" in label for label in full[:-1])
    # Refused as full, and nothing saved.
    answer = post_registration(client, SLUG, valid_registration(app, SLUG, workshop=str(added)))
    assert answer.status_code == 422 and "Cet atelier est complet" in answer.get_data(as_text=True)
    assert len(registrations(app)) == 1


def test_support_rules_saved_show_on_the_next_form(app, client, fes_event):
    slug = "fes-meknes"
    assert "Qui peut avoir ses frais pris en charge" not in form_page(client, slug)
    with app.app_context():
        save_rules(db.session.get(Event, fes_event), DEFAULT_RULES, None, dt.datetime(2026, 11, 2, 9))
        db.session.commit()
    shown = form_page(client, slug)
    assert "Qui peut avoir ses frais pris en charge" in shown and "pour la nuit précédant" in shown
    with app.app_context():
        save_rules(db.session.get(Event, fes_event), {**DEFAULT_RULES, "nights": 2}, None,
                   dt.datetime(2026, 11, 3, 9))
        db.session.commit()
    shown = form_page(client, slug)
    assert "pour la nuit précédant" not in shown and "pour 2 nuits" in shown


def _hold_the_write_lock(app, event_id):
    """Another connection that holds what a registration's write needs: SQLite's write lock, or
    PostgreSQL's locks on the event's row and its workshops' rows. Returns the raw connection."""
    raw = db.engine.raw_connection()
    cursor = raw.cursor()
    if db.engine.dialect.name == "sqlite":
        cursor.execute("BEGIN IMMEDIATE")
    else:
        cursor.execute("SELECT id FROM event WHERE id = %s FOR UPDATE", (event_id,))
        cursor.execute("SELECT id FROM workshop WHERE event_id = %s FOR UPDATE", (event_id,))
    return raw


def test_a_refused_registration_is_answered_while_another_writer_holds_the_database(app, client, events):
    data = valid_registration(app, SLUG)
    token = csrf_token(form_page(client, SLUG))
    with app.app_context():
        holder = _hold_the_write_lock(app, events[SLUG])
        try:
            refused = client.post(URL, data={**data, "consent": "", "csrf_token": token})
            assert refused.status_code == 422
            assert "acceptez l'utilisation de vos données" in refused.get_data(as_text=True)
            htmx = client.post(URL, data={**data, "email": "pas-une-adresse", "csrf_token": token},
                               headers={"HX-Request": "true"})
            assert htmx.status_code == 422 and "Saisissez une adresse e-mail valide" in htmx.get_data(as_text=True)
            assert client.get(URL).status_code == 200
        finally:
            holder.rollback()
            holder.close()
        db.session.remove()
    assert count(app, Event) == len(events)  # nothing else changed
    assert registrations(app) == []
    # Once the other writer is done, the same person registers.
    assert client.post(URL, data={**data, "csrf_token": token}).status_code == 303
    assert [r.email for r in registrations(app)] == ["amina@example.org"]


# --- what changes between the checks made before the lock and the write -------------------------
def _meanwhile(monkeypatch, app, change):
    """Run `change` (another connection, as another person would) right after the form was checked
    and the registration prepared, before its write transaction starts."""
    from portal.registration import public
    prepare = public.prepare

    def prepare_then_change(*args, **kwargs):
        prepared = prepare(*args, **kwargs)
        with db.engine.begin() as other:
            change(other)
        return prepared
    monkeypatch.setattr(public, "prepare", prepare_then_change)


def test_registration_closed_while_the_form_was_checked_saves_nothing(app, client, events, monkeypatch):
    data = valid_registration(app, SLUG)
    _meanwhile(monkeypatch, app, lambda other: other.execute(
        Event.__table__.update().where(Event.id == events[SLUG]).values(status="registration_closed")))
    answer = post_registration(client, SLUG, data)
    assert answer.status_code == 403
    page = answer.get_data(as_text=True)
    assert "Les inscriptions sont closes." in page and "Aucune inscription n'a été enregistrée." in page
    assert registrations(app) == [] and count(app, OutboxMessage) == 0


def test_the_last_seat_taken_while_the_form_was_checked_saves_nothing(app, client, events, monkeypatch):
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.event_id == events[SLUG])
                                     .order_by(Workshop.position))
        workshop.seat_limit, workshop_id = 1, workshop.id
        db.session.commit()
        db.session.remove()
    [taken] = make_registrations(app, events[SLUG], 1, workshop_id=workshop_id, status="cancelled")
    _meanwhile(monkeypatch, app, lambda other: other.execute(
        Registration.__table__.update().where(Registration.id == taken).values(status="pending")))
    answer = post_registration(client, SLUG, valid_registration(app, SLUG, workshop=str(workshop_id)))
    assert answer.status_code == 422
    assert "Cet atelier est complet (1 place)" in answer.get_data(as_text=True)
    assert [r.id for r in registrations(app)] == [taken] and count(app, OutboxMessage) == 0

"""`flask seed-demo`: the four events of the 2023 minutes, idempotent, open for registration."""
import datetime as dt
import html

from sqlalchemy import func, select

from portal.events.demo import upcoming_date
from portal.events.models import AgendaItem, Event, Organization, Workshop
from portal.extensions import db


def counts(app):
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Event, Workshop, AgendaItem, Organization)}


def test_seed_demo_loads_the_four_events_of_the_minutes(app, runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert counts(app) == {"Event": 4, "Workshop": 10, "AgendaItem": 28, "Organization": 6}
    with app.app_context():
        events = list(db.session.scalars(select(Event).order_by(Event.starts_on)))
        today = dt.date.today()
        assert [(e.starts_on.month, e.starts_on.day) for e in events] == [(10, 14), (10, 19), (10, 21), (10, 28)]
        assert all(e.starts_on > today and e.capacity == 70 and e.status == "published" for e in events)
        assert [sorted(r.code for r in e.regions) for e in events] == [["04", "06"], ["02"], ["03"], ["01"]]
        assert [[o.acronym for o in e.co_organizers] for e in events] == [["ADFM", "4Chabab"], ["ACODEC"], ["ALCI"], ["ACB"]]
        assert events[0].agenda[0].title_fr == "Accueil des participants"
        assert {r.role for r in events[1].roles} == {"speaker", "expert"}
    home = client.get("/").get_data(as_text=True)
    assert home.count('class="tag tag-open"') == 4
    page = html.unescape(client.get("/events/oriental").get_data(as_text=True))
    for text in ("Droit d'accès à l'information", "Session plénière", "ACODEC", "Lieu à confirmer",
                 "S'inscrire à cet événement"):
        assert text in page, text


def test_seed_demo_is_idempotent(app, runner):
    runner.invoke(args=["seed-demo"])
    first = counts(app)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and counts(app) == first


def test_as_recorded_keeps_2023_and_registration_shows_closed(app, runner, client):
    runner.invoke(args=["seed-demo", "--as-recorded"])
    with app.app_context():
        assert {e.starts_on.year for e in db.session.scalars(select(Event))} == {2023}
    assert "Aucun événement à venir" in client.get("/").get_data(as_text=True)
    page = client.get("/events/oriental/register").get_data(as_text=True)
    assert "Cet événement a eu lieu" in page


def test_upcoming_date_picks_the_next_year_with_time_to_register():
    assert upcoming_date(10, 14, dt.date(2026, 11, 25)) == dt.date(2027, 10, 14)
    assert upcoming_date(10, 14, dt.date(2027, 1, 1)) == dt.date(2027, 10, 14)
    assert upcoming_date(10, 14, dt.date(2027, 10, 10)) == dt.date(2028, 10, 14)


def test_a_body_speaking_at_several_events_is_one_person(app, runner):
    """The ministry speaks at the four events: one person, four roles (one recipient, not four)."""
    from portal.events.models import EventRole, Person
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        ministry = list(db.session.scalars(select(Person).where(Person.name_fr.like("Ministère de la Transition%"))))
        assert len(ministry) == 1
        assert db.session.scalar(select(func.count()).select_from(EventRole)
                                 .where(EventRole.person_id == ministry[0].id)) == 4


def test_the_demo_writes_region_names_and_co_creation_as_the_reference_and_the_glossary_do(app, runner):
    """The Arabic titles name the regions as the reference data does (جهة الشرق, فاس-مكناس...), say
    الإعداد المشترك for co-creation, and the associations keep the Arabic names they use."""
    from portal.geo.models import Region
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        for event in db.session.scalars(select(Event)):
            assert "الإنشاء" not in event.title_ar + event.summary_ar and "الإعداد المشترك" in event.title_ar
            for region in db.session.scalars(select(Region).where(Region.code.in_(event.region_codes))):
                assert region.name_ar in event.title_ar, (event.slug, region.name_ar)
        names = dict(db.session.execute(select(Organization.acronym, Organization.name_ar)).all())
    assert names["ADFM"] == "الجمعية الديمقراطية لنساء المغرب"
    assert names["ALCI"] == "حركة بدائل مواطنة"
    assert names["ACB"] == "جمعية الحمامة البيضاء لحقوق الأشخاص في وضعية إعاقة"

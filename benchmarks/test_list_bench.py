"""`make bench`: the coordinators' list at 1,000 and at 100,000 applicants (issue 13, item 3).

Two events of the same database are filled in bulk (Core inserts, with a tenth of the people
declaring an access need), then the same four views are timed for each through the app's test
client, signed in as a coordinator: the default view, a filtered and sorted view, page 20 and a
search. Each row of the table is the median time at 100k over the median time at 1k: an indexed,
paginated list with counters kept as it goes stays near 1, a list that scans or recounts grows
with the event. The search matches as many people at both sizes (a hundred), so that the ratio
measures the index, not the length of the answer. On the same data, the CSV export's peak Python
memory at 100k over its peak at 1k: a streamed export stays nearly flat while the file grows a
hundredfold.
"""
import datetime as dt
import statistics
import time
import tracemalloc

import pytest
from sqlalchemy import insert, select, text

from benchmarks.table import record
from portal.events.models import Event
from portal.extensions import db
from portal.registration.models import Registration, RegistrationAccessNeed

pytestmark = pytest.mark.bench

VIEWS = (
    ("default view", ""),
    ("filtered + sorted (women, by name)", "?gender=female&sort=name"),
    ("page 20", "?page=20"),
    ("search (a name's beginning)", "?q=nom00007"),
)
BATCH = 5000


def fill(app, event_id: int, count: int) -> None:
    """`count` registrations of the event, in bulk (the search index follows: triggers on SQLite, an
    index on PostgreSQL); then the counters recounted, as after any rows written around the ORM."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        provinces = [p.code for region in event.regions for p in region.provinces]
        workshops = [w.id for w in event.workshops]
        start = dt.datetime(2026, 11, 1)
        rows = []

        def flush():
            # RETURNING makes SQLAlchemy send multi-row INSERTs (its "insertmanyvalues"), not one
            # statement per row: SQLite's FTS5 index, kept by triggers, writes once per statement,
            # and row by row seeding would take ten times longer.
            table = Registration.__table__
            db.session.execute(insert(table).returning(table.c.id), rows).all()
            rows.clear()

        for index in range(count):
            rows.append({
                "reference": f"B{event_id}-{index:07d}", "event_id": event_id, "status": ("pending", "approved", "waitlisted", "rejected")[index % 4],
                "first_name": f"Prénom{index}", "last_name": f"Nom{index:07d}",
                "email": f"p{index}.{event_id}@example.org", "email_normalized": f"p{index}.{event_id}@example.org",
                "phone": f"06{index:08d}", "gender": ("female", "male", "unspecified")[index % 3],
                "age_band": ("18_24", "25_34", "35_44", "45_54")[index % 4],
                "organization": f"Association {index % 500}", "organization_type": "association",
                "province_code": provinces[index % len(provinces)], "city": "Ville",
                "workshop_id": workshops[index % len(workshops)], "language": "fr", "access_needs_details": "",
                "travel_support": index % 5 == 0, "accommodation_support": index % 7 == 0,
                "out_of_region": index % 11 == 0, "consent_at": start,
                "created_at": start + dt.timedelta(seconds=index), "status_changed_at": start,
            })
            if len(rows) == BATCH:
                flush()
        if rows:
            flush()
        # a tenth declare a need (health data: the rows the "need" filters and counters read)
        ids = db.session.scalars(select(Registration.id).where(Registration.event_id == event_id)
                                 .order_by(Registration.id)).all()
        needs = [{"registration_id": ident, "need": ("wheelchair", "sign_language")[n % 2]}
                 for n, ident in enumerate(ids) if n % 10 == 3]
        for offset in range(0, len(needs), BATCH):
            db.session.execute(insert(RegistrationAccessNeed.__table__), needs[offset:offset + BATCH])
        rebuild = _rebuild()
        if rebuild:
            rebuild(db.session)
        db.session.commit()
        if db.session.get_bind().dialect.name == "postgresql":
            # what autovacuum does after so many new rows: the planner learns the tables' sizes
            db.session.execute(text("ANALYZE registration"))
            db.session.execute(text("ANALYZE registration_access_need"))
            db.session.commit()


def _rebuild():
    try:
        from portal.registration.tally import rebuild
    except ImportError:  # the code before counters were kept (to measure the "before" figures)
        return None
    return rebuild


def medians_ms(client, urls, repeat: int = 9) -> list[float]:
    """The median time of each URL, the URLs taken in turn (a burst of load on the shared machine
    then weighs on both sizes alike)."""
    for url in urls:
        client.get(url)  # warm: templates compiled, caches filled
    times = [[] for _ in urls]
    for _ in range(repeat):
        for index, url in enumerate(urls):
            started = time.perf_counter()
            response = client.get(url)
            response.get_data()
            times[index].append(time.perf_counter() - started)
            assert response.status_code == 200, url
    return [statistics.median(each) * 1000 for each in times]


def test_list_views_at_1k_and_100k(app, auth, events):
    small, large = events["oriental"], events["fes-meknes"]
    started = time.perf_counter()
    fill(app, small, 1_000)
    fill(app, large, 100_000)
    print(f"\nseeding 101,000 registrations: {time.perf_counter() - started:.1f} s")
    client = auth.sign_in("coordinator", "oriental")  # a co-organiser's coordinator...
    with app.app_context():  # ...whose association co-organises the large event too
        from portal.accounts.models import User
        from portal.events.models import EventOrganizer
        user = db.session.scalar(select(User).where(User.role == "coordinator"))
        if not db.session.get(EventOrganizer, (large, user.organization_id)):
            db.session.add(EventOrganizer(event_id=large, organization_id=user.organization_id))
        db.session.commit()

    for name, query in VIEWS:
        small_ms, large_ms = medians_ms(client, [f"/review/events/{small}/participants{query}",
                                                 f"/review/events/{large}/participants{query}"])
        body = client.get(f"/review/events/{large}/participants{query}").get_data(as_text=True)
        assert "Nom00" in body, name  # the rows are there, not an empty page
        record(f"coordinators' list, {name}: 100k vs 1k applicants", large_ms / small_ms, "<= 3",
               detail=f"1k: {small_ms:.1f} ms, 100k: {large_ms:.1f} ms")
        print(f"{name}: 1k {small_ms:.1f} ms, 100k {large_ms:.1f} ms, ratio {large_ms / small_ms:.2f}")

    peaks = [export_peak(client, f"/review/events/{event_id}/export.csv") for event_id in (small, large)]
    (small_peak, small_size), (large_peak, large_size) = peaks
    record("CSV export, peak Python memory: 100k vs 1k applicants", large_peak / small_peak, "<= 3",
           detail=f"1k: {small_size / 1e6:.1f} MB file, peak {small_peak / 1e6:.1f} MB; "
                  f"100k: {large_size / 1e6:.1f} MB file, peak {large_peak / 1e6:.1f} MB")


def export_peak(client, url) -> tuple[int, int]:
    """(peak Python memory while the export is streamed to the end, the file's size)."""
    tracemalloc.start()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200 and size > 0, url
    return peak, size

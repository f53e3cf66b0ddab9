"""`make bench`: the coordinators' list and CSV export for events of 1,000 and 100,000 applicants.

Reports (printed, and written to benchmarks/results/review.txt):
- the list page's median time at 100k over its time at 1k (an indexed, paginated query should keep
  this ratio small, far from 100);
- the CSV export's time and peak Python memory (tracemalloc) at both sizes: a streamed export
  keeps memory nearly flat while the file grows a hundredfold.
Timings are noisy on a shared 2-core machine: compare the ratios of one run, not absolute times.
"""
import datetime as dt
import os
import statistics
import time
import tracemalloc

import pytest
from sqlalchemy import insert

from portal.events.models import Event
from portal.extensions import db
from portal.registration.models import Registration
from portal.registration.tally import rebuild

pytestmark = pytest.mark.bench
RESULTS = os.path.join(os.path.dirname(__file__), "results")


def fill(app, event_id: int, count: int) -> None:
    """`count` registrations in bulk (Core inserts: minutes would go by with the ORM)."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        provinces = [p.code for region in event.regions for p in region.provinces]
        workshops = [w.id for w in event.workshops]
        start = dt.datetime(2026, 11, 1)
        rows = []
        for index in range(count):
            rows.append({
                "reference": f"B-{event_id}-{index:07d}", "manage_token": f"bench-{event_id}-{index:09d}",
                "event_id": event_id, "status": ("pending", "approved", "waitlisted", "rejected")[index % 4],
                "first_name": f"Prénom{index}", "last_name": f"Nom{index:07d}",
                "email": f"p{index}@example.org", "email_normalized": f"p{index}@example.org", "phone": "",
                "gender": ("female", "male", "unspecified")[index % 3], "age_band": "25_34",
                "organization": f"Association {index % 500}", "organization_type": "association",
                "province_code": provinces[index % len(provinces)], "city": "Ville",
                "workshop_id": workshops[index % len(workshops)], "language": "fr", "access_needs_details": "",
                "travel_support": index % 5 == 0, "accommodation_support": index % 7 == 0, "out_of_region": False,
                "consent_at": start, "created_at": start + dt.timedelta(seconds=index),
                "status_changed_at": start,
            })
            if len(rows) == 5000:
                db.session.execute(insert(Registration), rows)
                rows = []
        if rows:
            db.session.execute(insert(Registration), rows)
        rebuild(db.session, event_id)  # the counters, after rows written around the ORM
        db.session.commit()


def timed(client, url, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        body = response.get_data()
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, url
    return statistics.median(times), body


def export_peak(client, url):
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url)
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, size


def test_list_and_export_scale(app, auth, events):
    small, large = events["oriental"], events["fes-meknes"]
    fill(app, small, 1_000)
    fill(app, large, 100_000)
    client = auth.sign_in("admin", email="admin-bench@example.org")

    lines = []
    for name, query in (("first page, by date", ""), ("filtered: women, sorted by name", "?gender=female&sort=name"),
                        ("page 40, by status", "?sort=status&page=40")):
        t_small, _ = timed(client, f"/review/events/{small}/participants{query}", 5)
        t_large, body = timed(client, f"/review/events/{large}/participants{query}", 5)
        assert b"Nom" in body
        lines.append(f"list page ({name}): 1k {t_small * 1000:.1f} ms, 100k {t_large * 1000:.1f} ms, "
                     f"ratio 100k/1k = {t_large / t_small:.1f}")
    for size, event_id in (("1k", small), ("100k", large)):
        elapsed, peak, length = export_peak(client, f"/review/events/{event_id}/export.csv")
        lines.append(f"CSV export {size}: {elapsed:.2f} s, {length / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB")
    report = "\n".join(lines)
    print("\n" + report)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "review.txt"), "w") as handle:
        handle.write(report + "\n")

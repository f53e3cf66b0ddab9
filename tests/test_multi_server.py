"""More than one machine (issue 13, item 5): the production set-up in processes, driven over HTTP.

Two app servers (gunicorn, gthread) and two mail workers (`flask outbox work`) share one database
(PostgreSQL with TEST_DATABASE_URL, else a SQLite file: two processes on one file are a real
multi-process case too) and Redis (rate limits, public cache versions); mail goes to a real SMTP
server. Every request goes to one server or the other, as behind a load balancer without sticky
sessions: a form opened on one server is posted to the other, and a coordinator signed in on one
continues on the other. It shows
- no overbooking: concurrent approvals through both servers fill exactly the seats;
- no lost registration: every accepted submission is in the database, with one acknowledgement;
- one registration per address, however its submissions are spread over the servers;
- no duplicate mail: each message reaches the SMTP server once, with both workers running;
- a page served by one process reflects a write made through the other (the public event page
  within the public cache's staleness bound, the coordinators' list at once);
- the rate limit counts the submissions of both servers together (Redis).
The same at volume (300 people): `make bench` (benchmarks/test_multi_server_bench.py).
"""
import collections
import html
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.registration.models import Registration
from tests.support.auth import PASSWORD, Auth, totp_code
from tests.support.data import set_capacity
from tests.support.servers import Deployment
from tests.support.web import csrf_token, post_code, post_forms_at_once, post_login, valid_registration

SLUG = "oriental"
TIMEOUT = 60  # seconds per request: generous; a request that needs it is a failure anyway
# The public pages may be served from a cache for at most PUBLIC_CACHE_MAX_STALENESS (2 s, README):
# a page of the other server is read again for this long before the test says it is stale.
STALENESS_BOUND = 3.0
ACKNOWLEDGEMENT = "Accusé de réception de votre inscription"


# --- the set-up ---------------------------------------------------------------------------------
def deploy(folder, smtp_port: int, *, submissions: int, seats: int):
    """The set-up, migrated and seeded with the demo events (one of `seats` seats), its processes
    started; the registration rate limit lets exactly `submissions` through in the hour. A context
    manager: leaving it stops every process and drops the database."""
    deployment = Deployment(folder, smtp_port=smtp_port, REGISTRATION_RATE_LIMIT=f"{submissions} per hour",
                            LOGIN_RATE_LIMIT="100 per minute", OUTBOX_BATCH_SIZE=5)
    try:
        deployment.migrate()
        from portal.clock import utcnow
        from portal.events.demo import seed_demo_events
        with deployment.app.app_context():
            deployment.events = {event.slug: event.id for event in seed_demo_events(utcnow())}
            db.session.commit()
            db.session.remove()
        set_capacity(deployment.app, deployment.events[SLUG], seats)
        # The coordinator's account, made before the processes start: once they run, the test's
        # own process only reads (on SQLite, its writes would compete with theirs for the lock).
        deployment.coordinator = Auth(deployment.app, client=None).make("coordinator", deployment.events[SLUG])
        deployment.start(web=2, workers=2)
    except BaseException:
        deployment.__exit__(None, None, None)
        raise
    return deployment


# --- what people do, through both servers -------------------------------------------------------
def statuses(answers) -> collections.Counter:
    return collections.Counter(
        answer.status_code if isinstance(answer, requests.Response) else type(answer).__name__ for answer in answers)


def register_through_both(servers: list[str], payloads: list[dict]) -> list:
    """One person per payload: opens the form on one server, waits for the others, posts it to the
    other server (the session cookie and CSRF token travel). Returns the answers, 303 expected."""
    return post_forms_at_once(servers, SLUG, payloads, timeout=TIMEOUT)


def sign_in_coordinator(deployment) -> requests.Session:
    """The event's coordinator, signed in (password, then code) through the first server's forms."""
    with deployment.app.app_context():
        email = db.session.get(User, deployment.coordinator).email
        db.session.remove()
    browser, server = requests.Session(), deployment.web[0]
    answer = post_login(browser, email, PASSWORD, base_url=server)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/login/code"), answer.status_code
    assert post_code(browser, totp_code(), base_url=server).status_code == 303
    return browser


def approve_through_both(deployment, coordinator: requests.Session, ids: list[int], sessions: int = 6) -> list[str]:
    """The coordinator's session (its cookie) used on both servers at once by `sessions` tabs,
    each approving its share of `ids`, one row after another, alternating servers. Returns each
    decision's announcement."""
    event_id = deployment.events[SLUG]
    barrier = threading.Barrier(sessions, timeout=TIMEOUT)

    def tab(number: int) -> list[str]:
        with requests.Session() as browser:
            browser.cookies.update(coordinator.cookies)
            server = deployment.web[number % len(deployment.web)]
            page = browser.get(f"{server}/review/events/{event_id}/participants", timeout=TIMEOUT,
                               allow_redirects=False)
            assert page.status_code == 200, f"the coordinator's list on {server}: {page.status_code}"
            token = csrf_token(page.text)
            barrier.wait()
            announcements = []
            for n, registration_id in enumerate(ids[number::sessions]):
                server = deployment.web[(number + n) % len(deployment.web)]
                response = browser.post(
                    f"{server}/review/events/{event_id}/participants/{registration_id}/decision", timeout=TIMEOUT,
                    data={"csrf_token": token, "decision": "approve", "return_query": ""},
                    headers={"HX-Request": "true"}, allow_redirects=False)
                assert response.status_code == 200, f"a decision on {server}: {response.status_code}"
                announcement = re.search(r'id="announce".*?<p[^>]*>(.*?)</p>', response.text, re.DOTALL)
                announcements.append(html.unescape(announcement.group(1)) if announcement else "")
            return announcements

    with ThreadPoolExecutor(max_workers=sessions) as pool:
        return [text for texts in pool.map(tab, range(sessions)) for text in texts]


def registered_on_public_page(server: str) -> int:
    page = requests.get(f"{server}/events/{SLUG}", timeout=TIMEOUT)
    assert page.status_code == 200
    match = re.search(r"Inscriptions reçues\W*(\d+)", page.text)
    assert match, "no count of registrations on the event page"
    return int(match.group(1))


def approved_in_coordinators_list(server: str, coordinator: requests.Session, event_id: int) -> int:
    page = coordinator.get(f"{server}/review/events/{event_id}/participants", timeout=TIMEOUT, allow_redirects=False)
    assert page.status_code == 200
    match = re.search(r"Approuvées</dt>\s*<dd>(\d+)", page.text)
    assert match, "no count of approved registrations in the list"
    return int(match.group(1))


def read_until(read, expected, seconds: float):
    """`read()` again until it gives `expected` or `seconds` have passed; its last value."""
    deadline = time.monotonic() + seconds
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


# --- what the database and the SMTP server hold -----------------------------------------------
def registered_emails(deployment) -> collections.Counter:
    with deployment.app.app_context():
        emails = db.session.scalars(select(Registration.email).where(
            Registration.event_id == deployment.events[SLUG]))
        counted = collections.Counter(emails)
        db.session.remove()
    return counted


def outbox_when_sent(deployment, seconds: float = 90) -> list[tuple[str, str, str]]:
    """Wait until the workers sent every queued message (checking they still run); then each
    message's (Message-ID, recipient, subject)."""
    deadline = time.monotonic() + seconds
    while True:
        with deployment.app.app_context():
            waiting = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status.in_(("queued", "sending"))))
            rows = db.session.execute(select(OutboxMessage.message_id, OutboxMessage.to_address,
                                             OutboxMessage.subject, OutboxMessage.status)).all()
            db.session.remove()
        if not waiting:
            assert {row.status for row in rows} <= {"sent"}, collections.Counter(row.status for row in rows)
            return [(row.message_id, row.to_address, row.subject) for row in rows]
        deployment.check_alive()
        assert time.monotonic() < deadline, f"{waiting} messages still unsent"
        time.sleep(0.2)


def received(smtp_server) -> list[tuple[str, str, str]]:
    """(Message-ID, recipient, subject) of each message the SMTP server accepted, in order."""
    return [(message["Message-ID"], recipient, str(message["Subject"]))
            for envelope, message in list(smtp_server.messages) for recipient in envelope.rcpt_tos]


def check_registrations_and_mail(deployment, smtp_server, people: list[str], same_person: str | None) -> None:
    """Each person registered once, the repeated address too; every queued message received
    exactly once; each registration acknowledged exactly once."""
    emails = registered_emails(deployment)
    expected = collections.Counter(people + ([same_person] if same_person else []))
    assert emails == expected, f"missing: {expected - emails}, extra: {emails - expected}"

    queued = outbox_when_sent(deployment)
    got = received(smtp_server)
    repeated = {message_id: n for message_id, n in collections.Counter(m for m, _, _ in got).items() if n > 1}
    assert not repeated, f"messages received more than once: {repeated}"
    assert sorted(got) == sorted(queued)  # each queued message received, nothing else
    acknowledgements = collections.Counter(to for _, to, subject in got if subject.startswith(ACKNOWLEDGEMENT))
    assert acknowledgements == collections.Counter(expected.keys()), "not one acknowledgement per registration"


# --- the test -----------------------------------------------------------------------------------
PEOPLE, REPEATS, SEATS = 24, 6, 10


def submissions(people: int, repeats: int) -> int:
    """What the scenario posts: each person once, one address `repeats` times, one late person."""
    return people + repeats + 1


@pytest.fixture
def deployment(tmp_path, smtp_server):
    with deploy(tmp_path, smtp_server.port, submissions=submissions(PEOPLE, REPEATS), seats=SEATS) as deployment:
        yield deployment


def test_two_app_servers_and_two_workers_keep_every_promise(deployment, smtp_server):
    two_servers_keep_every_promise(deployment, smtp_server, PEOPLE, REPEATS, SEATS)


def two_servers_keep_every_promise(deployment, smtp_server, people: int, repeats: int, seats: int) -> None:
    """The scenario, on a deployment made by deploy(..., submissions(people, repeats), seats)."""
    app, event_id, servers = deployment.app, deployment.events[SLUG], deployment.web

    # `people` register at the same moment, and one more person submits `repeats` times, spread
    # over both servers; each form is posted to the server that did not serve it.
    emails = [f"person{n:03d}@example.org" for n in range(people)]
    payloads = [valid_registration(app, SLUG, email=email, first_name=f"Personne {n}") for n, email in enumerate(emails)]
    payloads += [valid_registration(app, SLUG, email="same.person@example.org")] * repeats
    answers = register_through_both(servers, payloads)
    assert statuses(answers) == {303: people + repeats}, statuses(answers)
    assert all(answer.headers["Location"].endswith(f"/events/{SLUG}/register/done") for answer in answers)

    # The public page of the second server, then a registration through the first: the second
    # server's page shows it within the public cache's staleness bound.
    before = registered_on_public_page(servers[1])
    assert before == people + 1
    late = valid_registration(app, SLUG, email="late.person@example.org")
    assert register_through_both(servers[:1], [late])[0].status_code == 303
    assert read_until(lambda: registered_on_public_page(servers[1]), before + 1, STALENESS_BOUND) == before + 1

    # Every registration is approved, by six tabs of one coordinator signed in on the first
    # server, through both servers at once: the seats are filled exactly, never more.
    coordinator = sign_in_coordinator(deployment)
    with app.app_context():
        ids = list(db.session.scalars(select(Registration.id).where(Registration.event_id == event_id)))
        db.session.remove()
    announcements = approve_through_both(deployment, coordinator, ids)
    refused = [text for text in announcements if "n'est pas approuvé(e)" in text]
    assert len(announcements) - len(refused) == seats
    assert all(f"les {seats} places sont attribuées" in text for text in refused), refused[:3]
    with app.app_context():
        approved = db.session.scalar(select(func.count()).select_from(Registration).where(
            Registration.event_id == event_id, Registration.status == "approved"))
        db.session.remove()
    assert approved == seats
    # The list on either server counts the decisions made through both.
    assert [approved_in_coordinators_list(server, coordinator, event_id) for server in servers] == [seats, seats]

    # The rate limit counted both servers' submissions together: the next one is refused.
    extra = valid_registration(app, SLUG, email="one.too.many@example.org")
    assert register_through_both(servers, [extra])[0].status_code == 429

    # Both workers ran all along; every message reached the SMTP server once.
    deployment.check_alive()
    check_registrations_and_mail(deployment, smtp_server, [*emails, "late.person@example.org"],
                                 "same.person@example.org" if repeats else None)

"""The one clock: a test that moves portal.clock moves every page, operation and job with it."""
from tests.support.data import outbox


def test_a_moved_clock_closes_registration_on_the_public_pages(client, events, clock):
    page = client.get("/events/oriental").get_data(as_text=True)
    assert 'href="/events/oriental/register"' in page
    clock.advance(days=800)  # past the event: every module reads the same moved clock
    page = client.get("/events/oriental").get_data(as_text=True)
    assert 'href="/events/oriental/register"' not in page
    assert client.get("/events/oriental/register").status_code == 200  # explains why it is closed
    assert "oriental" not in client.get("/").get_data(as_text=True)  # no longer upcoming


def test_mail_is_queued_at_the_clock_s_time(app, client, events, clock):
    from tests.support.web import post_registration, valid_registration
    assert post_registration(client, "oriental", valid_registration(app, "oriental")).status_code == 303
    [message] = outbox(app)
    assert message.next_attempt_at == clock.now

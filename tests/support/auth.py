"""Back-office accounts for the tests, signed in the way people sign in: through the login form.

The `auth` fixture (tests/conftest.py) is an Auth for the test's app and client:

    coordinator = auth.sign_in("coordinator", "oriental")   # the test's client, signed in
    auth.sign_in("admin", page=page)                          # a browser page, through /login
    user_id = auth.make("observer", events["oriental"])       # an account only, not signed in

Admins and coordinators must give a second factor: accounts made here have the TOTP secret
TOTP_SECRET (observers none, unless `two_factor=True`), and signing in sends the current code
(by the portal's clock, so the `clock` fixture moves it too) after the password, in the client
or typed in the browser. An account that must have one and has none (made by `flask users
create`) is given TOTP_SECRET before signing in (enrolment itself: tests/test_two_factor.py).
Before each sign-in the last used code is forgotten, so a test may sign one account in several times within 30 seconds (the portal
refuses a code twice: tests/test_two_factor.py).
"""
import pyotp
from sqlalchemy import select

from portal.accounts.models import ROLES, User
from portal.events.models import Event, Organization
from portal.extensions import db
from tests.support.web import post_code, post_login

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now (now: the portal's clock)."""
    from portal.accounts.two_factor import STEP_SECONDS, current_step
    from portal.clock import utcnow
    return pyotp.TOTP(secret.replace(" ", "")).at(current_step(utcnow()) * STEP_SECONDS)


class Auth:
    """Accounts of a role that may see an event (its slug or id), and signing them in.

    - coordinator: a member of `organization` (an acronym, made if missing), by default the
      event's first co-organiser, so the coordinator sees that event;
    - observer: given the event (if any);
    - admin: sees every event.
    The e-mail is by default the organisation's acronym for a coordinator, otherwise the role,
    at example.org (acodec@example.org, admin@example.org); the password is PASSWORD.
    """

    def __init__(self, app, client):
        self.app, self.client = app, client

    def make(self, role, event=None, *, organization=None, email=None, two_factor=None) -> int:
        """Create the account (with the second factor TOTP_SECRET if `two_factor`, by default for
        the roles that need one); returns its id."""
        with self.app.app_context():
            event, organization = self._event_and_organization(role, event, organization)
            email = (email or self._default_email(role, organization)).lower()
            user = User(email=email, role=role, organization=self._organization(organization), name=email.split("@")[0])
            user.set_password(PASSWORD)
            if user.needs_two_factor if two_factor is None else two_factor:
                user.totp_secret = TOTP_SECRET
            user.observed_events = [event] if role == "observer" and event is not None else []
            db.session.add(user)
            db.session.commit()
            return user.id

    def sign_in(self, role="coordinator", event=None, *, client=None, page=None, keyboard=False, on_screen=False,
                base_url="", organization=None, email=None, password=PASSWORD):
        """Sign in as `role` for `event`, through the real login form; the account is made unless
        one with that e-mail exists (it is then used as it is, and must have that role).

        On `client` (by default the test's client; a requests.Session needs the live server's
        `base_url`), a POST with the form's CSRF token that must answer 303; returns the client.
        With `page=`, the login form posted from the page's browser context, then the dashboard
        opened in the page (the login screens typed into, by keyboard if `keyboard`, when
        `on_screen` or `keyboard`: tests of those screens); returns the page."""
        email = self._account(role, event, organization, email)
        self._ready_for_second_factor(email)
        if page is not None:
            from tests.support.pages import sign_in_on_page, sign_in_through_the_form
            if keyboard or on_screen:
                sign_in_on_page(page, email, password, keyboard=keyboard, code=totp_code)
            else:
                sign_in_through_the_form(page, email, password, code=totp_code)
            return page
        client = self.client if client is None else client
        response = post_login(client, email, password, base_url=base_url)
        assert response.status_code == 303, f"signing in as {email} answered {response.status_code}"
        if "/login/code" in response.headers["Location"]:
            response = post_code(client, totp_code(), base_url=base_url)
            assert response.status_code == 303, f"the code of {email} answered {response.status_code}"
        return client

    def _ready_for_second_factor(self, email) -> None:
        """TOTP_SECRET for an account that needs a second factor and has none; no used code."""
        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.email == email.lower()))
            if user.needs_two_factor and not user.has_two_factor:
                user.totp_secret = TOTP_SECRET
            user.totp_last_step = None
            db.session.commit()

    # --- the account ---------------------------------------------------------------------------
    def _account(self, role, event, organization, email) -> str:
        """The e-mail of the account to sign in, made if missing."""
        with self.app.app_context():
            if email is None:
                email = self._default_email(role, self._event_and_organization(role, event, organization)[1])
            existing = db.session.scalar(select(User).where(User.email == email.lower()))
            if existing is not None:
                assert existing.role == role, f"{email} is an account of role {existing.role}, not {role}"
                return email
        self.make(role, event, organization=organization, email=email)
        return email

    @staticmethod
    def _event_and_organization(role, event, organization):
        assert role in ROLES, f"no role {role!r}: one of {ROLES}"
        if isinstance(event, str):
            found = db.session.scalar(select(Event).where(Event.slug == event))
            assert found is not None, f"no event {event!r} (is the `events` fixture used?)"
            event = found
        elif event is not None:
            event = db.session.get(Event, event)
        if role == "coordinator" and organization is None:
            assert event is not None, "a coordinator needs an event or an organization"
            organization = event.co_organizers[0].acronym
        return event, organization

    @staticmethod
    def _default_email(role, organization) -> str:
        return f"{(organization if role == 'coordinator' else role).lower()}@example.org"

    @staticmethod
    def _organization(name):
        if name is None:
            return None
        found = db.session.scalar(select(Organization).where(
            (Organization.acronym == name) | (Organization.name == name)))
        if found is None:
            found = Organization(name=name, acronym=name)
            db.session.add(found)
        return found

"""What the tests share, by subject; conftest.py files hold only fixtures.

- web: CSRF tokens, the registration form's data, the login form.
- data: rows straight in the database (registrations, capacity) and look-ups.
- auth: back-office accounts of a role for an event, signed in (the `auth` fixture).
- mail: a real SMTP server that records what it receives.
- outbox: bulk queueing, delivery rounds, misbehaving SMTP servers, worker processes.
- browser: Chromium offline, htmx from npm, axe.
- pages: what browser tests do on pages: languages, the keyboard, the login and registration forms.
"""

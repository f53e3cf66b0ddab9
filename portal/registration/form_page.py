"""The empty registration form, rendered once per event content and language.

The form a visitor opens differs from the next visitor's by two values only: the CSRF token of
their session and the organiser's code of the link they followed (?via=). Everything else (the
fields, the 75 provinces, the workshops and which are full, the regions, the support rules, the
texts of the language) is the same for everyone. So the HTML of the form is rendered once, with
a mark in place of those two values, and each request puts its own values in.

The whole page of an anonymous visitor is also kept by the public pages' cache (public_cache.py,
`@public_page` on the view): this rendering serves its misses, and every other visitor.

No invalidation to forget: the key of a rendering is the content it shows (the event's slug, its
workshops' titles, the full ones, its regions, its published support rules, the language), read
by the request itself (one query, published_event_for_form). A change made through any process is
in the next request's key, so the next form any process serves shows it. A change of the app's
settings (the privacy notice's version, said beside the consent box) empties the copies. The copies live in the
app (one per process), at most MAX_COPIES of them, the least recently served dropped first.
"""
import secrets
import threading
from collections import OrderedDict

from flask import current_app, render_template, request
from markupsafe import Markup, escape

from ..extensions import made_once
from ..i18n import localized
from ..public_cache import clear_with_settings
from .forms import RegistrationForm

MAX_COPIES = 256
_KEY = "registration.form_page"
# Random per process: a text that no event, translation or visitor can contain.
_CSRF_MARK = "csrf" + secrets.token_hex(16)
_VIA_MARK = "via" + secrets.token_hex(16)


class _Copies:
    def __init__(self):
        self.guard = threading.Lock()
        self.html: OrderedDict[tuple, str] = OrderedDict()

    def get(self, key):
        with self.guard:
            html = self.html.get(key)
            if html is not None:
                self.html.move_to_end(key)
            return html

    def clear(self) -> None:
        with self.guard:
            self.html.clear()

    def put(self, key, html: str) -> None:
        with self.guard:
            self.html[key] = html
            self.html.move_to_end(key)
            while len(self.html) > MAX_COPIES:
                self.html.popitem(last=False)


def _copies() -> _Copies:
    return made_once(_KEY, _new_copies)


def _new_copies() -> _Copies:
    copies = _Copies()
    clear_with_settings(current_app, copies.clear)
    return copies


def content_key(event, language: str, full_workshops: set[int], support) -> tuple:
    """What the empty form shows, as a hashable value: two requests with the same key get the same HTML."""
    support_key = None if support is None else (
        support.rules.travel_zones, support.rules.accommodation_zones, support.rules.nights, support.rules.cap,
        support.rules.priority, support.province.code, tuple((p.code, zone) for p, zone in support.moved))
    return (
        request.script_root, language, event.id, event.slug,
        tuple(region.code for region in event.regions),
        tuple((w.id, localized(w, "title", language)) for w in event.workshops),
        frozenset(full_workshops), support_key,
    )


def empty_form(event, language: str, full_workshops: set[int], support, via: str) -> Markup:
    """The form's HTML (registration/_form.html) for this request: this session's CSRF token and
    the link's code put into the shared rendering."""
    key = content_key(event, language, full_workshops, support)
    copies = _copies()
    html = copies.get(key)
    if html is None:
        form = RegistrationForm(event, language, full_workshops=full_workshops)
        form.language.data = language
        form.via.data = _VIA_MARK
        form.csrf_token.current_token = _CSRF_MARK
        html = render_template("registration/_form.html", event=event, form=form, support=support)
        copies.put(key, html)
    # The page's own token, as csrf_token() gives it to the page (the public pages' cache gets its
    # placeholder there, and puts each visitor's own token in the page it serves).
    token = current_app.jinja_env.globals["csrf_token"]()
    return Markup(html.replace(_CSRF_MARK, token).replace(_VIA_MARK, str(escape(via))))

"""Flask-Login wiring: the session identifies a user and their password generation."""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..params import parse_id, parse_int


def init_login(app, login_manager):
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"  # "strong" clears cookies on every anonymous visit

    @login_manager.user_loader
    def load_user(identifier: str):
        from .models import User
        user_id, _, version = identifier.partition(":")
        user_id, version = parse_id(user_id), parse_int(version)
        if user_id is None or version is None:
            return None
        user = db.session.get(User, user_id)
        # A changed password (or a disabled account) ends every older session.
        if user is None or not user.active or user.session_version != version:
            return None
        return user

"""Flask-Login wiring: the session identifies a user and their password generation."""
from flask_babel import lazy_gettext as _l

from ..extensions import db


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
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        # A changed password (or a disabled account) ends every older session.
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

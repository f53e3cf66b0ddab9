"""The Flask extensions, created unbound here and wired to the app in create_app(); and what an app
makes once for itself (made_once)."""
import threading

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .bidi import PortalBabel

# Named constraints so that Alembic migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
mail = Mail()
babel = PortalBabel()  # gettext from Python isolates inserted values in right-to-left languages
limiter = Limiter(get_remote_address)
login_manager = LoginManager()


_making = threading.Lock()


def made_once(key: str, build):
    """The current app's own object under `key` (in app.extensions), built by `build()` at its first
    use, once, even when several threads ask for it at the same moment."""
    found = current_app.extensions.get(key)
    if found is None:
        with _making:
            found = current_app.extensions.get(key)
            if found is None:
                found = current_app.extensions[key] = build()
    return found

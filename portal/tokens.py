"""Secret links (password reset, waiting-list offers...): the token goes in the mail, only its hash
is stored, so a copy of the database opens nothing."""
import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import DateTime, String, and_
from sqlalchemy.orm import Mapped, mapped_column


def new_token() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible(token: str | None) -> bool:
    """Worth a database look-up: a token of ours is 43 characters; refuse the absurd early."""
    return bool(token) and len(token) <= 100


class HashedLink:
    """A table of secret links (a registrant's manage links, a rapporteur's): each row keeps the
    hash of one mailed token and when it stops opening anything. Mix it into the model with the
    owner's foreign key."""
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)

    @classmethod
    def issue(cls, now: dt.datetime, expires_at: dt.datetime, **owner):
        """(a new row, the token to mail): the caller adds the row in its transaction."""
        token, stored = new_token()
        return cls(token_hash=stored, created_at=now, expires_at=expires_at, **owner), token

    @classmethod
    def opened_by(cls, token: str, now: dt.datetime):
        """The SQL condition: this row is the link of `token`, and it has not expired."""
        return and_(cls.token_hash == token_hash(token), cls.expires_at > now)


# Addresses that carry a secret token: /manage/<token>, /offers/<token>, /password/reset/<token>,
# /invitations/<token>, /rapporteur/<token>.
# Packages that add such links add their prefix here, so logs and stored mail never keep them.
TOKEN_PATHS = ("manage", "offers", "password/reset", "invitations", "rapporteur")
# Also URL-encoded (`%2F`): the language switch carries the page to come back to in `?next=`.
_SLASH = r"(/|%2F)"
_TOKEN_IN_PATH = re.compile(_SLASH + "(" + "|".join(p.replace("/", _SLASH) for p in TOKEN_PATHS) + ")" + _SLASH
                            + r"[^/?#&%\s\"'<>]+", re.IGNORECASE)


def redact_tokens(text: str) -> str:
    """The text with every token of a secret link replaced by "…" (logs, sent mail bodies)."""
    return _TOKEN_IN_PATH.sub(_redacted, text)


def _redacted(match: re.Match) -> str:
    """The matched path up to its last separator (/ or %2F), then "…" for the token."""
    whole = match.group(0)
    cut = max(whole.rfind("/"), whole.upper().rfind("%2F") + 2)
    return whole[:cut + 1] + "…"

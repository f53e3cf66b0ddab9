"""Secret links (password reset, waiting-list offers...): the token goes in the mail, only its hash
is stored, so a copy of the database opens nothing."""
import hashlib
import re
import secrets


def new_token() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible(token: str | None) -> bool:
    """Worth a database look-up: a token of ours is 43 characters; refuse the absurd early."""
    return bool(token) and len(token) <= 100


# Addresses that carry a secret token: /manage/<token>, /offers/<token>, /password/reset/<token>,
# /invitations/<token>.
# Packages that add such links add their prefix here, so logs and stored mail never keep them.
TOKEN_PATHS = ("manage", "offers", "password/reset", "invitations")
_TOKEN_IN_PATH = re.compile(r"/(" + "|".join(re.escape(p) for p in TOKEN_PATHS) + r")/[^/?#\s\"'<>]+")


def redact_tokens(text: str) -> str:
    """The text with every token of a secret link replaced by "…" (logs, sent mail bodies)."""
    return _TOKEN_IN_PATH.sub(lambda m: f"/{m.group(1)}/…", text)

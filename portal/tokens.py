"""Secret links (password reset, waiting-list offers...): the token goes in the mail, only its hash
is stored, so a copy of the database opens nothing."""
import hashlib
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

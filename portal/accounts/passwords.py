"""Password hashing: argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane).

Hashes made before (werkzeug's scrypt) still verify, and are replaced by an argon2id hash at the
next successful sign-in. An unknown account, or an invited one that has not chosen its password
yet, is checked against a dummy hash, so the answer takes as long whatever the account.
"""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY = _hasher.hash("not the password of any account")
# Stored for an invited account until it chooses its password: no password matches it.
UNUSABLE = "!invited"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when `password` matches `stored`; with no stored hash, the same work, then False."""
    if not stored or stored == UNUSABLE:
        _verify_argon2(_DUMMY, password)
        return False
    if stored.startswith("$argon2"):
        return _verify_argon2(stored, password)
    return check_password_hash(stored, password)  # an older scrypt hash


def needs_rehash(stored: str) -> bool:
    return not stored.startswith("$argon2") or _hasher.check_needs_rehash(stored)


def _verify_argon2(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False

"""The second factor: a TOTP code (RFC 6238, 30-second steps, 6 digits) or a recovery code.

- The secret is stored as it is (base32): checking a code needs it. A copy of the database would
  therefore reveal the secrets, not the passwords (argon2id) nor the recovery codes (hashed).
- A code is accepted once: the step it belongs to is remembered (`totp_last_step`), and a code of
  that step or an earlier one is refused, so a code seen over a shoulder cannot be replayed.
- The step before and after now are accepted too (a phone's clock a little off).
- Ten recovery codes, shown once at enrolment; only their SHA-256 is kept (60 random bits each);
  each works once.
"""
import datetime as dt
import hmac
import re
import secrets

import pyotp
import segno
from sqlalchemy import delete, select

from ..extensions import db
from ..tokens import token_hash
from .models import RecoveryCode

STEP_SECONDS = 30
ISSUER = "Portail de co-création"
RECOVERY_CODES = 10
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
_TOTP_RE = re.compile(r"\d{6}")


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits


def grouped(secret: str) -> str:
    """The secret by groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(secret: str, email: str) -> str:
    """The enrolment QR code as an SVG data: URI, for an <img> (no inline style or script: the
    strict CSP allows img-src data:)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)


def _normal(code: str | None) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def current_step(now: dt.datetime) -> int:
    return int(now.replace(tzinfo=dt.UTC).timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str | None, last_step: int | None, now: dt.datetime) -> int | None:
    """The time step `code` belongs to (now, just before or just after), if not used yet."""
    code = _normal(code)
    if not _TOTP_RE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    found = None
    for step in (current_step(now) - 1, current_step(now), current_step(now) + 1):
        # Compare with every step (constant work), keep the first unused one that matches.
        matches = hmac.compare_digest(totp.at(step * STEP_SECONDS), code)
        if matches and found is None and (last_step is None or step > last_step):
            found = step
    return found


def _code_hash(code: str) -> str:
    return token_hash(_normal(code))  # stored like every other secret: its hash only


def new_recovery_codes(user) -> list[str]:
    """Ten new codes for `user` (the old ones are deleted); returns them, to show once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_hash(raw)))
    return codes


def use_second_factor(user, code: str | None, now: dt.datetime) -> str | None:
    """Inside writing(), with `user` read under the write lock: accept a TOTP code (remembering its
    step) or an unused recovery code (marking it used). Returns "totp", "recovery" or None."""
    if not user.has_two_factor:
        return None
    step = matching_step(user.totp_secret, code, user.totp_last_step, now)
    if step is not None:
        user.totp_last_step = step
        return "totp"
    normal = _normal(code)
    if len(normal) != 12:
        return None
    recovery = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_hash(normal),
        RecoveryCode.used_at.is_(None)))
    if recovery is None:
        return None
    recovery.used_at = now
    return "recovery"


def enrol(user, secret: str, code: str | None, now: dt.datetime) -> list[str] | None:
    """Give `user` the secret their app shows `code` for; returns the recovery codes, or None
    when the code does not match (nothing changed)."""
    step = matching_step(secret, code, None, now)
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    return new_recovery_codes(user)


def remove_second_factor(user) -> None:
    user.totp_secret, user.totp_last_step = None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def unused_recovery_codes(user) -> int:
    from sqlalchemy import func
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))

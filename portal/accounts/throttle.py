"""Sign-in throttling that slows guessing without letting anyone lock an account.

Failures (a wrong password or second-factor code) are rows of `sign_in_failure`, by the account
typed (known or not: the same rules, so the answers reveal nothing) and the client's address.
- One client on one account: after SIGN_IN_FREE_FAILURES failures, the next attempt waits 1 s
  after the last failure, then 2, 4, 8... up to SIGN_IN_MAX_DELAY_SECONDS. Another client (the
  account's owner at their office) is not concerned.
- One account from every client: past SIGN_IN_ACCOUNT_FAILURES_PER_HOUR failures in the last hour,
  every attempt waits SIGN_IN_ACCOUNT_DELAY_SECONDS after the account's last failure: a botnet
  is slowed to one guess per delay, and the owner still gets in after that short wait.
An attempt made too early is refused before its password or code is even checked, and is not
counted. A complete sign-in clears its client's failures on that account.
"""
import datetime as dt

from flask import current_app
from sqlalchemy import delete, func, select

from ..extensions import db
from .models import SignInFailure

PAIR_MEMORY = dt.timedelta(hours=24)  # failures older than this no longer lengthen the wait


def normal_account(email: str | None) -> str:
    return (email or "").strip().lower()[:254]


def wait_before_attempt(account: str, client: str, now: dt.datetime) -> dt.timedelta | None:
    """How long this client must still wait before trying this account again; None: go ahead."""
    config = current_app.config
    waits = []
    failures, last = db.session.execute(select(func.count(), func.max(SignInFailure.at)).where(
        SignInFailure.account == account, SignInFailure.client == client,
        SignInFailure.at > now - PAIR_MEMORY)).one()
    free = int(config["SIGN_IN_FREE_FAILURES"])
    if failures >= free:
        delay = min(2 ** min(failures - free, 30), int(config["SIGN_IN_MAX_DELAY_SECONDS"]))
        waits.append(last + dt.timedelta(seconds=delay) - now)
    failures, last = db.session.execute(select(func.count(), func.max(SignInFailure.at)).where(
        SignInFailure.account == account, SignInFailure.at > now - dt.timedelta(hours=1))).one()
    if failures >= int(config["SIGN_IN_ACCOUNT_FAILURES_PER_HOUR"]):
        waits.append(last + dt.timedelta(seconds=int(config["SIGN_IN_ACCOUNT_DELAY_SECONDS"])) - now)
    longest = max(waits, default=dt.timedelta(0))
    return longest if longest > dt.timedelta(0) else None


def record_failure(account: str, client: str, now: dt.datetime) -> None:
    db.session.add(SignInFailure(account=account, client=client[:64], at=now))


def forget_failures(account: str, client: str) -> None:
    """After a complete sign-in: this client starts afresh on this account."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.account == account,
                                                   SignInFailure.client == client))


def purge_failures(now: dt.datetime) -> int:
    return db.session.execute(delete(SignInFailure).where(SignInFailure.at < now - PAIR_MEMORY)).rowcount

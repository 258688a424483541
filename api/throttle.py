"""Sign-in throttle: a lockout window after too many failed sign-ins, per account and per address.

Five wrong passwords for one account in 15 minutes lock that account for the rest of the window,
twenty failures from one client address (for any accounts) lock that address. The window slides:
the lock lifts when the oldest of the counted failures is 15 minutes old, and a successful
sign-in resets the account's count. While locked, a password is not even checked (else the lock
would not stop guessing), and the refused attempt is not counted (so hammering a locked account
does not lengthen its lock).

The counts live in the catalogue database (`sign_in_attempt`), not in Redis: every API worker
already shares that database (SQLite by default, PostgreSQL in production), while Redis is
optional and only ever configured for Rasa's lock store; a sign-in is rare enough that one
indexed insert per failure costs nothing. Two workers checking at the same instant may both let
an attempt through, so a lock can start one or two attempts late: a bounded slack, not a hole.

Neither the email nor the address is stored: only keyed hashes (HMAC-SHA-256 with
`PK_SECRET_KEY`, which every worker must share anyway to accept each other's tokens). An unknown
email is counted like a real one, so the lock says nothing about which accounts exist.

The trade-off of any account lock is that anyone who knows a colleague's email can lock them out
with five requests per quarter-hour. What keeps that as cheap for us as it can be:
- an address the account signed in from during the last 30 days is a *known address*: there
  the account's lock counts only the failures from that address, so failures from elsewhere do
  not lock the worker out at their own desk (and guessing from there is still limited to five);
- the lock is short and lifts by itself (no admin needed), refused attempts do not extend it;
- an attacker who spreads guesses over many accounts from one address meets the address limit.
The price is one row per account and known address, kept 30 days as keyed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session
from starlette.requests import Request

from settings import caller_address, get_settings, trusted_networks
from staff.accounts import SignInAttempt

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
KNOWN_ADDRESS_FOR = timedelta(days=30)

Scope = Literal["account", "address"]


@dataclass(frozen=True)
class Lockout:
    scope: Scope  # which count reached its limit
    until: datetime

    def retry_after(self, now: datetime | None = None) -> int:
        """Whole seconds until the lock lifts (at least 1): the Retry-After header."""
        left = (self.until - (now or _now())).total_seconds()
        return max(1, math.ceil(left))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)  # SQLite returns naive UTC


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA-256 of the value under the secret key: the same in every worker, not reversible."""
    secret = get_settings().secret_key.encode("utf-8")
    message = f"{purpose}:{value}".encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def account_key(email: str) -> str:
    """The account's key for an email already normalised (stripped, lower case)."""
    return keyed_hash("sign-in account", email)


def address_key(address: str) -> str:
    return keyed_hash("sign-in address", address)


def client_address(request: Request) -> str:
    """The staff member's address (see `caller_address`)."""
    peer = request.client.host if request.client else ""
    trusted = trusted_networks(get_settings().trusted_proxies)
    return caller_address(peer, request.headers.get("x-real-ip"), trusted)


def _failures(session: Session, since: datetime, limit: int, *where: object) -> list[datetime]:
    """The times of the newest `limit` failures after `since`, newest first."""
    query = (
        select(SignInAttempt.at)
        .where(SignInAttempt.succeeded.is_(False), SignInAttempt.at > since, *where)
        .order_by(SignInAttempt.at.desc())
        .limit(limit)
    )
    return [_aware(at) for at in session.scalars(query)]


def lockout(session: Session, account: str, address: str, now: datetime | None = None) -> Lockout | None:
    """The lock that refuses this account from this address now, or None."""
    now = now or _now()
    since = now - WINDOW
    locks = []
    from_address = _failures(session, since, ADDRESS_LIMIT, SignInAttempt.address == address)
    if len(from_address) >= ADDRESS_LIMIT:
        locks.append(Lockout("address", from_address[-1] + WINDOW))
    last_success = session.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.account == account, SignInAttempt.succeeded.is_(True)
        )
    )
    known = session.scalar(
        select(func.count(SignInAttempt.id)).where(
            SignInAttempt.account == account,
            SignInAttempt.address == address,
            SignInAttempt.succeeded.is_(True),
            SignInAttempt.at > now - KNOWN_ADDRESS_FOR,
        )
    )
    counted_since = max(since, _aware(last_success)) if last_success else since
    where = [SignInAttempt.account == account, *([SignInAttempt.address == address] if known else [])]
    for_account = _failures(session, counted_since, ACCOUNT_LIMIT, *where)
    if len(for_account) >= ACCOUNT_LIMIT:
        locks.append(Lockout("account", for_account[-1] + WINDOW))
    return max(locks, key=lambda lock: lock.until) if locks else None


def _purge(session: Session, now: datetime) -> None:
    session.execute(
        delete(SignInAttempt)
        .where(
            or_(
                SignInAttempt.at < now - KNOWN_ADDRESS_FOR,
                and_(SignInAttempt.succeeded.is_(False), SignInAttempt.at < now - WINDOW),
            )
        )
        .execution_options(synchronize_session=False)
    )


def record_failure(
    session: Session, account: str, address: str, now: datetime | None = None
) -> Lockout | None:
    """Counts a failed sign-in (the caller commits); the lock it starts, if it starts one."""
    now = now or _now()
    _purge(session, now)
    session.add(SignInAttempt(at=now, account=account, address=address, succeeded=False))
    session.flush()
    return lockout(session, account, address, now)


def record_success(session: Session, account: str, address: str, now: datetime | None = None) -> None:
    """Resets the account's count and makes the address a known one (the caller commits)."""
    now = now or _now()
    _purge(session, now)
    session.execute(
        delete(SignInAttempt)
        .where(
            SignInAttempt.account == account,
            SignInAttempt.address == address,
            SignInAttempt.succeeded.is_(True),
        )
        .execution_options(synchronize_session=False)
    )
    session.add(SignInAttempt(at=now, account=account, address=address, succeeded=True))
    session.flush()

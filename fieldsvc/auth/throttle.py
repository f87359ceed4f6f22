"""One throttle for both doors a password comes through: the login page and POST /api/v1/auth/token.

Every attempt at either door counts against three buckets of `LOGIN_RATE_LIMIT` (default 10 per minute),
kept in the rate-limit store (Redis in production, so every host counts together):
- the address: one address trying many accounts (password spraying);
- the account: one account tried from many addresses (a distributed guesser);
- the address and account together: one address trying one account.
An address's attempts at an account count towards the account's bucket only up to half the limit: one
address alone can exhaust its own pair and address buckets but never the account's, so an attacker on one
address cannot lock the real user (on another address) out. The attempt that finds a bucket full is
refused with 429, whatever the password.
"""
import time
from urllib.parse import quote

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from fieldsvc.extensions import limiter

MAX_ACCOUNT_KEY = 150


def account_key(username) -> str:
    """The account an attempt names, as the login compares it (trimmed, case-folded); '' when none."""
    if not isinstance(username, str):
        return ""
    return quote(username.strip().lower()[:MAX_ACCOUNT_KEY], safe="")


def account_share(amount: int) -> int:
    """How many of one address's attempts at an account also count towards the account's own bucket."""
    return max(1, amount // 2)


def check_attempt(username) -> None:
    """Count a password attempt for `username` from this request's address; raise 429 when a bucket is full.

    Call it before the password is checked, at both doors, with the username as given."""
    if not (limiter.enabled and limiter.initialized):
        return
    try:
        refused = _count(limiter.limiter, username)
    except Exception:  # the shared store is unreachable: count in this process rather than refuse every login
        if not current_app.config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"):
            raise
        current_app.logger.warning("login throttle: rate-limit store unreachable, counting in memory")
        refused = _count(_fallback(), username)
    if refused is not None:
        raise TooManyRequests(retry_after=refused)


def _fallback() -> FixedWindowRateLimiter:
    ext = current_app.extensions
    if "login_throttle_fallback" not in ext:
        ext["login_throttle_fallback"] = FixedWindowRateLimiter(MemoryStorage())
    return ext["login_throttle_fallback"]


def _count(strategy, username) -> int | None:
    """Hit the buckets; None when the attempt may go on, else the seconds until the fullest bucket frees."""
    item = parse(current_app.config["LOGIN_RATE_LIMIT"])
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    address = get_remote_address() or "unknown"
    account = account_key(username)

    def ids(*parts):
        return (prefix, *parts) if prefix else parts

    by_address = ids("login-address", address)
    full = [] if strategy.hit(item, *by_address) else [by_address]
    if account:
        pair, whole = ids("login-pair", address, account), ids("login-account", account)
        used_by_pair = item.amount - strategy.get_window_stats(item, *pair).remaining
        if not strategy.hit(item, *pair):
            full.append(pair)
        counts = used_by_pair < account_share(item.amount)
        if not (strategy.hit(item, *whole) if counts else strategy.test(item, *whole)):
            full.append(whole)
    if not full:
        return None
    reset = max(strategy.get_window_stats(item, *b).reset_time for b in full)
    return max(1, int(reset - time.time()) + 1)

"""Failed staff logins are counted per account and per address, and past a limit refused.

Without this, 40 wrong passwords went through in 9 s, and then the right one
was accepted. Now, once an account has PHNEWS_LOGIN_MAX_FAILURES failed
logins within PHNEWS_LOGIN_LOCKOUT_SECONDS, or an address has
PHNEWS_LOGIN_MAX_FAILURES_PER_ADDRESS (it may try several accounts), the
login form answers "too many failed logins, try again in N minutes" without
checking the password at all — the right password is refused too until the
window has passed. A successful login clears its account's count.

Counts live in the "login_throttle" cache, a file cache in the var directory
by default so every gunicorn worker on the host sees the same numbers (the
default cache is per process). Several web hosts need a shared cache there
(docs/operations.md).

An attempt is counted before its password is checked, as a failure that a
success takes back, and the check and the count happen under one lock (an
flock on a file in the var directory, shared by the host's workers): ten
attempts at once used to all read "4 failures" and all reach the password
check; now the fifth claim is the last one to get there. With several web
hosts the lock is per host, so the limit holds to within the number of hosts.
"""

import contextlib
import fcntl
import hashlib
import math
import os
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import caches

from articles.clients import client_address

CACHE = "login_throttle"
LOCK_FILE = "login_throttle.lock"


def _keys(username, address):
    account = hashlib.sha256((username or "").strip().casefold().encode()).hexdigest()
    where = hashlib.sha256(address.encode()).hexdigest()
    return (
        (f"login-fail:account:{account}", settings.PHNEWS_LOGIN_MAX_FAILURES),
        (f"login-fail:address:{where}", settings.PHNEWS_LOGIN_MAX_FAILURES_PER_ADDRESS),
    )


def seconds_locked(username, address, now=None):
    """How long logins for this account from this address stay refused; 0 if not."""
    now = time.time() if now is None else now
    window = settings.PHNEWS_LOGIN_LOCKOUT_SECONDS
    cache = caches[CACHE]
    wait = 0
    for key, limit in _keys(username, address):
        count, start = cache.get(key) or (0, now)
        if count >= limit and now - start < window:
            wait = max(wait, start + window - now)
    return wait


@contextlib.contextmanager
def _counting():
    """Hold the host's lock on the counts for the block."""
    path = Path(settings.VAR_DIR) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the flock


def claim_attempt(username, address, now=None):
    """Count an attempt as a failure before its password is checked; 0, or the wait when refused.

    A refused attempt is not counted. record_success takes the claim back.
    """
    with _counting():
        wait = seconds_locked(username, address, now)
        if not wait:
            record_failure(username, address, now)
    return wait


def record_failure(username, address, now=None):
    now = time.time() if now is None else now
    window = settings.PHNEWS_LOGIN_LOCKOUT_SECONDS
    cache = caches[CACHE]
    for key, _limit in _keys(username, address):
        count, start = cache.get(key) or (0, now)
        if now - start >= window:
            count, start = 0, now
        cache.set(key, (count + 1, start), timeout=max(1, math.ceil(start + window - now)))


def record_success(username, address):
    """Clear the account's count and take back the address's claim for this attempt."""
    (account, _), (where, _) = _keys(username, address)
    cache = caches[CACHE]
    with _counting():
        cache.delete(account)
        count, start = cache.get(where) or (0, 0)
        if count > 1:
            remaining = start + settings.PHNEWS_LOGIN_LOCKOUT_SECONDS - time.time()
            cache.set(where, (count - 1, start), timeout=max(1, math.ceil(remaining)))
        else:
            cache.delete(where)


class ThrottledAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": "登录失败次数过多，请 %(minutes)d 分钟后再试。",
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        address = client_address(self.request)
        # Without a password nothing is checked, so nothing is claimed either.
        if self.cleaned_data.get("password"):
            wait = claim_attempt(username, address)
        else:
            wait = seconds_locked(username, address)
        if wait:
            # Refused before the password is looked at: guessing gains nothing.
            raise forms.ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": math.ceil(wait / 60)}
            )
        cleaned = super().clean()  # a failure stays counted: it was claimed above
        if self.user_cache is not None:  # a form missing its password authenticated nobody
            record_success(username, address)
        return cleaned

"""The operator's cap on harvesting requests per client and minute (PHNEWS_API_RATE_PER_MINUTE).

A fixed one-minute window per client address, counted in a cache every
worker on the host shares (a file-based cache, as for failed logins), so
the cap holds however many workers serve. Counting is approximate under a
burst spread over workers (the cache's increment is not atomic between
processes): a client may get a few requests past the cap, never far.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import caches

from ..clients import client_address
from .twin import json_error

CACHE = "api_rate"
WINDOW = 60


def rate_capped(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        cap = settings.PHNEWS_API_RATE_PER_MINUTE
        if cap > 0:
            now = time.time()
            window = int(now // WINDOW)
            who = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
            key = f"api-rate:{who}:{window}"
            cache = caches[CACHE]
            cache.add(key, 0, timeout=WINDOW * 2)
            try:
                used = cache.incr(key)
            except ValueError:  # expired between add and incr: this request opens the window
                cache.set(key, 1, timeout=WINDOW * 2)
                used = 1
            if used > cap:
                response = json_error(f"请求过于频繁：每个地址每分钟至多 {cap} 次，请稍后再试。", 429)
                response["Retry-After"] = str(max(1, int((window + 1) * WINDOW - now)))
                return response
        return view(request, *args, **kwargs)

    return wrapper

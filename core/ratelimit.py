"""A fixed-window request limit per client address, kept in the shared cache.

Every app server counts in the same cache (the database by default), so the limit holds for
the whole deployment, not per process. A window is a whole number of seconds; the count of a
client in the current window lives under a key that expires with it. Two requests of one
client at the same instant may both read the same count (the database cache's increment is a
read and a write), so a client can get one or two requests past the limit at most: enough to
stop anyone enumerating codes, which takes millions.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address: the connection's, or when the app runs behind that many proxies
    (TRUSTED_PROXY_COUNT), the one the outermost trusted proxy saw."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def seconds_until_allowed(
    request, scope: str, limit: int, window_seconds: int, now: float | None = None
) -> int:
    """Counts this request; 0 when it is within the limit, else how long until the next window."""
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.set(key, 1, timeout=window_seconds + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * window_seconds - now))

"""Per-caller rate limits: a token bucket per API key or JWT subject.

Each bucket holds up to `burst` tokens and refills at `rate` per second; a request takes one, and
a caller with none left is answered 429 with Retry-After. Buckets live in the server process, so
with `--workers N` a caller may get up to N times the rate (the kernel spreads connections over
the workers); a shared limit would need a shared store, which c360 does not run.
"""

import time
from collections import OrderedDict

__all__ = ["RateLimiter"]

MAX_CALLERS = 10_000
"""Buckets kept; the least recently seen caller's goes first (it would be full again anyway)."""


class RateLimiter:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def wait(self, caller: str, now: float | None = None) -> float:
        """0 when `caller` may go now (a token is taken); else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(caller, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            tokens -= 1.0
            wait = 0.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[caller] = (tokens, now)
        if len(self._buckets) > MAX_CALLERS:
            self._buckets.popitem(last=False)
        return wait

"""A circuit breaker for the services a request can live without (cache, broker).

When Redis is stopped every call fails at once; when it is frozen (a paused
container, a full network queue) every call waits for its socket timeout. Either
way a request must not pay that on every call: after one failure the breaker
opens and the caller skips the service for `cooldown` seconds, then tries again.
State is per process, which is what a failing connection is.
"""

import logging
import time

logger = logging.getLogger(__name__)


class Breaker:
    def __init__(self, name: str, *, cooldown: float):
        self.name = name
        self.cooldown = cooldown
        self._open_until = 0.0

    @property
    def closed(self) -> bool:
        """True while calls should go through."""
        return time.monotonic() >= self._open_until

    def trip(self, exc: BaseException) -> None:
        if self.closed:  # log once per outage period, not once per call
            logger.warning("%s is unavailable (%s: %s); skipping it for %ss",
                           self.name, type(exc).__name__, exc, self.cooldown)
        self._open_until = time.monotonic() + self.cooldown

    def reset(self) -> None:
        self._open_until = 0.0

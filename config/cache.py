"""The Redis cache, failing over to process memory while Redis is unreachable.

The cache holds nothing that must survive (API throttle counters, public pages
that can be rendered again: matching/public_cache.py), so an
unreachable Redis must not turn into errors or slow answers. Django's RedisCache
raises on a refused connection and waits forever on a frozen one; django-redis'
IGNORE_EXCEPTIONS swallows the error but still pays the socket timeout on every
call and throttles nothing meanwhile. This backend keeps Django's own client
(with the short socket timeouts set in settings), opens a breaker on the first
failure, and answers from a per-process local-memory cache until the breaker
closes again: the site throttles per process instead of per site for a while.
"""

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from .resilience import Breaker

# How long to leave Redis alone after a failure before trying it again.
COOLDOWN_SECONDS = 15


class FailoverRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._breaker = Breaker(f"the cache at {server}", cooldown=COOLDOWN_SECONDS)
        self._local = LocMemCache(f"failover:{server}", {
            "TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": params.get("KEY_PREFIX", ""),
            "VERSION": params.get("VERSION", 1), "OPTIONS": {"MAX_ENTRIES": 10_000}})

    @property
    def shared(self) -> bool:
        """True while answers come from Redis, which every process sees; False while
        this process answers from its own memory (matching/public_cache.py asks)."""
        return self._breaker.closed


def _failover(name: str):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if self._breaker.closed:
            try:
                return redis_method(self, *args, **kwargs)
            except redis.RedisError as exc:  # ConnectionError and TimeoutError among them
                self._breaker.trip(exc)
        return getattr(self._local, name)(*args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = redis_method.__doc__
    return method


# Every method RedisCache implements itself; the rest of BaseCache's API
# (get_or_set, decr, incr_version, ...) is built on these.
for _name in ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr",
              "set_many", "delete_many", "clear"):
    setattr(FailoverRedisCache, _name, _failover(_name))

"""The cache fails over to process memory when Redis is down or frozen, so the
API (whose throttling reads the cache) keeps answering."""

import socket

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from config.cache import FailoverRedisCache

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture
def closed_port():
    """A port nothing listens on: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def frozen_port():
    """A port that accepts connections and never answers, like a paused Redis."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield s.getsockname()[1]


@pytest.mark.parametrize("port", ["closed_port", "frozen_port"])
def test_the_cache_answers_from_memory_while_redis_does_not(port, request):
    failover = FailoverRedisCache(f"redis://127.0.0.1:{request.getfixturevalue(port)}/0",
                                  {"OPTIONS": OPTIONS})
    assert failover.get("throttle_anon_1.2.3.4", "missing") == "missing"
    assert not failover._breaker.closed  # Redis is left alone for a while now
    failover.set("throttle_anon_1.2.3.4", [1, 2], 60)
    assert failover.get("throttle_anon_1.2.3.4") == [1, 2]
    assert failover.get_or_set("hits", 0) == 0 and failover.incr("hits") == 1


def test_api_throttling_still_counts_with_redis_down(db, settings, closed_port):
    settings.CACHES = {"default": {"BACKEND": "config.cache.FailoverRedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed_port}/1",
                                   "OPTIONS": OPTIONS}}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "5/min"}}
    assert isinstance(caches["default"], FailoverRedisCache)
    client = APIClient()
    answers = [client.get("/api/v1/stats/").status_code for _ in range(3)]
    assert answers == [200, 200, 429]

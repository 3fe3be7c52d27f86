"""The API keeps answering with its cache's Redis stopped or frozen, and right
after the database drops every connection (as a PostgreSQL restart does).

gunicorn on production settings with persistent database connections, and a
Redis of the test's own as cache and broker; the API's throttling reads that
cache on every request.
"""

import statistics
import time

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.factories import ChallengeFactory

from .conftest import call, deployment_env, web_process

PASSWORD = "a-long-enough-passphrase"


def timed(requests) -> tuple[list[int], list[float]]:
    statuses, seconds = [], []
    for request in requests:
        started = time.monotonic()
        statuses.append(request()[0])
        seconds.append(time.monotonic() - started)
    return statuses, seconds


def drop_database_connections() -> int:
    """What a PostgreSQL restart does to the web processes' persistent connections."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_api_answers_with_its_cache_down_or_frozen_and_after_a_database_restart(
        own_redis, tmp_path, acme, alice, bob):
    ChallengeFactory(company=acme, status="published")
    # Hashed the way production settings check it (the test settings use MD5).
    hasher = PBKDF2PasswordHasher()
    alice.password = hasher.encode(PASSWORD, hasher.salt())
    alice.save()
    # alice signs in in every phase (each sign-in rotates her token); bob reads with his.
    token = Token.objects.create(user=bob).key
    env = deployment_env(broker=own_redis.url(0), cache=own_redis.url(1), CONN_MAX_AGE=600)

    with web_process(tmp_path / "web.log", env) as web:
        def requests():
            yield lambda: call("POST", web + "/api/v1/auth/token/",
                               data={"email": alice.email, "password": PASSWORD})
            for _ in range(4):
                yield lambda: call("GET", web + "/api/v1/challenges/", token=token)
                yield lambda: call("GET", web + "/api/v1/stats/")

        phases = {"cache up": timed(requests())}
        own_redis.freeze()
        phases["cache frozen"] = timed(requests())
        own_redis.stop()
        phases["cache stopped"] = timed(requests())
        own_redis.start()
        phases["cache back"] = timed(requests())
        dropped = drop_database_connections()
        phases["database connections dropped"] = timed(requests())

    print()
    for phase, (statuses, seconds) in phases.items():
        print(f"{phase}: {len(statuses)} requests, {sum(s >= 500 for s in statuses)} 5xx, "
              f"median {statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")
    assert dropped >= 1  # the web processes did hold connections
    for phase, (statuses, _seconds) in phases.items():
        assert statuses == [200] * 9, (phase, statuses)

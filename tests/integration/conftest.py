"""Fixtures for tests against the real PostgreSQL, Redis and a Celery worker.

Without those services these tests are skipped on a developer's machine and
fail under REQUIRE_SERVICES=1, which .ci/run sets: CI never skips them.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def _missing_services() -> list[str]:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (set DATABASE_URL=postgres://…)")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis"):
        missing.append("Redis broker (set CELERY_BROKER_URL=redis://…)")
    else:
        try:
            redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            missing.append(f"Redis at {broker} ({exc})")
    return missing


@pytest.fixture
def real_services(transactional_db):
    missing = _missing_services()
    if missing:
        message = "needs " + ", ".join(missing)
        if settings.REQUIRE_SERVICES:
            pytest.fail(message + " — REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
        pytest.skip(message)
    # Talk to the broker for real in this test, instead of running tasks in-process.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        yield redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    finally:
        celery_app.control.purge()
        celery_app.conf.task_always_eager = eager


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(real_services, tmp_path):
    """A real `celery worker` process on the test database; yields the Popen."""
    env = {**os.environ, "DATABASE_URL": _database_url(),
           "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=info",
         f"--hostname=test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the worker did not start:\n"
                                     + (tmp_path / "worker.log").read_text())
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.2):
    """Poll until predicate() is truthy; returns its value, or fails after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up after {timeout}s waiting for {predicate.__doc__ or predicate}")

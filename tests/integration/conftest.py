"""Fixtures for tests against the real PostgreSQL, Redis and a Celery worker.

Without those services these tests are skipped on a developer's machine and
fail under REQUIRE_SERVICES=1, which .ci/run sets: CI never skips them.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
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


@contextmanager
def worker_process(log_path: Path, env: dict, *args: str):
    """A real `celery worker` (prefork) with `env`; yields the Popen once it is ready."""
    log = log_path.open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
         "--without-gossip", "--without-mingle", "--loglevel=info",
         f"--hostname={log_path.stem}-{os.getpid()}@%h", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: worker.poll() is not None or " ready." in log_path.read_text(),
                 timeout=60)
        if worker.poll() is not None:
            raise AssertionError("the worker did not start:\n" + log_path.read_text())
        yield worker
    finally:
        _stop(worker)
        log.close()


def _stop(process: subprocess.Popen) -> None:
    """Terminate a process we started (if still running), killing it after 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def celery_worker_process(real_services, tmp_path):
    """A real `celery worker` process on the test database; yields the Popen."""
    env = {**os.environ, "DATABASE_URL": _database_url(),
           "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    with worker_process(tmp_path / "worker.log", env, "--concurrency=1") as worker:
        assert celery_app.control.ping(timeout=5)
        yield worker


def deployment_env(*, broker: str, cache: str, **extra) -> dict:
    """The environment of a production-settings process on the test database."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "integration-" + "k" * 50, "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker, "REDIS_URL": cache, "CONN_MAX_AGE": "60",
            "EMAIL_URL": "consolemail://", "LOG_LEVEL": "WARNING",
            **{k: str(v) for k, v in extra.items()}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own, to stop, start again and freeze (the
    machine's Redis is never touched)."""

    def __init__(self, binary: str):
        self.binary, self.port, self.process = binary, free_port(), None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_for(lambda: _pings(client), timeout=20)

    def stop(self) -> None:
        self.thaw()
        self.process.terminate()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


@pytest.fixture
def own_redis(real_services):
    binary = shutil.which("redis-server")
    if binary is None:
        message = "needs redis-server on PATH to start a Redis of its own"
        if settings.REQUIRE_SERVICES:
            pytest.fail(message + " — REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
        pytest.skip(message)
    server = OwnRedis(binary)
    server.start()
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()


@contextmanager
def web_process(log_path: Path, env: dict):
    """gunicorn serving the project with `env`; yields its base URL once it answers."""
    port = free_port()
    log = log_path.open("w")
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "60", "--preload"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: web.poll() is not None or call("GET", base + "/api/v1/stats/")[0],
                 timeout=60)
        if web.poll() is not None:
            raise AssertionError("gunicorn did not start:\n" + log_path.read_text())
        yield base
    finally:
        _stop(web)
        log.close()


def call(method: str, url: str, *, token: str = "", data=None) -> tuple[int, dict | None]:
    """One HTTP request: (status, JSON body); status 0 when nothing answered."""
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except OSError:
        return 0, None
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.2):
    """Poll until predicate() is truthy; returns its value, or fails after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up after {timeout}s waiting for {predicate.__doc__ or predicate}")

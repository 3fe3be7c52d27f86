"""Test settings: the base settings plus speed-ups that change no behaviour.

DATABASE_URL / CELERY_BROKER_URL / REDIS_URL are honoured exactly as in base,
so CI runs the same suite against PostgreSQL and Redis. Tasks run eagerly
(in-process, after commit) unless an integration test turns that off to talk
to a real worker.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env, env_bool

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than Django's shared in-memory database: the double-submit tests
    # post from two threads at once, which needs SQLite's real file locking (WAL,
    # IMMEDIATE transactions, the busy timeout), the embedded default's.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

# The fastest hasher: the tests do not measure password hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# In CI a test that needs PostgreSQL, Redis or a worker must fail when the
# service is missing rather than skip; see tests/conftest.py.
REQUIRE_SERVICES = env_bool("REQUIRE_SERVICES", False)
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests
WHITENOISE_USE_FINDERS = True
# A rebuild's shared files go to a directory of this test process (its run ids
# restart with every test database).
if not env.str("MATCH_REBUILD_DIR", default=""):
    MATCH_REBUILD_DIR = Path(tempfile.mkdtemp(prefix="qt-rebuilds-"))
# Anonymous answers are not cached in tests, whichever cache the environment names: a
# test counts and reads what a request computes. tests/matching/test_public_cache.py
# turns the cache on where it is the subject.
PUBLIC_CACHE_SECONDS = 0

"""Test settings: the base settings plus speed-ups that change no behaviour.

DATABASE_URL / CELERY_BROKER_URL / REDIS_URL are honoured exactly as in base,
so CI runs the same suite against PostgreSQL and Redis. Tasks run eagerly
(in-process, after commit) unless an integration test turns that off to talk
to a real worker.
"""

from .base import *  # noqa: F403
from .base import env_bool

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

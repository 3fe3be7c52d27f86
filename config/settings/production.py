"""Production: the base settings with DEBUG off and every secret required.

Start-up fails when SECRET_KEY or ALLOWED_HOSTS is missing; the security flags
below make `manage.py check --deploy --fail-level WARNING` pass.
"""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, api_renderers, env, env_bool, env_int

DEBUG = env_bool("DEBUG", False)
API_BROWSABLE = env_bool("API_BROWSABLE", DEBUG)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": api_renderers(API_BROWSABLE)}
SECRET_KEY = env.str("SECRET_KEY")  # no default: ImproperlyConfigured when unset
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# TLS terminates at the proxy in front of gunicorn, which sets this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

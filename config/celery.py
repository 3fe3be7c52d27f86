import os

from celery import Celery

# Workers and beat run a deployment: production settings unless told otherwise,
# which refuse to start without SECRET_KEY and ALLOWED_HOSTS rather than fall
# back to DEBUG. `make worker` / `make beat` choose the development settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("qiantang")
# Every Celery option lives in Django settings under the CELERY_ prefix, so the
# environment is read in exactly one place (config/settings/base.py).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

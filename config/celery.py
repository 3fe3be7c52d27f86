import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("qiantang")
# Every Celery option lives in Django settings under the CELERY_ prefix, so the
# environment is read in exactly one place (config/settings/base.py).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

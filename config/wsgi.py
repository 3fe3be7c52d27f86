import os

from django.core.wsgi import get_wsgi_application

# A web server serves a deployment: production settings unless told otherwise,
# which refuse to start without SECRET_KEY and ALLOWED_HOSTS rather than fall
# back to DEBUG. (Development serves with `manage.py runserver`.)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

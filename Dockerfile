# One image for web, worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
# A Chinese font to embed in the appointment letters (聘书).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY config ./config
COPY accounts ./accounts
COPY matching ./matching
COPY templates ./templates
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir . \
 && SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
# Web processes: gunicorn reads WEB_CONCURRENCY. Requests are CPU-bound Python, so
# about two sync workers per core (4 on a 2-core host; README "Deployment sizing").
ENV WEB_CONCURRENCY=4
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]

"""Celery tasks: each takes ids, re-fetches, and calls one service."""

from celery import shared_task
from django.db import OperationalError

from .services import challenges, notifications


@shared_task(autoretry_for=(OperationalError, ConnectionError), retry_backoff=True, max_retries=5)
def notify(event: str, object_id: int) -> None:
    notifications.notification_dispatch(event=event, object_id=object_id)


@shared_task
def challenges_expire_overdue() -> None:
    challenges.challenges_expire_overdue()

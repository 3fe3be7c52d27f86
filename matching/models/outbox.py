"""The task outbox: the intent to run a Celery task, written in the same
transaction as the change that asks for it (matching.services.outbox)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxTask(models.Model):
    """One task to hand to the broker; deleted some days after it was sent.

    Operational plumbing, not domain history: rows are written and updated in
    bulk (no django-simple-history) and pruned.
    """

    task = models.CharField(_("task"), max_length=100)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the relay may (next) try to send it; see services.outbox for the backoff.
    send_after = models.DateTimeField(_("send after"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        indexes = [
            # The relay's query: pending rows that are due, oldest first.
            models.Index(fields=["send_after"], condition=Q(sent_at__isnull=True),
                         name="outbox_pending"),
            # The retention's query: rows sent before a cutoff.
            models.Index(fields=["sent_at"], condition=Q(sent_at__isnull=False),
                         name="outbox_sent"),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"

"""In-app notifications and the nightly statistics snapshot."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message; the same event is also e-mailed by a task."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="notifications", verbose_name=_("user"))
    # Names the event (e.g. "challenge-rejected:42") so that a task replayed
    # after a worker crash does not notify the same person twice.
    event_key = models.CharField(_("event"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="notification_once_per_event"),
        ]

    def __str__(self):
        return self.subject


class StatsSnapshot(models.Model):
    """The district's headline figures on one day, stored nightly to chart trends."""

    day = models.DateField(_("day"), unique=True)
    figures = models.JSONField(_("figures"))
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        permissions = [
            ("view_statistics", "Can see the statistics and reports"),
            ("export_statistics", "Can export the statistics and reports"),
        ]
        ordering = ["-day"]
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self):
        return str(self.day)

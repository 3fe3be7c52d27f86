"""Frozen reports: a period's figures as staff signed them, with the rows behind
each figure and a checksum, never changed afterwards."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.constraints import FieldCheck


class FrozenReport(models.Model):
    """One version of a period's report. A reissue is a new version with a
    reason; the earlier versions stay as they were."""

    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    reason = models.TextField(_("reason for this version"), blank=True)
    figures = models.JSONField(_("figures"), default=dict)
    rows = models.JSONField(_("rows behind the figures"), default=dict)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  related_name="+", verbose_name=_("frozen by"))
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [("freeze_report", "Can freeze and reissue the district's reports")]
        ordering = ["-period_start", "-version"]
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end", "version"],
                                    name="frozen_report_one_version_number"),
            FieldCheck(condition=Q(period_end__gte=F("period_start")),
                       name="frozen_report_ends_after_start", field="period_end",
                       violation_error_message=_("Enter an end on or after the start.")),
            # A reissue says why; the first version needs no reason.
            FieldCheck(condition=Q(version=1) | ~Q(reason=""),
                       name="frozen_report_reissue_has_reason", field="reason",
                       violation_error_message=_("A reissued report needs a reason.")),
        ]

    def __str__(self):
        return f"{self.period_start}–{self.period_end} v{self.version}"

"""What every part of the matching domain shares: the programmes and a period's check."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    BOUNTY = "bounty", _("open bounty (揭榜挂帅)")
    TECH_VP = "tech_vp", _("technology vice-president (科技副总)")
    PHD = "phd", _("PhDs into enterprises (博士入企)")


def validate_period(starts_on, ends_on) -> None:
    """Name the field in the error; the database constraint backs it up."""
    if starts_on and ends_on and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end date must be after the start date.")},
                              code="ends_before_start")

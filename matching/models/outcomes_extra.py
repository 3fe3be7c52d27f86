"""Reference data the outcomes are counted by: the programmes that fund projects."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import ReferenceItem


class FundingProgramme(ReferenceItem):
    """A programme that funds R&D projects, e.g. 浙江省"尖兵领雁"研发攻关计划
    (provincial): funded projects are counted by its level."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        MUNICIPAL = "municipal", _("municipal")
        DISTRICT = "district", _("district")

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")

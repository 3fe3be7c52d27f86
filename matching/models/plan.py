"""The district's 55830 plan (八大行动 / 三十项举措) and the placements and outcomes
linked to its actions, so staff can report what each action produced."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import ReferenceItem


class PlanAction(ReferenceItem):
    """One of the plan's eight actions (行动) or thirty measures (举措); a measure
    belongs to an action. Staff keep the list in the admin."""

    class Kind(models.TextChoices):
        ACTION = "action", _("action")
        MEASURE = "measure", _("measure")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices,
                            default=Kind.ACTION)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    action = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                               related_name="measures", verbose_name=_("action"),
                               limit_choices_to={"kind": "action"},
                               help_text=_("The action a measure belongs to."))

    class Meta(ReferenceItem.Meta):
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        permissions = [("tag_plan_action", "Can link placements and outcomes to plan actions")]


# The links are rows of their own, created and deleted one by one by the tagging
# services, so that every link made or undone is on record (a plain many-to-many
# add() writes its rows in bulk and leaves no history).
class PlacementPlanAction(models.Model):
    placement = models.ForeignKey("Placement", models.CASCADE, related_name="plan_links")
    plan_action = models.ForeignKey(PlanAction, models.PROTECT, related_name="placement_links")

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "plan_action"],
                                               name="placement_plan_action_once")]

    def __str__(self):
        return f"{self.placement_id} → {self.plan_action}"


class OutcomePlanAction(models.Model):
    outcome = models.ForeignKey("Outcome", models.CASCADE, related_name="plan_links")
    plan_action = models.ForeignKey(PlanAction, models.PROTECT, related_name="outcome_links")

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outcome", "plan_action"],
                                               name="outcome_plan_action_once")]

    def __str__(self):
        return f"{self.outcome_id} → {self.plan_action}"

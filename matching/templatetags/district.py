from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from accounts.models import Company, ResearcherProfile

from ..models import Challenge, Outcome, Placement

register = template.Library()


def _queue(label, queryset, since_field, changelist, query):
    oldest = queryset.order_by(since_field).values_list(since_field, flat=True).first()
    return {"label": label, "count": queryset.count(),
            "age": timesince(oldest, timezone.now()) if oldest else "",
            "url": f"{reverse(changelist)}?{query}"}


@register.inclusion_tag("admin/matching/queues.html")
def review_queues():
    """What waits for district staff, with how many and since when."""
    return {"queues": [
        _queue(_("Companies to verify"), Company.objects.filter(verified_at__isnull=True,
                                                                review_note=""),
               "created_at", "admin:accounts_company_changelist",
               "verified_at__isempty=1"),
        _queue(_("Researchers to verify"), ResearcherProfile.objects.filter(
            verified_at__isnull=True, review_note=""), "created_at",
            "admin:accounts_researcherprofile_changelist", "verified_at__isempty=1"),
        _queue(_("Needs to review"), Challenge.objects.filter(
            status=Challenge.Status.UNDER_REVIEW), "updated_at",
            "admin:matching_challenge_changelist", "status__exact=under_review"),
        _queue(_("Placements to approve"), Placement.objects.filter(
            status=Placement.Status.PENDING), "created_at",
            "admin:matching_placement_changelist", "status__exact=pending"),
        _queue(_("Outcomes to verify"), Outcome.objects.filter(status=Outcome.Status.REPORTED),
               "created_at", "admin:matching_outcome_changelist", "status__exact=reported"),
    ], "statistics_url": reverse("admin-statistics")}

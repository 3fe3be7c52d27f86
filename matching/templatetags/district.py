from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from config.admin_queues import QUEUES

register = template.Library()


def _queue(queue):
    waiting = queue.waiting()
    oldest = waiting.order_by(queue.since).values_list(queue.since, flat=True).first()
    return {"label": queue.label, "count": waiting.count(),
            "age": timesince(oldest, timezone.now()) if oldest else "",
            "url": f"{reverse(queue.changelist)}?{urlencode(queue.params)}"}


@register.inclusion_tag("admin/matching/queues.html")
def review_queues():
    """What waits for district staff, with how many and since when."""
    return {"queues": [_queue(q) for q in QUEUES], "statistics_url": reverse("admin-statistics")}

from django.conf import settings


def navigation(request):
    """The header's bell: how many of the visitor's notifications are unread (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": user.notifications.filter(read_at__isnull=True).count()}


def site(request):
    """The footer: who runs the site, how to reach them, the ICP filing number."""
    return {"site": {"name": settings.SITE_NAME, "operator": settings.SITE_OPERATOR,
                     "contact": settings.SITE_CONTACT, "icp_filing": settings.ICP_FILING}}

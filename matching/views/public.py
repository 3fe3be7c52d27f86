"""Pages for everyone: home, open needs, a need, and where signing in leads."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import Invitation, ResearcherProfile

from .. import filters, public_cache, selectors
from ..models import Challenge

ORDERINGS = {"newest": ("-published_at", "-pk"), "deadline": ("deadline", "pk"),
             "reward": ("-reward", "-pk")}


def home(request):
    # Below the header the page is the same for everyone: cached for anonymous visitors.
    content = public_cache.cached(request, "home", lambda: render_to_string(
        "matching/_home.html", {"figures": selectors.headline_figures(),
                                "frozen": selectors.frozen_report_latest(),
                                "challenges": selectors.challenge_list_public(limit=10)}))
    return render(request, "matching/home.html", {"content": content})


def needs(request):
    """Open needs: search, filters, sort, pages."""
    content = public_cache.cached(request, "needs", lambda: _needs_content(request))
    return render(request, "matching/needs.html", {"content": content})


def _needs_content(request) -> str:
    published = Challenge.objects.published().select_related("company", "industry")
    found = filters.ChallengeFilter(request.GET, queryset=published, request=request)
    for name in ["status", "company", "cohort", "confidentiality", "mine"]:
        found.form.fields.pop(name, None)
    rows = found.qs if found.is_valid() else published.none()
    q = request.GET.get("q", "").strip()
    rows = filters.search(rows, q, viewer=selectors.Viewer(request.user))
    # A search is ranked by relevance unless the reader picks another order.
    sort = request.GET.get("sort", "relevance" if q else "newest")
    if sort in ORDERINGS or not q:
        rows = rows.order_by(*ORDERINGS.get(sort, ORDERINGS["newest"]))
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Rendered without the request's context processors: nothing here may depend
    # on who is asking beyond what the search above already took into account.
    return render_to_string("matching/_needs.html", {
        "filter": found, "page": page, "sort": sort, "q": q, "request": request,
        "orderings": ([("relevance", _("most relevant"))] if q else [])
        + [("newest", _("newest")), ("deadline", _("deadline soonest")),
           ("reward", _("highest reward"))],
        "query": query.urlencode()})


def need_detail(request, pk):
    challenge = get_object_or_404(
        selectors.challenges_visible_to(request.user).select_related("company", "industry",
                                                                     "cohort"), pk=pk)
    viewer = selectors.Viewer(request.user)
    owner = challenge.company_id in viewer.company_ids
    details = viewer.sees_details(challenge)
    profile = ResearcherProfile.objects.filter(user=request.user).first() \
        if request.user.is_authenticated else None
    applied = profile and challenge.applications.filter(researcher=profile).first()
    return render(request, "matching/need_detail.html", {
        "challenge": challenge, "details": details, "owner": owner, "profile": profile,
        "application": applied})


@login_required
def dashboard(request):
    """Where signing in leads: the company's page, the researcher's, or the admin."""
    if request.user.memberships.exists():
        return redirect("matching:company_dashboard")
    if ResearcherProfile.objects.filter(user=request.user).exists():
        return redirect("matching:researcher_dashboard")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "matching/choose_role.html",
                  {"invitations": Invitation.objects.awaiting(request.user)})

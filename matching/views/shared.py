"""Pages of companies and researchers alike: placements, outcomes, notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import add_errors

from .. import selectors
from ..evidence import evidence_response
from ..forms import OutcomeForm
from ..letters import letter_response
from ..models import Notification, Placement
from ..services import outcomes as outcome_services


@login_required
def placements(request):
    rows = (selectors.placements_visible_to(request.user).filter(
        Q(researcher__user=request.user) | Q(company__memberships__user=request.user))
        .select_related("company", "researcher__user", "challenge")
        .annotate(n_outcomes=Count("outcomes", distinct=True))
        .order_by("-created_at").distinct())
    return render(request, "matching/placements.html", {"placements": rows})


@login_required
def outcome_report(request, pk):
    placement = get_object_or_404(
        Placement.objects.filter(Q(researcher__user=request.user)
                                 | Q(company__memberships__user=request.user)).distinct()
        .select_related("company", "researcher__user"), pk=pk)
    form = OutcomeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
        fields["evidence"] = fields["evidence"] or None
        try:
            outcome_services.outcome_report(placement=placement, by=request.user, **fields)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Reported; district staff verify it."))
            return redirect("matching:placements")
    outcomes = [(o, *outcome_services.outcome_awaits(o, request.user))
                for o in placement.outcomes.select_related("placement__researcher")]
    return render(request, "matching/outcome_form.html", {"placement": placement, "form": form,
                                                          "outcomes": outcomes},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def outcome_confirm(request, pk):
    """The other side of the placement confirms an outcome (issue 18)."""
    return _outcome_decision(request, pk, lambda o: outcome_services.outcome_confirm(
        outcome=o, by=request.user), _("Confirmed; district staff verify it next."))


@login_required
@require_POST
def outcome_dispute(request, pk):
    """The other side disputes an outcome, saying why."""
    return _outcome_decision(request, pk, lambda o: outcome_services.outcome_dispute(
        outcome=o, by=request.user, reason=request.POST.get("reason", "")),
        _("Disputed; district staff see your reason."))


def _outcome_decision(request, pk, act, done: str):
    outcome = get_object_or_404(selectors.outcomes_visible_to(request.user)
                                .select_related("placement__researcher"), pk=pk)
    try:
        act(outcome)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, done)
    return redirect("matching:outcome_report", outcome.placement_id)


@login_required
def placement_letter(request, pk):
    """The appointment letter (聘书) of an approved tech-VP placement, for its
    company, its researcher and staff."""
    return letter_response(get_object_or_404(
        selectors.placements_visible_to(request.user)
        .select_related("researcher__user", "researcher__institution", "company"), pk=pk))


@login_required
def outcome_evidence(request, pk):
    """The evidence of an outcome: for staff, the placement's company and its
    researcher (the one rule of outcomes_visible_to), as the API serves it."""
    return evidence_response(get_object_or_404(selectors.outcomes_visible_to(request.user),
                                               pk=pk))


@login_required
def notifications(request):
    rows = Notification.objects.filter(user=request.user).order_by("-created_at")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "matching/notifications.html", {"page": page, "unread": unread})
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response

"""The company's pages: its needs, their applicants, decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import add_errors
from accounts.models import Invitation
from accounts.views import my_membership

from .. import explain, selectors
from ..forms import ChallengeForm, DecisionForm, WithdrawForm
from ..models import Application, Challenge, Placement
from ..models.placements import QUIET_DAYS
from ..services import applications as application_services
from ..services import challenges as challenge_services


def _my_challenge(request, pk) -> Challenge:
    return get_object_or_404(
        Challenge.objects.select_related("company", "industry", "cohort"),
        pk=pk, company__memberships__user=request.user)


@login_required
def company_dashboard(request):
    membership = my_membership(request)
    company = membership.company
    challenges = (Challenge.objects.filter(company=company).select_related("industry")
                  .annotate(new_applicants=Count("applications", filter=Q(
                      applications__status=Application.Status.SUBMITTED)))
                  .order_by("-created_at"))
    by_status = {}
    for c in challenges:
        by_status.setdefault(c.get_status_display(), []).append(c)
    placements = (Placement.objects.filter(company=company)
                  .select_related("researcher__user", "challenge").order_by("-created_at")[:20])
    outcomes_due = (Placement.objects.quiet(timezone.localdate()).filter(company=company)
                    .select_related("researcher__user"))
    return render(request, "matching/company_dashboard.html", {
        "company": company, "membership": membership, "by_status": by_status,
        "new_applicants": sum(c.new_applicants for c in challenges),
        "placements": placements, "outcomes_due": outcomes_due, "quiet_days": QUIET_DAYS,
        "companies": request.user.memberships.select_related("company"),
        "invitations": Invitation.objects.awaiting(request.user)})


def _save_challenge(request, form, challenge=None):
    fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
    try:
        if challenge is None:
            return challenge_services.challenge_create(company=my_membership(request).company,
                                                       by=request.user, **fields)
        return challenge_services.challenge_update(challenge=challenge, by=request.user,
                                                   **fields)
    except ValidationError as e:
        add_errors(form, e)
        return None


@login_required
def need_new(request):
    my_membership(request)  # a company member, or a 404
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        challenge = _save_challenge(request, form)
        if challenge:
            messages.success(request, _("Saved as a draft. Check the preview, then submit it "
                                        "for review."))
            return redirect("matching:need_manage", pk=challenge.pk)
    return render(request, "matching/need_form.html", {"form": form})


@login_required
def need_edit(request, pk):
    challenge = _my_challenge(request, pk)
    if not challenge.is_editable:
        messages.error(request, _("Only a draft or a rejected need can be edited."))
        return redirect("matching:need_manage", pk=pk)
    form = ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid():
        if _save_challenge(request, form, challenge):
            messages.success(request, _("Saved. Submit it for review when it is ready."))
            return redirect("matching:need_manage", pk=pk)
    return render(request, "matching/need_form.html", {"form": form, "challenge": challenge})


@login_required
def need_manage(request, pk):
    """The company's page of one need: preview, status, review note, actions, the
    applicants ranked by match score with reasons, and researchers to invite."""
    return _manage_page(request, _my_challenge(request, pk))


def _manage_page(request, challenge, refused=None):
    """The need's page; `refused` is a decision form that did not validate, shown
    again on its application with its errors and the text typed into it."""
    applications = list(
        challenge.applications.select_related("researcher__user", "researcher__institution")
        .annotate(score=selectors.application_score())
        .order_by("-score", "created_at"))
    invite = list(selectors.matches_for_challenge(challenge=challenge).filter(applied=False)[:10])
    scored = list(selectors.applicant_scores(
        challenge=challenge, researcher_ids=[a.researcher_id for a in applications]))
    for s in [*invite, *scored]:
        s.challenge = challenge
    reasons = explain.explain_many([*invite, *scored])
    by_researcher = {s.researcher_id: reasons[s.pk] for s in scored}
    for a in applications:
        a.reasons = by_researcher.get(a.researcher_id, [])
    for s in invite:
        s.reasons = reasons[s.pk]
    for a in applications:
        a.decision_form = refused if refused and refused.application_id == a.pk else None
    return render(request, "matching/need_manage.html", {
        "challenge": challenge, "applications": applications, "invite": invite,
        "withdraw_form": WithdrawForm()}, status=400 if refused else 200)


@login_required
@require_POST
def need_submit(request, pk):
    challenge = _my_challenge(request, pk)
    try:
        challenge_services.challenge_submit(challenge=challenge, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Submitted. District staff review it, usually within two "
                                    "working days."))
    return redirect("matching:need_manage", pk=pk)


@login_required
def need_withdraw(request, pk):
    challenge = _my_challenge(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge_services.challenge_withdraw(challenge=challenge, by=request.user,
                                                  reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_errors(form, e, renamed={"withdraw_reason": "reason"})
        else:
            messages.success(request, _("The need is withdrawn."))
            return redirect("matching:need_manage", pk=pk)
    return render(request, "matching/need_withdraw.html", {"challenge": challenge, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def application_decide(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("challenge"), pk=pk,
        challenge__company__memberships__user=request.user)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        try:
            if decision == "shortlist":
                application_services.application_shortlist(application=application,
                                                           by=request.user)
            elif decision == "accept":
                application_services.application_accept(application=application,
                                                        by=request.user, message=message)
            else:
                application_services.application_decline(application=application,
                                                         by=request.user, message=message)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, {
                "shortlist": _("Shortlisted."),
                "accept": _("Accepted: the placement now awaits the district's approval."),
                "decline": _("Declined; the researcher is told.")}[decision])
    else:
        # Shown again on the page, with the field's error and the message as typed.
        form.application_id = application.pk
        return _manage_page(request, application.challenge, refused=form)
    return redirect("matching:need_manage", pk=application.challenge_id)

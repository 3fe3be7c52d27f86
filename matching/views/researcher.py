"""The researcher's pages: recommendations, applying, withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.forms import add_errors
from accounts.models import Invitation
from accounts.views import my_profile

from .. import explain, selectors
from ..forms import ApplicationForm
from ..models import Application, Challenge
from ..services import applications as application_services


def _recommended(profile, limit):
    scores = list(selectors.recommendations_for(researcher=profile, limit=limit))
    reasons = explain.explain_many(scores)
    for s in scores:
        s.reasons = reasons[s.pk]
    return scores


@login_required
def researcher_dashboard(request):
    profile = my_profile(request)
    return render(request, "matching/researcher_dashboard.html", {
        "profile": profile, "recommended": _recommended(profile, 5),
        "applications": profile.applications.select_related("challenge__company")
        .order_by("-created_at"),
        "placements": profile.placements.select_related("company").order_by("-created_at"),
        "works": profile.works.count(),
        "invitations": Invitation.objects.awaiting(request.user)})


@login_required
def recommended(request):
    profile = my_profile(request)
    return render(request, "matching/recommended.html", {
        "profile": profile, "recommended": _recommended(profile, 30)})


@login_required
def apply(request, pk):
    profile = my_profile(request)
    challenge = get_object_or_404(Challenge.objects.published().select_related("company"), pk=pk)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_services.application_submit(
                challenge=challenge, researcher=profile, by=request.user,
                **{k: form.cleaned_data[k] for k in form.Meta.fields})
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Your application is sent; the company is told."))
            return redirect("matching:researcher_dashboard")
    return render(request, "matching/apply.html", {"challenge": challenge, "form": form},
                  status=400 if form.errors else 200)


@login_required
def application_withdraw(request, pk):
    application = get_object_or_404(Application.objects.select_related("challenge"), pk=pk,
                                    researcher__user=request.user)
    if request.method != "POST":  # the confirmation step: withdrawing is final
        return render(request, "confirm.html", {
            "title": _("Withdraw your application to “%(title)s”?")
            % {"title": application.challenge.title},
            "consequence": _("The company no longer sees your proposal, and you cannot apply "
                             "to this need again."),
            "confirm": _("Withdraw the application"),
            "cancel_url": reverse("matching:researcher_dashboard")})
    try:
        application_services.application_withdraw(application=application, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("matching:researcher_dashboard")

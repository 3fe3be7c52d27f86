"""揭榜挂帅 selection on the website (issue 17): an expert enrols, answers
invitations and reviews; the company reads its panel's ranking; the public reads
published results (公示) and anyone signed in may object."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import add_errors

from .. import selectors
from ..models import Expert, Panel
from ..review_forms import ExpertEnrolForm, ObjectionForm, ReviewForm
from ..services import experts as expert_services
from ..services import panels as panel_services
from ..services import publicity as publicity_services


@login_required
def expert_enrol(request):
    """Join the expert pool (评审专家库), or see where one's enrolment stands."""
    expert = Expert.objects.filter(user=request.user).first()
    form = None if expert else ExpertEnrolForm(request.POST or None)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            expert_services.expert_enrol(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Thank you: the district staff will review your "
                                        "enrolment."))
            return redirect("matching:expert_enrol")
    return render(request, "matching/experts/enrol.html", {"expert": expert, "form": form},
                  status=400 if form is not None and form.errors else 200)


def _expert(request):
    expert = Expert.objects.filter(user=request.user).first()
    if expert is None:
        raise Http404
    return expert


@login_required
def expert_panels(request):
    """My panels: invitations to answer, seats to review for."""
    expert = _expert(request)
    seats = (selectors.panel_members_of(request.user)
             .select_related("panel__challenge__company").order_by("-created_at"))
    return render(request, "matching/experts/panels.html", {"expert": expert, "seats": seats})


@login_required
@require_POST
def expert_answer(request, pk):
    member = get_object_or_404(selectors.panel_members_of(request.user), pk=pk)
    try:
        if request.POST.get("answer") == "accept":
            panel_services.panel_member_accept(member=member, by=request.user)
        else:
            panel_services.panel_member_decline(member=member, by=request.user,
                                                reason=request.POST.get("reason", "")[:2000])
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("matching:expert_panels")


@login_required
def expert_seat(request, pk):
    """The applicants a seat reviews, each with the review form or my given review."""
    member = get_object_or_404(selectors.panel_members_of(request.user)
                               .select_related("panel__challenge"), pk=pk)
    criteria = []
    if member.panel.status == Panel.Status.REVIEWING:
        try:
            criteria = list(panel_services.rubric_for(member.panel.challenge.programme)
                            .criteria.all())
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    reviewed = {r.application_id: r for r in member.reviews.prefetch_related("scores")}
    posted = request.POST.get("application") if request.method == "POST" else None
    rows, failed = [], False
    for application in selectors.applications_for_review(member):
        form = None
        if criteria and application.pk not in reviewed:
            bound = posted == str(application.pk)
            form = ReviewForm(request.POST if bound else None, criteria=criteria,
                              prefix=f"a{application.pk}")
            if bound and form.is_valid():
                try:
                    panel_services.review_submit(
                        member=member, application=application, by=request.user,
                        scores=form.scores(), comment=form.cleaned_data["comment"])
                except ValidationError as e:
                    add_errors(form, e)
                else:
                    messages.success(request, _("Your review is recorded."))
                    return redirect("matching:expert_seat", pk=pk)
            failed = failed or bool(bound and form.errors)
        rows.append({"application": application, "review": reviewed.get(application.pk),
                     "form": form})
    return render(request, "matching/experts/seat.html", {"member": member, "rows": rows},
                  status=400 if failed else 200)


@login_required
def need_ranking(request, pk):
    """The company's view of its need's closed panels: applicants by expert score."""
    challenge = get_object_or_404(selectors.challenges_owned_by(request.user), pk=pk)
    panels = challenge.panels.filter(status=Panel.Status.CLOSED)
    return render(request, "matching/experts/ranking.html", {
        "challenge": challenge,
        "rankings": [(panel, selectors.panel_ranking(panel)) for panel in panels]})


def publicity_list(request):
    return render(request, "matching/experts/publicity_list.html", {
        "items": selectors.publicities_public()[:50], "today": timezone.localdate()})


def publicity_detail(request, pk):
    """A published result; while it is open, a signed-in visitor may object."""
    item = get_object_or_404(selectors.publicities_public(), pk=pk)
    is_open = item.is_open_on(timezone.localdate())
    form = ObjectionForm(request.POST or None) if is_open else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form is not None and form.is_valid():
            try:
                publicity_services.objection_lodge(publicity=item, by=request.user,
                                                   reasons=form.cleaned_data["reasons"])
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("Your objection is lodged; the district staff "
                                            "will answer it."))
                return redirect("matching:publicity_detail", pk=pk)
    return render(request, "matching/experts/publicity_detail.html",
                  {"item": item, "form": form, "is_open": is_open},
                  status=400 if form is not None and form.errors else 200)

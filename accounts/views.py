"""The website's account pages: sign-up, the researcher's profile and works, the
company's details and members."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.api import parse_pk

from . import privacy, services
from .forms import (
    CompanyDetailsForm,
    CompanySignupForm,
    InviteForm,
    ProfileUpdateForm,
    ResearcherSignupForm,
    WorkForm,
    add_errors,
)
from .models import CompanyMembership, Invitation, ResearcherProfile, Work

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _signup(request, form_class, template, create):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = services.user_create(**form.account(),
                                            language=request.LANGUAGE_CODE or "zh-hans")
                privacy.legal_texts_accept(user=user, by=user, versions=form.versions(),
                                           ip=privacy.client_ip(request))
                create(user, form)
        except ValidationError as e:
            add_errors(form, e)
        else:
            login(request, user, backend=BACKEND)
            return redirect("matching:dashboard")
    return render(request, template, {"form": form})


def signup_company(request):
    return _signup(request, CompanySignupForm, "accounts/signup_company.html",
                   lambda user, form: services.company_register(owner=user, **form.company()))


def signup_researcher(request):
    def create(user, form):
        services.researcher_register(user=user, **form.profile())
        if form.cleaned_data.get("show_to_companies"):
            privacy.visibility_give(user=user, by=user, ip=privacy.client_ip(request))

    return _signup(request, ResearcherSignupForm, "accounts/signup_researcher.html", create)


def my_profile(request) -> ResearcherProfile:
    """The visitor's researcher profile, or a 404 saying they have none."""
    profile = ResearcherProfile.objects.select_related("institution").filter(
        user=request.user).first()
    if profile is None:
        raise Http404(_("You have no researcher profile yet."))
    return profile


@login_required
def profile_edit(request):
    profile = my_profile(request)
    form = ProfileUpdateForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.researcher_update(profile=profile, by=request.user,
                                       **{k: form.cleaned_data[k] for k in form.Meta.fields})
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Your profile is saved; your matches are being updated."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {
        "form": form, "profile": profile, "works": profile.works.all(),
        "work_form": WorkForm(), "shown": privacy.shown_to_companies(request.user)})


@login_required
def work_edit(request, pk=None):
    profile = my_profile(request)
    work = get_object_or_404(Work, pk=pk, researcher=profile) if pk else None
    form = WorkForm(request.POST or None, instance=work)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if work:
                services.work_update(work=work, by=request.user, **fields)
            else:
                services.work_add(profile=profile, by=request.user, **fields)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("The work is saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/work_form.html", {"form": form, "work": work})


@login_required
@require_POST
def work_delete(request, pk):
    work = get_object_or_404(Work, pk=pk, researcher__user=request.user)
    services.work_remove(work=work, by=request.user)
    messages.success(request, _("The work is removed."))
    return redirect("accounts:profile")


def my_membership(request) -> CompanyMembership:
    """The company the visitor acts for: the one chosen in this session, else their first."""
    memberships = CompanyMembership.objects.select_related("company").filter(
        user=request.user).order_by("joined_at", "pk")
    chosen = request.session.get("company_id")
    membership = (memberships.filter(company_id=chosen).first() if chosen else None) \
        or memberships.first()
    if membership is None:
        raise Http404(_("You are not a member of a company."))
    return membership


@login_required
@require_POST
def company_switch(request):
    company_id = parse_pk(request.POST.get("company"))
    membership = get_object_or_404(CompanyMembership, user=request.user, company_id=company_id)
    request.session["company_id"] = membership.company_id
    return redirect("matching:company_dashboard")


@login_required
def company_edit(request):
    membership = my_membership(request)
    company = membership.company
    form = CompanyDetailsForm(request.POST or None, instance=company)
    invite = InviteForm(prefix="invite")
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(company=company, by=request.user,
                                    **{k: form.cleaned_data[k] for k in form.Meta.fields})
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("The company's details are saved."))
            return redirect("accounts:company")
    return _company_page(request, membership, form, invite)


def _company_page(request, membership, form, invite, status=200):
    company = membership.company
    return render(request, "accounts/company.html", {
        "form": form, "company": company, "membership": membership, "invite": invite,
        "members": company.memberships.select_related("user").order_by("joined_at", "pk"),
        "invitations": company.invitations.pending().select_related("user")
        .order_by("created_at") if membership.is_owner else []},
        status=status)


@login_required
@require_POST
def invitation_create(request):
    membership = my_membership(request)
    invite = InviteForm(request.POST, prefix="invite")
    if invite.is_valid():
        try:
            invitation = services.invitation_create(
                company=membership.company, email=invite.cleaned_data["email"], by=request.user)
        except ValidationError as e:
            add_errors(invite, e)
        else:
            messages.success(request, _("%(name)s is invited; they become a member once they "
                                        "accept.") % {"name": invitation.user})
            return redirect("accounts:company")
    return _company_page(request, membership, CompanyDetailsForm(instance=membership.company),
                         invite, status=400)


@login_required
@require_POST
def invitation_revoke(request, pk):
    membership = my_membership(request)
    invitation = get_object_or_404(Invitation, pk=pk, company=membership.company)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The invitation is revoked."))
    return redirect("accounts:company")


@login_required
def invitations(request):
    """The invitations the visitor has received, to accept or decline."""
    return render(request, "accounts/invitations.html", {
        "invitations": Invitation.objects.for_invitee(request.user)
        .select_related("company", "invited_by").order_by("-created_at")})


@login_required
@require_POST
def invitation_answer(request, pk, answer):
    invitation = get_object_or_404(Invitation, pk=pk, user=request.user)
    try:
        if answer == "accept":
            services.invitation_accept(invitation=invitation, by=request.user)
        else:
            services.invitation_decline(invitation=invitation, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("accounts:invitations")
    if answer == "accept":
        request.session["company_id"] = invitation.company_id
        messages.success(request, _("You are now a member of %(company)s.")
                         % {"company": invitation.company.name})
        return redirect("matching:company_dashboard")
    messages.success(request, _("The invitation is declined."))
    return redirect("accounts:invitations")


@login_required
def member_remove(request, pk):
    membership = my_membership(request)
    target = get_object_or_404(CompanyMembership.objects.select_related("user", "company"),
                               pk=pk, company=membership.company)
    if request.method != "POST":  # the confirmation step
        return render(request, "confirm.html", {
            "title": _("Remove %(name)s from %(company)s?")
            % {"name": target.user, "company": target.company.name},
            "consequence": _("They no longer see the company's needs or its applicants; to "
                             "return they need a new invitation."),
            "confirm": _("Remove the member"),
            "cancel_url": reverse("accounts:company")})
    try:
        services.company_member_remove(membership=target, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": target.user})
    return redirect("accounts:company")

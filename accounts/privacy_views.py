"""The website's privacy pages: the texts in force, accepting a new version,
the person's consents and the switch to be shown to companies."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import privacy
from .forms import LegalTextsForm, add_errors
from .models import LegalText, ResearcherProfile


def legal_texts(request):
    """The privacy notice and user agreement in force, in the visitor's language."""
    return render(request, "accounts/legal_texts.html", {
        "texts": LegalText.objects.current(), "language": request.LANGUAGE_CODE})


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "matching:dashboard"


@login_required
def consent_renew(request):
    """A newer version was published since the person last accepted: they read
    it and accept it here before going on (the middleware sends them)."""
    missing = list(LegalText.objects.not_accepted_by(request.user))
    if not missing:
        return redirect(_next(request))
    form = LegalTextsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.legal_texts_accept(user=request.user, by=request.user,
                                       versions=form.versions(), ip=privacy.client_ip(request))
        except ValidationError as e:
            add_errors(form, e, renamed={f"{t.kind}_version": "accept_legal" for t in missing})
        else:
            messages.success(request, _("Thank you; your acceptance is recorded."))
            return redirect(_next(request))
    return render(request, "accounts/consent_renew.html", {
        "form": form, "texts": missing, "language": request.LANGUAGE_CODE,
        "next": _next(request)}, status=400 if form.is_bound else 200)


@login_required
def privacy_centre(request):
    """What the person agreed to and when, and (researchers) whether companies
    may be shown them."""
    return render(request, "accounts/privacy.html", {
        "consents": request.user.consents.select_related("text"),
        "is_researcher": ResearcherProfile.objects.filter(user=request.user).exists(),
        "is_member": request.user.memberships.exists(),
        "shown": privacy.shown_to_companies(request.user),
        "pending_deletion": request.user.deletion_requests.pending().first()})


@login_required
@require_POST
def visibility(request):
    """The researcher's switch: shown to companies, or not."""
    if request.POST.get("show") == "1":
        if not ResearcherProfile.objects.filter(user=request.user).exists():
            messages.error(request, _("Only researchers are shown to companies."))
        else:
            privacy.visibility_give(user=request.user, by=request.user, ip=privacy.client_ip(request))
            messages.success(request, _("Companies may now be shown your profile, works and "
                                        "match scores."))
    else:
        privacy.visibility_withdraw(user=request.user, by=request.user)
        messages.success(request, _("You are no longer shown to companies. Applications "
                                    "you sent stay with the companies you sent them to."))
    return redirect(_next(request) if request.POST.get("next") else "accounts:privacy")


class DeletionForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my account and personal data will be deleted and that "
                "this cannot be undone."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")})


@login_required
def deletion_request(request):
    """Ask for the account to be deleted, after saying plainly what happens."""
    form = DeletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        asked = privacy.deletion_request_create(user=request.user, by=request.user)
        messages.success(request, _("Your request is recorded. Staff will delete your personal "
                                    "data by %(date)s.") % {"date": date_format(
                                        localtime(asked.due_at), "SHORT_DATE_FORMAT")})
        return redirect("accounts:privacy")
    return render(request, "accounts/deletion_request.html", {
        "form": form, "days": settings.DELETION_DEADLINE_DAYS,
        "pending": request.user.deletion_requests.pending().first()},
        status=400 if form.is_bound else 200)

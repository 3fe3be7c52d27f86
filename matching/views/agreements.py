"""A placement's agreement: the company drafts it, every party signs it online."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import add_errors

from .. import selectors
from ..forms import AgreementForm, EndAgreementForm
from ..letters import agreement_pdf
from ..services import agreements as agreement_services


def _placement(request, pk):
    """A placement the visitor is a party to (or staff may view), else a 404."""
    return get_object_or_404(
        selectors.placements_visible_to(request.user)
        .select_related("company", "researcher__user", "researcher__institution"), pk=pk)


@login_required
def agreement(request, pk):
    """The placement's current agreement: read, sign, draft or change it, end it."""
    placement = _placement(request, pk)
    current = placement.agreements.prefetch_related("signatures__signed_by").first()
    parties = agreement_services.parties_of(request.user, placement)
    may_draft = "company" in parties
    form = None
    if may_draft and (current is None or not current.is_signed):
        editing = current if current is not None and current.is_editable else None
        form = AgreementForm(request.POST or None, instance=editing)
        if request.method == "POST" and form.is_valid():
            fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
            try:
                if editing:
                    agreement_services.agreement_update(agreement=editing, by=request.user,
                                                        **fields)
                else:
                    agreement_services.agreement_draft(placement=placement, by=request.user,
                                                       **fields)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("The agreement is saved; every party is asked to "
                                            "sign it."))
                return redirect("matching:agreement", pk=pk)
    signed = {s.party for s in current.signatures.all()} if current else set()
    return render(request, "matching/agreement.html", {
        "placement": placement, "agreement": current, "form": form,
        "end_form": EndAgreementForm() if may_draft and current and current.status in
        current.OPEN else None,
        "can_sign": bool(current and current.is_editable
                         and (parties & set(current.parties)) - signed),
        "history": placement.agreements.all()[1:]},
        status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def agreement_sign(request, pk):
    placement = _placement(request, pk)
    current = get_object_or_404(placement.agreements.open())
    try:
        agreement_services.agreement_sign(agreement=current, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Signed."))
    return redirect("matching:agreement", pk=pk)


@login_required
@require_POST
def agreement_end(request, pk):
    placement = _placement(request, pk)
    current = get_object_or_404(placement.agreements.open())
    form = EndAgreementForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the agreement ends."))
        agreement_services.agreement_end(agreement=current, by=request.user,
                                         reason=form.cleaned_data["reason"])
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The agreement has ended."))
    return redirect("matching:agreement", pk=pk)


@login_required
def agreement_download(request, pk):
    placement = _placement(request, pk)
    current = get_object_or_404(placement.agreements.all()[:1])
    response = HttpResponse(agreement_pdf(current), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="agreement-{placement.pk}-v{current.version}.pdf"')
    return response

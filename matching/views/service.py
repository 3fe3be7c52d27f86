"""A placement's service record on the website: the researcher logs a day (one
short form, filled in with today, 8 hours and the last place), the company reads
a month, confirms it or queries a day."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import add_errors

from .. import selectors
from ..evidence import file_response
from ..forms_service import MonthForm, QueryForm, ServiceLogForm
from ..models import month_of
from ..services import agreements as agreement_services
from ..services import service_records


def _placement(request, pk):
    """A placement the visitor is a party to (or staff may view), else a 404."""
    return get_object_or_404(
        selectors.placements_visible_to(request.user)
        .select_related("company", "researcher__user"), pk=pk)


def _month(request) -> datetime.date:
    form = MonthForm(request.GET or request.POST)
    return month_of(form.cleaned_data["month"] if form.is_valid() else timezone.localdate())


def _back(pk, month):
    return redirect(f"{reverse('matching:service', args=[pk])}?month={month:%Y-%m}")


@login_required
def service(request, pk):
    """The month's logs; the log form for the researcher, the confirm and query
    buttons for the company."""
    placement = _placement(request, pk)
    month = _month(request)
    parties = agreement_services.parties_of(request.user, placement)
    form = None
    if "researcher" in parties:
        last = placement.service_logs.order_by("-day").first()
        form = ServiceLogForm(request.POST or None, request.FILES or None, initial={
            "day": timezone.localdate(), "hours": 8, "place": last.place if last else ""})
        if request.method == "POST" and form.is_valid():
            try:
                entry = service_records.service_log_add(
                    placement=placement, by=request.user,
                    **{k: form.cleaned_data[k] for k in ("day", "hours", "place", "work")},
                    photo=form.cleaned_data["photo"] or None)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("Logged: %(d)s.") % {"d": entry.day})
                return _back(pk, entry.month)
    first, last_day = service_records._month_range(month)
    logs = placement.service_logs.filter(day__range=(first, last_day)).order_by("day")
    return render(request, "matching/service.html", {
        "placement": placement, "month": month, "logs": logs, "form": form,
        "is_company": "company" in parties, "query_form": QueryForm(),
        "figures": service_records.month_days(placement, month),
        "required": service_records.days_required(placement),
        "previous": month_of(month - datetime.timedelta(days=1)),
        "next": month_of(month + datetime.timedelta(days=31))},
        status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def service_confirm(request, pk):
    placement = _placement(request, pk)
    month = _month(request)
    try:
        n = service_records.service_month_confirm(placement=placement, month=month,
                                                  by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("%(n)d day(s) confirmed.") % {"n": n})
    return _back(pk, month)


@login_required
@require_POST
def service_query(request, pk, log_pk):
    placement = _placement(request, pk)
    entry = get_object_or_404(placement.service_logs, pk=log_pk)
    form = QueryForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say what is wrong with this day."))
        service_records.service_log_query(log=entry, by=request.user,
                                          reason=form.cleaned_data["reason"])
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The researcher is asked about %(d)s.") % {"d": entry.day})
    return _back(pk, entry.month)


@login_required
def service_photo(request, pk):
    """A service day's photo, for those who see the placement (checked like evidence)."""
    entry = get_object_or_404(selectors.service_logs_visible_to(request.user), pk=pk)
    return file_response(entry.photo, _("No photo was attached to this day."))

"""Statistics page and exports for district staff (served inside the admin)."""

import csv
import io

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from accounts import privacy
from accounts.models import IndustryCluster, IndustryPlatform, Institution, LeadingIndustry
from accounts.roles import EXPORT_STATISTICS, VIEW_STATISTICS, has_perm
from config.middleware import client_error

from . import statistics
from .models import Cohort, Outcome, Programme, StatsSnapshot


class StatsForm(forms.Form):
    cohort = forms.ModelChoiceField(Cohort.objects.all(), required=False, label=gettext_lazy("cohort"))
    programme = forms.ChoiceField(choices=[("", "---------"), *Programme.choices],
                                  required=False, label=gettext_lazy("programme"))
    platform = forms.ModelChoiceField(IndustryPlatform.objects.all(), required=False,
                                      label=gettext_lazy("industry platform"))
    cluster = forms.ModelChoiceField(IndustryCluster.objects.all(), required=False,
                                     label=gettext_lazy("industry cluster"))
    leading_industry = forms.ModelChoiceField(LeadingIndustry.objects.all(), required=False,
                                              label=gettext_lazy("leading industry"))
    institution = forms.ModelChoiceField(Institution.objects.all(), required=False,
                                         label=gettext_lazy("institution"))
    date_from = forms.DateField(required=False, label=gettext_lazy("from"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=gettext_lazy("to"),
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must be after the start date."))
        return data

    def stats_filter(self) -> statistics.StatsFilter:
        d = self.cleaned_data
        return statistics.StatsFilter(**{k: (v.pk if hasattr(v, "pk") else v) or None
                                         for k, v in d.items()})


BREAKDOWNS = [("platform", gettext_lazy("By platform")), ("cluster", gettext_lazy("By cluster")),
              ("cohort", gettext_lazy("By cohort")), ("institution", gettext_lazy("By institution")),
              ("month", gettext_lazy("By month"))]


EXPORT_TABLES = {"summary", "placements", "outcomes"}


def _columns():
    return [_("group"), _("researchers placed"), _("companies served"),
            _("technology-deal value (10,000 yuan)"), _("verified outcomes")]


def statistics_view(request):
    if not has_perm(request.user, VIEW_STATISTICS):
        raise PermissionDenied
    form = StatsForm(request.GET or None)
    f = form.stats_filter() if form.is_valid() else statistics.StatsFilter()
    export = request.GET.get("export")
    if export:
        if not has_perm(request.user, EXPORT_STATISTICS):
            raise PermissionDenied
        table = request.GET.get("table", "summary")
        if export not in {"csv", "xlsx"} or table not in EXPORT_TABLES:
            # The table names the sheet and the file: only the page's own links.
            return client_error(request, 400, "invalid", _("There is no such export."))
        # The placements and outcomes tables name people: every download is on record.
        privacy.export_record(by=request.user, what=f"statistics: {table}.{export}")
        return _export(f, table, export)
    figures = statistics.headline(f)
    tables = []
    for key, title in BREAKDOWNS:
        rows = statistics.breakdown(f, key)
        top = max([r["researchers"] for r in rows] + [1])
        for r in rows:
            r["bar"] = round(100 * r["researchers"] / top)
        tables.append({"key": key, "title": title, "rows": rows})
    kinds = [(label, figures["by_kind"][value]) for value, label in Outcome.Kind.choices]
    # The trend: the nightly snapshots of the whole district, newest first.
    trend = list(StatsSnapshot.objects.all()[:30])
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("table", None)
    return TemplateResponse(request, "admin/matching/statistics.html", {
        **admin.site.each_context(request), "title": _("District statistics"), "form": form,
        "figures": figures, "kinds": kinds, "tables": tables, "query": query.urlencode(),
        "columns": _columns(), "trend": trend})


# A cell a spreadsheet would read as a formula: a company called
# `=HYPERLINK("http://…","点击")` must stay text in the file staff open.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text that a spreadsheet would evaluate gets a leading apostrophe (OWASP's
    advice for CSV); numbers and dates are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _xlsx_cell(sheet, value):
    """Numbers as numbers; every text as a text cell, never a formula (openpyxl
    otherwise stores any string starting with '=' as one)."""
    if hasattr(value, "quantize"):
        value = float(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _export(f: statistics.StatsFilter, table: str, fmt: str) -> HttpResponse:
    headers, rows = _table(f, table)
    name = f"qiantang-{table}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([csv_safe(v) for v in row] for row in rows)
        # A byte-order mark so that Excel opens the Chinese headers as UTF-8.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table)
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _table(f: statistics.StatsFilter, table: str) -> tuple[list[str], list[list]]:
    if table == "placements":
        headers = [_("researcher"), _("institution"), _("company"), _("industry platform"),
                   _("industry cluster"), _("programme"), _("cohort"), _("starts on"),
                   _("ends on"), _("status")]
        rows = [[p.researcher.user.full_name or p.researcher.user.email,
                 p.researcher.institution.name, p.company.name,
                 p.company.platform.name if p.company.platform else "",
                 p.company.cluster.name if p.company.cluster else "",
                 p.get_programme_display(), p.cohort.name if p.cohort else "",
                 p.starts_on, p.ends_on, p.get_status_display()]
                for p in f.placements().select_related(
                    "researcher__user", "researcher__institution", "company__platform",
                    "company__cluster", "cohort").order_by("starts_on", "pk")]
        return headers, rows
    if table == "outcomes":
        headers = [_("outcome"), _("kind"), _("identifier"), _("amount (10,000 yuan)"), _("date"),
                   _("company"), _("researcher"), _("funding programme")]
        rows = [[o.title, o.get_kind_display(), o.identifier, o.amount, o.achieved_on,
                 o.placement.company.name,
                 o.placement.researcher.user.full_name or o.placement.researcher.user.email,
                 o.funding_programme]
                for o in f.outcomes().select_related(
                    "placement__company", "placement__researcher__user").order_by("achieved_on",
                                                                                  "pk")]
        return headers, rows
    figures = statistics.headline(f)
    rows = [[_("all"), figures["researchers"], figures["companies"], figures["deal_value"],
             figures["outcomes"]]]
    for key, title in BREAKDOWNS:
        rows += [[f"{title}: {r['label']}", r["researchers"], r["companies"], r["deal_value"],
                  r["outcomes"]] for r in statistics.breakdown(f, key)]
    return _columns(), rows

"""Statistics page and exports for district staff (served inside the admin)."""

import csv
import io

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
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
from .models import Cohort, FundingProgramme, Outcome, Programme, StatsSnapshot


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
    date_from = forms.DateField(required=False, label=gettext_lazy("period from"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=gettext_lazy("period to"),
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
              ("plan_action", gettext_lazy("By 55830 plan action")),
              ("month", gettext_lazy("By month"))]


EXPORT_TABLES = {"summary", "placements", "outcomes"}


def _columns():
    return [_("group"), _("researchers placed"), _("companies served"),
            _("technology-deal value (10,000 yuan)"), _("verified outcomes")]


def statistics_view(request):
    if not has_perm(request.user, VIEW_STATISTICS):
        raise PermissionDenied
    form = StatsForm(request.GET or None)
    export = request.GET.get("export")
    if form.is_bound and not form.is_valid():
        # Figures for no filter under a filter that failed would read as its answer:
        # the page (or the export) says what is wrong and shows no figures.
        if export:
            return client_error(request, 400, "invalid", filter_errors(form))
        return TemplateResponse(request, "admin/matching/statistics.html", {
            **admin.site.each_context(request), "title": _("District statistics"),
            "form": form, "errors": form_errors(form)}, status=400)
    f = form.stats_filter() if form.is_bound else statistics.StatsFilter()
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
    tables = [{"key": key, "title": title, "rows": statistics.breakdown(f, key)}
              for key, title in BREAKDOWNS]
    kinds = [(label, figures["by_kind"][value]) for value, label in Outcome.Kind.choices]
    funded_levels = [(label, figures["funded_by_level"][value])
                     for value, label in FundingProgramme.Level.choices]
    # The trend: the nightly snapshots of the whole district, newest first.
    trend = list(StatsSnapshot.objects.all()[:30])
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("table", None)
    return TemplateResponse(request, "admin/matching/statistics.html", {
        **admin.site.each_context(request), "title": _("District statistics"), "form": form,
        "figures": figures, "kinds": kinds, "funded_levels": funded_levels,
        "tables": tables, "query": query.urlencode(),
        "columns": _columns(), "trend": trend, "charts": chart_data(tables, trend)})


def form_errors(form) -> list[tuple[str, list[str]]]:
    """(label, messages) for each field in error, as a user reads them: the
    field's label, never its name (`date_to`); errors of the whole form last."""
    errors = [(str(form[name].label), list(messages))
              for name, messages in form.errors.items() if name != NON_FIELD_ERRORS]
    if form.non_field_errors():
        errors.append(("", list(form.non_field_errors())))
    return errors


def filter_errors(form) -> str:
    return " ".join(f"{label}: {' '.join(messages)}" if label else " ".join(messages)
                    for label, messages in form_errors(form))


def chart_data(tables: list[dict], trend: list) -> dict:
    """What the page's charts draw (read by statistics.js from a json_script): per
    breakdown, researchers placed and verified outcomes per row; the trend in time
    order. Every label is translated here, so the script holds no text."""
    placed, outcomes = _("researchers placed"), _("verified outcomes")
    charts = {t["key"]: {"title": str(t["title"]), "labels": [str(r["label"]) for r in t["rows"]],
                         "series": [{"label": placed, "data": [r["researchers"] for r in t["rows"]]},
                                    {"label": outcomes, "data": [r["outcomes"] for r in t["rows"]]}]}
              for t in tables}
    days = list(reversed(trend))
    charts["trend"] = {
        "title": _("Trend"), "labels": [s.day.isoformat() for s in days],
        "series": [{"label": placed, "data": [s.figures.get("researchers") for s in days]},
                   {"label": _("companies served"),
                    "data": [s.figures.get("companies") for s in days]},
                   {"label": outcomes, "data": [s.figures.get("outcomes") for s in days]}]}
    return charts


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
    return export_response(headers, rows, f"qiantang-{table}", table, fmt)


def export_response(headers: list, rows: list[list], name: str, sheet_name: str,
                    fmt: str) -> HttpResponse:
    """A table as a CSV or Excel download (also the drill-down's, matching/drilldown.py)."""
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
    sheet = book.create_sheet(sheet_name)
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
    if table in ("placements", "outcomes"):
        headers, pairs = (placement_table(f.placements()) if table == "placements"
                          else outcome_table(f.outcomes()))
        return headers, [row for _obj, row in pairs]
    figures = statistics.headline(f)
    rows = [[_("all"), figures["researchers"], figures["companies"], figures["deal_value"],
             figures["outcomes"]]]
    for key, title in BREAKDOWNS:
        rows += [[f"{title}: {r['label']}", r["researchers"], r["companies"], r["deal_value"],
                  r["outcomes"]] for r in statistics.breakdown(f, key)]
    return _columns(), rows


def placement_table(placements) -> tuple[list[str], list[tuple]]:
    """(headers, [(placement, row)]): placement rows as exported and as drilled
    down into, one definition."""
    headers = [_("researcher"), _("institution"), _("company"), _("industry platform"),
               _("industry cluster"), _("programme"), _("cohort"), _("starts on"),
               _("ends on"), _("status")]
    pairs = [(p, [p.researcher.user.full_name or p.researcher.user.email,
                  p.researcher.institution.name, p.company.name,
                  p.company.platform.name if p.company.platform else "",
                  p.company.cluster.name if p.company.cluster else "",
                  p.get_programme_display(), p.cohort.name if p.cohort else "",
                  p.starts_on, p.ends_on, p.get_status_display()])
             for p in placements.select_related(
                 "researcher__user", "researcher__institution", "company__platform",
                 "company__cluster", "cohort").order_by("starts_on", "pk")]
    return headers, pairs


def outcome_table(outcomes) -> tuple[list[str], list[tuple]]:
    """(headers, [(outcome, row)]): outcome rows as exported and as drilled down
    into, one definition."""
    headers = [_("outcome"), _("kind"), _("identifier"), _("amount (10,000 yuan)"), _("date"),
               _("company"), _("researcher"), _("funding programme"),
               _("contract registration number"), _("verified at")]
    pairs = [(o, [o.title, o.get_kind_display(), o.identifier, o.amount, o.achieved_on,
                  o.placement.company.name,
                  o.placement.researcher.user.full_name or o.placement.researcher.user.email,
                  o.funding_programme, o.registration_number,
                  o.verified_at.date() if o.verified_at else None])
             for o in outcomes.select_related(
                 "placement__company", "placement__researcher__user").order_by("achieved_on",
                                                                               "pk")]
    return headers, pairs

"""The rows behind each figure of the statistics page (issue 18): placements for
researchers and companies, outcomes (contracts, patents, funded projects) for the
rest, under the page's own filter, with their evidence; the export of a figure
carries exactly these rows."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import privacy
from accounts.roles import EXPORT_STATISTICS, VIEW_STATISTICS, has_perm
from config.middleware import client_error

from . import reports, statistics

FIGURE_TITLES = {
    "researchers": gettext_lazy("researchers placed"),
    "companies": gettext_lazy("companies served"),
    "deal_value": gettext_lazy("technology-deal value (10,000 yuan)"),
    "unregistered": gettext_lazy("verified contracts not registered"),
    "outcomes": gettext_lazy("verified outcomes"),
    "patents": gettext_lazy("patents (invention and utility model)"),
    "funded_projects": gettext_lazy("funded projects"),
}


def figure_rows(f: statistics.StatsFilter, figure: str) -> tuple[str, list[str], list[tuple]]:
    """(table, headers, [(object, row)]) behind `figure` under `f`."""
    table, queryset = statistics.rows_behind(f, figure)
    builder = reports.placement_table if table == "placements" else reports.outcome_table
    return (table, *builder(queryset))


def drilldown_view(request):
    if not has_perm(request.user, VIEW_STATISTICS):
        raise PermissionDenied
    figure = request.GET.get("figure", "")
    if figure not in statistics.FIGURE_ROWS:
        return client_error(request, 400, "invalid", _("There is no such figure."))
    form = reports.StatsForm(request.GET)
    if not form.is_valid():
        # Never the unfiltered rows under a filter the page did not apply.
        return client_error(request, 400, "invalid",
                            " ".join(f"{form[name].label}: {' '.join(errors)}"
                                     for name, errors in form.errors.items()))
    table, headers, pairs = figure_rows(form.stats_filter(), figure)
    export = request.GET.get("export")
    if export:
        if not has_perm(request.user, EXPORT_STATISTICS):
            raise PermissionDenied
        if export not in {"csv", "xlsx"}:
            return client_error(request, 400, "invalid", _("There is no such export."))
        # The rows name researchers: every download is on record (issue 15).
        privacy.export_record(by=request.user, what=f"statistics rows: {figure}.{export}")
        return reports.export_response(headers, [row for _obj, row in pairs],
                                       f"qiantang-{figure}", figure, export)
    query = request.GET.copy()
    query.pop("export", None)
    return TemplateResponse(request, "admin/matching/statistics_rows.html", {
        **admin.site.each_context(request),
        "title": _("Rows behind: %(figure)s") % {"figure": FIGURE_TITLES[figure]},
        "table": table, "headers": headers, "pairs": pairs, "query": query.urlencode(),
        "may_export": has_perm(request.user, EXPORT_STATISTICS)})

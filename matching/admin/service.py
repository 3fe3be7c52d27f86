"""After the approval: service logs and the months that fell short, evaluations to
grade, subsidy policies (versions, and what a draft would cost) and claims to
decide, with the Excel report."""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts import privacy
from accounts.roles import (
    APPROVE_SUBSIDY,
    GRADE_EVALUATION,
    MANAGE_SUBSIDY_POLICY,
    has_perm,
)
from config.admin_actions import DecisionsMixin, decision
from config.admin_writes import HistoryAdmin, ReadOnlyAdmin, ServiceAdmin

from ..models import Evaluation, Grade, ServiceLog, ServiceNotice, SubsidyClaim, SubsidyPolicy
from ..services import evaluations, subsidies


@admin.register(ServiceLog)
class ServiceLogAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read-only: the researcher logs, the company confirms or queries, on the website
    or through the API."""

    list_display = ["day", "placement", "hours", "place", "status"]
    list_filter = ["status", "placement__programme", "day"]
    date_hierarchy = "day"
    search_fields = ["placement__company__name", "placement__researcher__user__full_name",
                     "place"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]


@admin.register(ServiceNotice)
class ServiceNoticeAdmin(ReadOnlyAdmin, HistoryAdmin):
    """The months that fell short of the agreement's service days (and the reminders
    sent before): staff's queue of shortfalls, filtered by kind and month."""

    list_display = ["month", "placement", "kind", "days_logged", "days_required", "created_at"]
    list_filter = ["kind", "month", "placement__programme", "placement__company"]
    search_fields = ["placement__company__name", "placement__researcher__user__full_name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]


def _grading(grade: str):
    """An admin action's service: grade the evaluation `grade`."""

    def grade_it(*, evaluation, by, note=""):
        return evaluations.evaluation_grade(evaluation=evaluation, by=by, grade=grade, note=note)

    grade_it.__name__ = f"evaluation_grade_{grade}"
    return grade_it


@admin.register(Evaluation)
class EvaluationAdmin(DecisionsMixin, ReadOnlyAdmin, HistoryAdmin):
    """The evaluations to grade: the reports and the indicators side by side; the
    grade is an action (不合格 with a reason, which ends the placement)."""

    list_display = ["placement", "kind", "year", "period_start", "period_end", "status",
                    "grade", "days_confirmed", "days_required", "outcomes_verified"]
    list_filter = ["status", "grade", "kind", "placement__programme", "placement__cohort"]
    search_fields = ["placement__company__name", "placement__researcher__user__full_name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]
    def get_queryset(self, request):  # the change page names the placement twice
        return super().get_queryset(request).select_related(*self.list_select_related)

    readonly_fields = ["measured"]
    actions = [
        decision(_grading(Grade.EXCELLENT), "evaluation", perm=GRADE_EVALUATION,
                 description=_("Grade the selected evaluations 优秀 (excellent)")),
        decision(_grading(Grade.PASS), "evaluation", perm=GRADE_EVALUATION,
                 description=_("Grade the selected evaluations 合格 (pass)")),
        decision(_grading(Grade.FAIL), "evaluation", perm=GRADE_EVALUATION,
                 description=_("Grade the selected evaluations 不合格 (fail, ends the "
                               "placement; with a reason)"), needs_reason=True),
    ]

    @admin.display(description=_("indicators measured so far"))
    def measured(self, evaluation):
        if evaluation.pk is None:
            return "—"
        figures = evaluations.indicators(evaluation)
        labels = {"days_required": _("service days required"),
                  "days_logged": _("service days logged"),
                  "days_confirmed": _("service days confirmed"),
                  "outcomes_verified": _("outcomes verified")}
        return format_html("<ul>{}</ul>", format_html_join(
            "", "<li>{}: {}</li>", ((labels[k], "—" if v is None else v)
                                    for k, v in figures.items())))


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SubsidyPolicy
        fields = ["programme", *subsidies.POLICY_TERMS]


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(DecisionsMixin, ServiceAdmin, HistoryAdmin):
    """Versions of the subsidy rules: a draft is written and tried on last year's
    claims ("cost"), then activated; an active version is never edited."""

    form = PolicyForm
    list_display = ["__str__", "programme", "version", "status", "rate_excellent", "rate_pass",
                    "cap_per_year", "max_years", "cost_link"]
    list_filter = ["programme", "status"]
    actions = [decision(subsidies.subsidy_policy_activate, "policy", perm=MANAGE_SUBSIDY_POLICY,
                        description=_("Activate the selected draft policy"))]

    def has_add_permission(self, request):
        return has_perm(request.user, MANAGE_SUBSIDY_POLICY)

    def has_change_permission(self, request, obj=None):
        return has_perm(request.user, MANAGE_SUBSIDY_POLICY) and (
            obj is None or obj.status == SubsidyPolicy.Status.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["programme"] if obj is not None else []

    def save_record(self, request, obj, form):
        terms = {name: form.cleaned_data[name] for name in subsidies.POLICY_TERMS}
        if obj.pk is None:
            return subsidies.subsidy_policy_create(by=request.user,
                                                   programme=form.cleaned_data["programme"],
                                                   **terms)
        return subsidies.subsidy_policy_update(policy=obj, by=request.user, **terms)

    @admin.display(description=_("cost on last year's claims"))
    def cost_link(self, policy):
        return format_html('<a href="{}">{}</a>', reverse("admin:matching_subsidypolicy_cost",
                                                          args=[policy.pk]), _("Try it"))

    def get_urls(self):
        return [path("<int:object_id>/cost/", self.admin_site.admin_view(self.cost_view),
                     name="matching_subsidypolicy_cost"), *super().get_urls()]

    def cost_view(self, request, object_id):
        """What this policy would have cost on the claims of a year (last year unless
        ?year= says otherwise)."""
        if not has_perm(request.user, MANAGE_SUBSIDY_POLICY):
            raise PermissionDenied
        policy = get_object_or_404(SubsidyPolicy, pk=object_id)
        try:
            year = int(request.GET.get("year") or timezone.localdate().year - 1)
        except ValueError:
            year = timezone.localdate().year - 1
        year = min(max(year, 2000), 2100)
        return TemplateResponse(request, "admin/matching/subsidy_policy_cost.html", {
            **self.admin_site.each_context(request), "opts": self.opts,
            "title": _("What %(policy)s would cost") % {"policy": policy},
            "cost": subsidies.subsidy_policy_cost(policy=policy, year=year)})


@admin.action(description=_("Export the selected claims as Excel"))
def export_claims(modeladmin, request, queryset):
    claims = queryset.select_related("evaluation", "policy", "placement__company",
                                     "placement__researcher__user").order_by("pk")
    # Salaries paid to named people: every download is on record (issue 15).
    privacy.export_record(by=request.user, what=f"subsidy claims: {len(claims)} rows.xlsx")
    response = HttpResponse(subsidies.subsidy_claims_workbook(claims), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = (
        f'attachment; filename="subsidy-claims-{datetime.date.today():%Y%m%d}.xlsx"')
    return response


@admin.register(SubsidyClaim)
class SubsidyClaimAdmin(DecisionsMixin, ReadOnlyAdmin, HistoryAdmin):
    """Claims to decide, each with its calculation; filter by the evaluated year's
    end to report a period, and export the selection as Excel."""

    list_display = ["placement", "evaluation", "salary_counted", "amount", "status", "policy",
                    "created_at"]
    list_filter = ["status", "placement__programme", "evaluation__period_end", "policy"]
    search_fields = ["placement__company__name", "placement__researcher__user__full_name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution",
                           "evaluation__placement__company",
                           "evaluation__placement__researcher__user",
                           "evaluation__placement__researcher__institution", "policy"]
    def get_queryset(self, request):  # the change page names the placement twice
        return super().get_queryset(request).select_related(*self.list_select_related)

    readonly_fields = ["calculation"]
    actions = [
        decision(subsidies.subsidy_claim_approve, "claim", perm=APPROVE_SUBSIDY,
                 description=_("Approve the selected claims")),
        decision(subsidies.subsidy_claim_reject, "claim", perm=APPROVE_SUBSIDY,
                 description=_("Reject the selected claims (with a reason)"), needs_reason=True),
        export_claims,
    ]

    @admin.display(description=_("calculation"))
    def calculation(self, claim):
        return format_html("<ol>{}</ol>", format_html_join(
            "", "<li>{}</li>", ((line,) for line in subsidies.explain(claim.explanation))))

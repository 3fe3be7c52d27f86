"""揭榜挂帅 selection: the expert pool, panels, rubrics, reviews, publicity and
objections. Decisions are actions calling the services; staff import an expert
through `expert_import`; rubrics are reference data staff keep."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.roles import FORM_PANEL, MANAGE_EXPERT, PUBLISH_RESULT, has_perm
from config.admin_actions import DecisionsMixin, decision
from config.admin_writes import HistoryAdmin, ReadOnlyAdmin, ServiceAdmin, ServiceInline

from ..models import (
    Expert,
    Objection,
    Panel,
    PanelMember,
    Publicity,
    Review,
    ReviewScore,
    Rubric,
    RubricCriterion,
)
from ..services import experts, panels, publicity

IMPORT_FIELDS = ["user", "institution", "title", "disciplines", "keywords", "bio",
                 "conflicts_declared", "conflict_companies"]


@admin.register(Expert)
class ExpertAdmin(DecisionsMixin, ServiceAdmin, HistoryAdmin):
    list_display = ["__str__", "institution", "title", "status", "created_at"]
    list_filter = ["status", "institution"]
    search_fields = ["user__full_name", "user__email", "keywords"]
    list_select_related = ["user", "institution"]
    autocomplete_fields = ["user", "conflict_companies"]
    actions = [
        decision(experts.expert_approve, "expert", perm=MANAGE_EXPERT,
                 description=_("Approve the selected experts")),
        decision(experts.expert_suspend, "expert", perm=MANAGE_EXPERT,
                 description=_("Suspend the selected experts (with a reason)"),
                 needs_reason=True),
    ]

    def get_fields(self, request, obj=None):
        return IMPORT_FIELDS if obj is None else super().get_fields(request, obj)

    def has_add_permission(self, request):
        return has_perm(request.user, MANAGE_EXPERT)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_record(self, request, obj, form):
        data = dict(form.cleaned_data)
        return experts.expert_import(by=request.user, **{name: data[name]
                                                         for name in IMPORT_FIELDS})

    def save_related(self, request, form, formsets, change):
        """The service set the ties itself."""


class MemberInline(ReadOnlyAdmin, admin.TabularInline):
    model = PanelMember
    extra = 0
    fields = readonly_fields = ["expert", "affinity", "status", "decline_reason", "answered_at"]

    def get_queryset(self, request):  # each row is titled with the expert and the panel
        return super().get_queryset(request).select_related("expert__user", "panel__challenge")


@admin.register(Panel)
class PanelAdmin(DecisionsMixin, ServiceAdmin, HistoryAdmin):
    """Staff form a panel (its members are proposed at once), fill declined places,
    close or cancel it; a member is swapped from the member list."""

    list_display = ["challenge", "purpose", "size", "status", "created_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["challenge__title", "challenge__company__name"]
    list_select_related = ["challenge__company"]
    autocomplete_fields = ["challenge"]
    inlines = [MemberInline]
    actions = [
        decision(panels.panel_fill, "panel", perm=FORM_PANEL,
                 description=_("Invite experts to the places declined")),
        decision(panels.panel_close, "panel", perm=FORM_PANEL,
                 description=_("Close the selected panels (every review in)")),
        decision(panels.panel_cancel, "panel", perm=FORM_PANEL,
                 description=_("Cancel the selected panels")),
    ]

    def get_fields(self, request, obj=None):
        return ["challenge", "size"] if obj is None else super().get_fields(request, obj)

    def has_add_permission(self, request):
        return has_perm(request.user, FORM_PANEL)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_record(self, request, obj, form):
        return panels.panel_form(challenge=form.cleaned_data["challenge"], by=request.user,
                                 size=form.cleaned_data["size"])

    def save_related(self, request, form, formsets, change):
        """The service invited the members itself."""


@admin.register(PanelMember)
class PanelMemberAdmin(DecisionsMixin, ReadOnlyAdmin, HistoryAdmin):
    list_display = ["expert", "panel", "affinity", "status", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["expert__user", "panel__challenge"]
    actions = [decision(panels.panel_swap, "member", perm=FORM_PANEL,
                        description=_("Replace the selected members by the best free "
                                      "candidates"))]


class CriterionInline(ServiceInline, admin.TabularInline):
    model = RubricCriterion
    extra = 1
    fields = ["name", "name_en", "weight", "max_score", "sort_order"]


@admin.register(Rubric)
class RubricAdmin(ServiceAdmin, HistoryAdmin):
    list_display = ["name", "programme"]
    inlines = [CriterionInline]


class ScoreInline(ReadOnlyAdmin, admin.TabularInline):
    model = ReviewScore
    extra = 0
    fields = readonly_fields = ["criterion", "score"]

    def get_queryset(self, request):  # each row is titled with its criterion
        return super().get_queryset(request).select_related("criterion")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin, HistoryAdmin):
    list_display = ["member", "application", "total", "submitted_at"]
    list_select_related = ["member__expert__user", "member__panel__challenge",
                           "application__researcher__user",
                           "application__researcher__institution", "application__challenge"]
    inlines = [ScoreInline]


@admin.register(Publicity)
class PublicityAdmin(ServiceAdmin, HistoryAdmin):
    """Staff publish an approved selection by naming its placement."""

    list_display = ["placement", "opens_on", "closes_on"]
    list_select_related = ["placement__researcher__user", "placement__company"]
    autocomplete_fields = ["placement"]

    def get_fields(self, request, obj=None):
        return ["placement"] if obj is None else ["placement", "summary", "opens_on",
                                                  "closes_on"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["placement", "summary", "opens_on", "closes_on"]

    def has_add_permission(self, request):
        return has_perm(request.user, PUBLISH_RESULT)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_record(self, request, obj, form):
        return publicity.publicity_open(placement=form.cleaned_data["placement"],
                                        by=request.user)


@admin.register(Objection)
class ObjectionAdmin(DecisionsMixin, ReadOnlyAdmin, HistoryAdmin):
    list_display = ["publicity", "lodged_by", "status", "created_at", "reviewed_at"]
    list_filter = ["status"]
    list_select_related = ["publicity__placement__researcher__user",
                           "publicity__placement__company", "lodged_by"]
    actions = [
        decision(publicity.objection_uphold, "objection", perm=PUBLISH_RESULT,
                 description=_("Uphold the selected objections (with the resolution)"),
                 needs_reason=True),
        decision(publicity.objection_dismiss, "objection", perm=PUBLISH_RESULT,
                 description=_("Dismiss the selected objections (with the resolution)"),
                 needs_reason=True),
    ]

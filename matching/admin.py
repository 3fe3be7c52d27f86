from django.contrib import admin

from .models import Application, Challenge, Cohort, MatchScore, Notification, Outcome, Placement


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "year", "starts_on", "ends_on"]
    search_fields = ["name"]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "programme", "status", "reward", "deadline",
                    "published_at"]
    list_filter = ["status", "programme", "confidentiality", "industry", "cohort",
                   "company__platform"]
    search_fields = ["title", "background", "goals", "company__name"]
    list_select_related = ["company"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["company", "preferred_institutions"]
    readonly_fields = ["reviewed_by", "reviewed_at", "published_at", "created_by",
                       "created_at", "updated_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["researcher", "challenge", "status", "budget", "created_at"]
    list_filter = ["status", "challenge__programme"]
    search_fields = ["researcher__user__full_name", "challenge__title", "proposal"]
    list_select_related = ["researcher__user", "researcher__institution", "challenge"]
    autocomplete_fields = ["challenge", "researcher"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["researcher", "company", "programme", "cohort", "status", "starts_on",
                    "ends_on", "approved_at"]
    list_filter = ["status", "programme", "cohort", "company__platform", "company__cluster"]
    search_fields = ["researcher__user__full_name", "company__name", "post"]
    list_select_related = ["researcher__user", "researcher__institution", "company", "cohort"]
    autocomplete_fields = ["researcher", "company", "challenge", "application"]
    readonly_fields = ["approved_by", "approved_at", "created_at"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "placement", "amount", "achieved_on", "status"]
    list_filter = ["status", "kind", "placement__programme", "placement__cohort"]
    search_fields = ["title", "identifier", "placement__company__name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]
    autocomplete_fields = ["placement"]
    readonly_fields = ["reported_by", "verified_by", "verified_at", "created_at"]


@admin.register(MatchScore)
class MatchScoreAdmin(admin.ModelAdmin):
    list_display = ["challenge", "researcher", "score", "engine_version", "computed_at"]
    list_filter = ["engine_version"]
    search_fields = ["challenge__title", "researcher__user__full_name"]
    list_select_related = ["challenge", "researcher__user", "researcher__institution"]
    raw_id_fields = ["challenge", "researcher"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "created_at", "read_at", "emailed_at"]
    search_fields = ["subject", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

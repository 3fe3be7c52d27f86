"""The 55830 plan's actions and measures: reference data staff keep here."""

from django.contrib import admin

from accounts.admin import ReferenceItemAdmin

from ..models import PlanAction


@admin.register(PlanAction)
class PlanActionAdmin(ReferenceItemAdmin):
    list_display = [*ReferenceItemAdmin.list_display, "kind", "action"]
    list_filter = ["kind"]

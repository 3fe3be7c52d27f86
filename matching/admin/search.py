"""The needs' search: synonym groups that staff keep (reference data)."""

from django.contrib import admin

from config.admin_writes import HistoryAdmin, ServiceAdmin

from ..models import SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(ServiceAdmin, HistoryAdmin):
    """Reference data: saved through record_save (permission, history)."""

    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]

"""The needs' search: synonym groups that staff keep (reference data)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]

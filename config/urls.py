from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from matching import api as matching_api
from matching.reports import statistics_view

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/stats/", matching_api.stats, name="api-stats"),
]
urlpatterns += i18n_patterns(
    path("admin/statistics/", admin.site.admin_view(statistics_view), name="admin-statistics"),
    path("admin/", admin.site.urls),
    path("", include("matching.urls")),
    prefix_default_language=False,
)

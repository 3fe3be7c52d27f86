"""Agreements: staff read them, their signatures and history; parties sign online."""

from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.admin_writes import HistoryAdmin, ReadOnlyAdmin

from ..letters import agreement_pdf
from ..models import Agreement, AgreementSignature


class SignatureInline(ReadOnlyAdmin, admin.TabularInline):
    model = AgreementSignature
    extra = 0
    fields = readonly_fields = ["party", "signed_by", "signed_at"]

    def get_queryset(self, request):
        # Each row is titled with its signature, which names the agreement's parties.
        return super().get_queryset(request).select_related(
            "signed_by", "agreement__placement__company", "agreement__placement__researcher__user",
            "agreement__placement__researcher__institution")


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read-only: an agreement is written by its company and signed by its parties on
    the website or through the API."""

    list_display = ["__str__", "status", "starts_on", "ends_on", "amount", "signed_at"]
    list_filter = ["status", "placement__programme"]
    search_fields = ["placement__company__name", "placement__researcher__user__full_name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]
    inlines = [SignatureInline]
    readonly_fields = ["pdf_link"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Agreement._meta.fields] + ["pdf_link"]

    @admin.display(description=_("PDF"))
    def pdf_link(self, agreement):
        return format_html('<a href="{}">{}</a>', reverse("admin:matching_agreement_pdf",
                                                          args=[agreement.pk]), _("Download"))

    def get_urls(self):
        return [path("<int:object_id>/pdf/", self.admin_site.admin_view(self.pdf),
                     name="matching_agreement_pdf"), *super().get_urls()]

    def pdf(self, request, object_id):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        agreement = get_object_or_404(Agreement.objects.select_related(
            "placement__company", "placement__researcher__user",
            "placement__researcher__institution"), pk=object_id)
        response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="agreement-{agreement.pk}.pdf"'
        return response

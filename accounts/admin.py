from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from config.admin_actions import DecisionsMixin, decision

from . import imports, services
from .models import (
    Company,
    CompanyMembership,
    IndustryCluster,
    IndustryPlatform,
    Institution,
    LeadingIndustry,
    ResearcherProfile,
    User,
    Work,
)
from .roles import VERIFY_COMPANY, VERIFY_RESEARCHER
from .tokens import tokens_revoke


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class ExcelImportMixin:
    """An "Import from Excel" page on the changelist, calling accounts.imports."""

    change_list_template = "admin/accounts/import_changelist.html"
    import_function = None
    import_columns: list[str] = []

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [path("import/", view(self.import_view), name=f"{name}_import"),
                path("import/template/", view(self.import_template),
                     name=f"{name}_import_template"), *super().get_urls()]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = type(self).import_function(form.cleaned_data["file"], by=request.user)
            if result.ok:
                messages.success(request, _("Imported: %(c)d new, %(u)d updated.")
                                 % {"c": result.created, "u": result.updated})
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return TemplateResponse(request, "admin/accounts/import.html", {
            **self.admin_site.each_context(request), "title": _("Import from Excel"),
            "form": form, "result": result, "columns": self.import_columns,
            "opts": self.model._meta})

    def import_template(self, request):
        response = HttpResponse(imports.template(self.import_columns), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = (
            f'attachment; filename="{self.model._meta.model_name}-template.xlsx"')
        return response


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "full_name", "phone"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                       "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"],
                             "fields": ["email", "full_name", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.is_active:
            # Deactivated: the API tokens go now (sessions are refused on their next
            # request by the authentication backend, which reads is_active).
            tokens_revoke(user=obj)


@admin.register(IndustryPlatform, LeadingIndustry)
class ReferenceItemAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "sort_order"]
    search_fields = ["name", "name_en", "code"]


@admin.register(IndustryCluster)
class IndustryClusterAdmin(ReferenceItemAdmin):
    list_display = [*ReferenceItemAdmin.list_display, "is_core"]
    list_filter = ["is_core"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en"]


class MembershipInline(admin.TabularInline):
    model = CompanyMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(DecisionsMixin, ExcelImportMixin, SimpleHistoryAdmin):
    import_function = imports.import_companies
    import_columns = imports.COMPANY_COLUMNS
    list_display = ["name", "credit_code", "platform", "cluster", "leading_industry", "size",
                    "verified_at"]
    list_filter = ["platform", "cluster", "leading_industry", "size",
                   ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "credit_code", "contact_name"]
    list_select_related = ["platform", "cluster", "leading_industry"]
    readonly_fields = ["verified_at", "verified_by", "created_at"]
    autocomplete_fields = ["founding_institution"]
    inlines = [MembershipInline]
    actions = [
        decision(services.company_verify, "company", perm=VERIFY_COMPANY,
                 description=_("Verify the selected companies")),
        decision(services.company_reject, "company", perm=VERIFY_COMPANY,
                 description=_("Refuse verification (with a reason)"), needs_reason=True),
    ]


@admin.register(CompanyMembership)
class CompanyMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "company__name"]
    list_select_related = ["user", "company"]
    autocomplete_fields = ["user", "company"]


class WorkInline(admin.StackedInline):
    model = Work
    extra = 0


@admin.register(ResearcherProfile)
class ResearcherProfileAdmin(DecisionsMixin, ExcelImportMixin, SimpleHistoryAdmin):
    import_function = imports.import_researchers
    import_columns = imports.RESEARCHER_COLUMNS
    list_display = ["user", "institution", "title", "department", "capacity", "verified_at"]
    list_filter = ["title", "institution", "degree", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__full_name", "user__email", "department", "bio"]
    list_select_related = ["user", "institution"]
    readonly_fields = ["verified_at", "verified_by", "created_at", "updated_at"]
    autocomplete_fields = ["user", "institution"]
    inlines = [WorkInline]
    actions = [
        decision(services.researcher_verify, "profile", perm=VERIFY_RESEARCHER,
                 description=_("Verify the selected researchers")),
        decision(services.researcher_reject, "profile", perm=VERIFY_RESEARCHER,
                 description=_("Refuse verification (with a reason)"), needs_reason=True),
    ]


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "researcher", "kind", "year", "representative"]
    list_filter = ["kind", "representative"]
    search_fields = ["title", "abstract", "researcher__user__full_name"]
    list_select_related = ["researcher__user", "researcher__institution"]
    autocomplete_fields = ["researcher"]

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from config.admin_actions import DecisionsMixin, decision
from config.admin_queues import OldestFirstInQueue
from config.admin_writes import (
    CorrectedOnly,
    HistoryAdmin,
    ReadOnlyAdmin,
    ServiceAdmin,
    ServiceInline,
    kept,
)

from . import imports, passwords, privacy, services
from .models import (
    Company,
    CompanyMembership,
    Consent,
    IndustryCluster,
    IndustryPlatform,
    Institution,
    InstitutionOffice,
    LeadingIndustry,
    LegalText,
    ResearcherProfile,
    User,
    Work,
)
from .roles import PUBLISH_LEGAL_TEXT, VERIFY_COMPANY, VERIFY_RESEARCHER, has_perm
from .tokens import tokens_revoke


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class ExcelImportMixin:
    """An "Import from Excel" page on the changelist, calling accounts.imports."""

    change_list_template = "admin/accounts/import_changelist.html"
    import_function = None
    import_columns: list[str] = []
    import_perm = ""  # what import_function requires

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {
            **(extra_context or {}), "can_import": has_perm(request.user, self.import_perm)})

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [path("import/", view(self.import_view), name=f"{name}_import"),
                path("import/template/", view(self.import_template),
                     name=f"{name}_import_template"), *super().get_urls()]

    def import_view(self, request):
        if not has_perm(request.user, self.import_perm):
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
        if not has_perm(request.user, self.import_perm):
            raise PermissionDenied
        response = HttpResponse(imports.template(self.import_columns), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = (
            f'attachment; filename="{self.model._meta.model_name}-template.xlsx"')
        return response


admin.site.unregister(Group)
admin.site.unregister(TokenProxy)


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin, BaseGroupAdmin):
    """The roles and what they grant are declared in accounts/roles.py and written
    after every migrate; here they are shown, and people are given a role on
    their user page."""

    fields = ["name", "granted"]
    readonly_fields = fields

    @admin.display(description=_("permissions"))
    def granted(self, group):
        return format_html_join(mark_safe("<br>"), "{}", (
            (str(p),) for p in group.permissions.select_related("content_type")))


@admin.register(TokenProxy)
class TokenAdmin(BaseTokenAdmin):
    """Staff may revoke a token; only its owner signing in creates one (a token
    made in the admin would let staff act as someone else)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
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
    change_password_form = passwords.AdminPasswordChangeForm

    def get_readonly_fields(self, request, obj=None):
        # Rights beyond a role's come from a superuser only: an administrator must
        # not be able to make anyone, themselves included, a superuser.
        extra = [] if request.user.is_superuser else ["is_superuser", "user_permissions"]
        return ["last_login", "date_joined", *extra]

    def user_change_password(self, request, id, form_url=""):
        # The form saves through services.password_set as this administrator.
        token = passwords.admin_acting.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            passwords.admin_acting.reset(token)

    def save_record(self, request, obj, form):
        saved = super().save_record(request, obj, form)
        if not saved.is_active:
            # Deactivated: the API tokens go now (sessions are refused on their next
            # request by the authentication backend, which reads is_active).
            tokens_revoke(user=saved)
        return saved


@admin.register(IndustryPlatform, LeadingIndustry)
class ReferenceItemAdmin(ServiceAdmin, HistoryAdmin):
    list_display = ["name", "name_en", "code", "sort_order"]
    search_fields = ["name", "name_en", "code"]


@admin.register(IndustryCluster)
class IndustryClusterAdmin(ReferenceItemAdmin):
    list_display = [*ReferenceItemAdmin.list_display, "is_core"]
    list_filter = ["is_core"]


@admin.register(Institution)
class InstitutionAdmin(ServiceAdmin, HistoryAdmin):
    list_display = ["name", "name_en", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en"]


class NoMemberAdded:
    """Nobody becomes a member without saying yes (a member sees every proposal to
    the company's needs): members join by accepting the owner's invitation; staff
    may change a role or remove a member here, not add one."""

    def has_add_permission(self, request, obj=None):
        return False


class MembershipInline(NoMemberAdded, ServiceInline, admin.TabularInline):
    model = CompanyMembership
    form = kept("user")
    extra = 0
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


def _changed(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data}


@admin.register(Company)
class CompanyAdmin(OldestFirstInQueue, DecisionsMixin, ExcelImportMixin, CorrectedOnly,
                   ServiceAdmin, HistoryAdmin):
    """Companies register themselves (or are imported); staff verify them with the
    actions and correct their records here."""

    import_function = imports.import_companies
    import_columns = imports.COMPANY_COLUMNS
    import_perm = "accounts.add_company"
    list_display = ["name", "credit_code", "platform", "cluster", "leading_industry", "size",
                    "verified_at"]
    list_filter = ["platform", "cluster", "leading_industry", "size",
                   ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "credit_code", "contact_name"]
    list_select_related = ["platform", "cluster", "leading_industry"]
    readonly_fields = ["verified_at", "verified_by", "review_note", "created_at"]
    autocomplete_fields = ["founding_institution"]
    inlines = [MembershipInline]
    actions = [
        decision(services.company_verify, "company", perm=VERIFY_COMPANY,
                 description=_("Verify the selected companies")),
        decision(services.company_reject, "company", perm=VERIFY_COMPANY,
                 description=_("Refuse verification (with a reason)"), needs_reason=True),
    ]

    def save_record(self, request, obj, form):
        return services.company_correct(company=obj, by=request.user, **_changed(form))


@admin.register(CompanyMembership)
class CompanyMembershipAdmin(NoMemberAdded, ServiceAdmin, HistoryAdmin):
    list_display = ["user", "company", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "company__name"]
    list_select_related = ["user", "company"]
    autocomplete_fields = ["user", "company"]


class WorkWrites(ServiceInline):
    """A work staff add, correct or remove goes through the researcher's own
    services, so the researcher's scores follow as they do on the website."""

    def save_record(self, request, obj, form):
        if obj.pk is None:
            fields = {n: form.cleaned_data[n] for n in services.WORK_FIELDS
                      if n in form.cleaned_data}
            return services.work_add(profile=obj.researcher, by=request.user, **fields)
        return services.work_update(work=obj, by=request.user, **_changed(form))

    def delete_record(self, request, obj):
        services.work_remove(work=obj, by=request.user)


class WorkInline(WorkWrites, admin.StackedInline):
    model = Work
    extra = 0


@admin.register(ResearcherProfile)
class ResearcherProfileAdmin(OldestFirstInQueue, DecisionsMixin, ExcelImportMixin,
                             CorrectedOnly, ServiceAdmin, HistoryAdmin):
    """Researchers sign up (or are imported); staff verify them with the actions
    and correct their profiles and works here, which rescores them."""

    import_function = imports.import_researchers
    import_columns = imports.RESEARCHER_COLUMNS
    import_perm = "accounts.add_researcherprofile"
    list_display = ["user", "institution", "title", "department", "capacity", "verified_at"]
    list_filter = ["title", "institution", "degree", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__full_name", "user__email", "department", "bio"]
    list_select_related = ["user", "institution"]
    readonly_fields = ["user", "verified_at", "verified_by", "review_note", "created_at",
                       "updated_at"]
    autocomplete_fields = ["institution"]
    inlines = [WorkInline]
    actions = [
        decision(services.researcher_verify, "profile", perm=VERIFY_RESEARCHER,
                 description=_("Verify the selected researchers")),
        decision(services.researcher_reject, "profile", perm=VERIFY_RESEARCHER,
                 description=_("Refuse verification (with a reason)"), needs_reason=True),
    ]

    def save_record(self, request, obj, form):
        return services.researcher_update(profile=obj, by=request.user, **_changed(form))


@admin.register(Work)
class WorkAdmin(WorkWrites, ServiceAdmin, HistoryAdmin):
    list_display = ["title", "researcher", "kind", "year", "representative"]
    list_filter = ["kind", "representative"]
    search_fields = ["title", "abstract", "researcher__user__full_name"]
    list_select_related = ["researcher__user", "researcher__institution"]
    autocomplete_fields = ["researcher"]

    def get_readonly_fields(self, request, obj=None):
        # A work stays with its researcher.
        return ["researcher"] if obj else []


@admin.register(InstitutionOffice)
class InstitutionOfficeAdmin(ServiceAdmin, HistoryAdmin):
    """Who acts for a university's office; appointed and removed through the services."""

    list_display = ["user", "institution", "created_at"]
    list_filter = ["institution"]
    search_fields = ["user__email", "user__full_name", "institution__name"]
    list_select_related = ["user", "institution"]
    autocomplete_fields = ["user", "institution"]

    def has_change_permission(self, request, obj=None):
        # An appointment is made or removed, never edited into another one.
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_record(self, request, obj, form):
        return services.institution_office_add(institution=obj.institution, user=obj.user,
                                               by=request.user)

    def delete_record(self, request, obj):
        services.institution_office_remove(office=obj, by=request.user)


# --- PIPL: the legal texts and the consents given to them ----------------------------------

@admin.register(LegalText)
class LegalTextAdmin(DecisionsMixin, ServiceAdmin, HistoryAdmin):
    """Staff write a new version as a draft and publish it with the action; a
    published version is never edited (people agreed to it as it was)."""

    list_display = ["__str__", "kind", "version", "created_at", "published_at"]
    list_filter = ["kind", ("published_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["created_at", "published_at", "published_by"]
    actions = [
        decision(privacy.legal_text_publish, "text", perm=PUBLISH_LEGAL_TEXT,
                 description=_("Publish the selected versions (everyone is asked again)")),
    ]

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_delete_permission(request, obj)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Consents are given and withdrawn by the person only; staff read the record."""

    list_display = ["user", "kind", "text", "given_at", "ip_address", "withdrawn_at"]
    list_filter = ["kind", ("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "text"]

"""The 55830 plan: its actions and measures are reference data staff keep here;
placements and outcomes are linked to them by an action on their lists."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin import ReferenceItemAdmin
from accounts.errors import DomainError
from accounts.roles import TAG_PLAN_ACTION, has_perm

from ..models import PlanAction


@admin.register(PlanAction)
class PlanActionAdmin(ReferenceItemAdmin):
    list_display = [*ReferenceItemAdmin.list_display, "kind", "action"]
    list_filter = ["kind"]


class PlanActionsForm(forms.Form):
    actions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("plan actions"), queryset=PlanAction.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The selected rows are linked to exactly these actions."))


def tag_with_plan(service, field: str):
    """An admin action that asks which plan actions, then calls
    `service(<field>=obj, actions=…, by=user)` for each selected object."""

    @admin.action(description=gettext_lazy("Link to 55830 plan actions"))
    def action(modeladmin, request, queryset):
        if not has_perm(request.user, TAG_PLAN_ACTION):
            raise PermissionDenied
        form = PlanActionsForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(request, "admin/matching/decision_reason.html", {
                **modeladmin.admin_site.each_context(request),
                "title": _("Link to 55830 plan actions"), "objects": queryset, "form": form,
                "action": request.POST["action"], "opts": modeladmin.model._meta,
                "back": request.get_full_path()})
        done = 0
        for obj in queryset:
            try:
                service(**{field: obj}, actions=form.cleaned_data["actions"], by=request.user)
                done += 1
            except DomainError as exc:
                modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}",
                                        messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(n)d done.") % {"n": done}, messages.SUCCESS)
        return None

    action.__name__ = f"{service.__name__}_action"
    action.required_perm = TAG_PLAN_ACTION
    return action

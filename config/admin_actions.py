"""Decisions for district staff: on many objects at once from a queue (an admin
action), or on one from its page (a button).

Each decision calls the same service as the website and the API, object by
object; a refused transition is reported by name and changes nothing, the
others go through. Rejecting asks for a reason first (an intermediate page),
which the company or researcher is shown.
"""

import inspect

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import DomainError
from accounts.roles import has_perm


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (shown to the company or researcher)"),
                             widget=forms.Textarea(attrs={"rows": 3}), required=False)


class DecisionsMixin:
    """A ModelAdmin whose actions each name the permission they need (see
    `decision`): the action list shows a person only what they may do, and each
    object's page has a button per decision, which runs the same action on it."""

    change_form_template = "admin/decisions_change_form.html"

    def get_actions(self, request):
        return {name: entry for name, entry in super().get_actions(request).items()
                if has_perm(request.user, getattr(entry[0], "required_perm", None) or "")
                or not hasattr(entry[0], "required_perm")}

    def _decide_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_decide"

    def get_urls(self):
        return [path("<path:object_id>/decide/<str:name>/",
                     self.admin_site.admin_view(self.decide_view), name=self._decide_url_name()),
                *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        decisions = [{"name": name, "label": label,
                      "url": reverse(f"admin:{self._decide_url_name()}", args=[object_id, name])}
                     for name, (func, name, label) in self.get_actions(request).items()
                     if hasattr(func, "required_perm")]
        return super().change_view(request, object_id, form_url,
                                   {**(extra_context or {}), "decisions": decisions})

    def decide_view(self, request, object_id, name):
        """A decision button on an object's page: the queue's action, on that object."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        page = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                       args=[obj.pk])
        if request.method != "POST":
            return redirect(page)
        entry = self.get_actions(request).get(name)
        if entry is None or not hasattr(entry[0], "required_perm"):
            raise PermissionDenied
        response = entry[0](self, request, self.get_queryset(request).filter(pk=obj.pk))
        return response or redirect(page)


def decision(service, field: str, *, perm: str, description, needs_reason=False):
    """An admin action that calls `service(<field>=obj, by=user[, note=…])` for each
    selected object; offered to those holding `perm` (the service checks it too)."""
    takes_note = "note" in inspect.signature(service).parameters

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        if not has_perm(request.user, perm):
            raise PermissionDenied
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if needs_reason and not (form.is_valid() and form.cleaned_data["reason"].strip()):
            if "apply" in request.POST:
                form.add_error("reason", _("Give a reason: the company or researcher is shown it."))
            return TemplateResponse(request, "admin/matching/decision_reason.html", {
                **modeladmin.admin_site.each_context(request), "title": description,
                "objects": queryset, "form": form, "action": request.POST["action"],
                "opts": modeladmin.model._meta, "back": request.get_full_path()})
        reason = form.cleaned_data["reason"].strip() if form.is_bound and form.is_valid() else ""
        done, refused = 0, []
        for obj in queryset:
            try:
                service(**{field: obj}, by=request.user, **({"note": reason} if takes_note else {}))
                done += 1
            except DomainError as exc:
                refused.append(f"{obj}: {' '.join(exc.messages)}")
        if done:
            modeladmin.message_user(request, _("%(n)d done.") % {"n": done}, messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, _("Refused — %(why)s") % {"why": line},
                                    messages.ERROR)
        return None

    action.__name__ = f"{service.__name__}_action"
    action.required_perm = perm
    return action


def act(request, action, **kwargs):
    """Call a service from an admin view; show its refusal as a message."""
    try:
        result = action(by=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    return result

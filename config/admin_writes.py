"""The admin writes through services, like every other door.

A ModelAdmin either writes nothing (`ReadOnlyAdmin`: its records change only by
decisions, which are actions and buttons calling services) or is a
`ServiceAdmin`, whose save, delete and inline hooks call `save_record` and
`delete_record`, which call a service: by default accounts.services.record_save
and record_delete (permission, validation, no decision field, history naming
the user), or the subject's own service where it has one. A service's refusal
rolls the whole form back and is shown as a message.

History is shown (`HistoryAdmin`), never reverted: django-simple-history's
revert form would save an old version whole, its status and decisions included.

tests/test_admin_doors.py walks the admin site and fails when an admin that can
add, change or delete is neither, when a form offers a decision field, or when
a history can be reverted.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.utils.html import conditional_escape
from simple_history.admin import SimpleHistoryAdmin

from accounts import services


class HistoryAdmin(SimpleHistoryAdmin):
    """An object's history, to read: who changed what, and when."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves the posted version for anyone who may *view* the
        # history; here nobody may.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin:
    """Nobody adds, changes or deletes these records in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CorrectedOnly:
    """Records that come in by their own door (a sign-up, an import): staff
    correct them here, never add or remove them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceInline:
    """An inline whose rows are saved and deleted by a service."""

    def save_record(self, request, obj, form) -> models.Model:
        return services.record_save(record=obj, by=request.user, changed=form.changed_data)

    def delete_record(self, request, obj) -> None:
        services.record_delete(record=obj, by=request.user)


class ServiceAdmin(ServiceInline):
    """A ModelAdmin whose every write calls a service (see the module's doc)."""

    def save_model(self, request, obj, form, change):
        saved = self.save_record(request, obj, form)
        if saved is not obj:  # the service built its own instance: the admin shows it
            obj.pk, obj._state = saved.pk, saved._state

    def delete_model(self, request, obj):
        self.delete_record(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_record(request, obj)

    def save_formset(self, request, form, formset, change):
        inline = next(i for i in self.get_inline_instances(request, form.instance)
                      if i.model is formset.model)
        if not isinstance(inline, ServiceInline):
            raise TypeError(f"{type(inline).__name__} must be a ServiceInline to be saved")
        form_of = {id(f.instance): f for f in formset.forms}
        saved = formset.save(commit=False)  # nothing is written yet
        for obj in formset.deleted_objects:
            inline.delete_record(request, obj)
        for obj in saved:
            inline.save_record(request, obj, form_of[id(obj)])
        formset.save_m2m()

    # A service refused: the view's transaction rolled back; say why.
    def changeform_view(self, request, *args, **kwargs):
        return _refusals_shown(request, lambda: super(ServiceAdmin, self).changeform_view(
            request, *args, **kwargs))

    def delete_view(self, request, *args, **kwargs):
        return _refusals_shown(request, lambda: super(ServiceAdmin, self).delete_view(
            request, *args, **kwargs))

    def changelist_view(self, request, *args, **kwargs):
        return _refusals_shown(request, lambda: super(ServiceAdmin, self).changelist_view(
            request, *args, **kwargs))


def _refusals_shown(request, view):
    try:
        return view()
    except ValidationError as exc:  # accounts.errors.DomainError among them
        messages.error(request, " ".join(exc.messages))
        return redirect(request.get_full_path())


class _Label(forms.Widget):
    def __init__(self, label):
        super().__init__()
        self.label = label

    def render(self, name, value, attrs=None, renderer=None):
        return conditional_escape(self.label)


class KeptRowsForm(forms.ModelForm):
    """A saved row shows whom it is about instead of offering to choose again (a
    participant is removed and another added), from the row already read with its
    related objects: a cohort of 160 rows renders with a handful of queries."""

    kept = ()  # the foreign keys shown, not chosen, on a saved row

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.kept if self.instance.pk else ():
            self.fields[name].disabled = True
            self.fields[name].widget = _Label(str(getattr(self.instance, name)))


def kept(*names):
    """An inline's form showing these foreign keys on saved rows."""
    return type("Form", (KeptRowsForm,), {"kept": names})

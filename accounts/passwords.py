"""Django's password forms, saving through `services.password_set`.

The website's change and reset pages, the API's change and reset confirmation
and the admin's password page all validate with Django's forms and save with
the one service, which also revokes the user's API tokens.
"""

import contextvars

from django.contrib.auth import forms

from . import services

# The administrator on the admin's password page: Django's view builds the form
# with only the user whose password changes (see accounts.admin.UserAdmin).
admin_acting = contextvars.ContextVar("admin_acting", default=None)


class _ThroughService:
    def set_password_and_save(self, user, password_field_name="password1", commit=True):
        # The admin may also turn password sign-in off ("set_usable_password").
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data[password_field_name] if usable else None
        return services.password_set(user=user, password=password, by=self.acting())

    def acting(self):
        """Who sets the password; None: the person themselves (old password or
        reset link)."""
        return None


class SetPasswordForm(_ThroughService, forms.SetPasswordForm):
    """A new password, twice: the reset link's page and the API."""


class PasswordChangeForm(_ThroughService, forms.PasswordChangeForm):
    """The old password and a new one, twice: the website."""


class AdminPasswordChangeForm(_ThroughService, forms.AdminPasswordChangeForm):
    def acting(self):
        return admin_acting.get()

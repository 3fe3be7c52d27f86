"""Django's password forms, saving through `services.password_set`.

The website's change and reset pages, the API's change and reset confirmation
and the admin's password page all validate with Django's forms and save with
the one service, which also revokes the user's API tokens.
"""

import contextvars

from django.conf import settings
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


class PasswordResetForm(forms.PasswordResetForm):
    """The reset e-mail, from the website and the API: in this site's words and
    signed with its name (settings.SITE_NAME), not the host the request used."""

    def save(self, **kwargs):
        kwargs["email_template_name"] = "registration/password_reset_email.html"
        kwargs["subject_template_name"] = "registration/password_reset_subject.txt"
        kwargs["extra_email_context"] = {"site_name": settings.SITE_NAME,
                                         **(kwargs.get("extra_email_context") or {})}
        return super().save(**kwargs)

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # post_migrate is sent once per app, in INSTALLED_APPS order, each time after
    # that app's permissions are created: with the last app's, all of them exist.
    if sender is list(apps.get_app_configs())[-1]:
        from .roles import roles_sync

        roles_sync()


class AccountsConfig(AppConfig):
    default = True  # this module also holds AxesConfig, named in INSTALLED_APPS
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.roles_sync")


class AxesConfig(AxesAppConfig):
    """django-axes (sign-in lockouts), named in the admin in the user's language:
    the package has no verbose name and no Chinese catalog (its model names are
    translated in config/vendor_messages.py)."""

    default = False
    verbose_name = _("Sign-in attempts and lockouts")

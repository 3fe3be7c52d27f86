"""Messages of the libraries we use that have no Chinese translation of their own.

`makemessages` collects them from here into our catalog
(locale/zh_Hans/LC_MESSAGES/django.po), which takes precedence over the
libraries' own catalogs. Nothing imports this module: it exists to be read by
`makemessages`. tests/site/test_language.py renders the pages that show them.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # Django's admin index and side bar (new in Django 5.1; zh_Hans has no entry yet).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # django-axes' models, shown in the admin.
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    # … their fields and the admin's columns.
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Logout Time"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Form Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
]

# Django 5.2 changed this msgid (%d instead of %(min_length)d); its zh_Hans
# catalog still has only the old one.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.", "min_length")

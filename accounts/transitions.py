"""Status changes and required text, shared by the services of every app."""

from django.db import models
from django.utils.translation import gettext as _

from .errors import DomainError
from .history import acting


def transition(obj: models.Model, *, allowed: set[str], to: str, action: str, by,
               **changes):
    """Move `obj` from one of `allowed` statuses to `to`, or refuse and change nothing.

    The row is re-read under a lock so that two staff pressing "approve" at once
    cannot both act on the status they saw; the loser gets the refusal message.
    `obj` is updated in place and returned; its history row names `by` (None: the
    system, e.g. a nightly job).
    """
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.status not in allowed:
        raise DomainError(
            _("Cannot %(action)s: it is %(status)s.")
            % {"action": action, "status": locked.get_status_display()},
            code="invalid_transition")
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.status = to
    acting(obj, by).save(update_fields=["status", *changes])
    return obj


def require_text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field, code="required")
    return value

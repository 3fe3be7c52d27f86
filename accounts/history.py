"""Two rules every write shares: who made a change, and which fields only a decision sets.

Who: django-simple-history records each change of a domain object. In a request
its middleware knows the user, but services also run in tasks, imports and
shells, so a service names the acting user (`by`) on the object before saving.

Which: a *decision field* records a decision or the work of a service: the
status, who decided or verified and when, the reviewer's note, the message or
reason given with a decision, a job's results. Only services set them; no admin
form or API body may. `tests/test_admin_doors.py` reads this definition when it
walks every admin form.
"""

from django.db import models

DECISION_NAMES = frozenset({
    "status", "review_note", "decision_message", "withdraw_reason",
    # What a job wrote: its progress, results and errors.
    "step", "result", "total_affinity", "error", "attempts", "worker",
})
# Fields named like these are set by a service when something is decided or
# done: verified_by / verified_at, deployed_at, created_by, published_at, …
DECISION_SUFFIXES = ("_by", "_at")
DECISION_PREFIXES = ("deployed_", "verified_", "approved_", "reviewed_", "decided_",
                     "published_")


def is_decision_field(name: str) -> bool:
    return (name in DECISION_NAMES or name.endswith(DECISION_SUFFIXES)
            or name.startswith(DECISION_PREFIXES))


def decision_fields(model: type[models.Model]) -> set[str]:
    """The decision fields of a model."""
    return {f.name for f in model._meta.get_fields() if is_decision_field(f.name)}


def acting(obj: models.Model, by) -> models.Model:
    """Attribute the next history row of `obj` to `by` (None: the system, e.g. a
    nightly job), whether or not a request is being served."""
    obj._history_user = by
    return obj

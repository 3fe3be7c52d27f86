# The one way to change a status, and to require a reason: defined in accounts
# (the lower app), used by every service.
from accounts.transitions import require_text, transition  # noqa: F401


def after_commit(task_name: str, *args) -> None:
    """Run matching.tasks.<task_name>(*args) once the current transaction commits;
    nothing runs if it rolls back.

    The intent is written to the task outbox in this transaction, so a broker
    that is down when it commits delays the task instead of losing it
    (services/outbox.py).
    """
    from .outbox import outbox_add

    outbox_add(task_name, args)

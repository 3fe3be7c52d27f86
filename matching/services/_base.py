from django.db import transaction

# The one way to change a status, and to require a reason: defined in accounts
# (the lower app), used by every service.
from accounts.transitions import require_text, transition  # noqa: F401


def after_commit(task_name: str, *args) -> None:
    """Enqueue matching.tasks.<task_name>(*args) once the current transaction
    commits; nothing is enqueued if it rolls back."""
    from .. import tasks  # the tasks module imports the services: import late

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(*args))

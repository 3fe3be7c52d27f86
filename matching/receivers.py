"""matching's answers to what accounts signals (see accounts/signals.py)."""

from .services._base import after_commit
from .services.notifications import notify_after_commit


def researcher_changed(sender, *, profile_id: int, **kwargs) -> None:
    after_commit("researcher_rescore", profile_id)


def reviewed(sender, *, event: str, object_id: int, **kwargs) -> None:
    """Staff's review, or another event accounts tells of: notify once it commits."""
    notify_after_commit(event, object_id)

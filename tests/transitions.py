import pytest

from accounts.errors import DomainError


def check_transition(obj, act, *, allowed, target):
    """Run `act()` on `obj`, whose status is its current one.

    From an allowed status it must reach `target`; from any other it must raise
    a DomainError and leave every column of the row as it was.
    """
    rows = type(obj).objects.filter(pk=obj.pk)
    before = rows.values().get()
    if before["status"] in allowed:
        act()
        assert rows.get().status == target
    else:
        with pytest.raises(DomainError):
            act()
        assert rows.values().get() == before

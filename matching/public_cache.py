"""Answers that are the same for every anonymous visitor, kept in the shared cache.

The home page, the open-needs list and the API's list of needs are read far more
often than they change, and what an anonymous visitor gets depends only on the
address asked (path, query, language) and on published data. Each answer is
stored under the current *public version*; every committed write to what these
answers show (a need, a company, a placement, an outcome, reference data) bumps
the version once the transaction commits, so the next request, the writer's own
included, misses and renders afresh. Entries also expire after
PUBLIC_CACHE_SECONDS, which bounds what a bump lost to a cache outage can leave.

Never stored here: anything a signed-in visitor gets. A company member sees its
own drafts, a verified researcher a confidential need's full text; keeping only
anonymous answers means no tenant's data reaches a shared key, and since the
anonymous answer masks a confidential need's details, those never enter the cache.

Only a cache every web process shares is used. While the failover cache answers
from process memory (Redis unreachable, config/cache.py) one process would not
see another's bump, so answers are then rendered every time: the cache stays
fail-open and never turns an outage into stale pages.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

VERSION_KEY = "public:version"


def usable(request) -> bool:
    return (settings.PUBLIC_CACHE_SECONDS > 0 and not request.user.is_authenticated
            and getattr(cache, "shared", True))


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or the key was evicted: start from a value no earlier entry
        # can carry (a restart to 1 would revive answers stored under 1).
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump() -> None:
    """Make every stored public answer unreachable."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing stored can be read anyway
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def bump_on_commit(*args, **kwargs) -> None:
    """A signal receiver: bump once the write's transaction commits (at once outside
    one), so a reader never caches the old rows under the new version."""
    transaction.on_commit(bump)


def cached(request, name: str, render):
    """render()'s value for this address, from the cache for anonymous visitors.

    The value must not depend on the visitor (no CSRF token, no user): callers
    cache the part of a page below the header, or an API answer's data."""
    if not usable(request):
        return render()
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"public:{name}:{_version()}:{translation.get_language()}:{address}"
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
    return value

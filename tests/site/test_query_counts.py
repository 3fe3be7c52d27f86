"""Pages make a fixed number of queries whatever the number of rows they show."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.engine import ENGINE_VERSION
from matching.models import Challenge, MatchScore, Notification, Placement

from .. import factories as f


def grow(world, n):
    """n more rows of everything the pages list, for Acme and rita."""
    acme, rita = world["acme"], world["rita"]
    for _ in range(n):
        need = f.ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED)
        other = f.ResearcherFactory()
        f.ApplicationFactory(challenge=world["published"], researcher=other)
        f.ApplicationFactory(challenge=need, researcher=rita)
        MatchScore.objects.create(challenge=world["published"], researcher=other, score=0.3,
                                  components={"text": 0.3}, engine_version=ENGINE_VERSION)
        MatchScore.objects.create(challenge=need, researcher=rita, score=0.3,
                                  components={"text": 0.3}, engine_version=ENGINE_VERSION)
        f.PlacementFactory(company=acme, researcher=other, status=Placement.Status.ACTIVE,
                           starts_on=datetime.date(2024, 1, 1))
        Notification.objects.create(user=rita.user, event_key=f"grow:{other.pk}", subject="通知")


PAGES = {
    "open needs": (None, "matching:needs", None),
    "company dashboard": ("alice", "matching:company_dashboard", None),
    "a need's applicants": ("alice", "matching:need_manage", "published"),
    "researcher dashboard": ("rita", "matching:researcher_dashboard", None),
    "recommended": ("rita", "matching:recommended", None),
    "placements": ("alice", "matching:placements", None),
    "notifications": ("rita", "matching:notifications", None),
    "profile": ("rita", "accounts:profile", None),
    "company members": ("alice", "accounts:company", None),
}


def count(world, who, name, target):
    client = Client()
    if who:
        client.force_login(world["users"][who])
    url = reverse(name, args=[world[target].pk] if target else [])
    client.get(url)  # warm process-wide caches (the segmenter's words)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("case", PAGES)
def test_a_page_costs_the_same_queries_with_few_or_many_rows(case, world):
    who, name, target = PAGES[case]
    # One row to begin with (an empty list skips explaining altogether).
    MatchScore.objects.create(challenge=world["published"], researcher=world["rita"], score=0.4,
                              components={"text": 0.4}, engine_version=ENGINE_VERSION)
    few = count(world, who, name, target)
    grow(world, 12)
    many = count(world, who, name, target)
    assert few == many, (few, many)

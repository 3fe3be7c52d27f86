"""Anonymous visitors' home page, needs list and API needs list come from the shared
cache (matching/public_cache.py); nothing a signed-in visitor gets goes in it, a
confidential need's details never do, and a committed write is seen at once."""

import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from matching.models import Challenge
from tests import factories as f

PAGES = ["/", "/needs/", "/api/v1/challenges/"]
SECRET = "湿热老化工艺窗口为八十五度"


@pytest.fixture(autouse=True)
def public_cache(settings):
    # Process memory, whatever cache the environment names: the test reads what is stored.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "public-cache-test"}}
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def published(company, **fields):
    return f.ChallengeFactory(company=company, status=Challenge.Status.PUBLISHED,
                              published_at=timezone.now(), **fields)


def cached_text() -> str:
    """Everything the (process-memory) test cache holds, as text."""
    return "".join(str(pickle.loads(value)) for value in cache._cache.values())


def get(path, user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
        client.force_login(user)
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_second_anonymous_visitor_is_answered_from_the_cache(acme, path):
    published(acme, title="钙钛矿组件湿热稳定性")
    assert "钙钛矿组件湿热稳定性" in get(path)
    with CaptureQueriesContext(connection) as queries:
        assert "钙钛矿组件湿热稳定性" in get(path)
    assert len(queries) == 0


def test_a_company_member_neither_gets_the_anonymous_answer_nor_leaves_theirs(
        acme, alice, bob, charlie):
    published(acme, title="公开的封装需求")
    f.ChallengeFactory(company=acme, title="尚未提交的草稿需求")
    api = "/api/v1/challenges/"
    assert "草稿" not in get(api)  # the anonymous answer, now cached
    assert "尚未提交的草稿需求" in get(api, alice)
    assert "尚未提交的草稿需求" in get(api, bob)
    assert "草稿" not in get(api, charlie)
    assert "草稿" not in get(api)
    assert "公开的封装需求" in cached_text() and "草稿" not in cached_text()


def test_a_confidential_needs_details_never_enter_the_cache(acme, rita):
    need = published(acme, title="保密的钙钛矿需求", background=SECRET,
                     confidentiality=Challenge.Confidentiality.SUMMARY)
    for path in [*PAGES, f"/needs/{need.pk}/", f"/api/v1/challenges/{need.pk}/"]:
        assert SECRET not in get(path)
    # A verified researcher reads the details; her answers stay out of the cache.
    assert SECRET in get("/api/v1/challenges/", rita.user)
    assert SECRET in get(f"/needs/{need.pk}/", rita.user)
    assert "保密的钙钛矿需求" in cached_text()
    assert SECRET not in cached_text()


def test_a_published_need_shows_on_the_next_request(acme, vera, django_capture_on_commit_callbacks):
    published(acme, title="已经公开的需求")
    waiting = f.ChallengeFactory(company=acme, title="刚刚审核通过的需求",
                                 status=Challenge.Status.UNDER_REVIEW)
    for path in PAGES:
        assert "刚刚审核通过的需求" not in get(path)
    client = APIClient()
    client.force_authenticate(vera)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/challenges/{waiting.pk}/publish/", {},
                           format="json").status_code == 200
    for path in PAGES:
        assert "刚刚审核通过的需求" in get(path)


def test_a_renamed_company_shows_on_the_next_request(acme, sam,
                                                     django_capture_on_commit_callbacks):
    from accounts.services import company_correct

    published(acme)
    assert "钱塘新名字光伏" not in get("/needs/")
    with django_capture_on_commit_callbacks(execute=True):
        company_correct(company=acme, by=sam, name="钱塘新名字光伏有限公司")
    assert "钱塘新名字光伏有限公司" in get("/needs/")


def test_nothing_is_cached_while_the_cache_is_process_memory(acme, settings):
    """With Redis unreachable the failover cache is one process's own: another
    process would not see a write's bump, so public answers are not kept."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "config.cache.FailoverRedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/1",
                                   "OPTIONS": {"socket_connect_timeout": 0.5,
                                               "socket_timeout": 0.5}}}
    published(acme, title="钙钛矿组件湿热稳定性")
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert "钙钛矿组件湿热稳定性" in get("/api/v1/challenges/")
        assert len(queries) > 0

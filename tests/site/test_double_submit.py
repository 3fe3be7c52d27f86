"""A double click on a website form: two identical posts at the same moment end in
one row and two answers that are not server errors, on SQLite (WAL, IMMEDIATE
transactions, a busy timeout) as on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client

from accounts.models import CompanyMembership
from matching.models import Application, Challenge

from .. import factories as f
from ..hostile import send


def at_once(user, path, data, n=2):
    """POST `data` to `path` from n threads released together; their status codes."""
    barrier, codes = threading.Barrier(n), []

    def post():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            codes.append(send(client, "post", path, data).status_code)
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=post) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_application_is_one_application_and_no_server_error():
    rita = f.ResearcherFactory()
    need = f.ChallengeFactory(status=Challenge.Status.PUBLISHED)
    codes = at_once(rita.user, f"/needs/{need.pk}/apply/", {"proposal": "方案：钙钛矿封装"})
    assert Application.objects.filter(challenge=need, researcher=rita).count() == 1
    assert codes[0] == 302 and codes[1] in {302, 400}, codes


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_need_gives_no_server_error():
    alice = f.MembershipFactory(role=CompanyMembership.Role.OWNER).user
    codes = at_once(alice, "/company/needs/new/", {
        "programme": "bounty", "title": "高效钙钛矿电池封装", "reward": "10", "headcount": "1",
        "confidentiality": "public", "required_expertise": "钙钛矿"})
    assert all(code < 500 for code in codes), codes
    # Two needs are two drafts (nothing unique about a draft): the form's button
    # is disabled after the first click (site.js) so that people do not make them.
    assert Challenge.objects.filter(title="高效钙钛矿电池封装").count() == codes.count(302)

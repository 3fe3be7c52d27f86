"""The admin works for district staff, each as far as their role goes, and refuses
everyone else.

One demo district (a few hundred rows of everything) is built for the whole
module; each test runs in a transaction rolled back at its end.
"""

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from accounts.history import is_decision_field
from accounts.roles import Role
from matching.demo import DemoBuilder, score_matches
from matching.models import Cohort, CohortRun, Notification
from matching.services import cohorts
from tests.factories import StaffFactory

MODELS = list(admin.site._registry)


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        DemoBuilder(seed=7).build()
        # Every admin page has records to show: scores and a rebuild, a solver
        # proposal for the cohort in preparation, a notification.
        score_matches()
        run = CohortRun.objects.create(cohort=Cohort.objects.get(number=7))
        cohorts.cohort_solve(run_id=run.pk)
        Notification.objects.create(user=run.cohort.researchers.first().researcher.user,
                                    event_key="test:1", subject="通知")
        yield {"sam": StaffFactory(email="sam@qiantang.gov.cn", role=Role.ADMINISTRATOR),
               "vera": StaffFactory(email="vera@qiantang.gov.cn", role=Role.REVIEWER)}
        transaction.set_rollback(True)


def decisions_offered(response) -> set[str]:
    """The decision fields (accounts/history.py) a page lets one type into."""
    if response.status_code != 200:
        return set()
    adminform = response.context["adminform"]
    names = set(adminform.form.fields) - set(adminform.readonly_fields)
    for inline in response.context["inline_admin_formsets"]:
        if inline.has_add_permission or inline.has_change_permission:
            names |= set(inline.formset.form.base_fields) - set(inline.readonly_fields)
    return {name for name in names if is_decision_field(name)}


def as_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("persona", ["sam", "vera"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_page_loads_for_staff_as_far_as_their_role_goes(
        model, persona, district, db, client, django_assert_max_num_queries):
    """sam (administrator) reaches every page; vera (reviewer) reads what her role
    lets her view and is refused the rest. Adding is offered only where it is a
    staff write (see config/admin_writes.py), no page offers a decision field, and
    pages take a bounded number of queries."""
    user = district[persona]
    client.force_login(user)
    model_admin = admin.site._registry[model]
    request = as_request(user)
    opts = model._meta
    url = f"admin:{opts.app_label}_{opts.model_name}"
    may_view = model_admin.has_view_or_change_permission(request)
    # The changelist of a few hundred rows takes a bounded number of queries.
    with django_assert_max_num_queries(16):
        response = client.get(reverse(f"{url}_changelist"))
    assert response.status_code == (200 if may_view else 403)
    add = client.get(reverse(f"{url}_add"))
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)
    assert decisions_offered(add) == set()
    # The oldest and the newest record: a cohort of 160 participants among them.
    for obj in {model.objects.order_by("pk").first(), model.objects.order_by("pk").last()} - {None}:
        with django_assert_max_num_queries(20):
            change = client.get(reverse(f"{url}_change", args=[obj.pk]))
        assert change.status_code == (200 if may_view else 403)
        assert decisions_offered(change) == set()


def test_the_administrator_may_do_everything_the_admin_offers(district, db):
    """sam's role grants every permission of the domain, so no page is closed to him."""
    request = as_request(district["sam"])
    closed = [m._meta.label for m, a in admin.site._registry.items()
              if not a.has_view_or_change_permission(request)]
    assert closed == []


def test_the_admin_speaks_chinese_by_default_and_english_on_request(superuser, client):
    client.force_login(superuser)
    assert "技术需求" in client.get("/admin/").content.decode()
    assert "Challenges" in client.get("/en/admin/").content.decode()


@pytest.mark.parametrize("persona", ["alice", "rita", "anonymous"])
def test_the_admin_refuses_everyone_but_staff(persona, request, client):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    response = client.get(reverse("admin:matching_challenge_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

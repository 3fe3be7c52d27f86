"""The admin works for district staff and refuses everyone else."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from matching.demo import DemoBuilder

MODELS = [model for model in admin.site._registry]


@pytest.fixture
def district(db):
    DemoBuilder(seed=7).build()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_changelist_and_add_form_loads_for_staff(model, district, superuser,
                                                       client, django_assert_max_num_queries):
    client.force_login(superuser)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    # The changelist of a few hundred rows takes a bounded number of queries.
    with django_assert_max_num_queries(15):
        response = client.get(changelist)
    assert response.status_code == 200
    # Read-only records (rebuild runs, cached features) have no add form on purpose.
    request = RequestFactory().get("/")
    request.user = superuser
    can_add = admin.site._registry[model].has_add_permission(request)
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (200 if can_add else 403)
    first = model.objects.order_by("pk").first()
    if first is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
        assert client.get(change).status_code == 200


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

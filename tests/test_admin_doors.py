"""No side doors in the admin: every write goes through a service, no form edits a
decision, no history is reverted.

The checks walk `admin.site._registry` (and each admin's inlines) as a
superuser, who is offered everything, so a ModelAdmin added tomorrow is checked
too. "Decision field" is defined once, in accounts/history.py.
"""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.history import decision_fields, is_decision_field
from accounts.models import User
from config.admin_writes import HistoryAdmin, ServiceAdmin, ServiceInline
from matching.models import Challenge, Outcome, Placement
from tests.factories import ChallengeFactory, OutcomeFactory

# The domain's apps; the other apps' admins (tokens, sign-in attempts) hold no
# domain object, but their forms are checked for decision fields too.
DOMAIN_APPS = {"accounts", "matching"}
# What a ServiceAdmin routes to its services; overriding one would reopen a door.
HOOKS = ["save_model", "delete_model", "delete_queryset", "save_formset"]


def superuser_request():
    request = RequestFactory().get("/")
    request.user = User(email="root@qiantang.gov.cn", is_staff=True, is_superuser=True)
    request.resolver_match = type("Match", (), {"kwargs": {}})()
    return request


def _may_write(entry, request):
    inline = not hasattr(entry, "admin_site") or hasattr(entry, "parent_model")
    add = entry.has_add_permission(request, None) if inline else entry.has_add_permission(request)
    return add or entry.has_change_permission(request) or entry.has_delete_permission(request)


def side_doors(site, request) -> list[str]:
    """Admins and inlines of the domain that can write without a service."""
    doors = []
    for model, model_admin in site._registry.items():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        if _may_write(model_admin, request) and not (
                isinstance(model_admin, ServiceAdmin)
                and all(getattr(type(model_admin), h) is getattr(ServiceAdmin, h) for h in HOOKS)):
            doors.append(model._meta.label)
        for inline in model_admin.get_inline_instances(request):
            if _may_write(inline, request) and not isinstance(inline, ServiceInline):
                doors.append(f"{model._meta.label} › {inline.model._meta.label}")
    return doors


def decisions_offered(site, request) -> list[tuple[str, str]]:
    """(form, field) for every decision field an add, change or inline form offers."""
    offered = []
    for model, model_admin in site._registry.items():
        forms = []
        if model_admin.has_add_permission(request):
            forms.append((model._meta.label, model_admin.get_form(request, None)))
        if model_admin.has_change_permission(request):
            forms.append((model._meta.label, model_admin.get_form(request, model(), change=True)))
        for inline in model_admin.get_inline_instances(request):
            if _may_write(inline, request):
                forms.append((f"{model._meta.label} › {inline.model._meta.label}",
                              inline.get_formset(request, None).form))
        offered += [(label, name) for label, form in forms for name in form.base_fields
                    if is_decision_field(name)]
    return offered


def test_every_admin_that_writes_does_so_through_services():
    assert side_doors(admin.site, superuser_request()) == []


def test_no_admin_form_offers_a_decision_field():
    assert decisions_offered(admin.site, superuser_request()) == []


def test_the_walk_finds_a_new_admin_that_edits_a_status_around_its_service():
    site = AdminSite(name="tomorrow")
    site.register(Challenge)  # a plain ModelAdmin, as one would add it
    request = superuser_request()
    assert side_doors(site, request) == ["matching.Challenge"]
    assert {name for _label, name in decisions_offered(site, request)} >= {
        "status", "review_note", "reviewed_by", "reviewed_at", "published_at",
        "withdraw_reason"}


def test_the_decision_fields_are_those_services_set():
    assert decision_fields(Placement) >= {"status", "review_note", "approved_by", "approved_at"}
    assert decision_fields(Outcome) >= {"status", "verified_by", "verified_at", "review_note"}
    assert not decision_fields(Placement) & {"starts_on", "ends_on", "post", "company"}


def test_every_history_shown_in_the_admin_is_read_only():
    assert [m._meta.label for m, a in admin.site._registry.items()
            if isinstance(a, SimpleHistoryAdmin) and not isinstance(a, HistoryAdmin)] == []


@pytest.mark.parametrize("persona", ["sam", "vera"])
def test_an_old_version_cannot_be_posted_back_from_the_history(persona, request, client, acme):
    """django-simple-history saves a posted old version for anyone who may read the
    history: a reviewer could have put a rejected need back under review."""
    user = request.getfixturevalue(persona)
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW)
    version = challenge.history.get()
    challenge.status = Challenge.Status.REJECTED
    challenge.save()
    client.force_login(user)
    url = reverse("admin:matching_challenge_simple_history", args=[challenge.pk, version.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": challenge.title}).status_code == 403
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.REJECTED


def test_an_outcome_cannot_be_verified_by_editing_it(sam, client):
    outcome = OutcomeFactory()
    client.force_login(sam)
    url = reverse("admin:matching_outcome_change", args=[outcome.pk])
    response = client.post(url, {"status": "verified", "title": outcome.title})
    assert response.status_code == 403
    outcome.refresh_from_db()
    assert (outcome.status, outcome.verified_by) == (Outcome.Status.REPORTED, None)

"""Hostile input to the website and the admin: a 4xx naming the field, nothing
written, never a 5xx. Requests are counted through tests.hostile.send."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from matching.models import CohortPair, CohortRun, Outcome

from .. import factories as f
from ..hostile import refused, send

PROPERTY = hypothesis_settings(max_examples=25, deadline=None, derandomize=True,
                               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                      HealthCheck.too_slow])


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_nul_in_a_search_is_a_400_page(client, db):
    response = send(client, "get", "/needs/?q=%00")
    refused(response)
    assert "地址中含有 NUL 字符。" in response.content.decode()


def test_a_page_body_over_the_cap_is_a_413_page_before_it_is_read(client, world):
    signed_in(client, world["users"]["rita"])
    response = send(client, "post", f"/placements/{world['placement'].pk}/outcome/",
                    b"x" * 20, content_type="multipart/form-data; boundary=x",
                    CONTENT_LENGTH=str(60 * 1024 * 1024))
    refused(response, 413)
    assert Outcome.objects.count() == 1


@pytest.mark.parametrize("achieved_on", ["9999-12-31", "0001-01-01", "２０２５-０３-０１"])
def test_the_outcome_form_refuses_a_date_out_of_bounds_on_the_field(client, world, achieved_on):
    signed_in(client, world["users"]["rita"])
    response = send(client, "post", f"/placements/{world['placement'].pk}/outcome/", {
        "kind": "paper", "title": "论文", "achieved_on": achieved_on})
    assert response.status_code == 400
    assert "achieved_on" in response.context["form"].errors
    assert Outcome.objects.count() == 1


def test_the_outcome_form_stores_a_date_in_bounds(client, world):
    signed_in(client, world["users"]["rita"])
    response = send(client, "post", f"/placements/{world['placement'].pk}/outcome/", {
        "kind": "paper", "title": "论文", "achieved_on": "2025-03-01"})
    assert response.status_code == 302
    assert Outcome.objects.filter(achieved_on=datetime.date(2025, 3, 1)).exists()


def test_a_need_with_a_deadline_years_ahead_is_refused_on_the_field(client, world):
    signed_in(client, world["users"]["alice"])
    deadline = timezone.localdate().replace(year=timezone.localdate().year + 5, day=1)
    response = send(client, "post", "/company/needs/new/", {
        "programme": "bounty", "title": "远期需求", "reward": "1", "headcount": "1",
        "confidentiality": "public", "required_expertise": "封装",
        "deadline": deadline.isoformat()})
    assert response.status_code in {200, 400}
    assert "deadline" in response.context["form"].errors


def test_switching_to_a_company_that_is_not_a_number_is_a_404(client, world):
    signed_in(client, world["users"]["alice"])
    for value in ["abc", "１", str(10**30), ""]:
        assert send(client, "post", "/accounts/company/switch/", {"company": value}).status_code == 404


# --- the admin -----------------------------------------------------------------------

CHANGELISTS = [m for m in admin.site._registry]


@pytest.mark.parametrize("model", CHANGELISTS, ids=lambda m: m._meta.label)
def test_an_admin_changelist_filter_with_a_nul_is_a_400(client, sam, superuser, model):
    signed_in(client, superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for query in ["?q=%00", "?status__exact=%00", "?id__gt=%00"]:
        refused(send(client, "get", url + query))


@pytest.mark.parametrize("model", [m for m in CHANGELISTS
                                   if m._meta.label in {"matching.Challenge", "matching.Placement",
                                                        "matching.Outcome", "accounts.Company",
                                                        "accounts.User", "matching.CohortRun"}],
                         ids=lambda m: m._meta.label)
def test_any_admin_changelist_query_is_never_a_server_error(client, world, superuser, model):
    signed_in(client, superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    keys = ["q", "o", "p", "status__exact", "id__gt", "created_at__gte", "achieved_on__gte",
            "starts_on__lte", "company__id__exact", "e", "all", "_to_field"]

    @PROPERTY
    @given(query=st.dictionaries(st.sampled_from(keys), st.text(max_size=12)
                                 | st.integers().map(str), max_size=3))
    def check(query):
        response = send(client, "get", url, query)
        assert response.status_code < 500, (query, response.status_code)

    check()


def test_the_statistics_exports_refuse_what_the_page_does_not_offer(client, sam):
    signed_in(client, sam)
    for query in ["export=pdf", "export=xlsx&table=x" * 3, "export=csv&table=a%0Db",
                  "export=xlsx&table=[bad]"]:
        refused(send(client, "get", f"/admin/statistics/?{query}"))


@pytest.fixture
def run(world, sam):
    cohort = world["cohort"]
    # The world's cohort may hold rita already (the self-service preferences of issue 16).
    entry = cohort.researchers.get_or_create(researcher=world["rita"])[0]
    need = cohort.needs.get_or_create(challenge=world["published"])[0]
    return CohortRun.objects.create(cohort=cohort, created_by=sam), entry, need


@pytest.mark.parametrize("entry, need, kind", [
    ("abc", None, "forced"), (None, "abc", "forced"), (None, None, "nonsense"),
    (str(10**30), None, "forced"), ("", "", ""), (None, None, None)])
def test_the_runs_pair_action_refuses_a_tampered_pair_naming_the_field(
        client, sam, run, entry, need, kind):
    run, cohort_entry, cohort_need = run
    signed_in(client, sam)
    data = {"entry": cohort_entry.pk if entry is None else entry,
            "need": cohort_need.pk if need is None else need}
    if kind is not None:
        data["kind"] = kind
    response = send(client, "post", f"/admin/matching/cohortrun/{run.pk}/do/pair/", data)
    if kind is None:
        refused(response)
        assert "kind" in response.content.decode()
    else:
        refused(response)
    assert not CohortPair.objects.exists()


def test_the_runs_pair_action_keeps_a_valid_pair(client, sam, run):
    run, entry, need = run
    signed_in(client, sam)
    response = send(client, "post", f"/admin/matching/cohortrun/{run.pk}/do/pair/",
                    {"entry": entry.pk, "need": need.pk, "kind": "forced"})
    assert response.status_code == 302
    assert CohortPair.objects.get().kind == "forced"


def test_an_exported_name_that_looks_like_a_formula_stays_text(client, sam, world):
    import io

    from openpyxl import load_workbook

    company = world["acme"]
    company.name = '=HYPERLINK("http://evil.example","点击")'
    company.save()
    f.PlacementFactory(company=company, researcher=world["oscar"], status="active")
    signed_in(client, sam)
    book = load_workbook(io.BytesIO(send(
        client, "get", "/admin/statistics/?export=xlsx&table=placements").content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == company.name]
    assert cells and all(c.data_type == "s" for c in cells)
    text = send(client, "get", "/admin/statistics/?export=csv&table=placements").content.decode()
    assert "'=HYPERLINK(" in text and ",=HYPERLINK(" not in text


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "[" * 25 + "]" * 25])
def test_json_nested_too_deep_in_an_admin_list_field_is_refused_on_the_field(
        client, world, superuser, text):
    signed_in(client, superuser)
    before = world["work"].title
    url = f"/admin/accounts/work/{world['work'].pk}/change/"
    form = send(client, "get", url).context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and not isinstance(value, list)}
    data.update({"researcher": world["rita"].pk, "keywords": text, "title": "改过的标题"})
    response = send(client, "post", url, data)
    assert response.status_code == 200
    assert "keywords" in response.context["adminform"].form.errors
    world["work"].refresh_from_db()
    assert world["work"].title == before

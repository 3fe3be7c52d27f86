"""Hostile input to the API: every bad request is a 4xx in the one error shape,
naming the field where there is one, and changes nothing; never a 5xx.

The property tests (Hypothesis) send arbitrary dates, strings and JSON values into
the writable fields and filters of the endpoints that write the domain's rows;
each example runs in a transaction rolled back afterwards, so that examples do not
see each other's rows. Every request goes through tests.hostile.send, which counts
it; the figures are printed at the end of the run.
"""

import datetime
import json
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Work
from accounts.validators import EARLIEST_DATE
from matching.models import Application, Challenge, Cohort, Outcome, Placement

from ..hostile import refused, send

PROPERTY = hypothesis_settings(max_examples=40, deadline=None, derandomize=True,
                               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                      HealthCheck.too_slow])
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture(autouse=True)
def no_throttle():
    """The property tests send hundreds of requests a minute: a 429 would hide the
    answer under test."""
    cache.clear()
    rates = {"anon": "100000/min", "user": "100000/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                           "DEFAULT_THROTTLE_RATES": rates}):
        yield
    cache.clear()


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def years_ahead(n):
    today = timezone.localdate()
    return today.replace(year=today.year + n, day=min(today.day, 28))


def date_texts():
    """Any date from year 1 to 9999, in ASCII digits (its date) or full-width ones
    (no date: refused), or any text."""
    as_text = st.dates().map(lambda d: (d, d.isoformat()))
    full_width = st.dates().map(lambda d: (None, d.isoformat().translate(FULL_WIDTH)))
    return st.one_of(as_text, full_width, st.text(max_size=12).map(lambda t: (None, t)))


def json_values():
    scalars = (st.none() | st.booleans() | st.integers() | st.floats()
               | st.text(max_size=30) | st.sampled_from(["\x00", "9999-12-31", "0001-01-01",
                                                         "=HYPERLINK(\"x\")", "1e400", "-1"]))
    return st.recursive(scalars, lambda children: st.lists(children, max_size=3)
                        | st.dictionaries(st.text(max_size=8), children, max_size=3),
                        max_leaves=8)


def post_json(client, path, body, **extra):
    return send(client, "post", path, json.dumps(body), content_type="application/json",
                **extra)


# --- bodies -----------------------------------------------------------------------------

def test_a_body_announced_over_the_cap_is_refused_before_it_is_read(api, world):
    """60 MB announced, 20 bytes sent: reading would fail, so a 413 proves nothing read it."""
    for client, path in [(api(world["users"]["rita"]), "/api/v1/outcomes/"), (api(), "/api/v1/auth/token/")]:
        response = send(client, "post", path, b"x" * 20, content_type="application/octet-stream",
                        CONTENT_LENGTH=str(60 * 1024 * 1024))
        error = refused(response, 413)
        assert error["code"] == "too_large"
    assert Outcome.objects.count() == 1


def test_a_json_body_over_the_upload_limit_is_a_413(api, world):
    body = {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    before = Challenge.objects.count()
    response = post_json(api(world["users"]["alice"]), "/api/v1/challenges/", body)
    refused(response, 413)
    assert Challenge.objects.count() == before


@pytest.mark.parametrize("depth", [21, 1000, 100_000])
def test_json_nested_too_deep_is_a_400_saying_so_even_anonymously(api, world, depth):
    body = "[" * depth + "]" * depth
    for client, path in [(api(), "/api/v1/auth/token/"),
                         (api(world["users"]["alice"]), "/api/v1/challenges/")]:
        response = send(client, "post", path, body, content_type="application/json")
        error = refused(response, 400)
        assert error["code"] == "parse_error"
        assert "nested deeper than 20 levels" in error["detail"]


def test_json_nested_within_the_limit_is_read(api, world):
    nested = {"email": "rita@hdu.edu.cn", "password": [[["x"]]]}
    error = refused(post_json(api(), "/api/v1/auth/token/", nested))
    assert error["attr"] == "password"


# --- dates ----------------------------------------------------------------------------

def test_accepting_with_a_start_on_9999_12_31_is_a_400_on_starts_on(api, world):
    application = world["application"]
    response = post_json(api(world["users"]["alice"]),
                         f"/api/v1/applications/{application.pk}/accept/",
                         {"starts_on": "9999-12-31"})
    assert refused(response)["attr"] == "starts_on"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not Placement.objects.filter(application=application).exists()


@pytest.mark.parametrize("text", ["２０２５-０３-０１", "２０２５－０３－０１", "٢٠٢٥-٠٣-٠١"])
def test_dates_in_other_digits_are_refused_as_the_website_refuses_them(api, world, text):
    response = post_json(api(world["users"]["rita"]), "/api/v1/outcomes/", {
        "placement": world["placement"].pk, "kind": "paper", "title": "钙钛矿论文",
        "achieved_on": text})
    assert refused(response)["attr"] == "achieved_on"
    accept = post_json(api(world["users"]["alice"]),
                       f"/api/v1/applications/{world['application'].pk}/accept/",
                       {"starts_on": text})
    assert refused(accept)["attr"] == "starts_on"
    assert Outcome.objects.count() == 1


def test_the_date_messages_say_what_is_wrong(api, world):
    client = api(world["users"]["rita"])
    future = post_json(client, "/api/v1/outcomes/", {
        "placement": world["placement"].pk, "kind": "paper", "title": "t",
        "achieved_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()})
    assert refused(future) == {"code": "date_in_future", "attr": "achieved_on", "detail":
                               "This date is in the future; report an outcome once it is "
                               "achieved."}
    year = post_json(client, "/api/v1/researchers/me/works/",
                     {"title": "t", "year": timezone.localdate().year + 1})
    assert refused(year)["code"] == "year_in_future"
    deadline = post_json(api(world["users"]["alice"]), "/api/v1/challenges/",
                         {"title": "t", "deadline": years_ahead(4).isoformat()})
    assert refused(deadline)["code"] == "date_too_late"


def in_bounds(d, earliest, latest):
    return d is not None and earliest <= d <= latest


@PROPERTY
@given(deadline=date_texts())
def test_any_deadline_is_stored_only_within_its_bounds(api, world, deadline):
    date, text = deadline
    with rolled_back():
        before = Challenge.objects.count()
        response = post_json(api(world["users"]["alice"]), "/api/v1/challenges/",
                             {"title": "边界测试", "deadline": text})
        ok = in_bounds(date, EARLIEST_DATE, years_ahead(3))
        assert response.status_code == (201 if ok else 400), (text, response.content)
        assert Challenge.objects.count() == before + ok


@PROPERTY
@given(achieved=date_texts())
def test_any_outcome_date_is_stored_only_if_it_has_happened(api, world, achieved):
    date, text = achieved
    with rolled_back():
        response = post_json(api(world["users"]["rita"]), "/api/v1/outcomes/", {
            "placement": world["placement"].pk, "kind": "paper", "title": "t",
            "achieved_on": text})
        ok = in_bounds(date, EARLIEST_DATE, timezone.localdate())
        assert response.status_code == (201 if ok else 400), (text, response.content)
        assert Outcome.objects.count() == 1 + ok


@PROPERTY
@given(start=date_texts(), days=st.integers(-400, 400))
def test_any_placement_period_is_stored_only_within_its_bounds(api, world, start, days):
    date, text = start
    end = date + datetime.timedelta(days=days) if date and \
        datetime.date.min + datetime.timedelta(400) < date < datetime.date.max - datetime.timedelta(400) \
        else None
    with rolled_back():
        before = Placement.objects.count()
        response = post_json(api(world["users"]["sam"]), "/api/v1/placements/", {
            "programme": "tech_vp", "company": world["acme"].pk, "researcher": world["oscar"].pk,
            "starts_on": text, "ends_on": end.isoformat() if end else "2026-01-01"})
        end = end or datetime.date(2026, 1, 1)
        latest = years_ahead(10)
        ok = in_bounds(date, EARLIEST_DATE, latest) and in_bounds(end, EARLIEST_DATE, latest) \
            and end > date
        assert response.status_code == (201 if ok else 400), (text, end, response.content)
        assert Placement.objects.count() == before + ok


@PROPERTY
@given(start=date_texts())
def test_accepting_with_any_start_gives_a_placement_only_within_bounds(api, world, start):
    date, text = start
    application = world["application"]
    with rolled_back():
        response = post_json(api(world["users"]["alice"]),
                             f"/api/v1/applications/{application.pk}/accept/",
                             {"starts_on": text})
        latest = years_ahead(10)
        ok = in_bounds(date, EARLIEST_DATE, latest) and \
            date + datetime.timedelta(days=365) <= latest
        assert response.status_code == (201 if ok else 400), (text, response.content)
        assert Placement.objects.filter(application=application).exists() == ok


@PROPERTY
@given(year=st.integers(-10**20, 10**20) | st.integers(1900, 2100))
def test_any_work_year_is_stored_only_up_to_this_year(api, world, year):
    with rolled_back():
        before = Work.objects.count()
        response = post_json(api(world["users"]["rita"]), "/api/v1/researchers/me/works/",
                             {"title": "t", "year": year})
        ok = 1950 <= year <= timezone.localdate().year
        assert response.status_code == (201 if ok else 400), (year, response.content)
        assert Work.objects.count() == before + ok


# --- any value in any field -----------------------------------------------------------

WRITES = {
    "challenge": ("alice", "/api/v1/challenges/", Challenge,
                  ["title", "deadline", "reward", "headcount", "programme", "cohort", "industry",
                   "required_expertise", "preferred_institutions", "confidentiality",
                   "company"]),
    "application": ("oscar", "/api/v1/applications/", Application,
                    ["challenge", "proposal", "budget", "team", "timeline"]),
    "outcome": ("rita", "/api/v1/outcomes/", Outcome,
                ["placement", "kind", "title", "identifier", "amount", "achieved_on",
                 "patent_status", "funding_programme"]),
    "placement": ("sam", "/api/v1/placements/", Placement,
                  ["programme", "company", "researcher", "starts_on", "ends_on", "post",
                   "cohort"]),
    "cohort": ("sam", "/api/v1/cohorts/", Cohort,
               ["number", "name", "year", "starts_on", "ends_on", "min_score", "fairness",
                "institution_quota", "preferences_open_until"]),
    "work": ("rita", "/api/v1/researchers/me/works/", Work, ["title", "year", "keywords", "kind"]),
    "token": (None, "/api/v1/auth/token/", None, ["email", "password"]),
    "signup": (None, "/api/v1/auth/signup/", None, ["email", "password", "full_name",
                                                    "language"]),
}


@pytest.mark.parametrize("name", WRITES)
def test_any_json_in_any_writable_field_is_never_a_server_error(api, world, name):
    persona, path, model, fields = WRITES[name]

    @PROPERTY
    @given(body=st.dictionaries(st.sampled_from([*fields, "status", "id"]) | st.text(max_size=5),
                                json_values(), max_size=len(fields)))
    def check(body):
        with rolled_back():
            before = model.objects.count() if model else 0
            response = post_json(api(world["users"].get(persona)), path, body)
            assert response.status_code < 500, (body, response.content)
            if response.status_code >= 400 and model:
                assert model.objects.count() == before

    check()


@pytest.mark.parametrize("path", ["/api/v1/challenges/", "/api/v1/applications/",
                                  "/api/v1/placements/", "/api/v1/outcomes/", "/api/v1/stats/",
                                  "/api/v1/researchers/", "/api/v1/notifications/"])
def test_any_query_on_any_list_is_never_a_server_error(api, world, path):
    keys = ["status", "programme", "company", "researcher", "challenge", "placement", "kind",
            "cohort", "page", "page_size", "ordering", "search", "deadline", "date_from",
            "date_to", "institution", "platform", "year"]

    @PROPERTY
    @given(query=st.dictionaries(st.sampled_from(keys), st.text(max_size=20)
                                 | st.integers().map(str)
                                 | st.dates().map(lambda d: d.isoformat().translate(FULL_WIDTH)),
                                 max_size=4))
    def check(query):
        response = send(api(world["users"]["sam"]), "get", path, query)
        assert response.status_code < 500, (query, response.content[:300])

    check()


def test_a_nul_in_a_filter_is_a_400_in_the_error_shape(api, world):
    response = send(api(world["users"]["sam"]), "get", "/api/v1/challenges/?status=%00")
    assert refused(response)["code"] == "null_characters_not_allowed"


# --- evidence ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["evil.html", "x.svg", "invoice.pdf.exe", ".pdf", "a/../b.php"])
def test_evidence_is_stored_under_the_extension_of_its_checked_content(api, world, name):
    upload = SimpleUploadedFile(name, b"%PDF-1.7\n<script>alert(1)</script>")
    response = send(api(world["users"]["rita"]), "post", "/api/v1/outcomes/", {
        "placement": world["placement"].pk, "kind": "paper", "title": "附件测试",
        "achieved_on": "2025-03-01", "evidence": upload}, format="multipart")
    assert response.status_code == 201, response.content
    stored = Outcome.objects.get(pk=response.json()["id"]).evidence.name
    assert stored.rsplit("/", 1)[-1].endswith(".pdf") and stored.count(".") == 1, stored


def test_evidence_that_is_not_a_pdf_or_image_is_refused_on_the_field(api, world):
    upload = SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = send(api(world["users"]["rita"]), "post", "/api/v1/outcomes/", {
        "placement": world["placement"].pk, "kind": "paper", "title": "附件测试",
        "achieved_on": "2025-03-01", "evidence": upload}, format="multipart")
    assert refused(response)["attr"] == "evidence"
    assert Outcome.objects.count() == 1

"""Every API route × method × persona → the status it must answer.

The routes come from the URL configuration, so a route added without an entry
here fails `test_every_route_and_method_has_an_entry`. Bodies are empty: the
point is who reaches what. Another tenant's object is a 404; a staff-only
action is a 403 for everyone else; the anonymous public gets a 401 except on
what is public.

Personas (columns): alice (Acme owner), charlie (Other Co owner), rita (a
researcher; the objects are Acme's and rita's), oscar (another researcher),
vera (a reviewer), sam (an administrator), anon.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from matching.models import Placement, Programme

from .conftest import PERSONAS

# route name → which object of `world` each URL keyword takes
TARGETS = {
    "member": {"company_pk": "acme", "pk": "bob_membership"}, "match": {"challenge_pk": "draft"},
    "cohort-run": {"cohort_pk": "cohort"}, "cohort-preference": {"cohort_pk": "cohort"},
    "cohort-mark": {"cohort_pk": "cohort"},
    "company-invitation": {"company_pk": "acme", "pk": "invitation"},
    "invitation": {"pk": "invitation"},
    "company": {"pk": "acme"}, "researcher": {"pk": "rita"}, "work": {"pk": "work"},
    "challenge": {"pk": "draft"}, "application": {"pk": "application"},
    "placement": {"pk": "placement"}, "outcome": {"pk": "outcome"}, "cohort": {"pk": "cohort"},
    "notification": {"pk": "notification"}, "platform": {"pk": "platform"},
    "agreement": {"pk": "agreement"},
    "service-log": {"pk": "service_log"}, "evaluation": {"pk": "evaluation"},
    "subsidy-claim": {"pk": "subsidy_claim"},
    "expert": {"pk": "expert"}, "panel": {"pk": "panel"}, "review": {"pk": "review"},
    "objection": {"pk": "objection"},
}

ALL_200 = "200 200 200 200 200 200 200"
SIGNED_IN = "{0} {0} {0} {0} {0} {0} 401"
# Decisions reviewers and administrators both make.
STAFF_ONLY = "403 403 403 403 {0} {0} 401"
# What only administrators do: cohorts, the solver, creating and ending placements.
ADMIN_ONLY = "403 403 403 403 403 {0} 401"

# (route name, method) → statuses for alice charlie rita oscar vera sam anon
EXPECTED = {
    ("token", "POST"): "400 400 400 400 400 400 400",
    ("token", "DELETE"): SIGNED_IN.format(204),
    ("signup", "POST"): "400 400 400 400 400 400 400",
    ("password-change", "POST"): SIGNED_IN.format(400),
    ("password-reset", "POST"): "400 400 400 400 400 400 400",
    ("password-reset-confirm", "POST"): "400 400 400 400 400 400 400",
    ("me", "GET"): SIGNED_IN.format(200),
    ("me", "PATCH"): SIGNED_IN.format(200),
    ("stats", "GET"): ALL_200,
    # Issue 15 (PIPL): the texts in force are public; consents and the copy are one's own.
    ("legal-texts", "GET"): ALL_200,
    ("consents", "GET"): SIGNED_IN.format(200),
    ("consents", "POST"): SIGNED_IN.format(400),
    ("export", "GET"): SIGNED_IN.format(200),
    ("deletion-request", "GET"): SIGNED_IN.format(200),
    ("deletion-request", "POST"): SIGNED_IN.format(400),

    ("company-list", "GET"): SIGNED_IN.format(200),
    ("company-list", "POST"): SIGNED_IN.format(400),
    ("company-detail", "GET"): "200 404 404 404 200 200 401",
    ("company-detail", "PATCH"): "200 404 404 404 403 403 401",
    ("member-list", "GET"): "200 404 404 404 200 200 401",
    ("member-detail", "DELETE"): "204 404 404 404 403 403 401",
    ("company-invitation-list", "GET"): "200 404 404 404 200 200 401",
    ("company-invitation-list", "POST"): "400 404 404 404 403 403 401",
    ("company-invitation-detail", "GET"): "200 404 404 404 200 200 401",
    ("company-invitation-revoke", "POST"): "200 404 404 404 403 403 401",
    # Acme's invitation to oscar: his to answer, nobody else's to see.
    ("invitation-list", "GET"): SIGNED_IN.format(200),
    ("invitation-detail", "GET"): "404 404 404 200 404 404 401",
    ("invitation-accept", "POST"): "404 404 404 200 404 404 401",
    ("invitation-decline", "POST"): "404 404 404 200 404 404 401",
    ("company-verify", "POST"): STAFF_ONLY.format(400),  # Acme is verified already
    ("company-reject", "POST"): STAFF_ONLY.format(400),

    ("researcher-list", "GET"): SIGNED_IN.format(200),
    ("researcher-list", "POST"): SIGNED_IN.format(400),
    ("researcher-detail", "GET"): SIGNED_IN.format(200),  # the public subset
    ("researcher-me", "GET"): "404 404 200 200 404 404 401",
    ("researcher-me", "PATCH"): "404 404 200 200 404 404 401",
    ("researcher-verify", "POST"): STAFF_ONLY.format(400),
    ("researcher-reject", "POST"): STAFF_ONLY.format(400),
    ("work-list", "GET"): SIGNED_IN.format(200),
    ("work-list", "POST"): SIGNED_IN.format(400),
    ("work-detail", "GET"): "404 404 200 404 404 404 401",
    ("work-detail", "PATCH"): "404 404 200 404 404 404 401",
    ("work-detail", "DELETE"): "404 404 204 404 404 404 401",

    ("challenge-list", "GET"): ALL_200,
    ("challenge-list", "POST"): SIGNED_IN.format(400),
    ("challenge-detail", "GET"): "200 404 404 404 200 200 404",  # a draft
    ("challenge-detail", "PATCH"): "200 404 404 404 403 403 401",
    ("challenge-submit", "POST"): "200 404 404 404 403 403 401",
    ("challenge-withdraw", "POST"): "200 404 404 404 403 403 401",
    ("challenge-publish", "POST"): STAFF_ONLY.format(400),  # not under review
    ("challenge-reject", "POST"): STAFF_ONLY.format(400),
    ("challenge-complete", "POST"): "400 404 404 404 400 400 401",  # not in progress
    ("match-list", "GET"): "200 404 404 404 200 200 401",

    ("application-list", "GET"): SIGNED_IN.format(200),
    ("application-list", "POST"): SIGNED_IN.format(400),
    ("application-detail", "GET"): "200 404 200 404 200 200 401",
    ("application-withdraw", "POST"): "403 404 200 404 403 403 401",
    ("application-shortlist", "POST"): "200 404 403 404 403 403 401",
    ("application-decline", "POST"): "200 404 403 404 403 403 401",
    ("application-accept", "POST"): "201 404 403 404 403 403 401",

    ("placement-list", "GET"): SIGNED_IN.format(200),
    ("placement-list", "POST"): ADMIN_ONLY.format(400),
    ("placement-detail", "GET"): "200 404 200 404 200 200 401",
    ("placement-letter", "GET"): "200 404 200 404 200 200 401",  # an approved tech VP
    ("placement-approve", "POST"): STAFF_ONLY.format(400),  # active already
    ("placement-reject", "POST"): STAFF_ONLY.format(400),
    ("placement-complete", "POST"): ADMIN_ONLY.format(200),
    ("placement-terminate", "POST"): ADMIN_ONLY.format(400),  # no reason given

    ("outcome-list", "GET"): SIGNED_IN.format(200),
    ("outcome-list", "POST"): SIGNED_IN.format(400),
    ("outcome-detail", "GET"): "200 404 200 404 200 200 401",
    ("outcome-evidence", "GET"): "200 404 200 404 200 200 401",
    # Issue 18: the world's outcome came in without a reporter (as an import
    # does), so either side of the placement confirms it; staff verify only
    # what was confirmed.
    ("outcome-confirm", "POST"): "200 404 200 404 403 403 401",
    ("outcome-dispute", "POST"): "400 404 400 404 400 400 401",  # no reason given
    ("outcome-verify", "POST"): STAFF_ONLY.format(400),  # not confirmed yet
    ("outcome-reject", "POST"): STAFF_ONLY.format(400),

    ("agreement-list", "GET"): SIGNED_IN.format(200),
    ("agreement-list", "POST"): SIGNED_IN.format(400),
    ("agreement-detail", "GET"): "200 404 200 404 200 200 401",
    ("agreement-detail", "PATCH"): "200 404 403 404 403 200 401",  # the company or staff write
    ("agreement-sign", "POST"): "200 404 200 404 403 403 401",     # the parties sign
    ("agreement-renew", "POST"): "400 404 403 404 403 400 401",    # not signed yet
    ("agreement-end", "POST"): "400 404 400 404 400 400 401",      # no reason given
    ("agreement-pdf", "GET"): "200 404 200 404 200 200 401",

    # Issue 16: seen by those who see the placement; written by the side whose turn it is.
    ("service-log-list", "GET"): SIGNED_IN.format(200),
    ("service-log-list", "POST"): SIGNED_IN.format(400),
    ("service-log-detail", "GET"): "200 404 200 404 200 200 401",
    ("service-log-query", "POST"): "400 404 400 404 400 400 401",  # no reason given
    ("service-log-confirm", "POST"): SIGNED_IN.format(400),        # no month given
    ("evaluation-list", "GET"): SIGNED_IN.format(200),
    ("evaluation-detail", "GET"): "200 404 200 404 200 200 401",
    ("evaluation-report", "POST"): "400 404 400 404 400 400 401",
    ("evaluation-opinion", "POST"): "400 404 400 404 400 400 401",
    ("evaluation-grade", "POST"): STAFF_ONLY.format(400),            # no grade given
    ("subsidy-claim-list", "GET"): SIGNED_IN.format(200),
    ("subsidy-claim-list", "POST"): SIGNED_IN.format(400),
    ("subsidy-claim-detail", "GET"): "200 404 200 404 200 200 401",
    ("subsidy-claim-approve", "POST"): STAFF_ONLY.format(200),
    ("subsidy-claim-reject", "POST"): STAFF_ONLY.format(400),        # no reason given
    # Issue 17: oscar is the expert on the panel reviewing rita's bid to an Acme bounty;
    # rita objected to the publicity of her placement.
    ("expert-list", "GET"): SIGNED_IN.format(200),
    ("expert-list", "POST"): SIGNED_IN.format(400),                 # no expertise given
    ("expert-detail", "GET"): "404 404 404 200 200 200 401",
    ("expert-approve", "POST"): STAFF_ONLY.format(400),             # approved already
    ("expert-suspend", "POST"): STAFF_ONLY.format(400),             # no reason given
    ("panel-list", "GET"): SIGNED_IN.format(200),
    ("panel-list", "POST"): STAFF_ONLY.format(400),
    ("panel-detail", "GET"): "200 404 404 200 200 200 401",         # the company, the expert
    ("panel-accept", "POST"): "404 404 404 400 404 404 401",         # answered already
    ("panel-decline", "POST"): "404 404 404 400 404 404 401",
    ("panel-close", "POST"): STAFF_ONLY.format(200),                # every review is in
    ("panel-ranking", "GET"): "404 404 404 404 200 200 401",        # the company: once closed
    ("review-list", "GET"): SIGNED_IN.format(200),
    ("review-list", "POST"): SIGNED_IN.format(400),
    ("review-detail", "GET"): "404 404 404 200 200 200 401",        # blind to all but staff
    ("objection-list", "GET"): SIGNED_IN.format(200),
    ("objection-list", "POST"): SIGNED_IN.format(400),
    ("objection-detail", "GET"): "404 404 200 404 200 200 401",
    ("objection-uphold", "POST"): STAFF_ONLY.format(400),           # no resolution given
    ("objection-dismiss", "POST"): STAFF_ONLY.format(400),

    ("cohort-list", "GET"): STAFF_ONLY.format(200),
    ("cohort-list", "POST"): ADMIN_ONLY.format(400),
    ("cohort-detail", "GET"): STAFF_ONLY.format(200),
    ("cohort-detail", "PATCH"): ADMIN_ONLY.format(200),
    ("cohort-run-list", "GET"): STAFF_ONLY.format(200),
    ("cohort-run-list", "POST"): ADMIN_ONLY.format(400),  # the cohort is empty
    # Issue 16: rita takes part in the cohort and ranks; Acme has a need in it and marks.
    ("cohort-preference-list", "GET"): "404 404 200 404 404 404 401",
    ("cohort-preference-list", "POST"): "404 404 400 404 404 404 401",
    ("cohort-mark-list", "GET"): "200 404 404 404 404 404 401",
    ("cohort-mark-list", "POST"): "400 404 404 404 404 404 401",

    ("recommendation-list", "GET"): "404 404 200 200 404 404 401",
    ("notification-list", "GET"): SIGNED_IN.format(200),
    ("notification-read", "POST"): "404 404 200 404 404 404 401",
    ("notification-read-all", "POST"): SIGNED_IN.format(204),

    ("platform-list", "GET"): ALL_200,
    ("platform-detail", "GET"): ALL_200,
    ("cluster-list", "GET"): ALL_200,
    ("cluster-detail", "GET"): ALL_200,
    ("industry-list", "GET"): ALL_200,
    ("industry-detail", "GET"): ALL_200,
    ("institution-list", "GET"): ALL_200,
    ("institution-detail", "GET"): ALL_200,
    ("report-list", "GET"): STAFF_ONLY.format(200),
    ("report-detail", "GET"): STAFF_ONLY.format(200),
    ("funding-programme-list", "GET"): ALL_200,
    ("funding-programme-detail", "GET"): ALL_200,
}
REFERENCE_OBJECTS = {"cluster": "IndustryCluster", "industry": "LeadingIndustry",
                     "institution": "Institution"}


def api_routes():
    """(name, methods) of every route under /api/v1/, read from the URLconf."""
    (v1,) = [p for p in get_resolver().url_patterns
             if isinstance(p, URLResolver) and p.namespace == "api"]
    for pattern in v1.url_patterns:
        assert isinstance(pattern, URLPattern)
        callback = pattern.callback
        view = getattr(callback, "cls", None) or callback.view_class
        allowed = {m.upper() for m in view.http_method_names} - {"HEAD", "OPTIONS"}
        if hasattr(callback, "actions"):
            methods = {m.upper() for m in callback.actions}
        else:
            methods = {m.upper() for m in allowed if hasattr(view, m.lower())}
        for method in sorted(methods & allowed):
            yield pattern.name, method


ROUTES = sorted(set(api_routes()))
_PATTERNS = {p.name: p.pattern.regex for p in next(
    r for r in get_resolver().url_patterns
    if isinstance(r, URLResolver) and r.namespace == "api").url_patterns}


def test_every_route_and_method_has_an_entry():
    missing = [r for r in ROUTES if r not in EXPECTED]
    stale = [r for r in EXPECTED if r not in ROUTES]
    assert not missing, f"add these to EXPECTED: {missing}"
    assert not stale, f"these routes no longer exist: {stale}"


def _url(name, world):
    """The route's URL with each keyword taken from `world` (see TARGETS)."""
    base = name.rsplit("-", 1)[0]
    refs = TARGETS.get(base, {})
    kwargs = {key: _object(refs.get(key), base, world).pk for key in _PATTERNS[name].groupindex}
    return reverse(f"api:{name}", kwargs=kwargs)


def _object(ref, base, world):
    if base == "funding-programme":  # a reference table of matching (issue 18)
        from matching.models import FundingProgramme

        return FundingProgramme.objects.first()
    if base == "report":  # the district's frozen 2025 report (issue 18)
        import datetime

        from matching.services.reports_frozen import report_freeze

        return report_freeze(period_start=datetime.date(2025, 1, 1),
                             period_end=datetime.date(2025, 12, 31), by=world["users"]["sam"])
    if base in REFERENCE_OBJECTS:
        from accounts import models

        return getattr(models, REFERENCE_OBJECTS[base]).objects.first()
    return world[ref]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name,method", ROUTES)
def test_who_reaches_what(name, method, persona, world, api):
    from accounts.models import Institution

    Institution.objects.get_or_create(name="浙江大学", defaults={"name_en": "Zhejiang University"})
    outcome = world["outcome"]
    outcome.evidence.save("contract.pdf", SimpleUploadedFile("contract.pdf", b"%PDF-1.4 test"))
    Placement.objects.filter(pk=world["placement"].pk).update(programme=Programme.TECH_VP)
    expected = dict(zip(PERSONAS, map(int, EXPECTED[(name, method)].split()), strict=True))
    client = api(world["users"][persona])
    response = getattr(client, method.lower())(_url(name, world), {}, format="json")
    assert response.status_code == expected[persona], (
        f"{method} {name} as {persona}: {response.status_code} "
        f"{getattr(response, 'data', response.content[:300])}")

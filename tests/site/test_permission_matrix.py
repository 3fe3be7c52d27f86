"""Every page of the website × every persona → the status it must answer.

The URLs come from the URL configuration (the site's namespaces and the
sign-in pages), so a page added without an entry here fails
`test_every_page_has_an_entry`. GET only: a POST-only page answers 405 to GET,
and its POST is checked in the journeys. Anonymous visitors are sent to sign
in (302); a signed-in visitor reaching for what is not theirs gets a 404.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from matching.models import Placement, Programme
from tests.api.conftest import PERSONAS

SITE_NAMESPACES = {"matching", "accounts"}
AUTH_PAGES = {"login", "logout", "password_change", "password_change_done", "password_reset",
              "password_reset_done", "password_reset_confirm", "password_reset_complete"}

PUBLIC = "200 200 200 200 200 200 200"
SIGNED_IN = "{0} {0} {0} {0} {0} {0} 302"
POST_ONLY = "405 405 405 405 405 405 405"

# page → statuses for alice (Acme owner), charlie (Other Co owner), rita (researcher whose
# objects these are), oscar (another researcher), vera (reviewer), sam (administrator), anon
EXPECTED = {
    "matching:home": PUBLIC,
    "matching:needs": PUBLIC,
    "matching:need_detail": "200 404 404 404 200 200 404",          # Acme's draft
    "matching:apply": "404 404 404 404 404 404 302",                 # a draft takes no applications
    "matching:dashboard": "302 302 302 302 302 302 302",             # to the visitor's workspace
    "matching:company_dashboard": "200 200 404 404 404 404 302",
    "matching:need_new": "200 200 404 404 404 404 302",
    "matching:need_manage": "200 404 404 404 404 404 302",
    "matching:need_edit": "200 404 404 404 404 404 302",
    "matching:need_submit": "405 405 405 405 405 405 302",
    "matching:need_withdraw": "200 404 404 404 404 404 302",
    "matching:application_decide": "405 405 405 405 405 405 302",
    "matching:researcher_dashboard": "404 404 200 200 404 404 302",
    "matching:recommended": "404 404 200 200 404 404 302",
    "matching:application_withdraw": "404 404 200 404 404 404 302",  # asks rita to confirm
    "matching:placements": SIGNED_IN.format(200),
    "matching:outcome_report": "200 404 200 404 404 404 302",        # Acme × rita's placement
    "matching:outcome_evidence": "200 404 200 404 200 200 302",     # staff, Acme and rita
    "matching:outcome_confirm": "405 405 405 405 405 405 302",      # issue 18
    "matching:outcome_dispute": "405 405 405 405 405 405 302",
    "matching:placement_letter": "200 404 200 404 200 200 302",     # an approved tech VP
    "matching:notifications": SIGNED_IN.format(200),
    "matching:agreement": "200 404 200 404 200 200 302",             # Acme × rita's placement
    "matching:agreement_sign": "405 405 405 405 405 405 302",
    "matching:agreement_end": "405 405 405 405 405 405 302",
    "matching:agreement_pdf": "200 404 200 404 200 200 302",
    "matching:service": "200 404 200 404 200 200 302",               # issue 16: the parties, staff
    "matching:service_confirm": "405 405 405 405 405 405 302",
    "matching:service_query": "405 405 405 405 405 405 302",
    "matching:service_photo": "200 404 200 404 200 200 302",
    "matching:cohort_preferences": "404 404 200 404 404 404 302",  # rita takes part
    "matching:cohort_marks": "200 404 404 404 404 404 302",        # Acme has a need in it
    "accounts:signup_company": PUBLIC,
    "accounts:signup_researcher": PUBLIC,
    "accounts:profile": "404 404 200 200 404 404 302",
    "accounts:work_add": "404 404 200 200 404 404 302",
    "accounts:work_edit": "404 404 200 404 404 404 302",             # rita's work
    "accounts:work_delete": "405 405 405 405 405 405 302",
    "accounts:company": "200 200 404 404 404 404 302",
    "accounts:company_switch": "405 405 405 405 405 405 302",
    "accounts:invitation_create": "405 405 405 405 405 405 302",
    "accounts:invitation_revoke": "405 405 405 405 405 405 302",
    "accounts:invitations": SIGNED_IN.format(200),
    "accounts:invitation_accept": "405 405 405 405 405 405 302",
    "accounts:invitation_decline": "405 405 405 405 405 405 302",
    "accounts:member_remove": "200 404 404 404 404 404 302",        # asks alice to confirm
    # Issue 15 (PIPL): the texts are public; asking again, consents and the copy are one's own.
    "accounts:legal_texts": PUBLIC,
    "accounts:consent_renew": "302 302 302 302 302 302 302",      # nothing new to accept: on
    "accounts:privacy": SIGNED_IN.format(200),
    "accounts:visibility": "405 405 405 405 405 405 302",
    "matching:my_data": SIGNED_IN.format(200),
    "accounts:deletion_request": SIGNED_IN.format(200),
    # Issue 17: oscar is an expert with a seat on a panel for an Acme bounty.
    "matching:expert_enrol": SIGNED_IN.format(200),
    "matching:expert_panels": "404 404 404 200 404 404 302",
    "matching:expert_seat": "404 404 404 200 404 404 302",         # oscar's seat
    "matching:expert_answer": "405 405 405 405 405 405 302",
    "matching:need_ranking": "200 404 404 404 200 200 302",         # Acme's need
    "matching:publicity_list": PUBLIC,
    "matching:publicity_detail": PUBLIC,
    "login": "302 302 302 302 302 302 200",                          # signed in: straight on
    "logout": POST_ONLY,
    "password_change": SIGNED_IN.format(200),
    "password_change_done": SIGNED_IN.format(200),
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,                             # says the link is invalid
    "password_reset_complete": PUBLIC,
}
# Which object of `world` each page's <pk> names.
TARGETS = {"matching:need_detail": "draft", "matching:apply": "draft",
           "matching:need_manage": "draft", "matching:need_edit": "draft",
           "matching:need_submit": "draft", "matching:need_withdraw": "draft",
           "matching:application_decide": "application",
           "matching:application_withdraw": "application",
           "matching:outcome_report": "placement", "matching:outcome_evidence": "outcome",
           "matching:outcome_confirm": "outcome", "matching:outcome_dispute": "outcome",
           "matching:placement_letter": "placement", "matching:agreement": "placement",
           "matching:agreement_sign": "placement", "matching:agreement_end": "placement",
           "matching:agreement_pdf": "placement", "matching:service": "placement",
           "matching:service_confirm": "placement", "matching:service_query": "placement",
           "matching:service_photo": "service_log",
           "matching:expert_seat": "seat", "matching:expert_answer": "seat",
           "matching:need_ranking": "draft", "matching:publicity_detail": "publicity",
           "matching:cohort_preferences": "cohort", "matching:cohort_marks": "cohort",
           "accounts:work_edit": "work",
           "accounts:work_delete": "work", "accounts:member_remove": "bob_membership",
           "accounts:invitation_revoke": "invitation", "accounts:invitation_accept": "invitation",
           "accounts:invitation_decline": "invitation"}


def site_pages():
    for pattern in get_resolver().url_patterns:
        if not isinstance(pattern, URLResolver):
            continue
        for inner in pattern.url_patterns:
            if isinstance(inner, URLResolver) and inner.namespace in SITE_NAMESPACES:
                for page in inner.url_patterns:
                    assert isinstance(page, URLPattern)
                    yield f"{inner.namespace}:{page.name}", page
            elif isinstance(inner, URLResolver) and inner.namespace is None:
                for page in inner.url_patterns:
                    if isinstance(page, URLPattern) and page.name in AUTH_PAGES:
                        yield page.name, page


PAGES = dict(site_pages())


def test_every_page_has_an_entry():
    assert set(PAGES) == set(EXPECTED), (
        f"missing: {set(PAGES) - set(EXPECTED)}; stale: {set(EXPECTED) - set(PAGES)}")


def _url(name, world):
    kwargs = {}
    for key in PAGES[name].pattern.regex.groupindex:
        kwargs[key] = {"uidb64": "MQ", "token": "set-password", "fmt": "json"}.get(key) or \
            world[TARGETS[name]].pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_who_sees_which_page(name, persona, world):
    world["outcome"].evidence.save("contract.pdf", ContentFile(b"%PDF-1.4 test"))
    world["service_log"].photo.save("site.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 8))
    Placement.objects.filter(pk=world["placement"].pk).update(programme=Programme.TECH_VP)
    client = Client()
    user = world["users"][persona]
    if user is not None:
        client.force_login(user)
    expected = dict(zip(PERSONAS, map(int, EXPECTED[name].split()), strict=True))[persona]
    response = client.get(_url(name, world))
    assert response.status_code == expected, f"{name} as {persona}: {response.status_code}"
    if expected == 302 and persona == "anon" and name not in {"matching:dashboard", "login"}:
        assert response["Location"].startswith(reverse("login"))

"""A researcher who has not agreed to be shown to companies (issue 15, PIPL
Art. 23) appears on no page, API route or export a company reaches: every GET
route of the API and every page of the website is walked as each company
persona, with the researcher scored at the top of every need."""

import pytest
from django.test import Client

from accounts import privacy
from matching import selectors
from matching.engine import ENGINE_VERSION
from matching.models import MatchScore
from tests import factories as f

from .test_isolation_matrix import ROUTES
from .test_isolation_matrix import _url as api_url

HIDDEN = "隐身研究者"


@pytest.fixture
def hidden(world):
    """Verified and the best match of every need, but never agreed to be shown."""
    profile = f.ResearcherFactory(shown_to_companies=False, user__full_name=HIDDEN,
                                  user__email="hidden@zju.edu.cn")
    for need in ("draft", "published", "others_challenge"):
        MatchScore.objects.create(challenge=world[need], researcher=profile, score=0.99,
                                  components={"text": 0.99}, engine_version=ENGINE_VERSION)
    return profile


def _site_pages(world):
    from tests.site.test_permission_matrix import EXPECTED
    from tests.site.test_permission_matrix import _url as site_url

    return [site_url(name, world) for name in EXPECTED]


def _company_sees(world, api, persona) -> list[str]:
    """Every answer a company persona gets to a GET anywhere on the API and the site."""
    user = world["users"][persona]
    client = api(user)
    # Files (a PDF letter) are read as text too: their names would show.
    seen = [client.get(api_url(name, world), {}).content.decode("utf-8", "replace")
            for name, method in ROUTES if method == "GET"]
    seen += [client.get(f"/api/v1/challenges/{world['published'].pk}/matches/").content.decode()]
    site = Client()
    site.force_login(user)
    seen += [site.get(url).content.decode("utf-8", "replace") for url in _site_pages(world)]
    from django.urls import reverse

    seen += [site.get(reverse("matching:need_manage", args=[world["published"].pk]))
             .content.decode()]
    return seen


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie"])
def test_a_researcher_not_shown_to_companies_appears_nowhere_a_company_looks(
        world, api, hidden, persona):
    assert not any(HIDDEN in body or "hidden@zju.edu.cn" in body
                   for body in _company_sees(world, api, persona))


def test_the_same_researcher_once_agreed_is_shown(world, api, hidden):
    """The walk above can fail: with consent the researcher is listed to Acme."""
    privacy.visibility_give(user=hidden.user, by=hidden.user)
    assert selectors.matches_for_challenge(challenge=world["published"])[0].researcher == hidden
    assert any(HIDDEN in body for body in _company_sees(world, api, "alice"))

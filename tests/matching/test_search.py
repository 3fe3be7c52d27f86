"""Searching the needs, as the public, a verified researcher and the API meet it:
the whole public text and expertise, segmented, with synonyms, most relevant first;
a confidential need's hidden text is never found by the public."""

import functools

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matching.models import Challenge, SearchSynonym
from matching.services import challenges as challenge_services

from .. import factories as f

P = Challenge.Status.PUBLISHED


@pytest.fixture
def needs(acme, other_company):
    # No industry: its name (芯 for the factory's default) is searched too.
    need = functools.partial(f.ChallengeFactory, industry=None)
    chip = need(company=acme, status=P, title="车规级功率器件封装可靠性",
                              background="用于新能源汽车电驱的集成电路封装，需解决热循环开裂。",
                              required_expertise=["功率半导体", "封装"])
    cathode = need(company=other_company, status=P,
                                 title="高镍三元材料循环寿命提升",
                                 background="我司生产锂离子电池正极材料，高温循环容量衰减快。",
                                 required_expertise=["正极材料", "锂离子电池"])
    expertise = need(company=acme, status=P, title="产线质量提升",
                                   background="", required_expertise=["机器视觉缺陷检测"])
    hidden = need(company=other_company, status=P, title="新型涂层开发",
                                background="保密：用于航空发动机叶片的热障涂层。",
                                required_expertise=["热障涂层"],
                                confidentiality=Challenge.Confidentiality.SUMMARY)
    return {"chip": chip, "cathode": cathode, "expertise": expertise, "hidden": hidden}


def titles(client, q):
    response = client.get(reverse("matching:needs"), {"q": q})
    assert response.status_code == 200
    return [c.title for c in response.context["page"]]


def api_titles(client, q):
    response = client.get("/api/v1/challenges/", {"search": q})
    assert response.status_code == 200
    return [c["title"] for c in response.json()["results"]]


def test_a_synonym_finds_the_need_that_says_it_otherwise(client, needs):
    # The need says 集成电路 and 半导体, never 芯片 nor chip.
    assert titles(client, "芯片") == ["车规级功率器件封装可靠性"]
    assert titles(client, "chip") == ["车规级功率器件封装可靠性"]


def test_an_english_word_finds_a_chinese_need_through_the_reference_table(client, needs):
    assert titles(client, "battery") == ["高镍三元材料循环寿命提升"]


def test_every_word_of_a_query_must_match_somewhere_in_the_public_text(client, needs):
    assert titles(client, "锂电池 正极") == ["高镍三元材料循环寿命提升"]
    assert titles(client, "锂电池 航空") == []


def test_an_expertise_term_listed_on_a_public_need_finds_it(client, needs):
    assert titles(client, "缺陷检测") == ["产线质量提升"]


def test_the_company_name_still_finds_its_needs(client, needs, acme):
    found = titles(client, acme.name)
    assert set(found) == {"车规级功率器件封装可靠性", "产线质量提升"}


def test_a_confidential_needs_hidden_text_is_never_found_by_the_public(client, needs, oscar):
    # oscar's profile is not verified: he is the public here.
    oscar.verified_at = None
    oscar.save()
    assert titles(client, "热障涂层") == []
    client.force_login(oscar.user)
    assert titles(client, "热障涂层") == []
    assert api_titles(APIClient(), "航空") == []
    # Its title is public.
    assert titles(client, "涂层") == ["新型涂层开发"]


def test_a_verified_researcher_finds_a_confidential_need_by_its_details(client, needs, rita):
    client.force_login(rita.user)
    assert titles(client, "热障涂层") == ["新型涂层开发"]
    api = APIClient()
    api.force_authenticate(rita.user)
    assert api_titles(api, "热障涂层") == ["新型涂层开发"]


def test_the_api_searches_as_the_website_does(needs):
    api = APIClient()
    for q in ("芯片", "battery", "锂电池 正极", "缺陷检测"):
        assert api_titles(api, q) == titles(APIClient(), q) and api_titles(api, q)


def test_the_most_relevant_need_comes_first(client, needs, acme):
    f.ChallengeFactory(company=acme, status=P, title="正极材料表面包覆",
                       background="正极材料包覆层均匀性不足。", required_expertise=["正极材料"])
    assert titles(client, "正极材料")[0] == "正极材料表面包覆"


def test_a_need_is_found_by_its_new_text_once_edited(alice, acme):
    need = challenge_services.challenge_create(company=acme, by=alice, title="工艺优化",
                                               background="注塑件翘曲变形。")
    drafts = Challenge.objects.filter(pk=need.pk)
    from matching.search import search

    assert not search(drafts, "钙钛矿", full=True).exists()
    challenge_services.challenge_update(challenge=need, by=alice, background="钙钛矿组件层压工艺。")
    assert search(drafts, "钙钛矿", full=True).exists()


def test_staff_add_a_synonym_group_and_search_uses_it(client, needs):
    assert titles(client, "涂装") == []
    SearchSynonym.objects.create(terms=["涂装", "涂层"])
    assert titles(client, "涂装") == ["新型涂层开发"]

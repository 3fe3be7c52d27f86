"""揭榜挂帅 selection on the website: an expert enrols, is approved, accepts a seat and
reviews; the company reads the ranking; a visitor objects to the published result."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Institution
from matching import services
from matching.models import Challenge, Expert, Objection, Placement, Rubric
from matching.services import experts, panels, publicity
from tests import factories as f


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.fixture
def bid(acme, alice, rita):
    challenge = f.ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED)
    application = f.ApplicationFactory(challenge=challenge, researcher=rita)
    services.application_shortlist(application=application, by=alice)
    return application


def test_an_expert_enrols_accepts_a_seat_and_reviews(bid, vera, alice):
    user = f.UserFactory(full_name="周专家")
    client = signed_in(user)
    zju = Institution.objects.get_or_create(name="浙江大学")[0]
    response = client.post(reverse("matching:expert_enrol"), {"institution": zju.pk})
    assert response.status_code == 400 and "keywords" in response.context["form"].errors
    response = client.post(reverse("matching:expert_enrol"),
                           {"institution": zju.pk, "keywords": "钙钛矿, 封装"})
    assert response.status_code == 302
    expert = Expert.objects.get(user=user)
    experts.expert_approve(expert=expert, by=vera)

    for n, at in enumerate(["浙江工商大学", "中国计量大学"]):
        experts.expert_import(user=f.UserFactory(), by=vera,
                              institution=Institution.objects.get_or_create(name=at)[0],
                              keywords=["钙钛矿"], title=f"教授{n}")
    panel = panels.panel_form(challenge=bid.challenge, by=vera, size=3)
    seat = panel.members.get(expert=expert)
    client.post(reverse("matching:expert_answer", args=[seat.pk]), {"answer": "accept"})
    for other in panel.members.exclude(pk=seat.pk):
        panels.panel_member_accept(member=other, by=other.expert.user)

    page = client.get(reverse("matching:expert_seat", args=[seat.pk]))
    assert bid.proposal in page.content.decode()
    criteria = Rubric.objects.get(programme="bounty").criteria.all()
    data = {"application": bid.pk, **{f"a{bid.pk}-criterion_{c.pk}": 9 for c in criteria}}
    bad = client.post(reverse("matching:expert_seat", args=[seat.pk]),
                      {**data, f"a{bid.pk}-criterion_{criteria[0].pk}": 12})
    assert bad.status_code == 400 and not seat.reviews.exists()
    assert client.post(reverse("matching:expert_seat", args=[seat.pk]), data).status_code == 302
    assert seat.reviews.get().total == 90

    for other in panel.members.exclude(pk=seat.pk):
        panels.review_submit(member=other, application=bid, by=other.expert.user,
                             scores={c.pk: 7 for c in criteria})
    ranking = reverse("matching:need_ranking", args=[bid.challenge_id])
    assert rita_name(bid) not in signed_in(alice).get(ranking).content.decode()
    panels.panel_close(panel=panel, by=vera)
    page = signed_in(alice).get(ranking).content.decode()
    assert rita_name(bid) in page and "76.67" in page  # (90 + 70 + 70) / 3


def rita_name(bid):
    return bid.researcher.user.full_name


def test_a_visitor_objects_to_a_published_result(acme, rita, vera, oscar):
    challenge = f.ChallengeFactory(company=acme, status=Challenge.Status.AWARDED)
    placement = f.PlacementFactory(company=acme, researcher=rita, challenge=challenge,
                                   status=Placement.Status.ACTIVE,
                                   starts_on=datetime.date(2027, 1, 1),
                                   ends_on=datetime.date(2027, 12, 31))
    shown = publicity.publicity_open(placement=placement, by=vera)
    assert shown.summary in Client().get(reverse("matching:publicity_list")).content.decode()
    url = reverse("matching:publicity_detail", args=[shown.pk])
    assert Client().post(url, {"reasons": "匿名"}).status_code == 302  # to sign in
    assert not Objection.objects.exists()
    response = signed_in(oscar.user).post(url, {"reasons": "该成果存在争议"})
    assert response.status_code == 302
    assert Objection.objects.get().lodged_by == oscar.user

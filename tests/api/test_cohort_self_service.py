"""博士入企 self-service: during a cohort's preference window a PhD ranks the cohort's
published needs and a company marks candidates for its own needs, through the API."""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import CompanyMembership
from matching.models import CohortMark
from matching.services import cohorts
from tests.factories import ApplicationFactory, ChallengeFactory, UserFactory
from tests.matching.test_cohort_flow import cohort  # noqa: F401  (the fixture)


def _client(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_authenticate(user)
    return client


def _owner(need):
    user = UserFactory()
    CompanyMembership.objects.create(company=need.challenge.company, user=user)
    return user


def test_a_phd_ranks_the_cohorts_needs_and_the_solver_reads_the_ranking(cohort):  # noqa: F811
    entry, needs = cohort.test_entries["pv"], cohort.test_needs
    client = _client(entry.researcher.user)
    url = f"/api/v1/cohorts/{cohort.pk}/preferences/"
    response = client.post(url, {"needs": [needs["gear"].pk, needs["pv"].pk]}, format="json")
    assert response.status_code == 200, response.content
    assert [p["need"] for p in response.json()] == [needs["gear"].pk, needs["pv"].pk]
    assert [p["need"] for p in client.get(url).json()["results"]] == [needs["gear"].pk,
                                                                       needs["pv"].pk]
    _inst, detail = cohorts.cohort_instance(cohort)
    assert detail["parts"][(entry.pk, needs["gear"].pk)]["preference"] == cohorts.RANK_BONUS[1]
    assert entry.preferences.first().history.latest().history_user == entry.researcher.user


def test_a_ranking_names_the_field_when_refused(cohort):  # noqa: F811
    entry, needs = cohort.test_entries["pv"], cohort.test_needs
    client = _client(entry.researcher.user)
    url = f"/api/v1/cohorts/{cohort.pk}/preferences/"
    outsider = ChallengeFactory(programme="phd")
    for body in ({"needs": [outsider.pk]}, {"needs": [needs["pv"].pk] * 6}):
        response = client.post(url, body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"].startswith("needs")
    cohort.preferences_open_until = datetime.date(2020, 1, 1)
    cohort.save()
    response = client.post(url, {"needs": [needs["pv"].pk]}, format="json")
    assert response.status_code == 400 and "已截止" in response.json()["errors"][0]["detail"]
    assert not entry.preferences.exists()


def test_a_company_marks_candidates_for_its_own_needs_only(cohort):  # noqa: F811
    needs, entries = cohort.test_needs, cohort.test_entries
    owner = _owner(needs["pv"])
    client = _client(owner)
    url = f"/api/v1/cohorts/{cohort.pk}/marks/"
    response = client.post(url, {"need": needs["pv"].pk, "researcher": entries["cloth"].pk,
                                 "wanted": False}, format="json")
    assert response.status_code == 200, response.content
    _inst, detail = cohorts.cohort_instance(cohort)
    assert detail["conflicts"][(entries["cloth"].pk, needs["pv"].pk)] == "not_wanted"
    assert client.get(url).json()["results"] == [{
        "id": response.json()["id"], "need": needs["pv"].pk,
        "researcher": entries["cloth"].pk, "wanted": False}]
    # Another company's need is not the owner's to mark.
    response = client.post(url, {"need": needs["gear"].pk, "researcher": entries["pv"].pk,
                                 "wanted": True}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "need"
    # Null takes the mark back.
    response = client.post(url, {"need": needs["pv"].pk, "researcher": entries["cloth"].pk,
                                 "wanted": None}, format="json")
    assert response.status_code == 204 and not CohortMark.objects.exists()


def test_a_mark_needs_a_member_of_the_company(cohort):  # noqa: F811
    needs, entries = cohort.test_needs, cohort.test_entries
    with pytest.raises(Exception, match="成员"):
        cohorts.cohort_mark_set(need=needs["pv"], entry=entries["pv"], wanted=True,
                                by=_owner(needs["gear"]))
    assert not CohortMark.objects.exists()


def test_an_application_to_a_cohort_need_counts_as_a_preference(cohort):  # noqa: F811
    entry, needs = cohort.test_entries["pv"], cohort.test_needs
    application = ApplicationFactory(challenge=needs["cloth"].challenge,
                                     researcher=entry.researcher)
    _inst, detail = cohorts.cohort_instance(cohort)
    assert detail["parts"][(entry.pk, needs["cloth"].pk)]["preference"] == cohorts.APPLIED_BONUS
    # A ranking the researcher gave wins; a withdrawn application stops counting.
    cohorts.preferences_set(entry=entry, by=entry.researcher.user, needs=[needs["cloth"]])
    _inst, detail = cohorts.cohort_instance(cohort)
    assert detail["parts"][(entry.pk, needs["cloth"].pk)]["preference"] == cohorts.RANK_BONUS[1]
    entry.preferences.get().delete()
    application.status = "withdrawn"
    application.save()
    _inst, detail = cohorts.cohort_instance(cohort)
    assert detail["parts"][(entry.pk, needs["cloth"].pk)]["preference"] == 0.0


def test_the_website_pages_rank_and_mark_through_the_same_services(cohort, client):  # noqa: F811
    from django.urls import reverse

    entry, needs, entries = cohort.test_entries["pv"], cohort.test_needs, cohort.test_entries
    client.force_login(entry.researcher.user)
    url = reverse("matching:cohort_preferences", args=[cohort.pk])
    response = client.post(url, {"rank1": needs["cloth"].pk, "rank2": needs["pv"].pk})
    assert response.status_code == 302
    assert [p.need for p in entry.preferences.all()] == [needs["cloth"], needs["pv"]]
    cohort.preferences_open_until = datetime.date(2020, 1, 1)
    cohort.save()
    response = client.post(url, {"rank1": needs["gear"].pk})
    assert response.status_code == 400 and "已截止" in response.content.decode()
    cohort.preferences_open_until = None
    cohort.save()
    client.force_login(_owner(needs["pv"]))
    url = reverse("matching:cohort_marks", args=[cohort.pk])
    response = client.post(url, {"need": needs["pv"].pk, "researcher": entries["gear"].pk,
                                 "wanted": "yes"})
    assert response.status_code == 302
    assert CohortMark.objects.get().wanted is True
    assert str(entries["gear"].researcher.user) in client.get(url).content.decode()
    response = client.post(url, {"need": needs["gear"].pk, "researcher": entries["gear"].pk,
                                 "wanted": "no"})
    assert response.status_code == 400 and CohortMark.objects.count() == 1

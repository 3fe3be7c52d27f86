"""Staff start, watch and retry full rebuilds of the match scores from the admin."""

import pytest
from django.urls import reverse

from matching import engine
from matching.models import Challenge, MatchRun, MatchScore
from tests.factories import ChallengeFactory, WorkFactory


@pytest.fixture
def scored_district(rita, oscar, acme):
    WorkFactory(researcher=rita, title="钙钛矿电池封装", abstract="湿热老化")
    WorkFactory(researcher=oscar, title="棉织物抗菌整理", abstract="壳聚糖")
    return ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED,
                            title="钙钛矿组件封装", required_expertise=["钙钛矿"])


def test_staff_start_a_rebuild_and_see_it_complete(scored_district, superuser, client,
                                                   django_capture_on_commit_callbacks):
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:matching_matchrun_start"))
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert (run.status, run.progress, run.attempts) == ("completed", 100, 1)
    assert MatchScore.objects.filter(challenge=scored_district).count() == 2
    page = client.get(reverse("admin:matching_matchrun_changelist")).content.decode()
    assert "100%" in page and "重算" in page


def test_a_failed_run_is_retried_from_the_admin(scored_district, superuser, client,
                                                django_capture_on_commit_callbacks):
    run = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION,
                                  status=MatchRun.Status.FAILED, error="worker lost")
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:matching_matchrun_changelist"),
                    {"action": "match_run_retry_action", "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert (run.status, run.error) == ("completed", "")


def test_the_need_page_shows_its_best_matches_with_reasons(scored_district, superuser, client,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(superuser)
        client.post(reverse("admin:matching_matchrun_start"))
    page = client.get(reverse("admin:matching_challenge_change",
                              args=[scored_district.pk])).content.decode()
    assert "共同专长：钙钛矿" in page

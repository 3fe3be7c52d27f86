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


def test_rebuild_now_answers_before_any_scoring_and_the_rebuild_runs_after_the_response(
        transactional_db, superuser, client, monkeypatch, rita, acme):
    """With no broker the rebuild runs in process, but only once the response has
    been sent (the request's commit queues it; the response's close runs it)."""
    from matching.services import scoring

    WorkFactory(researcher=rita, title="钙钛矿电池封装", abstract="湿热老化")
    need = ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED,
                            title="钙钛矿组件封装", required_expertise=["钙钛矿"])
    seen_by_the_view = []
    start = scoring.match_run_start

    def watched(**kwargs):
        run = start(**kwargs)  # committed here: what the commit ran is done by now
        seen_by_the_view.append((MatchRun.objects.get().status, MatchScore.objects.count()))
        return run
    monkeypatch.setattr(scoring, "match_run_start", watched)
    client.force_login(superuser)
    response = client.post(reverse("admin:matching_matchrun_start"))
    assert response.status_code == 302
    assert seen_by_the_view == [("queued", 0)]  # committed, queued, nothing scored
    assert MatchRun.objects.get().status == "completed"
    assert MatchScore.objects.filter(challenge=need).exists()


def test_staff_cancel_a_queued_rebuild(scored_district, superuser, client):
    run = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION)
    client.force_login(superuser)
    client.post(reverse("admin:matching_matchrun_changelist"),
                {"action": "match_run_cancel_action", "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert run.status == "cancelled"

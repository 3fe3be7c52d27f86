"""Redis stopped while people write: every request succeeds, and every effect
(notifications, e-mails, rescoring) arrives once Redis is back.

The deployment-like stack: gunicorn and a Celery worker with embedded beat, both
on production settings, on a Redis of the test's own (broker and cache, as in
docker-compose.yml) that the test stops and starts again.
"""

import time

from rest_framework.authtoken.models import Token

from matching.models import Challenge, MatchScore, Notification, OutboxTask
from tests.factories import ApplicationFactory, ChallengeFactory, ResearcherFactory

from .conftest import call, deployment_env, wait_for, web_process, worker_process


def test_writes_during_a_broker_outage_succeed_and_their_effects_arrive_after_it(
        own_redis, tmp_path, acme, alice, rita, sam):
    oscar = ResearcherFactory(user__email="oscar@zstu.edu.cn", keywords=["光伏", "封装"])
    open_need = ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED)
    to_publish = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW,
                                  title="光伏组件封装材料老化")
    applied = ApplicationFactory(challenge=open_need, researcher=oscar)
    token = {u.email: Token.objects.create(user=u).key for u in (alice, rita.user, sam)}
    env = deployment_env(broker=own_redis.url(0), cache=own_redis.url(1), RECOVERY_SECONDS=1)

    with worker_process(tmp_path / "worker.log", env, "--concurrency=2", "--beat",
                        f"--schedule={tmp_path / 'beat-schedule'}"), \
            web_process(tmp_path / "web.log", env) as web:
        own_redis.stop()
        writes = [
            ("POST", "/api/v1/applications/", rita.user,
             {"challenge": open_need.pk, "proposal": "二维钝化层加原子层沉积封装"}),
            ("POST", f"/api/v1/applications/{applied.pk}/decline/", alice, {"message": "名额已满"}),
            ("POST", f"/api/v1/challenges/{to_publish.pk}/publish/", sam, {}),
            ("PATCH", "/api/v1/researchers/me/", rita.user, {"keywords": ["钙钛矿", "光伏封装"]}),
        ]
        started = time.monotonic()
        answers = [call(method, web + path, token=token[user.email], data=data)
                   for method, path, user, data in writes]
        writing = time.monotonic() - started
        reads = [call("GET", web + "/api/v1/challenges/", token=token[rita.user.email])[0]
                 for _ in range(5)]
        statuses = [status for status, _body in answers] + reads
        pending = OutboxTask.objects.filter(sent_at__isnull=True).count()
        outage_ended = time.monotonic()
        own_redis.start()

        application_id = answers[0][1]["id"]
        effects = {
            "company told of the application": lambda: Notification.objects.filter(
                user=alice, event_key=f"application_received:{application_id}",
                emailed_at__isnull=False).exists(),
            "applicant told of the decision": lambda: Notification.objects.filter(
                user=oscar.user, event_key=f"application_decided:{applied.pk}",
                emailed_at__isnull=False).exists(),
            "company told of the publication": lambda: Notification.objects.filter(
                user=alice, event_key=f"challenge_reviewed:{to_publish.pk}",
                emailed_at__isnull=False).exists(),
            "published need scored": lambda: MatchScore.objects.filter(
                challenge=to_publish).exists(),
            "edited profile rescored": lambda: MatchScore.objects.filter(researcher=rita).exists(),
        }

        def every_effect_arrived():
            """every effect after Redis came back"""
            return all(arrived() for arrived in effects.values()) and not \
                OutboxTask.objects.filter(sent_at__isnull=True).exists()

        wait_for(every_effect_arrived, timeout=90, interval=0.5)
        recovery = time.monotonic() - outage_ended

    print(f"\nbroker outage: {len(statuses)} requests, "
          f"{sum(s >= 500 for s in statuses)} 5xx, {pending} tasks held in the outbox, "
          f"{sum(not arrived() for arrived in effects.values())} effects lost, "
          f"the {len(writes)} writes took {writing:.2f} s, "
          f"all effects {recovery:.1f} s after Redis returned")
    assert statuses == [201, 200, 200, 200] + [200] * 5, answers
    assert pending >= len(writes)  # every write's task waited in the outbox


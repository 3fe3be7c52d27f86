"""Faults on the deployment-like stack: what users see and what gets lost.

gunicorn (2 workers), a Celery worker and beat, all on production settings, on
PostgreSQL and a redis-server this script starts on its own port (broker and
cache, as in docker-compose.yml). Phases, in order:

  healthy        writes and reads with everything up (the baseline)
  broker down    Redis stopped during writes and reads, then started again
  redis frozen   Redis paused (SIGSTOP) during writes, reads and sign-ins, then resumed
  cache down     Redis stopped during reads and sign-ins
  db dropped     every database connection terminated (what a restart does)
  child killed   SIGKILL of the worker's pool child in the middle of a rebuild
  main killed    SIGKILL of the worker's main process in the middle of a rebuild,
                 a new worker started at once (as `restart: unless-stopped` does)

For each it prints requests tried, 5xx (or no answer) seen, latency (median /
max), effects expected and lost (notifications e-mailed, scores rewritten, rebuild completed),
and how long after the fault ended the last effect arrived.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qiantang_faults \\
        .venv/bin/python bench/faults.py [--redis-port 6391] [--stale 120 --recovery 60]

--stale/--recovery set RUN_STALE_SECONDS/RECOVERY_SECONDS (production defaults;
smaller values shorten the run). The database is created if missing and its
data replaced. Nothing here is a pass/fail test: it prints figures.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qiantang_faults")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
PASSWORD = "a-long-enough-passphrase"


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--stale", type=int, default=120, help="RUN_STALE_SECONDS")
    parser.add_argument("--recovery", type=int, default=60, help="RECOVERY_SECONDS")
    parser.add_argument("--researchers", type=int, default=1500,
                        help="district size for the rebuild the kills interrupt")
    return parser.parse_args()


def setup_district(n_researchers):
    """Personas, needs and a district big enough for a rebuild of some seconds."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token
    from synthetic import district

    from accounts.models import (
        Company,
        CompanyMembership,
        Institution,
        ResearcherProfile,
        User,
        Work,
    )
    from accounts.roles import Role
    from matching.models import Application, Challenge, MatchRun, OutboxTask
    from tests.factories import StaffFactory, credit_code

    call_command("migrate", verbosity=0)
    for model in (OutboxTask, MatchRun, Application, Challenge, Work, ResearcherProfile,
                  Company):
        model.objects.all().delete()
    User.objects.filter(email__endswith="@faults.local").delete()
    password = make_password(PASSWORD)  # the production hasher: sign-ins check it
    owner = User.objects.create(email="owner@faults.local", password=password)
    company = Company.objects.create(name="钱塘故障演练有限公司", credit_code=credit_code(7),
                                     verified_at=time_now())
    CompanyMembership.objects.create(company=company, user=owner, role="owner")
    staff = StaffFactory(email="staff@faults.local", role=Role.ADMINISTRATOR)
    researchers, needs = district(n_researchers, 60)
    institution = Institution.objects.order_by("pk").first()
    users = User.objects.bulk_create(User(email=f"r{r.id}@faults.local", password=password)
                                     for r in researchers)
    profiles = ResearcherProfile.objects.bulk_create(
        ResearcherProfile(user=u, institution=institution, title="lecturer",
                          keywords=list(r.keywords), bio=r.bio, verified_at=time_now())
        for u, r in zip(users, researchers, strict=True))
    Work.objects.bulk_create((Work(researcher=p, title=w.title[:300], abstract=w.abstract)
                              for p, r in zip(profiles, researchers, strict=True)
                              for w in r.works), batch_size=5000)
    challenges = Challenge.objects.bulk_create(
        Challenge(company=company, title=n.title[:200], background=n.description,
                  required_expertise=list(n.required_expertise),
                  status="published" if i < 40 else "under_review")
        for i, n in enumerate(needs))
    open_needs, to_review = challenges[:40], challenges[40:]
    # Applications the company will decline, from researchers who apply to nothing else.
    declinable = Application.objects.bulk_create(
        Application(challenge=open_needs[i], researcher=profiles[-1 - i], proposal="方案")
        for i in range(20))
    tokens = {u.pk: Token.objects.get_or_create(user=u)[0].key
              for u in [owner, staff, *users[:200]]}
    return {"owner": owner, "staff": staff, "profiles": profiles[:200], "open": open_needs,
            "to_review": list(to_review), "declinable": declinable, "tokens": tokens}


def time_now():
    from django.utils import timezone

    return timezone.now()


class Load:
    """Writes and reads through the API; remembers each write's expected effect."""

    def __init__(self, web, world):
        self.web, self.world = web, world
        self.applicants = iter(world["profiles"])
        self.editors = iter(world["profiles"][100:])
        self.reviewable = iter(world["to_review"])
        self.declinable = iter(world["declinable"])
        self.open = world["open"]

    def token(self, user):
        return self.world["tokens"][user.pk]

    def writes(self, rounds):
        """Each round: an application, a decline, a publication, a profile edit."""
        from matching.models import MatchScore, Notification

        owner, staff = self.world["owner"], self.world["staff"]
        for i in range(rounds):
            profile = next(self.applicants)
            need = self.open[i % len(self.open)]
            yield ("POST", "/api/v1/applications/", self.token(profile.user),
                   {"challenge": need.pk, "proposal": "二维钝化层加原子层沉积封装"},
                   lambda body: Notification.objects.filter(
                       user=owner, event_key=f"application_received:{body['id']}",
                       emailed_at__isnull=False).exists())
            application = next(self.declinable)
            yield ("POST", f"/api/v1/applications/{application.pk}/decline/", self.token(owner),
                   {"message": "名额已满"},
                   lambda body, a=application: Notification.objects.filter(
                       user=a.researcher.user, event_key=f"application_decided:{a.pk}",
                       emailed_at__isnull=False).exists())
            challenge = next(self.reviewable)
            yield ("POST", f"/api/v1/challenges/{challenge.pk}/publish/", self.token(staff), {},
                   lambda body, c=challenge: Notification.objects.filter(
                       user=owner, event_key=f"challenge_reviewed:{c.pk}",
                       emailed_at__isnull=False).exists()
                   and MatchScore.objects.filter(challenge=c).exists())
            editor = next(self.editors)
            edited_at = time_now()
            yield ("PATCH", "/api/v1/researchers/me/", self.token(editor.user),
                   {"keywords": ["钙钛矿", "光伏封装", f"演练{i}"]},
                   lambda body, r=editor, t=edited_at: MatchScore.objects.filter(
                       researcher=r, computed_at__gte=t).exists())

    def reads(self, n, *, sign_in=True):
        owner = self.world["owner"]
        if sign_in:
            yield ("POST", "/api/v1/auth/token/", "", {"email": owner.email,
                                                       "password": PASSWORD}, None)
        for _ in range(n):
            yield ("GET", "/api/v1/challenges/", self.token(owner), None, None)
            yield ("GET", "/api/v1/stats/", "", None, None)


class Phase:
    def __init__(self, name):
        self.name, self.statuses, self.seconds, self.effects = name, [], [], []
        self.lost = None
        self.recovered = None

    def run(self, web, requests):
        from tests.integration.conftest import call

        for method, path, token, data, effect in requests:
            started = time.monotonic()
            status, body = call(method, web + path, token=token, data=data)
            self.seconds.append(time.monotonic() - started)
            self.statuses.append(status)
            if effect is not None and status < 300:
                self.effects.append(lambda effect=effect, body=body: effect(body))
        return self

    def await_effects(self, since, timeout, supervisor):
        """Poll until every effect arrived or timeout; records loss and delay."""
        deadline = time.monotonic() + timeout
        while True:
            supervisor.ensure(self.name)
            missing = [e for e in self.effects if not e()]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.lost = len(missing)
        self.recovered = None if missing else time.monotonic() - since

    def row(self):
        fivexx = sum(s >= 500 or s == 0 for s in self.statuses)
        latency = (f"{statistics.median(self.seconds) * 1000:7.0f} {max(self.seconds) * 1000:7.0f}"
                   if self.seconds else f"{'':>7} {'':>7}")
        effects = (f"{len(self.effects):7d} {self.lost:5d}" if self.lost is not None
                   else f"{'':>7} {'':>5}")
        after = f"{self.recovered:8.1f} s" if self.recovered is not None else (
            "   never" if self.lost else "")
        return (f"{self.name:<14} {len(self.statuses):8d} {fivexx:4d} {latency} {effects} {after}")


class Supervisor:
    """Keeps one worker running, as a deployment's restart policy does, and counts
    the times it had to start one that had exited on its own."""

    def __init__(self, stack, logs, env, args):
        self.stack, self.logs, self.env, self.args = stack, logs, env, args
        self.started, self.crashes, self.worker = 0, [], None

    def ensure(self, phase=""):
        from tests.integration.conftest import worker_process

        if self.worker is not None and self.worker.poll() is None:
            return self.worker
        if self.worker is not None and self.worker.returncode != -signal.SIGKILL:
            self.crashes.append(f"{phase} (exit {self.worker.returncode})")
        self.started += 1
        self.worker = self.stack.enter_context(worker_process(
            self.logs / f"worker-{self.started}.log", self.env, *self.args))
        return self.worker


def rebuild_killed(world, supervisor, *, main):
    """Start a rebuild, SIGKILL the worker's child (or main process, then start a
    new worker at once) once it runs; returns (seconds from the kill to
    completion or None, attempts)."""
    from matching.models import MatchRun
    from matching.services import scoring

    worker = supervisor.ensure("before a kill")
    run = scoring.match_run_start(by=world["staff"])
    deadline = time.monotonic() + 60
    while not MatchRun.objects.filter(pk=run.pk, status="running").exclude(worker="").exists():
        if time.monotonic() > deadline:
            return None, 0
        time.sleep(0.05)
    run.refresh_from_db()
    os.kill(worker.pid if main else int(run.worker.rsplit(":", 1)[1]), signal.SIGKILL)
    killed = time.monotonic()
    if main:
        worker.wait()
        supervisor.ensure()
    deadline = killed + 600
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status == "completed":
            return time.monotonic() - killed, run.attempts
        time.sleep(0.5)
    return None, run.attempts


def main():
    args = parse()
    redis_url = f"redis://127.0.0.1:{args.redis_port}"
    os.environ.update(CELERY_BROKER_URL=f"{redis_url}/0", REDIS_URL=f"{redis_url}/1")
    from matching_speed import ensure_database

    ensure_database()
    import django

    django.setup()
    from tests.integration.conftest import OwnRedis

    redis_server = OwnRedis("redis-server")
    redis_server.port = args.redis_port
    redis_server.start()
    try:
        run_phases(args, redis_server, redis_url)
    finally:
        if redis_server.process.poll() is None:
            redis_server.stop()


def run_phases(args, redis_server, redis_url):
    from contextlib import ExitStack

    from tests.integration.conftest import deployment_env, web_process

    logs = Path(tempfile.mkdtemp(prefix="faults-"))
    print(f"district: {args.researchers} researchers; logs in {logs}", flush=True)
    world = setup_district(args.researchers)
    env = deployment_env(broker=f"{redis_url}/0", cache=f"{redis_url}/1",
                         RUN_STALE_SECONDS=args.stale, RECOVERY_SECONDS=args.recovery)
    worker_args = ("--concurrency=2",)
    phases, kills = [], []
    with ExitStack() as stack:
        # Beat in its own process, as in docker-compose.yml: a worker's embedded
        # beat would outlive a SIGKILL of the worker's main process.
        beat_log = stack.enter_context((logs / "beat.log").open("w"))
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=info",
             f"--schedule={logs / 'beat-schedule'}"],
            cwd=ROOT, env=env, stdout=beat_log, stderr=subprocess.STDOUT)
        stack.callback(beat.wait)
        stack.callback(beat.terminate)
        supervisor = Supervisor(stack, logs, env, worker_args)
        supervisor.ensure()
        web = stack.enter_context(web_process(logs / "web.log", env))
        load = Load(web, world)
        timeout = args.recovery * 3 + 60

        healthy = Phase("healthy").run(web, [*load.writes(2), *load.reads(6)])
        healthy.await_effects(time.monotonic(), timeout, supervisor)
        phases.append(healthy)

        redis_server.stop()
        outage = Phase("broker down").run(web, [*load.writes(5), *load.reads(6)])
        redis_server.start()
        outage.await_effects(time.monotonic(), timeout, supervisor)
        phases.append(outage)

        redis_server.freeze()
        frozen = Phase("redis frozen").run(web, [*load.writes(3), *load.reads(10)])
        redis_server.thaw()
        frozen.await_effects(time.monotonic(), timeout, supervisor)
        phases.append(frozen)
        redis_server.stop()
        phases.append(Phase("cache down").run(web, list(load.reads(10))))
        redis_server.start()
        time.sleep(2)
        supervisor.ensure("cache down")

        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        phases.append(Phase("db dropped").run(web, list(load.reads(10, sign_in=False))))

        time.sleep(3)  # the worker reconnects to Redis after the restarts above
        kills.append(("child killed", *rebuild_killed(world, supervisor, main=False)))
        kills.append(("main killed", *rebuild_killed(world, supervisor, main=True)))

    print(f"\n{'phase':<14} {'requests':>8} {'5xx':>4} {'median':>7} {'max ms':>7} "
          f"{'effects':>7} {'lost':>5} {'complete after'}")
    for phase in phases:
        print(phase.row())
    for name, seconds, attempts in kills:
        print(f"{name:<14} rebuild completed "
              + (f"{seconds:.1f} s after the kill, attempt {attempts}" if seconds is not None
                 else "never"))
    print(f"worker crashes (restarted as a restart policy would): "
          f"{', '.join(supervisor.crashes) or 'none'}")
    print(f"\n('complete after' counts from Redis' return; the outbox relay runs every "
          f"{args.recovery} s. main killed: beat takes the run over at its next tick when the "
          f"holder's process on this host is gone, else once its heartbeat is {args.stale} s old.)")


if __name__ == "__main__":
    main()

"""Throughput and latency of the deployment-like stack under load, beside a static file.

Starts gunicorn on production settings, a Celery worker (the writes' tasks run
while the load goes on, as in production), on PostgreSQL (the demo district,
seeded once) and Redis (cache and broker), then drives each page with wrk at 10
and 50 concurrent connections and prints requests per second, the share of the
static baseline (WhiteNoise serving the site's CSS, measured in the same run),
p50 and p99 latency, and non-2xx answers:

  static CSS          /static/matching/site.<hash>.css (the baseline)
  home                GET /                       anonymous
  needs               GET /needs/                 anonymous
  api needs           GET /api/v1/challenges/     anonymous
  recommendations     GET /api/v1/me/recommendations/   a signed-in researcher (token)
  applicants          GET /api/v1/applications/?challenge=N&ordering=-score   the owning company
  apply               POST /api/v1/applications/  a different researcher/need each time
  decide              POST /api/v1/applications/N/decline/   the applications just made
  publish             POST /api/v1/challenges/N/publish/     staff, needs under review

    .venv/bin/python bench/load.py [--seconds 6] [--clients 10 50] [--workers 4]
        [--worker-class sync] [--threads 1] [--conn-max-age 60]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/qiantang_load (created
and seeded with `seed_demo` when empty), REDIS_URL to redis://127.0.0.1:6379/12
(also the broker). Each run removes the rows the previous run's writes left.
The API throttles are raised for the run: every client comes from one address.
wrk comes from Debian's `wrk` package (installed with apt-get when missing).
Nothing here asserts: it prints figures. Other jobs on the machine skew them.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qiantang_load")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
MARK = "[load]"  # in the rows this benchmark writes, so the next run can remove them

# wrk runs this in each of its threads: request() takes the thread's next line of
# the request file (method, path, token, body), so writes never repeat one another.
LUA = r"""
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  lines, threads, i = {}, tonumber(args[2]), 0
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
end

function request()
  local k = (i * threads + id) % #lines + 1
  i = i + 1
  local method, path, token, body = lines[k]:match("^(%S+)\t(%S+)\t(%S*)\t(.*)$")
  local headers = {}
  if token ~= "" then headers["Authorization"] = "Token " .. token end
  if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "status": %d, "other": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=6, help="per page and client count")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1, help="per gunicorn worker (gthread)")
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE")
    parser.add_argument("--only", nargs="*", help="page names to run (default: all)")
    parser.add_argument("--env", nargs="*", default=[], metavar="NAME=VALUE",
                        help="extra settings for the web processes")
    return parser.parse_args()


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        print("installing wrk (apt-get install wrk)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "wrk"],
                       check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def seed():
    """The demo district, once; then drop what earlier runs wrote."""
    from django.core.management import call_command

    from matching.demo import already_seeded
    from matching.models import Application, Challenge

    call_command("migrate", verbosity=0)
    if not already_seeded():
        print("seeding the demo district (once)", flush=True)
        call_command("seed_demo", verbosity=0)
    Application.objects.filter(proposal__startswith=MARK).delete()
    Challenge.objects.filter(title__startswith=MARK).delete()


def world(n_writes: int) -> dict:
    """Tokens, the pages' ids and request lines for the writes (n_writes of each)."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import Company, ResearcherProfile, User
    from matching.demo import COMPANY_EMAIL, RESEARCHER_EMAIL, STAFF_EMAIL
    from matching.models import Application, Challenge

    def token(user):
        return Token.objects.get_or_create(user=user)[0].key

    owner = User.objects.get(email=COMPANY_EMAIL)
    busiest = (Challenge.objects.filter(company__memberships__user=owner)
               .order_by("-published_at").first())
    by_applicants = sorted(Challenge.objects.filter(company__memberships__user=owner),
                           key=lambda c: -c.applications.count())
    busiest = by_applicants[0] if by_applicants else busiest
    # Applications go to other companies' open needs, so the applicant list above
    # stays the same size while the writes run.
    today = timezone.localdate()
    targets = list(Challenge.objects.published().exclude(pk=busiest.pk)
                   .exclude(company__memberships__user=owner)
                   .exclude(deadline__lt=today).select_related("company")
                   .order_by("pk")[:30])
    researchers = list(ResearcherProfile.objects.filter(verified_at__isnull=False)
                       .exclude(user__email=RESEARCHER_EMAIL)
                       .exclude(user__memberships__isnull=False)
                       .select_related("user").order_by("pk")[:400])
    taken = set(Application.objects.filter(challenge__in=targets)
                .values_list("challenge_id", "researcher_id"))
    pairs = [(r, c) for c in targets for r in researchers if (c.pk, r.pk) not in taken]
    tokens = {r.pk: token(r.user) for r in researchers}
    apply = [("POST", "/api/v1/applications/", tokens[r.pk],
              json.dumps({"challenge": c.pk, "proposal": f"{MARK} 二维钝化层与封装方案"}))
             for r, c in pairs]
    owners = {c.company_id: token(c.company.memberships.order_by("pk").first().user)
              for c in targets}
    template = Challenge.objects.published().order_by("pk").first()
    company = Company.objects.get(pk=template.company_id)
    under_review = [Challenge(company=company, title=f"{MARK} 钙钛矿组件封装工艺 {i}",
                              background=template.background,
                              required_expertise=template.required_expertise,
                              industry=template.industry, reward=template.reward,
                              status=Challenge.Status.UNDER_REVIEW)
                    for i in range(n_writes)]
    publish = [("POST", f"/api/v1/challenges/{c.pk}/publish/",
                token(User.objects.get(email=STAFF_EMAIL)), "{}")
               for c in Challenge.objects.bulk_create(under_review)]
    return {"researcher": token(User.objects.get(email=RESEARCHER_EMAIL)),
            "owner": token(owner), "busiest": busiest.pk, "apply": apply[:n_writes],
            "owners": owners, "publish": publish}


def decide_lines(owners: dict) -> list:
    """The applications the apply phase just made, declined by their companies."""
    from matching.models import Application

    return [("POST", f"/api/v1/applications/{a.pk}/decline/", owners[a.challenge.company_id],
             json.dumps({"message": "名额已满"}))
            for a in Application.objects.filter(proposal__startswith=MARK, status="submitted")
            .select_related("challenge").order_by("pk")]


def static_path() -> str:
    from django.contrib.staticfiles.storage import staticfiles_storage

    return staticfiles_storage.url("matching/site.css")


class Wrk:
    def __init__(self, binary, base, work, seconds):
        self.binary, self.base, self.work, self.seconds = binary, base, work, seconds
        self.script = work / "requests.lua"
        self.script.write_text(LUA)

    def run(self, name, lines, clients, seconds=None):
        requests = self.work / f"{name}-{clients}.tsv"
        requests.write_text("".join("\t".join(line) + "\n" for line in lines))
        threads = 2
        out = subprocess.run(
            [self.binary, f"-t{threads}", f"-c{clients}", f"-d{seconds or self.seconds}s",
             "--timeout", "10s", "-s", str(self.script), self.base, "--", str(requests),
             str(threads)], capture_output=True, text=True, check=True).stdout
        if "RESULT " not in out:
            raise SystemExit(f"wrk gave no figures for {name}:\n{out}")
        return json.loads(out.split("RESULT ", 1)[1])


def main():
    args = parse()
    binary = ensure_wrk()
    from matching_speed import ensure_database

    ensure_database()
    import django

    django.setup()
    from tests.integration.conftest import deployment_env, worker_process

    seed()
    n_writes = 120 * args.seconds  # more than a write phase can use at 10 or 50 clients
    w = world(n_writes)
    work = Path(tempfile.mkdtemp(prefix="load-"))
    redis = os.environ["REDIS_URL"]
    env = deployment_env(broker=redis, cache=redis, THROTTLE_USER="1000000/min",
                         THROTTLE_ANON="1000000/min", CONN_MAX_AGE=args.conn_max_age,
                         **dict(e.split("=", 1) for e in args.env))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)
    reads = {
        "static CSS": [("GET", static_path(), "", "")],
        "home": [("GET", "/", "", "")],
        "needs": [("GET", "/needs/", "", "")],
        "api needs": [("GET", "/api/v1/challenges/", "", "")],
        "recommendations": [("GET", "/api/v1/me/recommendations/", w["researcher"], "")],
        "applicants": [("GET", f"/api/v1/applications/?challenge={w['busiest']}"
                               "&ordering=-score", w["owner"], "")],
    }
    print(f"gunicorn {args.workers} × {args.worker_class} (threads {args.threads}), "
          f"CONN_MAX_AGE={args.conn_max_age}, {args.seconds} s per figure, "
          f"{os.cpu_count()} CPUs; logs in {work}", flush=True)
    rows = []
    with ExitStack() as stack:
        stack.enter_context(worker_process(work / "worker.log", env, "--concurrency=1"))
        base = stack.enter_context(web(work / "web.log", env, args))
        run = Wrk(binary, base, work, args.seconds)
        # Warm every worker (imports, translations, connections, caches): the
        # first answers of a fresh process take seconds on a busy machine.
        for lines in reads.values():
            run.run("warm", lines, args.workers * args.threads * 2, seconds=3)
        for clients in args.clients:
            static = None
            for name, lines in reads.items():
                if args.only and name not in args.only and name != "static CSS":
                    continue
                result = run.run(name.replace(" ", "-"), lines, clients)
                static = static or result
                rows.append((name, clients, result, static))
            for name in ("apply", "decide", "publish"):
                if args.only and name not in args.only:
                    continue
                lines = decide_lines(w["owners"]) if name == "decide" else w[name]
                if not lines:
                    continue
                result = run.run(name, lines, clients)
                rows.append((name, clients, result, static))
                if name != "decide":  # the next level starts where this one stopped
                    w[name] = lines[result["requests"] + result["status"]:]
    report(rows)


def web(log_path, env, args):
    from contextlib import contextmanager

    from tests.integration.conftest import _stop, call, free_port, wait_for

    @contextmanager
    def process():
        port = free_port()
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind",
                 f"127.0.0.1:{port}", "--workers", str(args.workers), "--worker-class",
                 args.worker_class, "--threads", str(args.threads), "--timeout", "60",
                 "--preload"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            base = f"http://127.0.0.1:{port}"
            try:
                wait_for(lambda: proc.poll() is not None
                         or call("GET", base + "/api/v1/stats/")[0], timeout=60)
                if proc.poll() is not None:
                    raise SystemExit("gunicorn did not start:\n" + log_path.read_text())
                yield base
            finally:
                _stop(proc)

    return process()


def report(rows):
    print(f"\n{'page':<16} {'clients':>7} {'req/s':>8} {'of static':>9} "
          f"{'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7}")
    for name, clients, r, static in rows:
        if not r["requests"]:  # every answer took longer than the run
            print(f"{name:<16} {clients:>7}   no answer within the run")
            continue
        rate = r["requests"] / r["seconds"]
        static_rate = static["requests"] / static["seconds"] if static else 0
        share = rate / static_rate if static_rate else 0
        print(f"{name:<16} {clients:>7} {rate:>8.0f} {share:>9.3f} {r['p50']:>7.1f} "
              f"{r['p99']:>7.1f} {r['status'] + r['other']:>7}")


if __name__ == "__main__":
    main()

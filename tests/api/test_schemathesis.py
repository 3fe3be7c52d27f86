"""Schemathesis fuzzes the API on a live server against its own OpenAPI schema:
no 5xx, every response conforming to its documented schema, every status code
documented. It runs once per kind of client - staff, a company owner who is
also a researcher (so every scoped list and every "me" route answers with
data), and the anonymous public - with a fixed seed, so a failure reproduces.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.authtoken.models import Token

from matching.models import Challenge
from matching.services.scoring import challenge_match

from .. import factories as f

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
# Test cases per operation and phase. Each run fuzzes all ~78 operations.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))
GENEROUS = {"anon": "100000/min", "user": "100000/min"}


def schemathesis(base_url, *args):
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis is a dev dependency: `make test` installs it"
    base_url = base_url.replace("://localhost", "://127.0.0.1")  # no IPv6 try first
    command = [st, "--config-file", str(Path(__file__).with_name("schemathesis.toml")),
               "run", f"{base_url}/api/schema/", "--checks", CHECKS, "--seed", "20261127",
               "--max-examples", str(EXAMPLES), "--workers", "1",
               "--phases", "examples,coverage,fuzzing", "--output-truncate", "false",
               "--suppress-health-check", "all",
               # Django's development server answers a kept-alive connection ~40 ms late
               # (Nagle against delayed ACK); a fresh connection per request is 5× faster.
               "--header", "Connection: close", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=1200)


def assert_clean(result):
    """Schemathesis exits non-zero on any failed check or error; show its report."""
    out = result.stdout
    failures = out.find("FAILURES")  # the failing cases, before the long summary
    report = (out[failures:failures + 8000] + "\n…\n") if failures >= 0 else ""
    assert result.returncode == 0, report + out[-4000:] + result.stderr[-2000:]


@pytest.fixture
def fuzzable(world):
    """The world, with match scores, and personas holding tokens."""
    alice, sam = world["users"]["alice"], world["users"]["sam"]
    f.ResearcherFactory(user=alice)  # alice is a company owner and a researcher
    f.WorkFactory(researcher=alice.researcher)
    for need in Challenge.objects.published():
        challenge_match(challenge=need)
    return {"staff": Token.objects.create(user=sam).key,
            "company and researcher": Token.objects.create(user=alice).key}


@pytest.mark.parametrize("persona", ["staff", "company and researcher", "anonymous"])
def test_the_live_api_conforms_to_its_schema(persona, fuzzable, live_server):
    headers = [] if persona == "anonymous" else \
        ["--header", f"Authorization: Token {fuzzable[persona]}"]
    with override_settings(REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": GENEROUS}):
        # Revoking the token would leave the rest of the run signed out: that
        # operation gets its own run, with its own token, below.
        assert_clean(schemathesis(live_server.url, *headers,
                                  "--exclude-operation-id", "auth_token_destroy"))


def test_revoking_a_token_conforms_to_its_schema(fuzzable, live_server):
    token = fuzzable["staff"]
    assert_clean(schemathesis(live_server.url, "--header", f"Authorization: Token {token}",
                              "--include-operation-id", "auth_token_destroy"))

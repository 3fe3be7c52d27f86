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
from django.test import override_settings
from rest_framework.authtoken.models import Token

from matching.services.scoring import match_rebuild

from .. import factories as f

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
# Test cases per operation and phase. Each run fuzzes all ~78 operations.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))
GENEROUS = {"anon": "100000/min", "user": "100000/min"}


def schemathesis(base_url, *args):
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis is a dev dependency: `make test` installs it"
    command = [st, "run", f"{base_url}/api/schema/", "--checks", CHECKS, "--seed", "20261127",
               "--max-examples", str(EXAMPLES), "--workers", "1",
               "--phases", "examples,coverage,fuzzing", "--output-truncate", "false",
               "--suppress-health-check", "all", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=1200)


def assert_clean(result):
    tail = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    assert "failures" not in result.stdout.splitlines()[-1] or " 0 failures" in tail, tail


@pytest.fixture
def fuzzable(world):
    """The world, with match scores, and personas holding tokens."""
    alice, sam = world["users"]["alice"], world["users"]["sam"]
    f.ResearcherFactory(user=alice)  # alice is a company owner and a researcher
    f.WorkFactory(researcher=alice.researcher)
    match_rebuild()
    return {"staff": Token.objects.create(user=sam).key,
            "company and researcher": Token.objects.create(user=alice).key}


@pytest.mark.parametrize("persona", ["staff", "company and researcher", "anonymous"])
def test_the_live_api_conforms_to_its_schema(persona, fuzzable, live_server):
    headers = [] if persona == "anonymous" else \
        ["--header", f"Authorization: Token {fuzzable[persona]}"]
    with override_settings(REST_FRAMEWORK={
            **__import__("django.conf").conf.settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": GENEROUS}):
        # Revoking the token would leave the rest of the run signed out: that
        # operation gets its own run, with its own token, below.
        assert_clean(schemathesis(live_server.url, *headers,
                                  "--exclude-operation-id", "auth_token_destroy"))


def test_revoking_a_token_conforms_to_its_schema(fuzzable, live_server):
    token = fuzzable["staff"]
    assert_clean(schemathesis(live_server.url, "--header", f"Authorization: Token {token}",
                              "--include-operation-id", "auth_token_destroy"))

"""Settings come from the environment and fail loudly on a bad value.

Each case starts a fresh interpreter, since settings are read once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"


def django_check(settings: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--settings", settings, *env.pop("args", [])],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = django_check("config.settings.production", ALLOWED_HOSTS="match.qiantang.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = django_check("config.settings.production", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deployment_checks():
    result = django_check("config.settings.production", SECRET_KEY=STRONG_KEY,
                          ALLOWED_HOSTS="match.qiantang.gov.cn",
                          args=["--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stderr


def test_production_answers_json_only_unless_the_browsable_api_is_asked_for():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'])")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "match.qiantang.gov.cn"}
    env.pop("DEBUG", None)
    off = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "API_BROWSABLE": "1"},
                        capture_output=True, text=True, timeout=60)
    assert off.stdout.strip() == "['rest_framework.renderers.JSONRenderer']", off.stderr
    assert "BrowsableAPIRenderer" in on.stdout, on.stderr


@pytest.mark.parametrize("name, value", [("DEBUG", "ture"), ("CONN_MAX_AGE", "sixty")])
def test_a_malformed_value_stops_start_up_naming_the_variable(name, value):
    result = django_check("config.settings.base", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_no_environment_gives_the_embedded_demo_defaults():
    code = ("from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, "
            "s.LANGUAGE_CODE, s.EMAIL_BACKEND)")
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DATABASE_", "CELERY_", "REDIS_", "DEBUG", "EMAIL_"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.base"},
        capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True", "zh-hans",
                                     "django.core.mail.backends.console.EmailBackend"]


def _without_settings() -> dict:
    return {k: v for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}


@pytest.mark.parametrize("code", ["import config.wsgi",
                                  "import config.celery as c; c.app.conf.task_acks_late"],
                         ids=["web server", "celery worker"])
def test_a_deployed_process_defaults_to_production_and_refuses_to_start_without_a_secret(code):
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_without_settings(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_manage_py_says_when_it_uses_the_development_settings():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                            env=_without_settings(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "development settings (config.settings.base, DEBUG on)" in result.stderr

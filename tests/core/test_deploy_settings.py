"""Issue 12 §9: production settings pass Django's deployment check, settable from the environment;
a Content-Security-Policy allows the platform's own scripts only, and no template has inline script."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from skillcity.core import hotpath

REPO = Path(__file__).resolve().parents[2]


def documented_production_environment() -> dict[str, str]:
    """The `env` block of docs/operator-guide.md's "Production settings" section, as variables."""
    guide = (REPO / "docs" / "operator-guide.md").read_text(encoding="utf-8")
    section = guide.split("## Production settings", 1)[1]
    block = re.search(r"```env\n(.*?)```", section, re.S)
    assert block, "the operator guide's production settings block"
    pairs = (line.split("=", 1) for line in block.group(1).splitlines() if line.strip())
    return {name.strip(): value.strip() for name, value in pairs}


def _clean_environment() -> dict[str, str]:
    """This machine's basics only: none of this test run's settings (other tests set some, e.g. the
    browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which the deployment check rightly refuses)."""
    keep = {"PATH", "HOME", "PYTHONPATH", "LANG", "LC_ALL", "TMPDIR"}
    return {k: v for k, v in os.environ.items() if k in keep}


def _skillcity(
    args: list[str], environment: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = _clean_environment()
    env.update(environment)
    env["SKILLCITY_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(Path(sys.executable).with_name("skillcity")), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.sqlite_only  # a subprocess without DATABASE_URL, whichever half
def test_the_documented_production_settings_pass_the_deployment_check(tmp_path):
    environment = documented_production_environment()
    # The two values that are the operator's own: a key of their own, a database of their own
    # (SQLite in a temporary folder; the check does not connect to it).
    environment["SKILLCITY_SECRET_KEY"] = secrets.token_urlsafe(50)
    environment.pop("DATABASE_URL")
    done = _skillcity(["check", "--deploy", "--fail-level", "WARNING"], environment, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stderr and "ERROR" not in done.stderr


@pytest.mark.slow
@pytest.mark.sqlite_only  # a subprocess without DATABASE_URL, whichever half
def test_the_default_settings_are_not_taken_for_production(tmp_path):
    # The check is not blind: the defaults (plain HTTP on a developer's machine) fail it.
    done = _skillcity(["check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


@pytest.mark.parametrize(
    "key",
    ["short-" * 5, "a" * 60, "django-insecure-" + secrets.token_urlsafe(50)],
    ids=["short", "one-char", "insecure"],
)
def test_a_secret_key_django_would_warn_about_stops_start_up(tmp_path, key):
    done = _skillcity(["check"], {"SKILLCITY_SECRET_KEY": key}, tmp_path)
    assert done.returncode != 0
    assert "SKILLCITY_SECRET_KEY" in done.stderr and "50" in done.stderr


def test_a_bad_hsts_value_names_the_variable(tmp_path):
    done = _skillcity(["check"], {"SKILLCITY_HSTS_SECONDS": "a year"}, tmp_path)
    assert done.returncode != 0 and "SKILLCITY_HSTS_SECONDS" in done.stderr


def test_https_settings_follow_the_environment(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    env = _clean_environment()
    env.update(
        documented_production_environment(),
        SKILLCITY_SECRET_KEY=secrets.token_urlsafe(50),
        SKILLCITY_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="skillcity.settings",
    )
    env.pop("DATABASE_URL")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split(None, 6) == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO', 'https')\n",
    ]


# --- Content-Security-Policy -------------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/policy/calculator/", "/api/v1/training/health"])
def test_every_response_allows_scripts_from_the_platform_only(client, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_hot_route_sends_the_same_policy_as_django(client):
    django_policy = client.get("/api/v1/training/health")["Content-Security-Policy"]
    hot = dict(hotpath._response_headers(False, "zh-hans"))
    assert hot["Content-Security-Policy"] == django_policy


_TEMPLATES = sorted((REPO / "skillcity").glob("**/templates/**/*.html"))
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
_STYLE = re.compile(r"\sstyle\s*=|<style", re.I)


@pytest.mark.parametrize("template", _TEMPLATES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_template_has_inline_script_handler_or_style(template):
    text = template.read_text(encoding="utf-8")
    assert not _INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not _HANDLER.search(text), "on…= handler: bind it in a static file"
    assert not _STYLE.search(text), "inline style: use a class in skillcity.css"

"""Issue 12 §4: the lockout is shared by every process (its state is in the database, not in one
process's memory). Two separate Python processes on one database file: failures made in the first
lock the account in the second."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

_SETUP = """
import django
django.setup()
from django.test import Client
from skillcity.accounts.models import User
"""

_FAIL_FIVE_TIMES = (
    _SETUP
    + """
User.objects.create_user("humen", password="correct-horse-9", role="bureau_officer")
client = Client()
print([client.post("/accounts/login/", {"username": name, "password": "wrong"}, REMOTE_ADDR="10.0.0.1").status_code
       for name in ["humen", "humen ", "ｈｕｍｅｎ", "Humen", "HUMEN"]])
"""
)

_LOG_IN = (
    _SETUP
    + """
client = Client()
print(client.post("/accounts/login/", {"username": "ｈｕｍｅｎ ", "password": "correct-horse-9"},
                  REMOTE_ADDR="10.0.0.1").status_code)
"""
)


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.mark.sqlite_only
def test_failures_in_one_process_lock_the_account_in_another(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SKILLCITY_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="skillcity.settings")
    _run([str(Path(sys.executable).with_name("skillcity")), "migrate", "-v0"], env)
    assert _run([sys.executable, "-c", _FAIL_FIVE_TIMES], env) == "[200, 200, 200, 200, 200]"
    assert _run([sys.executable, "-c", _LOG_IN], env) == "429"

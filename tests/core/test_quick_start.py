"""The quick start as a new user meets it: `skillcity demo` builds the demo city and serves it."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from skillcity.core.server import free_port
from tests.console import skillcity_command

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

DEMO_PASSWORD = "skillcity2026"


def _sqlite_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SKILLCITY_DATA_DIR=str(data_dir), SKILLCITY_DEBUG="0")
    return env


def _wait_until_served(server: subprocess.Popen[bytes], base: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            output = server.stdout.read().decode() if server.stdout else ""
            raise AssertionError(f"the server stopped (exit {server.returncode}):\n{output}")
        try:
            httpx.get(f"{base}/api/v1/training/health", timeout=2)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.5)


def _log_in(client: httpx.Client, username: str) -> None:
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    done = client.post(
        "/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": DEMO_PASSWORD},
        headers={"Referer": f"{client.base_url}/accounts/login/"},
    )
    assert done.status_code == 302, done.text[:500]


def test_the_what_if_simulation_answers_on_the_served_demo(tmp_path):
    port = free_port("127.0.0.1", 18950)
    server = subprocess.Popen(
        [
            *skillcity_command(),
            "demo",
            "--size",
            "2000",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=_sqlite_env(tmp_path / "data"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_served(server, base)
        with httpx.Client(base_url=base, timeout=60) as client:
            _log_in(client, "bureau")
            page = client.get("/policy/simulate/")
            assert page.status_code == 200
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            assert token
            # A hung worker (polars' thread pool inherited from a parent that forked) answers never:
            # the client's timeout turns that into a failure here.
            answer = client.post(
                "/policy/simulate/",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "date_from": "2025-01-01",
                    "date_to": "2025-12-31",
                    "source": "training",
                    "parameter_0": "TRN-PROJECT.cap",
                    "value_0": "2500",
                },
                headers={"Referer": f"{base}/policy/simulate/"},
            )
        assert answer.status_code == 200
        assert "TRN-PROJECT" in answer.text
        # The worker and the scheduler came with the server: the periodic jobs were enqueued and run.
        worker_pid = _wait_for_the_scheduled_expiry(tmp_path / "data" / "skillcity.sqlite3")
        # Stopping the server stops them.
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        with pytest.raises(ProcessLookupError):
            os.kill(worker_pid, 0)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def _wait_for_the_scheduled_expiry(database: Path, seconds: float = 180) -> int:
    """The process id of the worker that ran the scheduled voucher expiry, once it has run."""
    deadline = time.monotonic() + seconds
    while True:
        with sqlite3.connect(database, timeout=30) as db:
            runs = {job for (job,) in db.execute("SELECT job FROM jobs_scheduledrun")}
            done = db.execute(
                "SELECT worker_ids FROM django_tasks_database_dbtaskresult "
                "WHERE task_path = 'skillcity.training.tasks.vouchers_expire_task' AND status = 'SUCCESSFUL'"
            ).fetchall()
        if done:
            assert {"training.vouchers_expire", "alliances.reminders"} <= runs
            worker_id = json.loads(done[0][0])[-1]
            return int(worker_id.split("-")[-2])
        assert time.monotonic() < deadline, f"the scheduled voucher expiry did not run (fired: {runs})"
        time.sleep(1)

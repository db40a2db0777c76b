"""`skillcity serve` runs the real server (Granian): pages, static files and the API answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from skillcity.core.server import free_port

pytestmark = pytest.mark.slow


def test_the_server_serves_pages_static_files_and_the_api(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SKILLCITY_DATA_DIR=str(tmp_path), SKILLCITY_DEBUG="0")
    port = free_port("127.0.0.1", 18900)
    skillcity = Path(sys.executable).with_name("skillcity")
    server = subprocess.Popen(
        [str(skillcity), "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            try:
                health = httpx.get(f"{base}/api/v1/training/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        assert health.json() == {"status": "ok"}
        home = httpx.get(f"{base}/")
        assert home.status_code == 200 and "技能人才" in home.text
        assert "/static/web/skillcity.css" in home.text
        css = httpx.get(f"{base}/static/web/skillcity.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        refused = httpx.post(
            f"{base}/api/v1/training/vouchers/redeem", json={"code": "X", "idempotency_key": "k"}
        )
        assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        assert server.wait(timeout=30) is not None

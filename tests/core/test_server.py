"""`skillcity serve` runs the real server (Granian): pages, static files and the API answer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from skillcity.core.server import free_port
from tests.console import skillcity_command

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def test_the_server_serves_pages_static_files_and_the_api(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SKILLCITY_DATA_DIR=str(tmp_path), SKILLCITY_DEBUG="0")
    port = free_port("127.0.0.1", 18900)
    server = subprocess.Popen(
        [*skillcity_command(), "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
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
        _the_counter_redeems_through_the_hot_route_and_a_refusal_through_django(base, env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        assert server.wait(timeout=30) is not None


_COUNTER = """
import datetime, json, os
from decimal import Decimal
import django
django.setup()
from skillcity.accounts.services import token_create
from skillcity.registry.models import Worker
from skillcity.training.services import voucher_batch_issue
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory
provider = OrganisationFactory(name="服务器测试培训学校")
user = UserFactory(username="counter", role="organisation_user", organisation=provider)
worker = WorkerFactory()
today = datetime.date.today()
batch = voucher_batch_issue(
    name="t", face_value=Decimal("800"), valid_from=today, valid_to=today,
    workers=Worker.objects.filter(pk=worker.pk), actor="test",
)
print(json.dumps({"token": token_create(user=user, name="t", actor="test")[1],
                  "code": batch.vouchers.get().code}))
"""


def _the_counter_redeems_through_the_hot_route_and_a_refusal_through_django(
    base: str, env: dict[str, str]
) -> None:
    made = subprocess.run(
        [sys.executable, "-c", _COUNTER],
        env={**env, "DJANGO_SETTINGS_MODULE": "skillcity.settings"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(made.stdout.strip().splitlines()[-1])
    url = f"{base}/api/v1/training/vouchers/redeem"
    auth = {"Authorization": f"Bearer {data['token']}"}
    redeemed = httpx.post(url, json={"code": data["code"], "idempotency_key": "k1"}, headers=auth)
    assert redeemed.status_code == 200, redeemed.text
    assert (redeemed.json()["voucher_code"], redeemed.json()["amount"]) == (data["code"], "800.00")
    assert redeemed.headers["x-content-type-options"] == "nosniff"
    replay = httpx.post(url, json={"code": data["code"], "idempotency_key": "k1"}, headers=auth)
    assert replay.json() == redeemed.json()
    # Refused by the hot route, answered by the API route from the same body.
    twice = httpx.post(
        url,
        json={"code": data["code"], "idempotency_key": "k2"},
        headers={**auth, "Cookie": "django_language=en"},
    )
    assert twice.status_code == 409
    assert twice.json()["message"] == "This training voucher has been redeemed"


def test_each_worker_holds_the_connections_asked_for_not_backlog_over_workers(monkeypatch):
    """Granian's backpressure counts accepted connections per worker; left at its default (backlog /
    workers) the 1,025th kept-alive phone waited with its request sent until another closed."""
    import granian.server

    from skillcity.core import server

    made: dict[str, object] = {}

    class Recorder:
        def __init__(self, target, **options):
            made.update(options, target=target)

        def serve(self):
            made["served"] = True

    monkeypatch.setattr(granian.server, "Server", Recorder)
    server.run_server(host="127.0.0.1", port=8000, workers=2, threads=4, connections=12_345)
    assert made["backpressure"] == 12_345 and made["blocking_threads"] == 4
    assert made["backlog"] == server.BACKLOG and made["served"] is True

"""A statement answered 2xx is never lost: the real server (`skillcity serve`, SQLite file) takes
statements from several players at once, is killed (SIGKILL, the whole process group) straight after
the last 2xx while other requests are still in flight, is started again, and every answered id is
in the log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from skillcity.core.server import free_port
from tests.console import skillcity_command

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]
ROOT = Path(__file__).resolve().parents[2]

_SETUP = """
import json
import django
django.setup()
from skillcity.accounts.services import token_create
from tests.factories import UserFactory, WorkerFactory
from tests.learning.ingest import course_with_lessons, enrol
course = course_with_lessons(lessons=(("video", 3600),))
out = {"lesson": course.lessons.get().pk, "tokens": []}
for n in range(4):
    worker = WorkerFactory()
    enrol(worker, course)
    user = UserFactory(username=f"learner{n}", role="worker", worker=worker)
    out["tokens"].append(token_create(user=user, name="player", actor="test")[1])
print(json.dumps(out))
"""


def _start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            *skillcity_command(),
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
            "--no-worker",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while True:
        assert server.poll() is None, "the server stopped"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/training/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.3)


def _statement(lesson: int, position: int) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/progressed"},
        "object": {"id": f"https://skillcity.example/learning/lessons/{lesson}/"},
        "result": {"extensions": {"https://w3id.org/xapi/video/extensions/time": position}},
        "context": {"extensions": {"https://w3id.org/xapi/video/extensions/event": "heartbeat"}},
        "timestamp": "2026-12-07T12:00:00+08:00",
    }


def test_every_statement_answered_2xx_survives_a_kill_of_the_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # The code under test, whatever checkout the virtualenv's `skillcity` script was installed from.
    env.update(SKILLCITY_DATA_DIR=str(tmp_path), SKILLCITY_DEBUG="0", PYTHONPATH=str(ROOT))
    port = free_port("127.0.0.1", 19400)
    base = f"http://127.0.0.1:{port}"
    server = _start(env, port)
    try:
        made = subprocess.run(
            [sys.executable, "-c", _SETUP],
            env={**env, "DJANGO_SETTINGS_MODULE": "skillcity.settings"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        data = json.loads(made.stdout.strip().splitlines()[-1])
        answered: list[str] = []
        lock = threading.Lock()
        enough = threading.Event()

        def player(token: str) -> None:
            # Each player sends one to three statements a request, as fast as it is answered.
            with httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10
            ) as http:
                position = 0
                while not enough.is_set():
                    batch = [_statement(data["lesson"], position + i) for i in range(1 + position % 3)]
                    position += len(batch)
                    try:
                        response = http.post("/api/v1/learning/statements", json=batch)
                    except httpx.TransportError:
                        return  # the server was killed under this request: it was never answered
                    assert response.status_code == 200, response.text
                    if response.status_code == 200:
                        assert response.json() == [s["id"] for s in batch]
                        with lock:
                            answered.extend(response.json())
                            if len(answered) >= 300:
                                # Killed straight after this 2xx, with the other players' requests in flight.
                                os.killpg(server.pid, signal.SIGKILL)
                                enough.set()
                                return

        players = [threading.Thread(target=player, args=(t,)) for t in data["tokens"]]
        for p in players:
            p.start()
        for p in players:
            p.join(timeout=120)
        assert enough.is_set(), "the players did not reach 300 answered statements"
        server.wait(timeout=30)
        assert len(answered) >= 300

        server = _start(env, port)
        stored: set[str] = set()
        for token in data["tokens"]:
            url = "/api/v1/learning/statements?limit=500"
            with httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10
            ) as http:
                while url:
                    page = http.get(url).json()
                    stored.update(s["id"] for s in page["statements"])
                    url = page["more"]
        assert set(answered) <= stored
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

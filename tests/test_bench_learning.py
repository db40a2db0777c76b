"""bench/learning.py's own helpers: the learners it makes are signed in, and what it parses is read
right. The benchmark itself is run by hand (bench/RESULTS.md); nothing here is about time."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load_bench() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # for its `_common`
    try:
        spec = importlib.util.spec_from_file_location("bench_learning", BENCH / "learning.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


bench = load_bench()


@pytest.mark.django_db
def test_setup_makes_signed_in_learners_with_csrf_tokens(tmp_path, client):
    from django.contrib.sessions.backends.db import SessionStore

    from skillcity.accounts.models import User
    from skillcity.learning.models import Course, Enrolment, Lesson

    bench.setup(4, 3, str(tmp_path))

    assert Course.objects.filter(state="published").count() == 3
    assert Lesson.objects.count() == 3 * bench.LESSONS_PER_COURSE
    lines = (tmp_path / "learners.txt").read_text().splitlines()
    assert len(lines) == 4
    first = bench.parse_learner_line(lines[0])
    assert len(first["csrf"]) == 32
    user = User.objects.get(pk=SessionStore(session_key=first["session"])["_auth_user_id"])
    assert Enrolment.objects.filter(worker=user.worker, course__code=first["course"]).exists()
    assert Lesson.objects.filter(pk=first["lesson"], course__code=first["course"], position=1).exists()
    # The session is a valid login: Django accepts its user (the password hash in it matches).
    client.cookies["sessionid"] = first["session"]
    response = client.get("/")
    assert response.wsgi_request.user == user


def test_wrk_result_line_is_parsed_with_errors_counted():
    stdout = (
        "Running 1m test\n"
        + "RESULT "
        + json.dumps(
            {
                "requests": 10,
                "seconds": 5.0,
                "p50_ms": 1.0,
                "p90_ms": 2.0,
                "p99_ms": 3.0,
                "max_ms": 4.0,
                "statuses": {"200": 7, "201": 1, "403": 2},
                "connect_errors": 0,
                "read_errors": 1,
                "write_errors": 0,
                "timeouts": 2,
                "late_over_1s": 0,
                "latest_ms": 0.0,
            }
        )
    )
    result = bench.parse_result(stdout)
    assert (result["ok"], result["non_2xx"], result["socket_errors"]) == (8, 2, 3)


def test_heartbeat_body_is_a_progressed_statement_for_the_lesson():
    body = json.loads(bench.heartbeat_body("42", 7))
    assert body["verb"]["id"].endswith("/progressed")
    assert body["object"]["id"].endswith("/learning/lessons/42/")
    assert body["id"].endswith("-000000000007") and len(body["id"]) == 36


def test_wrk_commands_stop_sending_before_the_end():
    import argparse

    args = argparse.Namespace(
        seconds=300, ramp=60, beat_connections=1000, page_connections=100, pages=bench.DEFAULT_PAGES
    )
    command = bench.wrk_command("http://127.0.0.1:1", args, "learners.txt", mode="beats", phase=2)
    assert f"-d{300 + bench.STOP_MARGIN}s" in command and "-c1000" in command
    after = command[command.index("--") + 1 :]
    assert after[:6] == ["learners.txt", "beats", "30", "300", "0", "2"]
    assert bench.STOP_MARGIN > bench.TIMEOUT

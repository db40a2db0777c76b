"""Schemathesis over the whole OpenAPI schema, as the bureau, a worker and an anonymous caller: every
operation gets generated requests, valid (positive) and invalid (negative), and none may answer 5xx.

The city is the demo's (`skillcity demo`'s personas and data), served in-process through the WSGI
application. Generation is derandomised and bounded in examples per operation, so a run is the same
run each time; the figures it prints are those bench/RESULTS.md records (issue 12, Tests).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Examples per operation, role and mode; SKILLCITY_FUZZ_EXAMPLES raises it for a longer run.
EXAMPLES = int(os.environ.get("SKILLCITY_FUZZ_EXAMPLES", "3"))
SCHEMA_PATH = "/api/v1/openapi.json"
# Revoking a token by a generated id revokes the caller's own token sooner or later, and every later
# request is then 401: the rest of the run would test nothing. tests/accounts covers revocation.
SKIPPED = {"POST /api/v1/accounts/tokens/{pk}/revoke"}


@dataclass
class Tally:
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    seconds_in_requests: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)


def _fuzz(strategy: Any, mode: GenerationMode, headers: dict[str, str], tally: Tally) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        started = time.perf_counter()
        response = case.call(headers=headers)
        tally.seconds_in_requests += time.perf_counter() - started
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        if response.status_code >= 500:
            tally.server_errors.append(
                f"{response.status_code} {case.operation.label} {mode.value}: {case.as_curl_command(headers=headers)}"
            )

    try:
        run()
    except Unsatisfiable:  # an operation with nothing to make invalid (no parameters, no body)
        assert mode is GenerationMode.NEGATIVE


def _token(username: str) -> str:
    from skillcity.accounts.models import User
    from skillcity.accounts.services import token_create

    return token_create(user=User.objects.get(username=username), name="fuzz", actor="fuzz")[1]


# The random walk runs once, on SQLite: it reads the platform only through its HTTP surface; what
# PostgreSQL answers differently at a column's limits is what the bounds test below covers there.
@pytest.mark.sqlite_only
def test_no_generated_request_makes_the_api_answer_a_server_error(demo_city, capsys):
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())
    callers = {
        "bureau": {"Authorization": f"Bearer {_token('bureau')}"},
        "worker": {"Authorization": f"Bearer {_token('worker')}"},
        "anonymous": {},
    }
    # Building an operation's strategy costs more than drawing from it: once for the three callers.
    strategies = [
        (operation, mode, operation.as_strategy(generation_mode=mode))
        for operation in (result.ok() for result in schema.get_all_operations())
        if operation.label not in SKIPPED
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]
    tallies: dict[str, Tally] = {}
    for role, headers in callers.items():
        tally = tallies[role] = Tally()
        for operation, mode, strategy in strategies:
            tally.operations.add(operation.label)
            _fuzz(strategy, mode, headers, tally)
    with capsys.disabled():
        for role, t in tallies.items():
            print(
                f"\nschemathesis {role}: {len(t.operations)} operations, {t.requests} requests, "
                f"{sum(n for s, n in t.statuses.items() if s >= 500)} 5xx, {t.seconds_in_requests:.1f} s in requests; "
                f"statuses {dict(sorted(t.statuses.items()))}"
            )
    errors = [line for t in tallies.values() for line in t.server_errors]
    assert not errors, "\n".join(errors[:30])
    assert all(t.requests > len(t.operations) for t in tallies.values())


# Values at and past every bound, for the sweep below: what random generation reaches only by luck.
EDGE_INTEGERS = [0, -1, 2**63, 10**20, -(10**20), "x", "1e3", "²"]
EDGE_STRINGS = ["x", "none", "-1", "99999999999999999999", "1e308", "2024-W18-3", "\u00a0", "长" * 300]


def test_every_parameter_at_and_past_its_bounds_is_answered_without_a_server_error(demo_city, capsys):
    """Each query and path parameter of every operation, one at a time, set to the edge values
    (the others as valid as a number 1 makes them): deterministic where generation is random."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token('bureau')}", raise_request_exception=False)
    spec = client.get(SCHEMA_PATH).json()
    failures, sent = [], 0
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if f"{method.upper()} {path}" in SKIPPED:
                continue
            parameters = [p for p in operation.get("parameters", []) if p["in"] in ("query", "path")]
            for parameter in parameters:
                kinds = {s.get("type") for s in [parameter["schema"], *parameter["schema"].get("anyOf", [])]}
                values = EDGE_INTEGERS if kinds & {"integer", "number"} else EDGE_STRINGS
                for value in values:
                    url = path
                    for other in (p for p in parameters if p["in"] == "path"):
                        url = url.replace("{" + other["name"] + "}", str(value if other is parameter else 1))
                    query = {parameter["name"]: value} if parameter["in"] == "query" else {}
                    if method == "get":
                        response = client.get(url, query)
                    else:
                        response = client.generic(
                            method.upper(), f"{url}?{urlencode(query)}", "{}", content_type="application/json"
                        )
                    sent += 1
                    if response.status_code >= 500:
                        failures.append(f"{response.status_code} {method.upper()} {url} {query}")
    with capsys.disabled():
        print(f"\nedge sweep as the bureau: {sent} requests, {len(failures)} 5xx")
    assert sent > 300
    assert not failures, "\n".join(failures[:30])

"""The operator and API contract of design.md: `skillcity policy list|eval` and POST /api/v1/policy/evaluate."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

OUTCOME_KEYS = {"rule", "date", "eligible", "basis", "amount", "min", "max", "payee", "reasons", "trace", "sources", "assumptions"}  # fmt: skip


def run_cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SKILLCITY_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="skillcity.settings")
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "skillcity.cli", "policy", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.sqlite_only  # run_cli: the console on its own SQLite file, whichever half
def test_cli_exit_codes_0_2_3(tmp_path: Path) -> None:
    ok = run_cli("eval", "TRN-PROJECT", "--date", "2024-03-01", "--facts", '{"project_standard": 2800, "completed": true}', tmp_path=tmp_path)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    outcome = json.loads(ok.stdout)
    assert set(outcome) >= OUTCOME_KEYS
    assert (outcome["amount"], outcome["max"], outcome["payee"]) == (
        "2800.00",
        "3000.00",
        "training_provider",
    )

    bad = run_cli("eval", "TRN-PROJECT", "--date", "2024-03-01", "--facts", '{"project_standard": 2800}', tmp_path=tmp_path)  # fmt: skip
    assert bad.returncode == 2 and "completed" in bad.stderr

    unknown = run_cli("eval", "TRN-NOTHING", "--date", "2024-03-01", tmp_path=tmp_path)
    assert unknown.returncode == 2 and "TRN-NOTHING" in unknown.stderr

    outside = run_cli("eval", "TRN-PROJECT", "--date", "2026-01-01", "--facts", '{"project_standard": 1, "completed": true}', tmp_path=tmp_path)  # fmt: skip
    assert outside.returncode == 3 and "2025-12-31" in outside.stderr


def test_cli_reads_facts_from_a_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(
        '{"certificate_kind": "skill_level", "level": 2, "in_shortage_catalog": true}', encoding="utf-8"
    )
    out = io.StringIO()
    call_command("policy", "eval", "TRN-UPSKILL", "--date", "2023-01-01", "--facts", f"@{facts}", stdout=out)
    assert json.loads(out.getvalue())["amount"] == "3250.00"
    with pytest.raises(CommandError) as err:
        call_command(
            "policy", "eval", "TRN-UPSKILL", "--date", "2023-01-01", "--facts", f"@{tmp_path / 'nope.json'}"
        )
    assert err.value.returncode == 2
    with pytest.raises(CommandError) as err:
        call_command("policy", "eval", "TRN-UPSKILL", "--date", "2023-01-01", "--facts", "{not json")
    assert err.value.returncode == 2


def test_the_two_file_and_json_errors_speak_chinese(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as err:
        call_command(
            "policy", "eval", "TRN-UPSKILL", "--date", "2023-01-01", "--facts", f"@{tmp_path / 'nope.json'}"
        )
    assert "无法读取（文件不存在）" in str(err.value) and "cannot" not in str(err.value)
    with pytest.raises(CommandError) as err:
        call_command("policy", "eval", "TRN-UPSKILL", "--date", "2023-01-01", "--facts", "{not json")
    assert "不是有效的 JSON（第 1 行第 2 列" in str(err.value) and "not valid" not in str(err.value)


def test_cli_list_prints_every_rule_as_json() -> None:
    out = io.StringIO()
    call_command("policy", "list", stdout=out)
    rules = json.loads(out.getvalue())
    crt = next(r for r in rules if r["id"] == "CRT-ENT")
    assert crt["validity"] == [{"from": "2022-01-01", "to": "2025-12-31"}]
    assert {s["document"] for s in crt["sources"]} == {"D002", "D003"}
    assert "already_received" in [f["name"] for f in crt["facts"]]


@pytest.fixture
def client() -> Client:
    return Client()


def post(client: Client, body: object) -> tuple[int, dict]:
    response = client.post("/api/v1/policy/evaluate", json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_api_returns_the_same_outcome_as_the_cli(client: Client) -> None:
    status, data = post(client, {"rule": "CRT-ENT", "date": "2024-01-01", "facts": {
        "filed_and_certifying": True, "qbank_filed": False, "shortage_certification": False,
        "year_new_certificates": 10, "year_new_certificates_level2_or_higher": 1,
        "provincial_social_org": False, "already_received": "0"}})  # fmt: skip
    assert status == 200
    assert OUTCOME_KEYS | {"components"} <= set(data)
    out = io.StringIO()
    call_command("policy", "eval", "CRT-ENT", "--date", "2024-01-01", "--facts", json.dumps({
        "filed_and_certifying": True, "qbank_filed": False, "shortage_certification": False,
        "year_new_certificates": 10, "year_new_certificates_level2_or_higher": 1,
        "provincial_social_org": False, "already_received": "0"}), stdout=out)  # fmt: skip
    assert json.loads(out.getvalue()) == data


def test_api_errors_use_the_one_error_shape(client: Client) -> None:
    status, data = post(client, {"rule": "TRN-PROJECT", "date": "2024-01-01", "facts": {"completed": "yes"}})
    assert status == 422 and set(data) == {"code", "message", "fields"}
    assert {"completed", "project_standard"} <= set(data["fields"])
    status, data = post(client, {"rule": "TRN-PROJECT", "date": "2019-01-01", "facts": {"project_standard": "1", "completed": True}})  # fmt: skip
    assert status == 409 and data["code"] == "not_in_force"
    status, data = post(client, {"date": "2024-01-01"})
    assert status == 422 and "rule" in data["fields"]
    response = client.post("/api/v1/policy/evaluate", "{oops", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"]


def test_api_lists_rules_and_parameters(client: Client) -> None:
    rules = client.get("/api/v1/policy/rules").json()
    assert len(rules) == 36
    parameters = client.get("/api/v1/policy/parameters").json()
    cap = next(p for p in parameters if p["name"] == "PLT-STANDARD.cap")
    assert cap["versions"][0]["effective_from"] == "2023-01-01"
    assert cap["versions"][0]["document"] == "D003"

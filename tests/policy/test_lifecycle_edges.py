"""The lifecycle's three front-ends over one service layer: the page, the API and the CLI; the daily
expiry warning; the demo draft."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from skillcity.accounts.models import Role
from skillcity.notifications.models import Notification
from skillcity.policy.lifecycle.expiry import current_warnings, policy_expiry_warn
from skillcity.policy.models import DraftState, ExpiryWarning, PolicyDraft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VERSION = {
    "parameter": "TRN-PROJECT.cap",
    "value": "3000",
    "effective_from": "2026-01-01",
    "effective_to": "2026-12-31",
    "document": "D005",
    "clause": "第一条",
    "text": "按每人最高3000元继续执行。",
}
DOCUMENT = {
    "key": "D005",
    "title": "延续执行通知",
    "issuer": "市人社局",
    "effective_from": "2026-01-01",
    "effective_to": "2026-12-31",
}


@pytest.fixture
def officer_a(db):
    return UserFactory(username="officer_a", role=Role.BUREAU_OFFICER)


@pytest.fixture
def officer_b(db):
    return UserFactory(username="officer_b", role=Role.BUREAU_OFFICER)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# ---- API ---------------------------------------------------------------------------------------------


def test_the_api_walks_a_draft_to_publication_and_refuses_the_drafters_approval(officer_a, officer_b):
    a, b = _client(officer_a), _client(officer_b)
    r = a.post(
        "/api/v1/policy/drafts",
        {"title": "2026", "documents": [DOCUMENT], "versions": [VERSION]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert a.post(f"/api/v1/policy/drafts/{pk}/submit").status_code == 200
    refused = a.post(f"/api/v1/policy/drafts/{pk}/approve", {}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "own_draft"
    ok = b.post(f"/api/v1/policy/drafts/{pk}/approve", {"note": "同意"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    again = b.post(f"/api/v1/policy/drafts/{pk}/approve", {}, content_type="application/json")
    assert again.status_code == 409
    r = Client().post(
        "/api/v1/policy/evaluate",
        {
            "rule": "TRN-PROJECT",
            "date": "2026-03-01",
            "facts": {"project_standard": "3600", "completed": True},
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["amount"] == "3000.00"


def test_the_api_names_the_parameter_and_the_problem(officer_a):
    r = _client(officer_a).post(
        "/api/v1/policy/drafts",
        {"title": "x", "documents": [DOCUMENT], "versions": [{**VERSION, "value": "1000-3000"}]},
        content_type="application/json",
    )
    assert r.status_code == 422
    body = r.json()
    assert "TRN-PROJECT.cap" in body["message"] and "value" in body["fields"]
    assert not PolicyDraft.objects.exists()  # all or nothing


def test_a_town_officer_gets_403_from_the_drafts_api(changan_officer):
    assert _client(changan_officer).get("/api/v1/policy/drafts").status_code == 403


def test_the_documents_api_gives_numbers_and_status(officer_a):
    rows = {d["key"]: d for d in _client(officer_a).get("/api/v1/policy/documents").json()}
    assert rows["D004"]["number"] == "粤人社函〔2021〕53号"
    assert rows["D004"]["status"] == "expired"


# ---- CLI ---------------------------------------------------------------------------------------------


def _cli(*args: str) -> dict:
    out = io.StringIO()
    call_command("policy", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_cli_walks_a_draft_and_refuses_the_drafter(officer_a, officer_b):
    draft = _cli(
        "draft",
        "--as",
        "officer_a",
        "--title",
        "2026",
        "--documents",
        json.dumps(DOCUMENT),
        "--versions",
        json.dumps(VERSION),
    )
    pk = str(draft["id"])
    assert _cli("submit", pk, "--as", "officer_a")["state"] == "submitted"
    with pytest.raises(CommandError) as exc:
        _cli("approve", pk, "--as", "officer_a")
    assert exc.value.returncode == 4 and "不能复核自己起草的草稿" in str(exc.value)
    assert _cli("approve", pk, "--as", "officer_b")["state"] == "approved"
    assert [d["id"] for d in _cli("drafts", "--state", "approved")] == [int(pk)]


def test_the_cli_refuses_bad_input_with_exit_2(officer_a):
    with pytest.raises(CommandError) as exc:
        _cli("draft", "--as", "officer_a", "--title", "x", "--documents", json.dumps(DOCUMENT),
             "--versions", json.dumps({**VERSION, "clause": ""}))  # fmt: skip
    assert exc.value.returncode == 2 and "缺少引用" in str(exc.value)


def test_the_cli_drafts_a_continuation(officer_a):
    draft = _cli(
        "draft",
        "--as",
        "officer_a",
        "--continue",
        "D003",
        "--until",
        "2026-12-31",
        "--clause",
        "一",
        "--text",
        "继续执行。",
    )
    assert draft["kind"] == "continuation" and draft["continued_to"] == "2026-12-31"
    assert {v["parameter"] for v in draft["versions"]} >= {"TRN-UPSKILL.shortage_uplift"}


# ---- pages -------------------------------------------------------------------------------------------


def test_the_page_shows_errors_next_to_the_field(officer_a):
    c = _client(officer_a)
    c.post("/policy/drafts/", {"form": "draft", "title": "2026"})
    draft = PolicyDraft.objects.get()
    page = c.post(f"/policy/drafts/{draft.pk}/versions/", {
        "parameter": "TRN-PROJECT.cap", "value": "1000-3000", "effective_from": "2026-01-01", "document": "D002",
        "clause": "第8条", "text": "…",
    })  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 422
    assert 'id="error-value"' in html and "区间" in html


def test_the_page_refuses_the_drafters_approval(officer_a, officer_b):
    c = _client(officer_a)
    c.post("/policy/drafts/", {"form": "draft", "title": "2026"})
    draft = PolicyDraft.objects.get()
    c.post(f"/policy/drafts/{draft.pk}/versions/", {
        "parameter": "TRN-PROJECT.cap", "value": "3000", "effective_from": "2026-01-01", "effective_to": "2026-12-31",
        "document": "__new__", "new_key": "D005", "new_title": "延续执行通知", "new_from": "2026-01-01",
        "new_to": "2026-12-31", "clause": "第一条", "text": "继续执行。",
    })  # fmt: skip
    c.post(f"/policy/drafts/{draft.pk}/submit/")
    listed = c.get("/policy/drafts/").content.decode()
    assert "2026" in listed and "待复核" in listed
    page = c.get(f"/policy/drafts/{draft.pk}/").content.decode()
    assert 'id="own-draft"' in page and 'data-testid="approve"' not in page
    r = c.post(f"/policy/drafts/{draft.pk}/approve/", follow=True)
    assert "不能复核自己起草的草稿" in r.content.decode()
    detail = _client(officer_b).get(f"/policy/drafts/{draft.pk}/").content.decode()
    assert ('id="diff"' in detail and "3,000.00" in detail) or "3000" in detail
    assert 'id="samples"' in detail and 'id="what-if"' in detail


def test_the_rules_page_shows_documents_and_rules_out_of_force_today(officer_a, settings):
    page = _client(officer_a).get("/policy/rules/").content.decode()
    assert "粤人社函〔2021〕53号" in page
    assert 'id="none-in-force"' in page and 'id="rules-without-version"' in page
    assert "于 2025-12-31 到期" in page


# ---- expiry warning ----------------------------------------------------------------------------------


def test_the_daily_job_warns_the_bureau_90_days_ahead_once(officer_a, settings):
    settings.POLICY_EXPIRY_WARNING_DAYS = 90
    assert policy_expiry_warn(today=datetime.date(2025, 9, 1)) == 0  # 121 days ahead: not yet
    found = policy_expiry_warn(today=datetime.date(2025, 10, 15))
    assert found > 0
    assert ExpiryWarning.objects.filter(
        kind="document", key="D002", ends_on=datetime.date(2025, 12, 31)
    ).exists()
    assert ExpiryWarning.objects.filter(kind="rule", key="TRN-PROJECT").exists()
    told = Notification.objects.filter(user=officer_a, kind="policy_expiring").count()
    assert told == found
    assert policy_expiry_warn(today=datetime.date(2025, 10, 16)) == 0
    assert Notification.objects.filter(user=officer_a, kind="policy_expiring").count() == told
    assert current_warnings(datetime.date(2025, 10, 16))
    home = _client(officer_a).get("/").content.decode()
    assert home  # today (2026) the warnings have passed; the dashboard shows current ones only


def test_the_dashboard_shows_current_warnings(officer_a, monkeypatch):
    from django.utils import timezone

    policy_expiry_warn(today=datetime.date(2025, 10, 15))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2025, 10, 20))
    home = _client(officer_a).get("/").content.decode()
    assert 'id="policy-expiry-warnings"' in home and "D002" in home


# ---- demo --------------------------------------------------------------------------------------------


def test_the_demo_draft_is_a_marked_assumption_never_published(officer_a):
    from skillcity.policy.lifecycle.demo import policy_draft_demo

    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    draft = policy_draft_demo(io.StringIO())
    assert draft is not None and draft.demo_assumption and draft.state == DraftState.DRAFT
    assert policy_draft_demo(io.StringIO()) is None  # idempotent
    assert draft.versions.count() == 10


def test_the_demo_draft_under_another_pack_continues_only_what_that_pack_has(officer_a):
    """Under testcity every demo parameter runs to 2030-12-31 (T001): each demo version starts the day
    after (not on 2026-01-01, which would overlap), and the draft is valid as a whole."""
    from pathlib import Path

    from django.test import override_settings

    from skillcity.policy import params as P
    from skillcity.policy.lifecycle.demo import policy_draft_demo

    packs = str(Path(__file__).resolve().parent.parent / "packs")
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    out = io.StringIO()
    with override_settings(POLICY_PACK="testcity", POLICY_PACK_DIRS=[packs]):
        ps = P.parameters()
        draft = policy_draft_demo(out)
        assert draft is not None and draft.pack == "testcity"
        for v in draft.versions.all():
            last_end = ps[v.parameter].versions[-1].effective_to
            assert last_end is not None and v.effective_from == last_end + datetime.timedelta(days=1)
        assert draft.versions.count() == 10
        assert draft.versions.get(parameter="TRN-PROJECT.cap").effective_from == datetime.date(2031, 1, 1)


def test_the_demo_leaves_out_a_parameter_the_pack_lacks(officer_a, monkeypatch):
    from skillcity.policy.lifecycle import demo

    monkeypatch.setattr(demo, "PARAMETERS", ("NOPE.gone", "TRN-PROJECT.cap"))
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    out = io.StringIO()
    draft = demo.policy_draft_demo(out)
    assert draft is not None
    assert [v.parameter for v in draft.versions.all()] == ["TRN-PROJECT.cap"]
    assert "NOPE.gone is not in pack dongguan, left out" in out.getvalue()


def test_a_json_number_value_is_one_error_on_value_never_one_per_json_type(officer_a):
    """A value the API cannot take names the field `value` once, not pydantic's union branches."""
    r = _client(officer_a).post(
        "/api/v1/policy/drafts",
        {"title": "x", "documents": [DOCUMENT], "versions": [{**VERSION, "value": "abc"}]},
        content_type="application/json",
    )
    assert r.status_code == 422 and set(r.json()["fields"]) == {"value"}
    ok = _client(officer_a).post(
        "/api/v1/policy/drafts",
        {"title": "x", "documents": [DOCUMENT], "versions": [{**VERSION, "value": 3100.5}]},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content  # a JSON number is read as the text "3100.5"
    assert not any("constrained" in k or k.endswith((".str", ".bool")) for k in ok.json().get("fields", {}))


def test_the_pages_and_the_expiry_job_hold_under_a_pack_that_enables_fewer_rules(officer_a, settings):
    """Guangdong's pack enables only its own rules: the rules page, the home page and the daily job
    consider those, never the whole shared library (a pack lacks the others' parameters)."""
    settings.POLICY_PACK = "guangdong"
    client = _client(officer_a)
    rules = client.get("/policy/rules/")
    assert rules.status_code == 200
    listed = rules.content.decode()
    assert "TRN-PAYEE" in listed and "CMP-CAMP" not in listed
    assert client.get("/").status_code == 200
    assert policy_expiry_warn(today=datetime.date(2025, 10, 15)) >= 1

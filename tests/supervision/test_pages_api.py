# ruff: noqa: F811  (the fixtures imported from tests.grants.conftest and workflow_helpers are named as the tests' arguments)
"""The supervision pages and API (issue 20 §5) by persona: the alerts list (filters, pages, query count
bounded), an alert page with its records linked and the actions (errors next to their fields), the risk
ranking (its arithmetic shown), the run history with the bureau's 全量核查 (queued for the task worker),
and the same through /api/v1/supervision/. A Humen officer does not find a Changan alert (404), an
enterprise user is refused (403)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skillcity.accounts.services import token_create
from skillcity.grants.models import Recovery
from skillcity.supervision.checks import CHECKS, Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.models import Alert, AlertState, PaymentHold, Run
from skillcity.supervision.selectors.risk import risk_ranking
from skillcity.supervision.services import supervise
from skillcity.supervision.services import workflow as wf
from tests.factories import WorkerFactory
from tests.grants.conftest import default_funds, fake_engine, finance_officer  # noqa: F401
from tests.supervision.workflow_helpers import CHECK_ID, grants_check, paid, raise_alert  # noqa: F401

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


def _workers(ctx: Context) -> list[Finding]:
    """Every worker with an employer, as a low alert on the employer (to fill the list)."""
    frame = ctx.frame("workers").filter(pl.col("employer_id").is_not_null())
    return [
        Finding(
            records=(RecordRef("registry.worker", row["id"], "劳动者"),),
            message=f"测试：劳动者 {row['id']}",
            severity="low",
            money=Decimal("10"),
            organisation_id=row["employer_id"],
            worker_id=row["id"],
            town_id=row["town_id"],
        )
        for row in frame.iter_rows(named=True)
    ]


@pytest.fixture
def workers_check():
    check = register_check(
        Check(
            id="TEST-WORKERS",
            title="测试：有用人单位的劳动者",
            enforces="测试",
            reads=("registry.worker",),
            run=_workers,
        )
    )
    yield check
    CHECKS.pop(check.id)


@pytest.fixture
def alert(grants_check, enterprise_user, changan_officer, bureau_officer, finance_officer):
    paid(enterprise_user, changan_officer, bureau_officer, finance_officer)
    return raise_alert()


def test_the_list_filters_and_its_query_count_does_not_grow_with_rows(
    workers_check, changan, humen, changan_enterprise, bureau_officer, changan_officer, client
):
    for _ in range(3):
        WorkerFactory(town=changan, employer=changan_enterprise)
    WorkerFactory(town=humen, employer=changan_enterprise)
    supervise(check_ids=["TEST-WORKERS"], full=True)
    client.force_login(bureau_officer)
    page = client.get("/supervision/").content.decode()
    assert page.count('href="/supervision/alerts/') == 4 and "测试：有用人单位的劳动者" in page
    only_humen = client.get(f"/supervision/?town={humen.pk}").content.decode()
    assert only_humen.count('href="/supervision/alerts/') == 1
    assert client.get("/supervision/?money_min=11").content.decode().count('href="/supervision/alerts/') == 0
    assert (
        client.get("/supervision/?state=dismissed").content.decode().count('href="/supervision/alerts/') == 0
    )
    bad = client.get("/supervision/?money_min=abc&town=x", follow=True).content.decode()
    assert "以下筛选条件无效，已忽略" in bad and bad.count('href="/supervision/alerts/') == 4
    # A town officer sees the town's alerts only.
    client.force_login(changan_officer)
    assert client.get("/supervision/").content.decode().count('href="/supervision/alerts/') == 3
    # The query count does not grow with the rows.
    client.force_login(bureau_officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/supervision/").status_code == 200
    for _ in range(5):
        WorkerFactory(town=changan, employer=WorkerFactory._meta.model.objects.first().employer)
    supervise(check_ids=["TEST-WORKERS"], full=True)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/supervision/").content.decode().count('href="/supervision/alerts/') == 9
    assert len(more.captured_queries) <= len(few.captured_queries)


def test_personas_on_an_alert_page(
    alert, bureau_officer, changan_officer, humen_officer, enterprise_user, client
):
    client.force_login(changan_officer)
    page = client.get(f"/supervision/alerts/{alert.pk}/").content.decode()
    app_id = alert.records[0]["id"]
    assert alert.message in page and f'href="/grants/{app_id}/"' in page and "100,000.00" in page
    assert 'id="form-investigate"' in page and 'id="form-dismiss"' in page
    client.force_login(humen_officer)
    assert client.get(f"/supervision/alerts/{alert.pk}/").status_code == 404
    assert client.post(f"/supervision/alerts/{alert.pk}/investigate/").status_code == 404
    client.force_login(enterprise_user)
    assert client.get("/supervision/").status_code == 403
    assert client.get(f"/supervision/alerts/{alert.pk}/").status_code == 403
    assert Alert.objects.get().state == AlertState.OPEN


def test_the_page_walks_an_alert_to_a_recovery_with_errors_next_to_fields(alert, changan_officer, client):
    client.force_login(changan_officer)
    base = f"/supervision/alerts/{alert.pk}/"
    assert client.post(base + "investigate/").status_code == 302
    missing = client.post(base + "confirm/", {"reason": ""})
    html = missing.content.decode()
    assert missing.status_code == 400 and 'data-error="reason"' in html and "请填写此项" in html
    assert client.post(base + "confirm/", {"reason": "核实违规"}).status_code == 302
    page = client.get(base).content.decode()
    assert 'id="form-hold"' in page and 'id="form-recover"' in page and 'id="form-refer"' in page
    app_id = alert.records[0]["id"]
    over = client.post(
        base + "recover/", {"application": app_id, "amount": "200000", "reason": "x", "idempotency_key": "k1"}
    )
    assert over.status_code == 400 and 'data-error="amount"' in over.content.decode()
    done = client.post(
        base + "recover/",
        {"application": app_id, "amount": "5000", "reason": "虚报", "idempotency_key": "k1"},
        follow=True,
    )
    assert "已记录追回 5,000.00 元" in done.content.decode() and 'id="recoveries"' in done.content.decode()
    client.post(
        base + "recover/",
        {"application": app_id, "amount": "5000", "reason": "虚报", "idempotency_key": "k1"},
    )
    assert Recovery.objects.count() == 1  # a resubmitted form records nothing twice
    held = client.post(base + "hold/", {"reason": "暂停"}, follow=True).content.decode()
    assert "已暂停该单位的补贴拨付" in held and "暂停中" in held
    hold = PaymentHold.objects.get()
    bad = client.post(f"/supervision/holds/{hold.pk}/release/", {"release_reason": ""})
    assert bad.status_code == 400 and 'data-error="release_reason"' in bad.content.decode()
    client.post(f"/supervision/holds/{hold.pk}/release/", {"release_reason": "已整改"})
    hold.refresh_from_db()
    assert hold.released_at is not None
    refer = client.post(base + "refer/", {"to": "", "note": ""})
    assert refer.status_code == 400 and 'data-error="to"' in refer.content.decode()
    assert client.post(base + "refer/", {"to": "labour_inspection", "note": "移送监察"}).status_code == 302
    assert client.post(base + "nonsense/").status_code == 404


def test_the_risk_ranking_shows_its_arithmetic(
    alert, workers_check, changan_enterprise, changan, bureau_officer, changan_officer, client
):
    WorkerFactory(town=changan, employer=changan_enterprise)
    supervise(check_ids=["TEST-WORKERS"], full=True)
    wf.alert_investigate(alert=alert, actor=bureau_officer)
    wf.alert_confirm(alert=alert, actor=bureau_officer, reason="核实")
    [risk] = risk_ranking(bureau_officer)
    # A confirmed high alert: 3 × 2 = 6; an open low alert: 1 × 1 = 1.
    assert risk.score == 7 and risk.confirmed == 1 and risk.money == Decimal("100010.00")
    assert [(c.check_id, c.points) for c in risk.contributions] == [(CHECK_ID, 6), ("TEST-WORKERS", 1)]
    client.force_login(changan_officer)
    page = client.get("/supervision/risk/").content.decode()
    assert "风险分 7" in page and "3 × 2 × 1 = 6" in page and changan_enterprise.name in page
    wf.alert_dismiss(alert=Alert.objects.get(check_id="TEST-WORKERS"), actor=bureau_officer, reason="误报")
    [risk] = risk_ranking(bureau_officer)
    assert risk.score == 6 and risk.dismissed == 1 and risk.money == Decimal("100000.00")


def test_the_bureau_starts_a_full_run_from_the_page_and_sees_its_state(
    workers_check, bureau_officer, changan_officer, django_capture_on_commit_callbacks, client
):
    from django_tasks_db.models import DBTaskResult

    from skillcity.supervision.tasks import supervise_full_task

    client.force_login(changan_officer)
    assert client.post("/supervision/runs/").status_code == 403
    client.force_login(bureau_officer)
    with django_capture_on_commit_callbacks(execute=True):  # queued once the request commits
        assert client.post("/supervision/runs/").status_code == 302
    page = client.get("/supervision/runs/").content.decode()
    assert "已发起全量核查" in page and "全量核查排队中" in page
    again = client.post("/supervision/runs/", follow=True).content.decode()
    assert "已有一次全量核查在排队或运行中" in again and DBTaskResult.objects.count() == 1
    supervise_full_task.call(bureau_officer.pk)  # what the worker does
    DBTaskResult.objects.update(status="SUCCESSFUL")
    page = client.get("/supervision/runs/").content.decode()
    run = Run.objects.get()
    assert run.full and run.actor == bureau_officer and "全量核查排队中" not in page
    assert "已完成" in page and "测试：有用人单位的劳动者" in page


def test_the_api_lists_shows_and_acts_in_scope(
    alert, bureau_officer, changan_officer, humen_officer, enterprise_user, client
):
    url = "/api/v1/supervision"
    listed = client.get(f"{url}/alerts?state=open&money_min=1000", **auth(changan_officer)).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == alert.pk
    assert client.get(f"{url}/alerts", **auth(humen_officer)).json()["count"] == 0
    assert client.get(f"{url}/alerts/{alert.pk}", **auth(humen_officer)).status_code == 404
    assert client.get(f"{url}/alerts", **auth(enterprise_user)).status_code == 403
    detail = client.get(f"{url}/alerts/{alert.pk}", **auth(changan_officer)).json()
    assert detail["records"][0]["url"] == f"/grants/{alert.records[0]['id']}/"
    assert detail["events"][0]["action"] == "raised"

    h = auth(changan_officer)
    post = lambda path, body: client.post(f"{url}{path}", body, content_type="application/json", **h)  # noqa: E731
    assert post(f"/alerts/{alert.pk}/assign", {"assignee": humen_officer.pk}).status_code == 400
    assert post(f"/alerts/{alert.pk}/assign", {"assignee": changan_officer.pk}).json()["state"] == "assigned"
    assert post(f"/alerts/{alert.pk}/investigate", {}).json()["state"] == "investigating"
    no_reason = post(f"/alerts/{alert.pk}/confirm", {"reason": " "})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    assert post(f"/alerts/{alert.pk}/confirm", {"reason": "核实"}).json()["state"] == "confirmed"
    hold = post(f"/alerts/{alert.pk}/hold", {"reason": "暂停"}).json()
    assert post(f"/alerts/{alert.pk}/hold", {"reason": "again"}).json()["id"] == hold["id"]
    body = {
        "application": alert.records[0]["id"],
        "amount": "800.00",
        "reason": "追回",
        "idempotency_key": "a1",
    }
    first = post(f"/alerts/{alert.pk}/recover", body).json()
    assert (
        post(f"/alerts/{alert.pk}/recover", body).json()["id"] == first["id"] and first["amount"] == "800.00"
    )
    assert post(f"/alerts/{alert.pk}/refer", {"to": "police", "note": "移送"}).json()["to"] == "police"
    released = post(f"/holds/{hold['id']}/release", {"release_reason": "整改完成"}).json()
    assert released["released_at"] is not None
    detail = client.get(f"{url}/alerts/{alert.pk}", **h).json()
    assert len(detail["recoveries"]) == 1 and len(detail["referrals"]) == 1 and len(detail["holds"]) == 1

    risk = client.get(f"{url}/risk", **h).json()
    assert risk[0]["score"] == 6 and risk[0]["contributions"][0]["check_id"] == CHECK_ID
    assert client.get(f"{url}/runs", **h).json()["runs"][0]["checks"] == [CHECK_ID]
    assert client.post(f"{url}/runs", **h).status_code == 403
    assert client.post(f"{url}/runs", **auth(bureau_officer)).status_code == 202

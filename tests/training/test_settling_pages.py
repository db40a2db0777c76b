"""Settlement without the command line: the provider starts it from the page (a background job with a
progress bar), the bureau reviews the statement, approves it (through grants, against a fund) and pays it
after a confirmation that shows the recipients and the total, under a treasury reference."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from skillcity.core.periods import HalfYear
from skillcity.grants.models import Application, Fund, Payment
from skillcity.training import services
from skillcity.training.models import Settlement
from tests.training.test_settlement import _complete_many

pytestmark = pytest.mark.django_db
H1 = HalfYear(2025, 1)


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _started(institution_user, training_class, django_capture_on_commit_callbacks) -> Settlement:
    _complete_many(training_class, 3)
    with django_capture_on_commit_callbacks(execute=True):
        r = _login(institution_user).post("/training/settlements/start/", {"period": "2025H1"})
    settlement = Settlement.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/training/settlements/{settlement.pk}/"
    return settlement


def test_a_provider_starts_a_settlement_from_the_page_and_sees_its_progress(
    institution_user, training_class, institution, django_capture_on_commit_callbacks
):
    settlement = _started(institution_user, training_class, django_capture_on_commit_callbacks)
    # The run is a background job: queued, not done; the page shows a bar that polls.
    assert settlement.status == "running" and settlement.enrolments_total == 3
    task = DBTaskResult.objects.get()
    assert task.task_path == "skillcity.training.tasks.settlement_run_task"
    c = _login(institution_user)
    page = c.get(f"/training/settlements/{settlement.pk}/").content.decode()
    assert "正在结算：已处理 0 / 3 人次" in page and 'hx-trigger="every 2s"' in page
    # One chunk of two: the bar moves; the job's checkpoint and progress are committed together.
    services.settlement_run(provider=institution, period=H1, chunk_size=2, max_chunks=1)
    progress = c.get(f"/training/settlements/{settlement.pk}/progress/")
    assert "已处理 2 / 3 人次" in progress.content.decode() and 'value="66"' in progress.content.decode()
    assert "HX-Refresh" not in progress
    services.settlement_run(provider=institution, period=H1, chunk_size=2)
    done = c.get(f"/training/settlements/{settlement.pk}/progress/")
    assert done["HX-Refresh"] == "true"
    page = c.get(f"/training/settlements/{settlement.pk}/").content.decode()
    # The statement: each rule by its title, the clause its amount comes from, the total.
    assert "项目制培训补贴" in page
    assert '<td class="text-end">7,500.00</td>' in page and "第8条" in page and "hx-trigger" not in page
    # Starting the same half year again returns the same settlement.
    again = c.post("/training/settlements/start/", {"period": "2025H1"})
    assert again["Location"] == f"/training/settlements/{settlement.pk}/" and Settlement.objects.count() == 1


def test_it_refuses_a_half_year_that_has_not_ended_or_is_not_a_half_year(institution_user):
    c = _login(institution_user)
    for period in ("2999H1", "2025H3", ""):
        r = c.post("/training/settlements/start/", {"period": period}, follow=True)
        assert "结算期" in r.content.decode() or "尚未结束" in r.content.decode()
    assert not Settlement.objects.exists()


def test_the_bureau_is_told_which_fund_to_create_before_it_can_approve(
    institution, training_class, finance_bureau
):
    _complete_many(training_class, 3)
    settlement = services.settlement_run(provider=institution, period=H1)
    c = _login(finance_bureau)
    page = c.post(f"/training/settlements/{settlement.pk}/approve/", follow=True).content.decode()
    assert "没有 2025 年度的资金" in page and "/grants/funds/new/?programme=TRN-PROJECT&amp;year=2025" in page
    assert Settlement.objects.get().status == "calculated" and not Application.objects.exists()


def test_the_bureau_approves_confirms_and_pays_through_grants_with_a_treasury_reference(
    institution, other_institution, training_class, finance_bureau, training_funds, institution_user
):
    _complete_many(training_class, 3)
    settlement = services.settlement_run(provider=institution, period=H1)
    c = _login(finance_bureau)
    approved = c.post(f"/training/settlements/{settlement.pk}/approve/", follow=True).content.decode()
    assert "已审批" in approved and "核定 7,500.00 元" in approved
    claim = Application.objects.get()
    assert (claim.rule_id, claim.state, claim.decided_amount) == (
        "TRN-PROJECT",
        "approved",
        Decimal("7500.00"),
    )
    assert Fund.objects.get(programme="TRN-PROJECT", year=2025).balances()["committed"] == Decimal("7500.00")
    # The confirmation first: recipients and total, nothing paid yet.
    confirm = c.post("/training/settlements/pay/", {"ids": [settlement.pk]}).content.decode()
    assert "将向 1 家单位拨付，合计 7,500.00 元" in confirm and not Payment.objects.exists()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = c.post("/training/settlements/pay/", {"ids": [settlement.pk]}).content.decode()
    assert "1 organisation will be paid 7,500.00 yuan" in english
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    key = confirm.split('name="idempotency_key" value="')[1].split('"')[0]
    form = {"ids": [settlement.pk], "confirmed": "1", "idempotency_key": key}
    missing = c.post("/training/settlements/pay/", {**form, "treasury_reference": " "})
    assert missing.status_code == 400 and "请填写此项" in missing.content.decode()
    assert "is-invalid" in missing.content.decode() and not Payment.objects.exists()
    # In English the count takes its singular (the Chinese reads the same, see the browser test).
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    paid = c.post("/training/settlements/pay/", {**form, "treasury_reference": "GK2025-0042"}, follow=True)
    assert (
        "Paid 7,500.00 yuan to 1 organisation (treasury payment reference GK2025-0042)"
        in paid.content.decode()
    )
    payment = Payment.objects.get()
    assert payment.treasury_reference == "GK2025-0042" and payment.amount == Decimal("7500.00")
    assert Settlement.objects.get().status == "paid"
    fund = Fund.objects.get(programme="TRN-PROJECT", year=2025).balances()
    assert fund["spent"] == Decimal("7500.00") and fund["committed"] == Decimal("0")
    # A replay of the confirmed form pays nothing again.
    c.post("/training/settlements/pay/", {**form, "treasury_reference": "GK2025-0042"})
    assert Payment.objects.count() == 1
    # The provider sees its statement and the reference, and can neither approve nor pay.
    provider = _login(institution_user)
    assert "GK2025-0042" in provider.get(f"/training/settlements/{settlement.pk}/").content.decode()
    assert provider.post("/training/settlements/pay/", {"ids": [settlement.pk]}).status_code == 403


def test_another_provider_cannot_see_the_settlement(institution, training_class, other_institution_user):
    _complete_many(training_class, 1)
    settlement = services.settlement_run(provider=institution, period=H1)
    c = _login(other_institution_user)
    assert c.get(f"/training/settlements/{settlement.pk}/").status_code == 404
    assert c.get(f"/training/settlements/{settlement.pk}/progress/").status_code == 404


def test_the_api_starts_a_settlement_and_pays_only_with_a_treasury_reference(
    institution_user, institution, training_class, finance_bureau, training_funds,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _complete_many(training_class, 2)
    api = _login(institution_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(
            "/api/v1/training/settlements", json.dumps({"period": "2025H1"}), content_type="application/json"
        )
    assert r.status_code == 202 and r.json()["enrolments_total"] == 2 and r.json()["status"] == "running"
    assert DBTaskResult.objects.count() == 1
    services.settlement_run(provider=institution, period=H1)
    pk = r.json()["id"]
    assert api.get(f"/api/v1/training/settlements/{pk}").json()["enrolments_done"] == 2
    bureau = _login(finance_bureau)
    bureau.post(f"/api/v1/training/settlements/{pk}/approve")
    url = f"/api/v1/training/settlements/{pk}/pay"
    missing = bureau.post(url, json.dumps({"idempotency_key": "a"}), content_type="application/json")
    assert missing.status_code == 400 and "treasury_reference" in missing.json()["fields"]
    too_long = bureau.post(url, json.dumps({"idempotency_key": "a", "treasury_reference": "x" * 65}),
                           content_type="application/json")  # fmt: skip
    assert too_long.status_code == 400 and Settlement.objects.get().status == "approved"
    ok = bureau.post(url, json.dumps({"idempotency_key": "a", "treasury_reference": "GK-7"}),
                     content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["status"] == "paid"
    assert Payment.objects.get().treasury_reference == "GK-7"

"""Budgets and payments: every approval and payment is booked against a fund for its rule and year (a
missing fund is named, with a link to create it); a payment is confirmed first and records its treasury
reference; the fund page shows budget, committed, paid and remaining by rule and by town."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from skillcity.grants import services
from skillcity.grants.models import Application, Fund, FundEntry, Payment
from skillcity.grants.services import FundMissing
from tests.grants.conftest import AFTER_NOTICE, submitted, to_notice

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_approval_with_no_fund_is_refused_naming_the_fund_to_create(
    own_funds, enterprise_user, changan_officer, bureau_officer
):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    with pytest.raises(FundMissing) as err:
        services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    assert err.value.code == "fund_missing" and "CMP-HOST" in str(err.value.message)
    assert "2024 年度" in str(err.value.message)
    assert err.value.create_url == "/grants/funds/new/?programme=CMP-HOST&year=2024"
    assert Application.objects.get().state == "in_notice" and not FundEntry.objects.exists()


def test_a_payment_approved_without_a_fund_is_refused_until_one_exists_then_booked(
    own_funds, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    # An entitlement approved before approvals had to draw on a fund (the CMP-TEAM payment of the issue).
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    Application.objects.filter(pk=app.pk).update(state="approved", decided_amount=Decimal("80000"))
    with pytest.raises(FundMissing):
        services.payment_make(
            application=app, actor=finance_officer, idempotency_key="k", treasury_reference="R1"
        )
    assert not Payment.objects.exists()
    fund = services.fund_create(
        actor=bureau_officer, programme="CMP-HOST", year=2024, name="竞赛", total=Decimal("100000")
    )
    services.payment_make(
        application=app, actor=finance_officer, idempotency_key="k", treasury_reference="R1"
    )
    assert fund.balances()["spent"] == Decimal("80000.00") and fund.balances()["remaining"] == Decimal(
        "20000.00"
    )


def test_the_treasury_reference_is_required_and_bounded_when_given(
    enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    for bad, code in (("  ", "treasury_reference_required"), ("x" * 65, "treasury_reference_too_long")):
        with pytest.raises(Exception) as err:
            services.payment_make(
                application=app, actor=finance_officer, idempotency_key="k", treasury_reference=bad
            )
        assert err.value.code == code and "treasury_reference" in err.value.fields
    payment = services.payment_make(
        application=app, actor=finance_officer, idempotency_key="k", treasury_reference=" GK-1 "
    )
    assert payment.treasury_reference == "GK-1"


def test_the_page_confirms_a_payment_with_recipient_and_total_then_pays_and_says_so(
    enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    c = _client(finance_officer)
    confirm = c.post(f"/grants/{app.pk}/pay/", {"idempotency_key": f"page-{app.pk}"}).content.decode()
    assert "将向 1 个收款方" in confirm and "合计 100,000.00 元" in confirm and not Payment.objects.exists()
    form = {"idempotency_key": f"page-{app.pk}", "confirmed": "1"}
    missing = c.post(f"/grants/{app.pk}/pay/", {**form, "treasury_reference": ""})
    assert missing.status_code == 400 and "请填写此项" in missing.content.decode()
    done = c.post(f"/grants/{app.pk}/pay/", {**form, "treasury_reference": "GK2024-9"}, follow=True)
    page = done.content.decode()
    assert f"已向 {enterprise_user.organisation.name} 拨付 100,000.00 元（国库支付凭证号 GK2024-9）" in page
    assert "操作成功" not in page
    assert "GK2024-9" in _client(bureau_officer).get("/grants/bureau/").content.decode()


def test_each_action_says_what_was_done(enterprise_user):
    app = services.application_create(
        actor=enterprise_user, rule_id="CMP-HOST", event_date=AFTER_NOTICE, facts={}
    )
    page = _client(enterprise_user).post(f"/grants/{app.pk}/submit/", follow=True).content.decode()
    assert f"已提交 {enterprise_user.organisation.name} 的申请" in page and "操作成功" not in page


def test_a_refused_approval_links_to_the_fund_creation_page_filled_in(
    own_funds, enterprise_user, changan_officer, bureau_officer, monkeypatch
):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    monkeypatch.setattr(services.common, "_today", lambda: AFTER_NOTICE)
    page = _client(bureau_officer).post(f"/grants/{app.pk}/approve/", follow=True).content.decode()
    assert 'href="/grants/funds/new/?programme=CMP-HOST&amp;year=2024"' in page
    form = _client(bureau_officer).get("/grants/funds/new/?programme=CMP-HOST&year=2024").content.decode()
    assert 'value="CMP-HOST" selected' in form and 'value="2024"' in form


def test_the_bureau_creates_a_fund_from_the_page_and_errors_name_the_field(own_funds, bureau_officer):
    c = _client(bureau_officer)
    bad = c.post(
        "/grants/funds/new/", {"programme": "CMP-TEAM", "year": "20x4", "name": "团队", "total": "1"}
    )
    assert "年度有误" in bad.content.decode() and "is-invalid" in bad.content.decode()
    r = c.post(
        "/grants/funds/new/",
        {"programme": "CMP-TEAM", "year": "2024", "name": "竞赛团队奖励", "total": "500000"},
    )
    fund = Fund.objects.get()
    assert r.status_code == 302 and (fund.programme, fund.year, fund.total) == (
        "CMP-TEAM",
        2024,
        Decimal("500000"),
    )
    again = c.post("/grants/funds/new/", {"programme": "CMP-TEAM", "year": "2024", "name": "x", "total": "1"})
    assert "已存在" in again.content.decode() and Fund.objects.count() == 1


def test_the_fund_page_shows_budget_committed_paid_remaining_by_rule_and_by_town(
    own_funds, enterprise_user, changan_officer, bureau_officer, finance_officer, humen_officer
):
    fund = services.fund_create(
        actor=bureau_officer, programme="CMP-HOST", year=2024, name="竞赛承办", total=Decimal("500000")
    )
    paid = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    paid = services.application_approve(application=paid, actor=bureau_officer, today=AFTER_NOTICE)
    services.payment_make(
        application=paid, actor=finance_officer, idempotency_key="a", treasury_reference="R"
    )
    committed = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    services.application_approve(
        application=committed, actor=bureau_officer, amount=Decimal("30000"), today=AFTER_NOTICE
    )
    c = _client(bureau_officer)
    page = c.get("/grants/funds/?year=2024").content.decode()
    assert "承办竞赛补助" in page or "CMP-HOST" in page
    assert all(v in page for v in ("500,000.00", "30,000.00", "100,000.00", "370,000.00"))  # grouped
    assert "竞赛承办" not in c.get("/grants/funds/?year=2023").content.decode()
    town = c.get(f"/grants/funds/{fund.pk}/").content.decode()
    assert enterprise_user.organisation.town.name in town and "30,000.00" in town
    api = c.get("/api/v1/grants/funds", {"year": 2024}).json()
    assert [(f["programme"], f["spent"], f["remaining"]) for f in api] == [
        ("CMP-HOST", "100000.00", "370000.00")
    ]
    towns = c.get(f"/api/v1/grants/funds/{fund.pk}/towns").json()
    assert towns == [
        {"town": enterprise_user.organisation.town.name, "committed": "30000.00", "spent": "100000.00"}
    ]
    assert _client(humen_officer).get("/grants/funds/").status_code == 403

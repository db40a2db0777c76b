"""Bulk payment (批量拨付): approved applications chosen on the grant list are confirmed (count, payees,
total, by fund, every refused row with its reason) and paid under one treasury reference — all of
them or none — once per idempotency key, by finance only, with an audit row per payment and one for
the batch."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from skillcity.accounts.models import Role
from skillcity.core.errors import Conflict, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.grants import services
from skillcity.grants.batch_pay import batch_done_message
from skillcity.grants.models import Application, Fund, FundEntry, Payment
from skillcity.grants.services import PaymentBatchRefused
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.conftest import AFTER_NOTICE, submitted, to_notice

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _approved(user, changan_officer, bureau_officer, amount: str) -> Application:
    app = to_notice(submitted(user), [changan_officer, bureau_officer], bureau_officer, Decimal(amount))
    return services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)


@pytest.fixture
def three_approved(changan, enterprise_user, changan_officer, bureau_officer):
    """Three approved CMP-HOST applications of three enterprises: 50,000 + 40,000 + 38,000."""
    users = [enterprise_user] + [
        UserFactory(role=Role.ORGANISATION_USER, organisation=OrganisationFactory(town=changan))
        for _ in range(2)
    ]
    return [
        _approved(u, changan_officer, bureau_officer, a)
        for u, a in zip(users, ("50000", "40000", "38000"), strict=True)
    ]


def test_it_pays_every_chosen_application_under_one_reference_with_audit_rows(
    three_approved, finance_officer
):
    ids = [a.pk for a in three_approved]
    answer = services.payment_batch_make(
        ids=ids, actor=finance_officer, idempotency_key="b1", treasury_reference="GK-2024-77"
    )
    assert answer["count"] == 3 and answer["units"] == 3 and answer["persons"] == 0
    assert Decimal(answer["total"]) == Decimal("128000.00")
    assert set(Payment.objects.values_list("treasury_reference", flat=True)) == {"GK-2024-77"}
    assert set(Application.objects.values_list("state", flat=True)) == {"paid"}
    assert FundEntry.objects.filter(kind="spend").count() == 3
    assert AuditEvent.objects.filter(action="grants.payment.make").count() == 3
    batch = AuditEvent.objects.get(action="grants.payment.batch")
    assert batch.after["applications"] == ids and batch.after["total"] == "128000.00"
    with translation.override("zh-hans"):
        assert batch_done_message(answer) == (
            "已向 3 家单位拨付 128,000.00 元（共 3 笔，国库支付凭证号 GK-2024-77）"
        )
    with translation.override("en"):
        english = batch_done_message(answer)
    assert "3 organisations" in english and "128,000.00" in english and "3 payments" in english


def test_one_refused_row_pays_nothing_and_every_refused_row_is_listed(
    own_funds,
    changan,
    enterprise_user,
    changan_officer,
    bureau_officer,
    finance_officer,
):
    Fund.objects.create(programme="CMP-HOST", year=2024, name="竞赛承办 2024", total=Decimal("1000000"))
    paid, approved, unapproved = (
        _approved(enterprise_user, changan_officer, bureau_officer, "10000"),
        _approved(enterprise_user, changan_officer, bureau_officer, "20000"),
        submitted(enterprise_user),
    )
    services.payment_make(
        application=paid, actor=finance_officer, idempotency_key="single", treasury_reference="R0"
    )
    # An entitlement approved before approvals drew on a fund, of a rule with no fund for its year.
    no_fund = submitted(enterprise_user, rule="PLT-STANDARD")
    Application.objects.filter(pk=no_fund.pk).update(state="approved", decided_amount=Decimal("60000"))
    ids = [approved.pk, paid.pk, unapproved.pk, no_fund.pk, 999999]
    with pytest.raises(PaymentBatchRefused) as err:
        services.payment_batch_make(
            ids=ids, actor=finance_officer, idempotency_key="b2", treasury_reference="GK-9"
        )
    codes = {r.application_id: r.code for r in err.value.refusals}
    assert codes == {
        paid.pk: "already_paid",
        unapproved.pk: "not_approved",
        no_fund.pk: "fund_missing",
        999999: "not_found",
    }
    missing = next(r for r in err.value.refusals if r.code == "fund_missing")
    assert "PLT-STANDARD" in missing.message and "2024" in missing.message
    assert missing.create_url == "/grants/funds/new/?programme=PLT-STANDARD&year=2024"
    # Nothing of the batch was paid, nor recorded.
    assert Payment.objects.count() == 1 and Application.objects.get(pk=approved.pk).state == "approved"
    assert not AuditEvent.objects.filter(action="grants.payment.batch").exists()
    # The page lists every refused row with its reason, and offers to pay the rest only.
    c = _client(finance_officer)
    form = {"ids": ids, "idempotency_key": "b2", "confirmed": "1", "treasury_reference": "GK-9"}
    page = c.post("/grants/pay-batch/", form)
    text = page.content.decode()
    assert page.status_code == 409 and "本批次未拨付任何款项" in text
    for pk in (paid.pk, unapproved.pk, no_fund.pk, 999999):
        assert f"#{pk}" in text
    assert "已拨付，不能重复拨付" in text and "尚未核准" in text and "申请不存在" in text
    assert 'href="/grants/funds/new/?programme=PLT-STANDARD&amp;year=2024"' in text
    assert 'id="pay-batch-rest"' in text and 'id="confirm-pay"' not in text
    assert Payment.objects.count() == 1


def test_a_repeated_post_pays_once_and_says_the_same(three_approved, finance_officer):
    c = _client(finance_officer)
    ids = [a.pk for a in three_approved[:2]]
    confirm = c.post("/grants/pay-batch/", {"ids": ids}).content.decode()
    key = confirm.split('name="idempotency_key" value="')[1].split('"')[0]
    form = {"ids": ids, "idempotency_key": key, "confirmed": "1", "treasury_reference": "GK-1"}
    first = c.post("/grants/pay-batch/", form, follow=True).content.decode()
    second = c.post("/grants/pay-batch/", form, follow=True).content.decode()
    message = "已向 2 家单位拨付 90,000.00 元（共 2 笔，国库支付凭证号 GK-1）"
    assert message in first and message in second
    assert Payment.objects.count() == 2
    assert AuditEvent.objects.filter(action="grants.payment.batch").count() == 1
    assert FundEntry.objects.filter(kind="spend").count() == 2
    # The same key for another set of applications is refused, and pays nothing.
    with pytest.raises(Conflict) as err:
        services.payment_batch_make(
            ids=[three_approved[2].pk], actor=finance_officer, idempotency_key=key, treasury_reference="GK-1"
        )
    assert err.value.code == "idempotency_key_reused" and Payment.objects.count() == 2
    # A new confirmation (a new key) for rows already paid pays nothing either: they are refused.
    with pytest.raises(PaymentBatchRefused):
        services.payment_batch_make(
            ids=ids, actor=finance_officer, idempotency_key="other", treasury_reference="GK-1"
        )
    assert Payment.objects.count() == 2


def test_only_finance_in_the_bureau_pays(three_approved, bureau_officer, changan_officer, enterprise_user):
    ids = [a.pk for a in three_approved]
    for user in (bureau_officer, changan_officer, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.payment_batch_make(
                ids=ids, actor=user, idempotency_key=f"k-{user.pk}", treasury_reference="R"
            )
        with pytest.raises(PermissionDenied):
            services.payment_batch_plan(ids=ids, actor=user)
    for user in (changan_officer, enterprise_user, bureau_officer):
        r = _client(user).post(
            "/grants/pay-batch/",
            {"ids": ids, "idempotency_key": "x", "confirmed": "1", "treasury_reference": "R"},
        )
        assert r.status_code == 403
    assert not Payment.objects.exists()
    # The list offers the checkboxes to finance only.
    assert 'id="pay-batch-form"' not in _client(bureau_officer).get("/grants/").content.decode()


def test_the_confirmation_shows_count_payees_total_and_funds_and_pays_nothing(
    three_approved, finance_officer, worker_user, changan_officer, bureau_officer
):
    person = _approved(worker_user, changan_officer, bureau_officer, "2000")
    c = _client(finance_officer)
    listing = c.get("/grants/?state=approved").content.decode()
    assert 'id="pay-batch-form"' in listing and 'data-sc-select-all="pay-batch-form"' in listing
    assert all(f'name="ids" value="{a.pk}"' in listing for a in three_approved)
    assert "50,000.00" in listing
    ids = [a.pk for a in three_approved] + [person.pk]
    page = c.post("/grants/pay-batch/", {"ids": ids})
    text = page.content.decode()
    assert page.status_code == 200
    assert "将拨付 4 件申请，收款方 3 家单位、1 位个人，合计 130,000.00 元" in text
    assert 'id="pay-batch-count">4<' in text and 'id="pay-batch-total">130,000.00<' in text
    assert "CMP-HOST 2024" in text and 'name="treasury_reference"' in text
    assert not Payment.objects.exists()
    # The treasury reference is required, next to its field, as for one payment.
    key = text.split('name="idempotency_key" value="')[1].split('"')[0]
    missing = c.post(
        "/grants/pay-batch/", {"ids": ids, "idempotency_key": key, "confirmed": "1", "treasury_reference": ""}
    )
    assert missing.status_code == 400 and "请填写此项" in missing.content.decode()
    assert not Payment.objects.exists()


def test_nothing_chosen_goes_back_to_the_list_saying_so(finance_officer):
    page = _client(finance_officer).post("/grants/pay-batch/", {}, follow=True).content.decode()
    assert "请勾选要拨付的申请" in page


def test_the_api_previews_and_pays_a_batch_once(three_approved, finance_officer):
    c = _client(finance_officer)
    ids = [a.pk for a in three_approved]

    def post(url: str, body: dict, **headers: str):
        return c.post(f"/api/v1/grants{url}", json.dumps(body), content_type="application/json", **headers)

    preview = post("/payments/batch/preview", {"ids": ids}).json()
    assert preview["count"] == 3 and preview["total"] == "128000.00" and preview["refused"] == []
    assert not Payment.objects.exists()
    body = {"ids": ids, "treasury_reference": "GK-API"}
    first = post("/payments/batch", body, HTTP_IDEMPOTENCY_KEY="api-1")
    assert first.status_code == 200 and first.json()["count"] == 3 and first.json()["total"] == "128000.00"
    again = post("/payments/batch", body, HTTP_IDEMPOTENCY_KEY="api-1")
    assert again.json()["replayed"] is True and again.json()["payments"] == first.json()["payments"]
    refused = post("/payments/batch", body, HTTP_IDEMPOTENCY_KEY="api-2")
    assert refused.status_code == 409 and refused.json()["code"] == "payment_batch_refused"
    assert {r["code"] for r in refused.json()["refused"]} == {"already_paid"}
    assert Payment.objects.count() == 3

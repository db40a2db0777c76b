from __future__ import annotations

import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from skillcity.grants import services
from skillcity.grants.models import Application, Evidence, Payment
from tests.grants.conftest import AFTER_NOTICE, submitted, to_notice

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_applicant_saves_a_draft_with_evidence_and_submits_it(enterprise_user):
    c = _client(enterprise_user)
    upload = SimpleUploadedFile("notice.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = c.post(
        "/grants/apply/",
        {
            "rule_id": "CMP-HOST",
            "event_date": "2024-03-01",
            "facts": '{"competition_level": "city"}',
            "evidence": upload,
        },
    )
    app = Application.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/grants/{app.pk}/")
    assert Evidence.objects.get().sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest()
    c.post(f"/grants/{app.pk}/submit/")
    app.refresh_from_db()
    assert app.state == "in_review"
    page = c.get(f"/grants/{app.pk}/").content.decode()
    assert "审核中" in page and "submit" in page


def test_the_preview_shows_the_engine_outcome_and_bad_facts_as_a_message(enterprise_user):
    c = _client(enterprise_user)
    # The preview is the real engine's outcome for the form's facts (PLT-STANDARD: D003's 200,000 cap).
    r = c.post(
        "/grants/preview/", {"rule_id": "PLT-STANDARD", "event_date": "2024-03-01", "requested": "250000"}
    )
    assert "200000.00" in r.content.decode() and "D003" in r.content.decode()
    r = c.post(
        "/grants/preview/", {"rule_id": "PLT-STANDARD", "event_date": "2024-03-01", "requested": "abc"}
    )
    # The message names the fact by its label, never its key.
    assert r.status_code == 200 and "申请金额（元）" in r.content.decode()
    assert "requested" not in r.content.decode()
    r = c.post("/grants/preview/", {"rule_id": "PLT-STANDARD", "event_date": "2024-03-01", "facts": "[oops"})
    assert r.status_code == 200 and "JSON" in r.content.decode()


def test_a_town_officer_queue_holds_only_their_town(enterprise_user, changan_officer, humen_officer):
    app = submitted(enterprise_user)
    assert str(app.pk) in _client(changan_officer).get("/grants/").content.decode()
    humen_page = _client(humen_officer).get("/grants/").content.decode()
    assert f'/grants/{app.pk}/"' not in humen_page
    assert _client(humen_officer).get(f"/grants/{app.pk}/").status_code == 404


def test_a_refused_decision_shows_its_reason_on_the_page(enterprise_user, changan_officer, bureau_officer):
    app = services.application_review_pass(
        application=submitted(enterprise_user, "PLT-STANDARD"), actor=changan_officer
    )
    r = _client(bureau_officer).post(f"/grants/{app.pk}/pass/", {"amount": "1"}, follow=True)
    assert "50000.00" in r.content.decode()
    app.refresh_from_db()
    assert app.stage_index == 1


def test_bulk_pass_passes_fixed_items_only(enterprise_user, changan_officer):
    fixed = submitted(enterprise_user, "CMP-MATCH")
    capped = submitted(enterprise_user, "CMP-HOST")
    _client(changan_officer).post("/grants/bulk-pass/", {"ids": [fixed.pk, capped.pk]})
    fixed.refresh_from_db()
    capped.refresh_from_db()
    assert fixed.stage_index == 1 and capped.stage_index == 0


def test_the_public_sees_notices_and_lodges_an_objection(enterprise_user, changan_officer, bureau_officer):
    app = submitted(enterprise_user)
    app = services.application_review_pass(application=app, actor=changan_officer)
    app = services.application_review_pass(application=app, actor=bureau_officer)
    services.notice_start(application=app, actor=bureau_officer)  # starts today
    app.refresh_from_db()
    public = Client()
    assert enterprise_user.organisation.name in public.get("/grants/notices/").content.decode()
    r = public.post(
        f"/grants/notices/{app.notice.pk}/objection/", {"text": "重复申报", "contact": "138"}, follow=True
    )
    assert "异议已提交" in r.content.decode()
    assert app.notice.objections.count() == 1


def test_the_payments_export_is_an_xlsx_for_the_bureau_only(
    enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    services.payment_make(application=app, actor=finance_officer, idempotency_key="x")
    r = _client(bureau_officer).get("/grants/payments.xlsx")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][0] == "拨付编号"
        and rows[1][3] == "CMP-HOST"
        and Decimal(str(rows[1][6])) == Decimal("100000")
    )
    assert _client(changan_officer).get("/grants/payments.xlsx").status_code == 403


def _api(user):
    c = _client(user)

    def call(method: str, url: str, body: dict | None = None, **headers: str):
        if method == "get":
            return c.get(f"/api/v1/grants{url}", **headers)
        return c.post(
            f"/api/v1/grants{url}", data=json.dumps(body or {}), content_type="application/json", **headers
        )

    return call


def test_the_api_runs_the_whole_path_and_pays_once(
    enterprise_user, changan_officer, bureau_officer, finance_officer
):
    r = _api(enterprise_user)(
        "post", "/applications", {"rule_id": "CMP-HOST", "event_date": "2024-03-01", "facts": {}}
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    assert _api(enterprise_user)("post", f"/applications/{pk}/submit").json()["state"] == "in_review"
    assert _api(changan_officer)("post", f"/applications/{pk}/pass", {}).json()["stage"] == "bureau"
    r = _api(bureau_officer)("post", f"/applications/{pk}/pass", {"amount": "200000"})
    assert (
        r.status_code == 400 and r.json()["code"] == "amount_out_of_bounds" and "amount" in r.json()["fields"]
    )
    _api(bureau_officer)("post", f"/applications/{pk}/pass", {"amount": "90000"})
    _api(bureau_officer)("post", f"/applications/{pk}/notice", {"start": "2024-04-01"})
    app = Application.objects.get(pk=pk)
    services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    pay = {"treasury_reference": "GK2024-0001"}
    missing = _api(finance_officer)("post", f"/applications/{pk}/pay", {}, HTTP_IDEMPOTENCY_KEY="k1")
    assert missing.status_code == 400 and missing.json()["fields"]["treasury_reference"] == ["请填写此项"]
    r = _api(finance_officer)("post", f"/applications/{pk}/pay", pay, HTTP_IDEMPOTENCY_KEY="k1")
    assert r.status_code == 200 and r.json()["amount"] == "90000.00"
    assert r.json()["treasury_reference"] == "GK2024-0001"
    again = _api(finance_officer)("post", f"/applications/{pk}/pay", pay, HTTP_IDEMPOTENCY_KEY="k1")
    assert again.json()["payment"] == r.json()["payment"]
    other = _api(finance_officer)("post", f"/applications/{pk}/pay", pay, HTTP_IDEMPOTENCY_KEY="k2")
    assert other.status_code == 409 and other.json()["code"] == "already_paid"
    assert Payment.objects.count() == 1
    timeline = _api(enterprise_user)("get", f"/applications/{pk}").json()["timeline"]
    assert [e["action"] for e in timeline] == [
        "create",
        "submit",
        "review_pass",
        "review_pass",
        "notice_start",
        "approve",
        "pay",
    ]


def test_the_api_refuses_an_illegal_transition_naming_the_state(enterprise_user, bureau_officer):
    app = submitted(enterprise_user)
    r = _api(bureau_officer)("post", f"/applications/{app.pk}/approve", {})
    assert (
        r.status_code == 409 and r.json()["code"] == "illegal_transition" and "审核中" in r.json()["message"]
    )


def test_the_api_hides_other_towns_applications(enterprise_user, humen_officer):
    app = submitted(enterprise_user)
    assert _api(humen_officer)("get", f"/applications/{app.pk}").status_code == 404
    assert _api(humen_officer)("get", "/applications").json() == []


def test_the_apply_and_bureau_pages_render_for_their_roles_only(
    enterprise_user, bureau_officer, changan_officer
):
    assert "政策条目" in _client(enterprise_user).get("/grants/apply/").content.decode()
    form = _client(enterprise_user).get("/grants/apply/?rule=PLT-STUDIO").content.decode()
    assert 'name="recognition"' in form
    # A competition award is made from the competition's records, not typed here.
    page = _client(enterprise_user).get("/grants/apply/?rule=CMP-HOST").content.decode()
    assert 'id="from-records"' in page and 'id="apply-form"' in page
    assert _client(changan_officer).get("/grants/apply/").status_code == 403
    assert "资金" in _client(bureau_officer).get("/grants/bureau/").content.decode()
    assert _client(enterprise_user).get("/grants/bureau/").status_code == 403


def test_it_writes_payment_list_names_that_look_like_formulas_as_text(
    enterprise_user, changan_officer, bureau_officer, finance_officer
):
    from tests.exports import HYPERLINK, assert_text_not_formula

    enterprise_user.organisation.name = HYPERLINK
    enterprise_user.organisation.save(update_fields=["name"])
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    services.payment_make(application=app, actor=finance_officer, idempotency_key="=1+1")
    response = _client(bureau_officer).get("/grants/payments.xlsx")
    assert response.status_code == 200
    assert_text_not_formula(response.content, HYPERLINK, "=1+1")


def test_the_bureau_sees_a_policy_funds_years_and_clause(own_funds, bureau_officer):
    services.fund_from_policy(
        actor=bureau_officer,
        programme="EDU-BASE",
        parameter="EDU-BASE.fund",
        name="高水平校企合作基地专项资金",
    )
    page = _client(bureau_officer).get("/grants/bureau/").content.decode()
    assert "2022–2025" in page and "依据：D003 §二(一)" in page
    funds = _api(bureau_officer)("get", "/funds").json()
    assert [(f["year"], f["last_year"], f["source"], f["total"]) for f in funds] == [
        (2022, 2025, "D003 §二(一)", "25000000.00")
    ]

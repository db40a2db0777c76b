"""Leading-talent pages and API: the bureau's overview and review, the worker's phone page, the panel
member's scoring sheet, the unit's page, the schedules, exceptional promotion, the honorary PDF."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillcity.certification.models import ExceptionalGrounds
from skillcity.talents.models import LeadingApplication, LeadingCall, RentState
from skillcity.talents.services import leading, rent
from tests.factories import OccupationFactory, UserFactory, WorkerFactory
from tests.talents.leading_helpers import DAY, expert, finance, funds, to_recognition

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def open_call(bureau_officer):
    """A 2025 call still open today, so the pages can apply."""
    funds(bureau_officer)
    return leading.call_create(
        actor=bureau_officer,
        year=2025,
        title="2025年东莞市技能领军人才认定",
        opens_on=datetime.date(2025, 3, 1),
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
        quota=25,
    )


def test_the_bureau_sees_progress_and_publishes_a_call(bureau_officer):
    c = _client(bureau_officer)
    html = c.get(reverse("talents:leading")).content.decode()
    assert "到2025年认定 100 名" in html and 'id="progress-years"' in html
    bad = c.post(
        reverse("talents:leading"),
        {"year": "2024", "title": "x", "opens_on": "2024-05-01", "closes_on": "2024-04-01", "quota": "25"},
    )
    assert "申报截止不能早于申报开始" in bad.content.decode()
    ok = c.post(
        reverse("talents:leading"),
        {
            "year": "2024",
            "title": "2024年认定",
            "opens_on": "2024-03-01",
            "closes_on": "2024-04-01",
            "quota": "25",
        },
    )
    assert ok.status_code == 302
    assert LeadingCall.objects.get(year=2024).criteria[0]["code"] == "skill"


def test_a_worker_applies_from_the_phone_page_and_sees_the_records_and_route(
    open_call, worker_user, changan_worker
):
    from skillcity.registry.models import SkillRecord

    SkillRecord.objects.create(
        worker=changan_worker,
        kind="honour",
        honour="guangdong_technical_expert",
        obtained_on=datetime.date(2020, 1, 1),
    )
    c = _client(worker_user)
    page = c.get(reverse("talents:leading_mine"))
    assert 'id="apply"' in page.content.decode()
    empty = c.post(reverse("talents:leading_mine"), {"call": open_call.pk, "grounds": ""})
    assert 'id="error-grounds"' in empty.content.decode()
    done = c.post(
        reverse("talents:leading_mine"),
        {
            "call": open_call.pk,
            "grounds": "解决模具难题",
            "evidence": [SimpleUploadedFile("a.pdf", b"%PDF a")],
        },
    )
    app = LeadingApplication.objects.get()
    assert done.status_code == 302 and app.evidence.count() == 1
    html = c.get(reverse("talents:leading_detail", args=[app.pk])).content.decode()
    assert "广东省技术能手" in html and "二类人才" in html and 'id="title-route"' in html


def test_the_review_on_the_call_page_refuses_a_conflicted_member_and_the_member_scores_on_the_phone(
    open_call, bureau_officer, worker_user, changan_enterprise, changan
):
    app = leading.application_submit(actor=worker_user, call=open_call, grounds="g", day=DAY)
    b = _client(bureau_officer)
    act = reverse("talents:leading_act", args=[app.pk])
    b.post(act, {"action": "formal_pass"})
    colleague = WorkerFactory(town=changan, employer=changan_enterprise, name="同厂专家")
    UserFactory(username="colleague", role="worker", worker=colleague)  # a member scores signed in
    b.post(reverse("talents:leading_panel_add", args=[open_call.pk]), {"id_number": colleague.id_number})
    member = open_call.panel.get()
    refused = b.post(act, {"action": "assign", "member": member.pk}, follow=True).content.decode()
    assert "应当回避" in refused and not app.assignments.exists()
    ew, eu = expert(changan)
    other = leading.panel_member_add(actor=bureau_officer, call=open_call, worker=ew)
    b.post(act, {"action": "assign", "member": other.pk})
    assignment = app.assignments.get()
    m = _client(eu)
    assert "评分" in m.get(reverse("talents:leading_panel")).content.decode()
    sheet = reverse("talents:leading_score", args=[assignment.pk])
    bad = m.post(
        sheet, {"skill": "31", "contribution": "10", "honours": "10", "mentoring": "10"}
    ).content.decode()
    assert 'id="error-skill"' in bad
    m.post(sheet, {"skill": "28", "contribution": "25", "honours": "18", "mentoring": "17.5"})
    assert "88.5" in m.get(sheet).content.decode()
    detail = b.get(reverse("talents:leading_detail", args=[app.pk])).content.decode()
    assert 'id="scores"' in detail and "88.5" in detail


def test_the_recognised_talent_gets_the_pdf_and_claims_from_the_detail_page(
    open_call, bureau_officer, worker_user, changan
):
    app = leading.application_submit(actor=worker_user, call=open_call, grounds="g", day=DAY)
    ew, eu = expert(changan)
    recognition = to_recognition(bureau_officer, open_call, app, ew, eu)
    c = _client(worker_user)
    pdf = c.get(reverse("talents:leading_certificate", args=[recognition.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    low = c.post(
        reverse("talents:leading_detail", args=[app.pk]),
        {
            "action": "home",
            "home-requested": "500000",
            "home-proof": SimpleUploadedFile("contract.pdf", b"%PDF c"),
        },
    ).content.decode()
    assert 'id="error-home-requested"' in low and "1000000.00" in low
    mine = c.get(reverse("talents:leading_mine")).content.decode()
    assert "生活补贴" in mine and "200,000.00" in mine


def test_finance_sets_up_the_rent_and_the_bureau_pauses_and_ends_it(
    open_call, bureau_officer, worker_user, changan
):
    app = leading.application_submit(actor=worker_user, call=open_call, grounds="g", day=DAY)
    ew, eu = expert(changan)
    recognition = to_recognition(bureau_officer, open_call, app, ew, eu)
    f = _client(finance())
    out = f.post(
        reverse("talents:leading_detail", args=[app.pk]),
        {
            "action": "rent",
            "rent-monthly_amount": "6000",
            "rent-first_month": timezone.localdate().isoformat(),
            "rent-months": "12",
        },
    ).content.decode()
    assert 'id="error-rent-monthly_amount"' in out
    f.post(
        reverse("talents:leading_detail", args=[app.pk]),
        {
            "action": "rent",
            "rent-monthly_amount": "3000",
            "rent-first_month": timezone.localdate().isoformat(),
            "rent-months": "12",
        },
    )
    schedule = recognition.rent_schedules.get()
    b = _client(bureau_officer)
    assert "3,000.00" in b.get(reverse("talents:leading_schedules")).content.decode()
    act = reverse("talents:leading_schedule_act", args=[schedule.pk])
    b.post(act, {"action": "pause", "note": "核查"})
    schedule.refresh_from_db()
    assert schedule.state == RentState.PAUSED
    b.post(act, {"action": "end", "reason": "left_city", "note": "调往外市"})
    schedule.refresh_from_db()
    assert schedule.state == RentState.ENDED and schedule.end_note == "调往外市"
    assert "离开本市" in b.get(reverse("talents:leading_schedules")).content.decode()


def test_the_unit_sees_its_talents_and_applies_for_its_worker(open_call, enterprise_user, changan_worker):
    c = _client(enterprise_user)
    c.post(
        reverse("talents:leading_unit"),
        {"call": open_call.pk, "worker": changan_worker.pk, "grounds": "引进", "introduced_on": "2025-01-01"},
    )
    app = LeadingApplication.objects.get()
    assert app.by_unit and app.introduced_on == datetime.date(2025, 1, 1)
    assert changan_worker.name in c.get(reverse("talents:leading_unit")).content.decode()


def test_the_api_walks_the_review(open_call, bureau_officer, worker_user, changan):
    w = _client(worker_user)
    made = w.post(
        "/api/v1/talents/leading/applications",
        {"call_id": open_call.pk, "grounds": "g"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    b = _client(bureau_officer)
    assert (
        b.post(
            f"/api/v1/talents/leading/applications/{pk}/actions",
            {"action": "formal_pass"},
            content_type="application/json",
        ).json()["state"]
        == "in_panel"
    )
    ew, eu = expert(changan)
    member = b.post(
        f"/api/v1/talents/leading/calls/{open_call.pk}/panel",
        {"worker_id": ew.pk},
        content_type="application/json",
    ).json()
    b.post(
        f"/api/v1/talents/leading/applications/{pk}/actions",
        {"action": "assign", "member_id": member["id"]},
        content_type="application/json",
    )
    e = _client(eu)
    [assignment] = e.get("/api/v1/talents/leading/assignments").json()
    bad = e.post(
        f"/api/v1/talents/leading/assignments/{assignment['id']}/scores",
        {"points": {"skill": "99"}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "skill" in bad.json()["fields"]
    ok = e.post(
        f"/api/v1/talents/leading/assignments/{assignment['id']}/scores",
        {"points": {"skill": "20", "contribution": "20", "honours": "10", "mentoring": "10"}},
        content_type="application/json",
    )
    assert ok.status_code == 200
    out = b.post(
        f"/api/v1/talents/leading/applications/{pk}/actions",
        {"action": "shortlist", "living_amount": "400000"},
        content_type="application/json",
    )
    assert out.status_code == 400 and out.json()["code"] == "amount_out_of_bounds"
    assert b.get("/api/v1/talents/leading/progress").json()["target"] == 100
    assert w.get("/api/v1/talents/leading/progress").status_code == 403


def test_exceptional_promotion_pages(worker_user, bureau_officer):
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    c = _client(worker_user)
    missing = c.post(
        reverse("talents:exceptional"),
        {
            "occupation": lathe.pk,
            "target_level": "2",
            "grounds": ExceptionalGrounds.PROVINCIAL_AWARD,
            "statement": "省级技术创新奖",
        },
    )
    assert 'id="error-evidence"' in missing.content.decode() or "请上传证明材料" in missing.content.decode()
    c.post(
        reverse("talents:exceptional"),
        {
            "occupation": lathe.pk,
            "target_level": "2",
            "grounds": ExceptionalGrounds.PROVINCIAL_AWARD,
            "statement": "省级技术创新奖",
            "evidence": [SimpleUploadedFile("a.pdf", b"%PDF a")],
        },
    )
    b = _client(bureau_officer)
    html = b.get(reverse("talents:exceptional")).content.decode()
    assert "获得省级及以上奖项" in html and "省级技术创新奖" in html
    api = b.get("/api/v1/talents/exceptional").json()
    assert api[0]["grounds_label"] == "获得省级及以上奖项"


def test_grants_pages_name_the_talents_source(open_call, bureau_officer, worker_user, changan):
    app = leading.application_submit(actor=worker_user, call=open_call, grounds="g", day=DAY)
    ew, eu = expert(changan)
    to_recognition(bureau_officer, open_call, app, ew, eu)
    grant = leading.living_application(app)
    html = _client(bureau_officer).get(reverse("grants:detail", args=[grant.pk])).content.decode()
    assert f"2025年技能领军人才 {worker_user.worker.name} · 生活补贴" in html
    assert rent.month_key(DAY) == "2025-03" and Decimal(grant.decided_amount) == Decimal("200000.00")

"""Master-studio pages and API: the enterprise files with a registry worker and reports; the bureau
reviews, recognises, evaluates, records upgrades and closures, with T-STUDIOS progress on its list; errors
next to the fields; another enterprise's studio is not found; the public list needs no login."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from skillcity.platforms.models import Studio, StudioReport, StudioState
from skillcity.platforms.services import studios as services
from tests.factories import WorkerFactory
from tests.platforms.studios_setup import applied, recognised, world

pytestmark = pytest.mark.django_db
API = "/api/v1/platforms"


@pytest.fixture
def w():
    return world()


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_enterprise_files_an_application_on_its_page(w):
    WorkerFactory(town=w["town"], employer=w["enterprise"], highest_level=4, name="李中级")
    c = _client(w["unit"])
    page = c.get(reverse("platforms:studio_list")).content.decode()
    assert "陈大师（二级/技师）" in page and "李中级" not in page  # only high-skilled workers offered
    r = c.post(
        reverse("platforms:studio_list"),
        {
            "apply-name": "长安模具工作室",
            "apply-kind": "master",
            "apply-lead": w["lead"].pk,
            "apply-occupation": "模具工",
            "apply-summary": "带徒传技",
        },
    )
    studio = Studio.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("platforms:studio_detail", args=[studio.pk])
    detail = c.get(r["Location"]).content.decode()
    assert 'data-state="submitted">待审查<' in detail and w["lead"].name in detail


def test_errors_sit_next_to_their_fields_naming_the_label(w):
    c = _client(w["unit"])
    applied(w)
    r = c.post(
        reverse("platforms:studio_list"),
        {
            "apply-name": "",
            "apply-kind": "master",
            "apply-lead": w["lead"].pk,
            "apply-occupation": "x",
            "apply-summary": "y",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200 and 'id="error-apply-name"' in page
    r = c.post(
        reverse("platforms:studio_list"),
        {
            "apply-name": "二号",
            "apply-kind": "master",
            "apply-lead": w["lead"].pk,
            "apply-occupation": "x",
            "apply-summary": "y",
        },
    )
    page = r.content.decode()
    assert 'id="error-apply-lead"' in page and "已领办或申报" in page


def test_the_bureau_walks_a_studio_through_its_page(w):
    studio = applied(w)
    b = _client(w["bureau"])
    url = reverse("platforms:studio_detail", args=[studio.pk])
    assert b.post(url, {"action": "review", "review-decision": "pass", "review-note": ""}).status_code == 302
    r = b.post(
        url, {"action": "recognise", "recognise-amount": "600000", "recognise-recognised_on": "2024-03-01"}
    )
    assert r.status_code == 200 and 'id="error-recognise-amount"' in r.content.decode()
    r = b.post(
        url, {"action": "recognise", "recognise-amount": "450000", "recognise-recognised_on": "2024-03-01"}
    )
    assert r.status_code == 302
    page = b.get(url).content.decode()
    assert "已认定" in page and "450,000.00" in page and "新设市级工作室补贴" in page
    r = b.post(
        url,
        {
            "action": "upgrade",
            "upgrade-level": "provincial",
            "upgrade-recognised_on": "2024-09-01",
            "upgrade-document": "粤人社函",
        },
    )
    assert r.status_code == 302
    page = b.get(url).content.decode()
    assert "获评省级一次性奖励" in page and "省级" in page
    apprentice = WorkerFactory(town=w["town"], employer=w["enterprise"], name="徒弟甲")
    u = _client(w["unit"])
    r = u.post(
        url,
        {
            "action": "report",
            "report-year": "2024",
            "report-apprentices": f"{apprentice.id_number}\n110101199001011234",
            "report-results": "攻关",
            "report-results_count": "2",
            "report-courses": "",
            "report-courses_count": "0",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200 and 'id="error-report-apprentices"' in page and "不在人才登记库" in page
    r = u.post(
        url,
        {
            "action": "report",
            "report-year": "2024",
            "report-apprentices": apprentice.id_number,
            "report-results": "攻关",
            "report-results_count": "2",
            "report-courses": "课程",
            "report-courses_count": "1",
        },
    )
    assert r.status_code == 302
    report = StudioReport.objects.get()
    assert "徒弟甲" in u.get(url).content.decode()
    # The enterprise cannot evaluate; the bureau fails it with the reasons.
    assert u.post(url, {"action": "evaluate", "report": report.pk}).status_code == 404
    r = b.post(url, {"action": "evaluate", "report": report.pk, f"evaluate-{report.pk}-decision": "fail"})
    assert f'id="error-evaluate-{report.pk}-reasons"' in r.content.decode()
    r = b.post(
        url,
        {
            "action": "evaluate",
            "report": report.pk,
            f"evaluate-{report.pk}-decision": "fail",
            f"evaluate-{report.pk}-reasons": "未带徒",
        },
    )
    assert r.status_code == 302
    page = b.get(url).content.decode()
    assert "评估不合格，已撤销" in page and "未带徒" in page


def test_the_bureau_closes_a_studio_with_the_reason(w):
    studio, _g = recognised(w)
    b = _client(w["bureau"])
    url = reverse("platforms:studio_detail", args=[studio.pk])
    r = b.post(url, {"action": "close", "close-reason": "", "close-ended_on": "2025-01-02"})
    assert 'id="error-close-reason"' in r.content.decode()
    b.post(url, {"action": "close", "close-reason": "企业注销", "close-ended_on": "2025-01-02"})
    assert Studio.objects.get().state == StudioState.CLOSED


def test_the_enterprise_sees_no_bureau_actions_and_another_enterprise_gets_404(w):
    studio = applied(w)
    url = reverse("platforms:studio_detail", args=[studio.pk])
    page = _client(w["unit"]).get(url).content.decode()
    assert 'name="action" value="review"' not in page
    assert _client(w["other_unit"]).get(url).status_code == 404
    assert _client(w["unit"]).post(url, {"action": "review", "review-decision": "pass"}).status_code == 404


def test_the_bureau_list_shows_t_studios_progress_and_filters(w):
    recognised(w)
    page = _client(w["bureau"]).get(reverse("platforms:studio_list")).content.decode()
    assert 'id="studio-progress"' in page and "目标 200 个" in page and "2021–2025年已新建 1 个" in page
    page = _client(w["bureau"]).get(reverse("platforms:studio_list"), {"state": "closed"}).content.decode()
    assert "暂无工作室" in page
    assert (
        'id="studio-progress"'
        not in _client(w["unit"]).get(reverse("platforms:studio_list")).content.decode()
    )


def test_the_public_list_needs_no_login_masks_the_lead_and_drops_closed_studios(w):
    studio, _g = recognised(w)
    c = Client()
    page = c.get(reverse("platforms:public_index")).content.decode()
    assert "长安精密模具技能大师工作室" in page and "陈*师" in page and "陈大师" not in page
    assert c.get(f"{API}/studios/public").json()[0]["lead"] == "陈*师"
    services.studio_close(actor=w["bureau"], studio=studio, reason="企业注销")
    assert "长安精密模具技能大师工作室" not in c.get(reverse("platforms:public_index")).content.decode()


def test_the_api_walks_the_lifecycle(w):
    u, b = _client(w["unit"]), _client(w["bureau"])
    made = u.post(
        f"{API}/studios",
        {"name": "API工作室", "lead_id": w["lead"].pk, "occupation": "电工", "summary": "s"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert (
        u.post(f"{API}/studios/{pk}/review", {"passed": True}, content_type="application/json").status_code
        == 403
    )
    assert (
        b.post(f"{API}/studios/{pk}/review", {"passed": True}, content_type="application/json").json()[
            "state"
        ]
        == "reviewed"
    )
    too_much = b.post(
        f"{API}/studios/{pk}/recognise", {"amount": "500000.01"}, content_type="application/json"
    )
    assert too_much.status_code == 422
    r = b.post(
        f"{API}/studios/{pk}/recognise",
        {"amount": "200000", "recognised_on": "2024-03-01"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["state_label"] == "已认定"
    apprentice = WorkerFactory(town=w["town"])
    rep = u.post(
        f"{API}/studios/{pk}/reports",
        {"year": 2024, "apprentice_ids": [apprentice.pk], "results": "r", "results_count": 1},
        content_type="application/json",
    )
    assert rep.status_code == 201, rep.content
    ev = b.post(
        f"{API}/studio-reports/{rep.json()['id']}/evaluate",
        {"passed": True, "reasons": "好"},
        content_type="application/json",
    )
    assert ev.json()["result"] == "passed"
    up = b.post(
        f"{API}/studios/{pk}/upgrade",
        {"level": "national", "recognised_on": "2025-01-10", "document": "人社部"},
        content_type="application/json",
    )
    assert up.status_code == 200 and up.json()["level"] == "national"
    detail = u.get(f"{API}/studios/{pk}").json()
    assert [g["kind"] for g in detail["grants"]] == ["new_city", "national"]
    assert detail["reports"][0]["apprentices"][0]["worker_id"] == apprentice.pk
    assert _client(w["other_unit"]).get(f"{API}/studios/{pk}").status_code == 404
    progress = b.get(f"{API}/studios/progress").json()
    assert progress["target_total"] == 200 and progress["total"] == 1
    assert u.get(f"{API}/studios/progress").status_code == 403
    closed = b.post(
        f"{API}/studios/{pk}/close",
        {"reason": "注销", "ended_on": "2025-06-01"},
        content_type="application/json",
    )
    assert closed.json()["state"] == "closed" and closed.json()["end_reason"] == "注销"

"""The timeline on the pages and the API: the worker's own, an officer's in scope (masked), nobody
else's; the training outcomes for officers (a town officer: the town's), as a page, .xlsx and JSON."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from skillcity.accounts.services import token_create
from skillcity.timeline.sources import SOURCES, TimelineEvent, register_source
from tests.employment.helpers import contribute
from tests.factories import WorkerFactory
from tests.timeline.conftest import certify_on, enrol_and_complete

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


@pytest.fixture
def history(training_class, evaluator, lathe, worker_user, changan_enterprise, bureau_officer):
    """The worker's training (completed 2025-05-31), a lathe certificate and a job after it."""
    worker = worker_user.worker
    enrol_and_complete(training_class, worker)
    certify_on(evaluator, lathe, worker, bureau_officer, datetime.date(2025, 6, 20))
    contribute(worker, changan_enterprise, "2025-07", 6)
    return worker


def test_the_worker_sees_every_source_newest_first_and_what_the_training_led_to(client, worker_user, history):
    client.force_login(worker_user)
    html = client.get("/timeline/mine/").content.decode()
    order = [html.index(t) for t in ("参保就业", "取得职业技能等级证书", "培训结业", "报名参加职业培训")]
    assert order == sorted(order)
    assert "此后取得证书：2025-06-20 车工" in html and "此后参保就业：2025-07" in html
    assert 'id="timeline-person"' not in html  # the worker's own: no masked header
    only = client.get("/timeline/mine/", {"source": "employment"}).content.decode()
    assert "参保就业" in only and "培训结业" not in only
    body = client.get("/api/v1/timeline/me", **auth(worker_user)).json()
    assert [e["source"] for e in body["events"]][:1] == ["employment"]
    assert {"training", "certification", "employment"} <= {e["source"] for e in body["events"]}
    assert (
        client.get("/api/v1/timeline/me?source=training", **auth(worker_user)).json()["events"][0]["title"]
        == "培训结业"
    )


def test_officers_in_scope_see_it_masked_and_nobody_else_does(
    client, history, bureau_officer, changan_officer, humen_officer, enterprise_user, humen_worker
):
    url = f"/timeline/workers/{history.pk}/"
    client.force_login(changan_officer)
    html = client.get(url).content.decode()
    assert "培训结业" in html and history.id_number_masked in html and history.id_number not in html
    client.force_login(humen_officer)
    assert client.get(url).status_code == 404
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 403
    assert client.get(f"/api/v1/timeline/workers/{history.pk}", **auth(humen_officer)).status_code == 404
    body = client.get(f"/api/v1/timeline/workers/{history.pk}", **auth(bureau_officer)).json()
    assert body["id_number_masked"] == history.id_number_masked and history.id_number not in str(body)
    client.logout()
    assert client.get("/timeline/mine/").status_code == 302


def test_a_personal_detail_is_masked_for_an_officer_and_shown_to_the_worker(
    client, worker_user, changan_officer
):
    def paid(worker_id: int) -> list[TimelineEvent]:
        return [
            TimelineEvent(
                datetime.date(2025, 9, 1),
                "test_paid",
                "补贴已拨付",
                "",
                (("金额", "1,500.00"),),
                personal=True,
            )
        ]

    register_source("test_paid", "补贴", paid)
    try:
        client.force_login(worker_user)
        assert "金额：1,500.00" in client.get("/timeline/mine/").content.decode()
        client.force_login(changan_officer)
        html = client.get(f"/timeline/workers/{worker_user.worker.pk}/").content.decode()
        assert "金额：***" in html and "1,500.00" not in html
    finally:
        SOURCES.pop("test_paid")


def test_a_user_without_a_worker_record_is_told_so(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get("/timeline/mine/")
    assert response.status_code == 403 and "实名关联" in response.content.decode()


def test_outcomes_page_export_and_api(client, history, bureau_officer, humen_officer, training_class):
    client.force_login(bureau_officer)
    html = client.get("/timeline/outcomes/", {"year": 2025, "months": 6}).content.decode()
    assert training_class.project.provider.name in html and "100.0%" in html
    by_project = client.get("/timeline/outcomes/", {"year": 2025, "group": "project"}).content.decode()
    assert training_class.project.name in by_project
    export = client.get("/timeline/outcomes/", {"year": 2025, "months": 6, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "培训单位" and rows[1][:4] == (training_class.project.provider.name, 1, 1, "100.0%")
    assert rows[0][6:8] == ("新就业人数", "新就业率") and rows[1][6:8] == (1, "100.0%")
    assert "新就业人数" in html and 'id="total-newly-employed"' in html
    assert client.get("/timeline/outcomes/", {"year": "x", "months": 99}).status_code == 200  # bounded
    api = client.get("/api/v1/timeline/outcomes?year=2025&months=6", **auth(bureau_officer)).json()
    assert api[0]["trainees"] == 1 and api[0]["certified"] == 1 and api[0]["employed"] == 1
    assert api[0]["newly_employed"] == 1 and float(api[0]["newly_employed_share"]) == 1.0
    assert (
        client.get("/api/v1/timeline/outcomes?year=2025&months=5", **auth(bureau_officer)).status_code == 400
    )
    assert client.get("/api/v1/timeline/outcomes?year=1900", **auth(bureau_officer)).status_code == 422
    assert client.get("/api/v1/timeline/outcomes?year=2025", **auth(humen_officer)).json() == []
    client.force_login(humen_officer)
    assert "该年度没有培训结业的学员" in client.get("/timeline/outcomes/", {"year": 2025}).content.decode()


def test_the_worker_page_links_to_the_timeline_for_officers(client, changan_officer, changan_worker):
    client.force_login(changan_officer)
    html = client.get(f"/registry/workers/{changan_worker.pk}/").content.decode()
    assert f"/timeline/workers/{changan_worker.pk}/" in html


def test_a_worker_without_records_sees_an_empty_timeline(client, changan, django_user_model):
    from tests.factories import UserFactory

    worker = WorkerFactory(town=changan)
    user = UserFactory(username="w2", role="worker", worker=worker)
    client.force_login(user)
    assert "平台尚无该劳动者的记录" in client.get("/timeline/mine/").content.decode()

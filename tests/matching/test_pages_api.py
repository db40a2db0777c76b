"""Matching through the pages and the API, by persona: the bureau, the Changan officer, the Humen
officer, the enterprise's user, another enterprise's user, the worker, another worker and an anonymous
visitor; the list pages' query counts; errors next to the field, naming its label."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from skillcity.accounts.services import token_create
from skillcity.core.models import AuditEvent
from skillcity.matching.models import Assignment, FollowUp, Hire, JobFair, JobNeed, Match
from skillcity.matching.services import match_respond
from skillcity.matching.services.officers import assignment_create, fair_create, fair_enterprise_add
from tests.factories import WorkerFactory
from tests.matching.conftest import holds, post_need, seek

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


@pytest.fixture
def matched(enterprise_user, worker_user, lathe, changan):
    holds(worker_user.worker, lathe, 3)
    seek(worker_user, lathe, changan)
    need = post_need(enterprise_user, lathe, changan)
    return Match.objects.get(need=need)


def test_the_enterprise_posts_a_need_on_the_page_with_errors_next_to_the_fields(
    client, enterprise_user, lathe, changan
):
    client.force_login(enterprise_user)
    assert client.get("/matching/needs/new/").status_code == 200
    data = {
        "occupation": lathe.pk,
        "level": 3,
        "town": changan.pk,
        "head_count": 2,
        "wage_min": "9000",
        "wage_max": "6000",
        "start": "2026-03-01",
    }
    bad = client.post("/matching/needs/new/", data)
    html = bad.content.decode()
    assert (
        bad.status_code == 400
        and 'id="error-wage_max"' in html
        and "月工资上限（元）不能小于月工资下限（元）" in html
    )
    assert "招聘人数" in client.post("/matching/needs/new/", data | {"head_count": "0"}).content.decode()
    good = client.post("/matching/needs/new/", data | {"wage_max": "9000.50"})
    need = JobNeed.objects.get()
    assert (
        good.status_code == 302
        and need.wage_max == 9000.5
        and good["Location"] == f"/matching/needs/{need.pk}/"
    )


def test_the_worker_answers_on_the_phone_page_and_the_enterprise_sees_masked_then_full(
    client, matched, worker_user, enterprise_user
):
    worker = worker_user.worker
    client.force_login(enterprise_user)
    page = client.get(f"/matching/needs/{matched.need_id}/").content.decode()
    assert "持三级证书，工种相符，意向镇街相符" in page and "陈*安" in page and "陈长安" not in page
    assert worker.phone not in page
    detail = client.get(f"/matching/matches/{matched.pk}/").content.decode()
    assert "求职者接受匹配后才能查看其完整联系方式" in detail and 'id="reveal"' not in detail
    assert client.post(f"/matching/matches/{matched.pk}/").status_code == 403

    client.force_login(worker_user)
    mine = client.get("/matching/").content.decode()
    assert "持三级证书，工种相符，意向镇街相符" in mine and "接受" in mine
    assert "证书记录：三级/高级工" in mine  # the level read from records, not typed
    client.post(f"/matching/matches/{matched.pk}/respond/", {"answer": "accept"})
    assert Match.objects.get(pk=matched.pk).state == Match.State.ACCEPTED

    client.force_login(enterprise_user)
    assert "陈长安" not in client.get(f"/matching/matches/{matched.pk}/").content.decode()
    full = client.post(f"/matching/matches/{matched.pk}/").content.decode()
    assert "陈长安" in full and worker.id_number in full and worker.phone in full
    assert AuditEvent.objects.filter(action="personal_data.view", actor_id=enterprise_user.pk).count() == 1
    hired = client.post(f"/matching/matches/{matched.pk}/hire/", {"start_month": "2025-13"})
    assert hired.status_code == 400 and "入职月份" in hired.content.decode()
    # From the month the worker accepted (this month) on; its window still open.
    client.post(f"/matching/matches/{matched.pk}/hire/", {"start_month": f"{timezone.localdate():%Y-%m}"})
    assert Hire.objects.get().state == Hire.State.PENDING


def test_who_sees_a_need_and_its_candidates(
    client,
    matched,
    bureau_officer,
    changan_officer,
    humen_officer,
    other_enterprise_user,
    worker_user,
    other_worker_user,
):
    url = f"/matching/needs/{matched.need_id}/"
    for user, status in (
        (bureau_officer, 200),
        (changan_officer, 200),
        (humen_officer, 404),
        (other_enterprise_user, 404),
        (worker_user, 404),
        (other_worker_user, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(other_worker_user)
    assert client.post(f"/matching/matches/{matched.pk}/respond/", {"answer": "accept"}).status_code == 404
    assert client.get(f"/matching/matches/{matched.pk}/").status_code == 403
    client.force_login(other_enterprise_user)
    assert client.get(f"/matching/matches/{matched.pk}/").status_code == 404
    client.force_login(humen_officer)
    assert str(matched.need.enterprise.name) not in client.get("/matching/").content.decode()
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get("/matching/").status_code == 302
    assert client.get("/matching/fairs/").status_code == 200


def test_officers_assign_follow_up_and_see_what_is_due(
    client, bureau_officer, changan_officer, humen_officer, changan_enterprise, humen_worker, changan
):
    client.force_login(bureau_officer)
    page = client.post(
        "/matching/assignments/",
        {"officer": changan_officer.pk, "subject": "enterprise", "key": changan_enterprise.uscc},
    )
    assert page.status_code == 302
    assignment = Assignment.objects.get()
    client.force_login(humen_officer)
    assert client.get(f"/matching/assignments/{assignment.pk}/").status_code == 404
    refused = client.post(
        "/matching/assignments/",
        {"officer": humen_officer.pk, "subject": "enterprise", "key": changan_enterprise.uscc},
    )
    assert refused.status_code == 403
    client.force_login(changan_officer)
    home = client.get("/matching/").content.decode()
    assert changan_enterprise.name in home and "待跟进" in home
    bad = client.post(
        f"/matching/assignments/{assignment.pk}/",
        {"date": "2026-12-01", "way": "phone", "done": "", "next_date": "2026-11-01"},
    )
    assert bad.status_code == 400 and "跟进内容" in bad.content.decode()
    client.post(
        f"/matching/assignments/{assignment.pk}/",
        {
            "date": "2026-12-01",
            "way": "visit",
            "done": "走访了解用工需求",
            "next_step": "推荐求职者",
            "next_date": "2027-06-01",
        },
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.recorded_by == changan_officer and follow_up.get_way_display() == "上门走访"
    client.force_login(bureau_officer)  # not the assigned officer: sees, cannot record
    assert 'id="follow-up-form"' not in client.get(f"/matching/assignments/{assignment.pk}/").content.decode()


def test_fairs_are_public_and_a_fair_shows_its_enterprises_and_vacancies(
    client, bureau_officer, humen_officer, enterprise_user, changan_enterprise, lathe, changan
):
    today = datetime.date.today()
    fair = fair_create(
        actor=bureau_officer,
        name="2026年春风行动专场",
        kind=JobFair.Kind.SPRING_BREEZE,
        starts_on=today + datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=6),
        town=changan,
        venue="长安人力资源市场",
    )
    fair_enterprise_add(actor=bureau_officer, fair=fair, enterprise=changan_enterprise, booth="A01")
    post_need(enterprise_user, lathe, changan, fair=fair)
    client.force_login(bureau_officer)
    assert "2026年春风行动专场" in client.get("/matching/").content.decode()
    client.force_login(humen_officer)
    assert "2026年春风行动专场" not in client.get("/matching/").content.decode()  # another town's fair
    client.logout()
    listing = client.get("/matching/fairs/").content.decode()
    assert "2026年春风行动专场" in listing and "春风行动招聘会" in listing
    page = client.get(f"/matching/fairs/{fair.pk}/").content.decode()
    assert changan_enterprise.name in page and "车工" in page and "三级/高级工" in page
    client.force_login(humen_officer)
    assert 'id="fair-enterprise-form"' not in client.get(f"/matching/fairs/{fair.pk}/").content.decode()
    assert (
        client.post(
            f"/matching/fairs/{fair.pk}/", {"action": "enterprise", "e-uscc": changan_enterprise.uscc}
        ).status_code
        == 403
    )
    bad = client.post(
        "/matching/fairs/new/",
        {
            "name": "x",
            "kind": "other",
            "starts_on": "2026-05-02",
            "ends_on": "2026-05-01",
            "town": changan.pk,
            "venue": "v",
        },
    )
    assert bad.status_code in (400, 403)


def test_statistics_by_town_and_occupation_scoped_for_a_town(
    client, matched, worker_user, bureau_officer, humen_officer, enterprise_user
):
    match_respond(actor=worker_user, match=matched, accept=True)
    client.force_login(bureau_officer)
    page = client.get("/matching/statistics/").content.decode()
    assert 'id="by-town"' in page and "长安镇" in page and "车工" in page
    client.force_login(humen_officer)
    assert "车工" not in client.get("/matching/statistics/").content.decode()
    client.force_login(enterprise_user)
    assert client.get("/matching/statistics/").status_code == 403


def _rows(enterprise_user, worker_user, bureau_officer, lathe, changan, n: int, first) -> None:
    """n more of every row the list pages show: needs with matches, seekers, hires, assignments with
    follow-ups, fairs."""
    import datetime as dt

    from skillcity.matching.models import SeekerNeed
    from skillcity.matching.services.hires import hire_record_from_match
    from skillcity.matching.services.officers import follow_up_record

    for _i in range(n):
        w = WorkerFactory(town=changan)
        holds(w, lathe, 3)
        s = SeekerNeed.objects.create(worker=w, occupation=lathe)
        s.towns.add(changan)
        Match.objects.create(need=first, seeker_need=s, worker=w)  # one more candidate of the first need
        need = post_need(enterprise_user, lathe, changan)
        m = Match.objects.filter(need=need, worker=w).first() or Match.objects.filter(need=need).first()
        Match.objects.filter(pk=m.pk).update(state=Match.State.ACCEPTED)
        m.refresh_from_db()
        hire_record_from_match(actor=enterprise_user, match=m, start_month=dt.date(2026, 11, 1))
        a = assignment_create(actor=bureau_officer, officer=bureau_officer, worker=w)
        follow_up_record(
            actor=bureau_officer, assignment=a, date=dt.date(2026, 12, 1), way="phone", done="电话"
        )
        fair_create(
            actor=bureau_officer,
            name=f"招聘会{w.pk}",
            kind=JobFair.Kind.OTHER,
            starts_on=dt.date(2026, 12, 20),
            ends_on=dt.date(2026, 12, 20),
            town=changan,
            venue="市场",
        )
    seek(worker_user, lathe, changan)


def test_list_pages_query_counts_do_not_grow_with_rows(
    client, enterprise_user, worker_user, bureau_officer, lathe, changan
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    holds(worker_user.worker, lathe, 3)
    need = post_need(enterprise_user, lathe, changan)
    pages = [
        (enterprise_user, "/matching/"),
        (enterprise_user, f"/matching/needs/{need.pk}/"),
        (worker_user, "/matching/"),
        (bureau_officer, "/matching/"),
        (bureau_officer, "/matching/assignments/"),
        (bureau_officer, "/matching/statistics/"),
        (bureau_officer, "/matching/hires/"),
        (None, "/matching/fairs/"),
    ]

    def counts() -> list[int]:
        found = []
        for user, url in pages:
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            found.append(len(queries))
        return found

    _rows(enterprise_user, worker_user, bureau_officer, lathe, changan, 2, need)
    few = counts()
    _rows(enterprise_user, worker_user, bureau_officer, lathe, changan, 6, need)
    assert counts() == few
    assert max(few) <= 20, few


def test_the_api_posts_ranks_masks_answers_and_hires(
    client, enterprise_user, worker_user, other_enterprise_user, humen_officer, bureau_officer, lathe, changan
):
    holds(worker_user.worker, lathe, 3)
    e, w = auth(enterprise_user), auth(worker_user)
    bad = client.post(
        "/api/v1/matching/needs",
        {
            "occupation_id": lathe.pk,
            "level": 3,
            "town_id": changan.pk,
            "head_count": 1,
            "wage_min": "9000",
            "wage_max": "6000",
            "start": "2026-03-01",
        },
        content_type="application/json",
        **e,
    )
    assert bad.status_code == 400 and "wage_max" in bad.json()["fields"]
    seeker = client.post(
        "/api/v1/matching/me/needs",
        {"occupation_id": lathe.pk, "town_ids": [changan.pk]},
        content_type="application/json",
        **w,
    )
    assert seeker.status_code == 201
    made = client.post(
        "/api/v1/matching/needs",
        {
            "occupation_id": lathe.pk,
            "level": 3,
            "town_id": changan.pk,
            "head_count": 1,
            "wage_min": "6000",
            "wage_max": "9000",
            "start": "2026-03-01",
        },
        content_type="application/json",
        **e,
    )
    assert made.status_code == 201, made.content
    need_id = made.json()["id"]
    candidates = client.get(f"/api/v1/matching/needs/{need_id}/candidates", **e).json()
    assert (
        candidates[0]["reason_text"] == "持三级证书，工种相符，意向镇街相符"
        and candidates[0]["name"] == "陈*安"
    )
    match_id = candidates[0]["match_id"]
    assert client.post(f"/api/v1/matching/matches/{match_id}/contact", **e).status_code == 403
    assert (
        client.get(f"/api/v1/matching/needs/{need_id}/candidates", **auth(other_enterprise_user)).status_code
        == 404
    )
    assert client.get(f"/api/v1/matching/needs/{need_id}", **auth(humen_officer)).status_code == 404
    mine = client.get("/api/v1/matching/me/matches", **w).json()
    assert mine[0]["reason_text"].startswith("持三级证书")
    answer = client.post(
        f"/api/v1/matching/matches/{match_id}/answer", {"accept": True}, content_type="application/json", **w
    )
    assert answer.json()["state"] == "accepted"
    contact = client.post(f"/api/v1/matching/matches/{match_id}/contact", **e).json()
    assert contact["name"] == "陈长安"
    hired = client.post(
        f"/api/v1/matching/matches/{match_id}/hire",
        {"start_month": f"{timezone.localdate():%Y-%m}"},
        content_type="application/json",
        **e,
    )
    assert hired.status_code == 201 and hired.json()["state"] == "pending"
    assert client.get("/api/v1/matching/statistics", **auth(bureau_officer)).json()["total"]["hires"] == 1
    assert client.get("/api/v1/matching/fairs").status_code == 200
    assert client.get("/api/v1/matching/needs").status_code == 401


def test_the_api_sets_up_a_fair_adds_an_enterprise_and_records_a_hire_there(
    client, bureau_officer, humen_officer, enterprise_user, changan_enterprise, changan_worker, changan
):
    b = auth(bureau_officer)
    bad = client.post(
        "/api/v1/matching/fairs",
        {
            "name": "春风行动",
            "kind": "spring_breeze",
            "starts_on": "2026-02-26",
            "ends_on": "2026-02-24",
            "town_id": changan.pk,
            "venue": "市场",
        },
        content_type="application/json",
        **b,
    )
    assert bad.status_code == 400 and "结束日期" in bad.json()["fields"]["ends_on"][0]
    fair = client.post(
        "/api/v1/matching/fairs",
        {
            "name": "春风行动",
            "kind": "spring_breeze",
            "starts_on": f"{timezone.localdate():%Y-%m-%d}",
            "ends_on": f"{timezone.localdate() + datetime.timedelta(days=2):%Y-%m-%d}",
            "town_id": changan.pk,
            "venue": "市场",
        },
        content_type="application/json",
        **b,
    ).json()
    path = f"/api/v1/matching/fairs/{fair['id']}"
    added = {"enterprise_id": changan_enterprise.pk, "booth": "A01"}
    assert (
        client.post(
            path + "/enterprises", added, content_type="application/json", **auth(humen_officer)
        ).status_code
        == 403
    )
    assert client.post(path + "/enterprises", added, content_type="application/json", **b).status_code == 201
    hired = client.post(
        path + "/hires",
        {
            "enterprise_id": changan_enterprise.pk,
            "id_number": changan_worker.id_number,
            "start_month": f"{timezone.localdate():%Y-%m}",
        },
        content_type="application/json",
        **auth(enterprise_user),
    )
    assert hired.status_code == 201 and hired.json()["state"] == "pending"
    public = client.get(path).json()
    assert (
        public["enterprises"][0]["enterprise_name"] == changan_enterprise.name
        and public["kind_name"] == "春风行动招聘会"
    )


def test_an_assignment_is_ended_by_the_bureau_or_its_town_not_another_town(
    client, bureau_officer, changan_officer, humen_officer, changan_enterprise
):
    assignment = assignment_create(
        actor=bureau_officer, officer=changan_officer, enterprise=changan_enterprise
    )
    client.force_login(humen_officer)
    assert client.post(f"/matching/assignments/{assignment.pk}/end/").status_code == 404
    client.force_login(changan_officer)
    assert 'id="assignment-end"' in client.get(f"/matching/assignments/{assignment.pk}/").content.decode()
    assert client.post(f"/matching/assignments/{assignment.pk}/end/").status_code == 302
    assignment.refresh_from_db()
    assert not assignment.active
    assert AuditEvent.objects.filter(action="matching.assignment.end", target_id=str(assignment.pk)).exists()
    assert changan_enterprise.name not in client.get("/matching/").content.decode()
    again = client.post(f"/api/v1/matching/assignments/{assignment.pk}/end", **auth(bureau_officer))
    assert again.status_code == 200 and again.json()["id"] == assignment.pk

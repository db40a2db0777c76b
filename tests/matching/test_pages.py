"""Matching through the pages, by persona: the bureau, the Changan officer, the Humen officer, the
enterprise's user, another enterprise's user, the worker, another worker and an anonymous visitor; the
list pages' query counts; errors next to the field, naming its label. The API is in test_api.py."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from skillcity.core.models import AuditEvent
from skillcity.matching.models import Assignment, FollowUp, Hire, JobFair, JobNeed, Match, SeekerNeed
from skillcity.matching.services import match_respond
from skillcity.matching.services.officers import assignment_create, fair_create, fair_enterprise_add
from tests.factories import WorkerFactory
from tests.matching.conftest import auth, holds, post_need, seek

pytestmark = pytest.mark.django_db


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
    # Outside the town: the same answer as an unregistered code (item 17), nothing assigned.
    assert refused.status_code == 400 and "未找到或不在您的范围内" in refused.content.decode()
    assert Assignment.objects.count() == 1
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


def test_the_needs_page_shows_the_best_candidates_only(
    client, enterprise_user, matched, lathe, changan, monkeypatch
):
    from skillcity.matching import selectors

    other = WorkerFactory(town=changan, name="林长安")
    holds(other, lathe, 2)  # a higher level: ranked first
    s = SeekerNeed.objects.create(worker=other, occupation=lathe)
    s.towns.add(changan)
    Match.objects.create(need=matched.need, seeker_need=s, worker=other)
    monkeypatch.setattr(selectors, "CANDIDATES_SHOWN", 1)
    client.force_login(enterprise_user)
    page = client.get(f"/matching/needs/{matched.need_id}/").content.decode()
    assert page.count("data-match=") == 1 and f'data-match="{matched.pk}"' not in page
    assert 'id="candidates-more"' in page and "共 2 名求职者" in page


def test_a_hires_start_month_is_read_as_the_ledgers_months_are(client, enterprise_user, worker_user, matched):
    from skillcity.matching.services import match_respond

    match_respond(actor=worker_user, match=matched, accept=True)
    client.force_login(enterprise_user)
    bad = client.post(f"/matching/matches/{matched.pk}/hire/", {"start_month": "2026-13"})
    assert bad.status_code == 400 and 'id="error-start_month"' in bad.content.decode()
    today = timezone.localdate()
    client.post(f"/matching/matches/{matched.pk}/hire/", {"start_month": f"{today.year}年{today.month}月"})
    assert Hire.objects.get().start_month == today.replace(day=1)

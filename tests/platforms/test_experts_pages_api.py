"""The expert pool's pages and API: the bureau's pool (coverage by sector, filter, masked phones, the
audited full view), import, draws with the replay check and declines; an expert's assignments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillcity.core.models import AuditEvent
from skillcity.platforms.models.experts import DrawPurpose, ExpertDraw, ExpertDrawMember
from skillcity.platforms.services import experts as services
from tests.platforms.experts_helpers import expert_user, make_expert, make_pool

pytestmark = pytest.mark.django_db


def _draw(actor, size=3, **values):
    return services.expert_draw(
        actor=actor, purpose=DrawPurpose.STUDIO_REVIEW, subject_key="studio:9", size=size, seed=5, **values
    )


def test_the_pool_page_shows_coverage_by_sector_and_filters(client, bureau_officer):
    make_pool(bureau_officer, {"electronics": 3, "food": 2})
    client.force_login(bureau_officer)
    page = client.get(reverse("platforms:expert_list")).content.decode()
    assert "在库专家 <strong>5</strong> 人" in page and "覆盖 2 / 10 个行业领域" in page
    assert "139****5678" in page and "13912345678" not in page
    filtered = client.get(reverse("platforms:expert_list"), {"sector": "food"})
    assert len(filtered.context["page"].object_list) == 2


@pytest.mark.parametrize("persona", ["changan_officer", "enterprise_user", "worker_user"])
def test_only_the_bureau_sees_the_pool(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("platforms:expert_list")).status_code == 403
    assert client.get("/api/v1/platforms/experts").status_code == 403


def test_the_full_phone_is_shown_on_request_and_audited(client, bureau_officer):
    expert = make_expert(bureau_officer)
    client.force_login(bureau_officer)
    detail = reverse("platforms:expert_detail", args=[expert.pk])
    assert "13912345678" not in client.get(detail).content.decode()
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()
    shown = client.post(reverse("platforms:expert_phone", args=[expert.pk]), follow=True)
    assert "13912345678" in shown.content.decode()
    assert AuditEvent.objects.filter(action="personal_data.view", target_id=str(expert.pk)).count() == 1
    assert client.post(f"/api/v1/platforms/experts/{expert.pk}/phone").json() == {"phone": "13912345678"}
    assert AuditEvent.objects.filter(action="personal_data.view").count() == 2


def test_a_conflict_is_declared_by_its_code_with_the_error_beside_the_field(
    client, bureau_officer, changan_enterprise
):
    expert = make_expert(bureau_officer)
    client.force_login(bureau_officer)
    url = reverse("platforms:expert_conflict_add", args=[expert.pk])
    bad = client.post(url, {"uscc": "91440000XXXXXXXXXX"})
    assert bad.status_code == 400 and "没有该统一社会信用代码的单位" in bad.content.decode()
    client.post(url, {"uscc": changan_enterprise.uscc})
    assert list(expert.conflicts.all()) == [changan_enterprise]


def test_the_import_page_lists_every_bad_row(client, bureau_officer):
    from tests.platforms.test_experts_import import _xlsx

    client.force_login(bureau_officer)
    assert client.get(reverse("platforms:expert_import_template")).status_code == 200
    upload = _xlsx([["440000000000000000", "无名", "采矿", "", "", "", "1", "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("platforms:expert_import"), {"file": SimpleUploadedFile("experts.xlsx", upload)}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "未写入任何数据" in page
    assert "第2行" in page and "行业领域" in page and "联系电话" in page


def test_a_draw_made_on_the_page_shows_its_members_and_passes_the_replay_check(client, bureau_officer):
    make_pool(bureau_officer, {"electronics": 4, "textiles": 4})
    client.force_login(bureau_officer)
    bad = client.post(
        reverse("platforms:expert_draw_list"), {"purpose": "studio_review", "subject_label": "评审"}
    )
    assert bad.status_code == 400 and "抽取人数" in bad.content.decode()
    response = client.post(
        reverse("platforms:expert_draw_list"),
        {
            "purpose": "studio_review",
            "subject_label": "工作室评审第一组",
            "size": "2",
            "sectors": ["textiles"],
        },
        follow=True,
    )
    draw = ExpertDraw.objects.get()
    page = response.content.decode()
    assert "复核通过" in page and str(draw.seed) in page
    assert set(draw.members.values_list("sector", flat=True)) == {"textiles"}
    member = draw.members.first()
    url = reverse("platforms:expert_draw_member_decline", args=[draw.pk, member.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    declined = client.post(url, {"reason": "出国交流"}, follow=True).content.decode()
    assert "递补专家" in declined and "出国交流" in declined and "复核通过" in declined


def test_an_expert_sees_and_declines_their_own_assignments(client, bureau_officer):
    pool = make_pool(bureau_officer, {"food": 2})
    draw = _draw(bureau_officer, size=1, sectors=["food"])
    member = draw.members.get()
    mine = next(e for e in pool if e.pk == member.expert_id)
    other = next(e for e in pool if e.pk != member.expert_id)
    client.force_login(expert_user(other))
    assert "暂无评审任务" in client.get(reverse("platforms:my_assignments")).content.decode()
    assert (
        client.post(reverse("platforms:my_assignment_decline", args=[member.pk]), {"reason": "x"}).status_code
        == 404
    )
    client.force_login(expert_user(mine))
    page = client.get(reverse("platforms:my_assignments")).content.decode()
    assert "工作室评审" in page and draw.subject_label in page
    client.post(reverse("platforms:my_assignment_decline", args=[member.pk]), {"reason": "与申报人有合作"})
    member.refresh_from_db()
    assert member.state == ExpertDrawMember.State.DECLINED
    assert draw.members.get(replaces=member).expert == other


def test_the_api_draws_replays_and_declines(client, bureau_officer):
    make_pool(bureau_officer, {"electronics": 3, "services": 3})
    client.force_login(bureau_officer)
    coverage = client.get("/api/v1/platforms/experts/coverage").json()
    assert coverage["total"] == 6 and coverage["target"] == 1141
    made = client.post(
        "/api/v1/platforms/expert-draws",
        {"purpose": "grant_review", "subject_key": "grant:7", "size": 4, "seed": 77},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["seed"] == 77 and len(body["members"]) == 4
    replay = client.get(f"/api/v1/platforms/expert-draws/{body['id']}/replay").json()
    assert replay["matches"] and replay["replayed"] == [m["expert_id"] for m in body["members"]]
    member = body["members"][0]
    declined = client.post(
        f"/api/v1/platforms/expert-draws/{body['id']}/members/{member['id']}/decline",
        {"reason": "出差"},
        content_type="application/json",
    ).json()
    assert (
        declined["declined"]["state"] == "declined" and declined["replacement"]["replaces_id"] == member["id"]
    )
    assert client.get(f"/api/v1/platforms/expert-draws/{body['id']}/replay").json()["matches"]
    too_big = client.post(
        "/api/v1/platforms/expert-draws",
        {"purpose": "grant_review", "subject_key": "grant:8", "size": 101},
        content_type="application/json",
    )
    assert too_big.status_code == 422


def test_the_api_lists_an_experts_assignments(client, bureau_officer):
    pool = make_pool(bureau_officer, {"food": 1})
    _draw(bureau_officer, size=1)
    client.force_login(expert_user(pool[0]))
    rows = client.get("/api/v1/platforms/my-assignments").json()
    assert [r["purpose_label"] for r in rows] == ["工作室评审"]


def test_the_pool_and_draw_pages_do_not_query_per_row(client, bureau_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_pool(bureau_officer, {"electronics": 3})
    client.force_login(bureau_officer)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries(reverse("platforms:expert_list"))
    small_draw = queries(reverse("platforms:expert_draw_detail", args=[_draw(bureau_officer, size=2).pk]))
    make_pool(bureau_officer, {"electronics": 6, "food": 4})
    assert queries(reverse("platforms:expert_list")) == small
    big = _draw(bureau_officer, size=8)
    assert queries(reverse("platforms:expert_draw_detail", args=[big.pk])) == small_draw


def test_the_email_is_masked_until_the_audited_full_view(client, bureau_officer):
    expert = make_expert(bureau_officer, email="zhang.wei@example.com")
    client.force_login(bureau_officer)
    detail = client.get(reverse("platforms:expert_detail", args=[expert.pk])).content.decode()
    assert "zhang.wei@example.com" not in detail and "z***@example.com" in detail
    shown = client.post(reverse("platforms:expert_phone", args=[expert.pk]), follow=True).content.decode()
    assert "zhang.wei@example.com" in shown
    views = AuditEvent.objects.filter(action="personal_data.view", target_id=str(expert.pk))
    assert sorted(e.after["field"] for e in views) == ["email", "phone"]  # each audited

"""Pages and API of the bases and standards: a school files with its partners (errors next to the
field), the bureau's progress and fund, another organisation's record is not found, the public lists
without signing in, the panel's conflict on the page, and a training project or a certification session
naming only a certified standard."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.certification import services as certification
from skillcity.certification.models import EvaluatorKind
from skillcity.platforms.models import BaseState, SchoolEnterpriseBase, Standard, StandardState
from skillcity.platforms.services import bases as base_services
from skillcity.platforms.services import standards as standard_services
from skillcity.training.models import TrainingProject
from tests.factories import OccupationFactory, OrganisationFactory, WorkerFactory
from tests.platforms.bases_helpers import DAY, approved_base, edu_fund, school, school_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def the_school(changan):
    return school(changan)


def _certified(bureau, developer, town, title="车工评价标准"):
    s = standard_services.standard_file(
        actor=bureau,
        developer=developer,
        occupation=OccupationFactory(),
        kind="evaluation",
        title=title,
        plan="计划",
        planned_completion=datetime.date(2024, 9, 1),
        requested=Decimal("100000"),
        day=DAY,
    )
    standard_services.standard_submit(actor=bureau, standard=s)
    standard_services.standard_accept(actor=bureau, standard=s, passed=True, day=DAY)
    for n in range(3):
        m = standard_services.standard_panel_add(
            actor=bureau, standard=s, worker=WorkerFactory(town=town, name=f"评委{n}")
        )
        standard_services.standard_panel_score(actor=bureau, member=m, score=Decimal("85"))
    standard_services.standard_certify(actor=bureau, standard=s, day=DAY)
    s.refresh_from_db()
    return s


def test_a_school_files_a_base_on_the_page_and_unknown_partners_are_named_next_to_the_field(
    client, the_school, changan_enterprise
):
    client.force_login(school_user(the_school))
    assert "申报基地" in client.get("/platforms/bases/").content.decode()
    form = {"name": "数控基地", "field": "数控技术", "plan": "共建", "partners": "91441900ZZZZZZZZZZ 设备"}
    response = client.post("/platforms/bases/apply/", form)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-partners"' in body and "91441900ZZZZZZZZZZ" in body
    form["partners"] = f"{changan_enterprise.uscc} 提供设备\n"
    response = client.post("/platforms/bases/apply/", form)
    base = SchoolEnterpriseBase.objects.get()
    assert response.status_code == 302 and base.school == the_school and base.state == BaseState.SUBMITTED
    body = client.get(f"/platforms/bases/{base.pk}/").content.decode()
    assert "待审核" in body and changan_enterprise.name in body and "submitted" not in body


def test_another_organisation_does_not_find_the_base(
    client, the_school, changan, changan_enterprise, bureau_officer
):
    base = approved_base(bureau_officer, the_school, changan_enterprise)
    client.force_login(school_user(school(changan, "别校"), "other_school"))
    assert client.get(f"/platforms/bases/{base.pk}/").status_code == 404
    assert client.get(f"/api/v1/platforms/bases/{base.pk}").status_code == 404


def test_the_bureau_sees_progress_and_the_fund_and_a_refused_recognition_shows_the_remaining_amount(
    client, the_school, changan_enterprise, bureau_officer
):
    edu_fund(bureau_officer, total="1500000")
    first = approved_base(bureau_officer, the_school, changan_enterprise, "基地一")
    second = approved_base(bureau_officer, the_school, changan_enterprise, "基地二")
    client.force_login(bureau_officer)
    day = {"action": "recognise", "recognised_on": "2024-03-01"}
    assert client.post(f"/platforms/bases/{first.pk}/", day).status_code == 302
    response = client.post(f"/platforms/bases/{second.pk}/", day)
    assert response.status_code == 400
    assert "剩余 1,500,000.00 元" in response.content.decode()
    body = client.get("/platforms/bases/").content.decode()
    assert "已认定 1 / 50 个" in body and 'id="fund-available"' in body and "500,000.00" in body


def test_the_api_files_reviews_and_recognises(client, the_school, changan_enterprise, bureau_officer):
    edu_fund(bureau_officer)
    client.force_login(school_user(the_school))
    body = {
        "name": "API基地",
        "field": "电子信息",
        "plan": "共建",
        "partners": [{"uscc": changan_enterprise.uscc, "contribution": "岗位"}],
    }
    created = client.post("/api/v1/platforms/bases", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        client.post(
            f"/api/v1/platforms/bases/{pk}/review", {"passed": True}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(bureau_officer)
    reviewed = client.post(
        f"/api/v1/platforms/bases/{pk}/review", {"passed": True}, content_type="application/json"
    )
    assert reviewed.json()["state_label"] == "已立项建设"
    recognised = client.post(
        f"/api/v1/platforms/bases/{pk}/recognise",
        {"recognised_on": "2024-03-01"},
        content_type="application/json",
    ).json()
    assert recognised["state"] == "recognised" and recognised["grant"]["state"] == "in_review"
    progress = client.get("/api/v1/platforms/bases/progress").json()
    assert progress["recognised"] == 1 and Decimal(progress["fund"]["pending"]) == Decimal("1000000")


def test_public_lists_show_only_recognised_bases_and_certified_standards(
    client, the_school, changan, changan_enterprise, bureau_officer
):
    edu_fund(bureau_officer)
    recognised = approved_base(bureau_officer, the_school, changan_enterprise, "已认定基地")
    base_services.base_recognise(actor=bureau_officer, base=recognised, day=DAY)
    approved_base(bureau_officer, the_school, changan_enterprise, "建设中基地")
    developer = OrganisationFactory(town=changan, name="标准开发单位")
    _certified(bureau_officer, developer, changan)
    standard_services.standard_file(
        actor=bureau_officer,
        developer=developer,
        occupation=OccupationFactory(),
        kind="training",
        title="开发中的标准",
        plan="p",
        planned_completion=datetime.date(2030, 1, 1),
        requested=Decimal("1000"),
    )
    bases = client.get("/platforms/public/bases/").content.decode()
    assert "已认定基地" in bases and "建设中基地" not in bases
    standards = client.get("/platforms/public/standards/").content.decode()
    assert "车工评价标准" in standards and "开发中的标准" not in standards
    assert [b["name"] for b in client.get("/api/v1/platforms/public/bases").json()] == ["已认定基地"]
    assert [s["title"] for s in client.get("/api/v1/platforms/public/standards").json()] == ["车工评价标准"]


def test_the_panel_conflict_and_a_bad_score_show_next_to_their_fields(client, changan, bureau_officer):
    developer = OrganisationFactory(town=changan, name="开发单位甲")
    s = standard_services.standard_file(
        actor=bureau_officer,
        developer=developer,
        occupation=OccupationFactory(),
        kind="training",
        title="标准甲",
        plan="p",
        planned_completion=datetime.date(2030, 1, 1),
        requested=Decimal("1000"),
    )
    standard_services.standard_submit(actor=bureau_officer, standard=s)
    standard_services.standard_accept(actor=bureau_officer, standard=s, passed=True)
    insider = WorkerFactory(town=changan, employer=developer, name="内部人")
    client.force_login(bureau_officer)
    response = client.post(
        f"/platforms/standards/{s.pk}/", {"action": "panel_add", "worker": insider.id_number}
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'id="error-worker"' in body and "应当回避" in body
    outsider = WorkerFactory(town=changan, name="外部人")
    assert (
        client.post(
            f"/platforms/standards/{s.pk}/", {"action": "panel_add", "worker": outsider.id_number}
        ).status_code
        == 302
    )
    member = s.panel.get()
    response = client.post(
        f"/platforms/standards/{s.pk}/",
        {"action": "score", "member": member.pk, f"m{member.pk}-score": "101"},
    )
    assert response.status_code == 400 and f'id="error-m{member.pk}-score"' in response.content.decode()
    client.post(
        f"/platforms/standards/{s.pk}/",
        {"action": "score", "member": member.pk, f"m{member.pk}-score": "77.5"},
    )
    member.refresh_from_db()
    assert member.score == Decimal("77.5")
    response = client.post(f"/platforms/standards/{s.pk}/", {"action": "certify", "note": ""})
    assert response.status_code == 400 and "至少 3 人" in response.content.decode()


def test_a_developer_files_on_the_page_and_submits(client, changan_enterprise, enterprise_user):
    client.force_login(enterprise_user)
    occupation = OccupationFactory()
    form = {
        "title": "数控车工培训标准",
        "kind": "training",
        "occupation": occupation.code,
        "plan": "计划",
        "planned_completion": "2030-01-01",
        "requested": "abc",
    }
    response = client.post("/platforms/standards/new/", form)
    assert response.status_code == 400 and 'id="error-requested"' in response.content.decode()
    form["requested"] = "150000"
    assert client.post("/platforms/standards/new/", form).status_code == 302
    s = Standard.objects.get()
    assert s.developer == changan_enterprise and s.state == StandardState.DEVELOPING
    client.post(f"/platforms/standards/{s.pk}/", {"action": "submit"})
    s.refresh_from_db()
    assert s.state == StandardState.SUBMITTED
    assert client.post(f"/platforms/standards/{s.pk}/", {"action": "accept"}).status_code == 400


def test_a_training_project_names_only_a_certified_standard(
    client, changan, changan_enterprise, enterprise_user, bureau_officer
):
    certified = _certified(bureau_officer, OrganisationFactory(town=changan), changan)
    draft = standard_services.standard_file(
        actor=bureau_officer,
        developer=changan_enterprise,
        occupation=OccupationFactory(),
        kind="training",
        title="未认定",
        plan="p",
        planned_completion=datetime.date(2030, 1, 1),
        requested=Decimal("1000"),
    )
    client.force_login(enterprise_user)
    page = client.get("/training/projects/new/").content.decode()
    assert certified.number in page and "未认定" not in page
    occupation = OccupationFactory()
    body = {
        "name": "数控车工培训",
        "occupation_code": occupation.code,
        "per_person_standard": "1500",
        "capacity": 30,
        "start_date": "2024-05-01",
        "end_date": "2024-06-01",
        "standard_id": draft.pk,
    }
    refused = client.post("/api/v1/training/projects", body, content_type="application/json")
    assert refused.status_code == 400 and "standard" in refused.json()["fields"]
    body["standard_id"] = certified.pk
    made = client.post("/api/v1/training/projects", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["standard_id"] == certified.pk
    assert TrainingProject.objects.get().standard == certified
    page = client.get(f"/training/projects/{made.json()['id']}/").content.decode()
    assert certified.number in page and certified.title in page


def test_a_certification_session_names_only_a_certified_standard(changan, changan_enterprise, bureau_officer):
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    evaluator = certification.evaluator_review(
        evaluator=certification.evaluator_file(
            organisation=changan_enterprise,
            kind=EvaluatorKind.ENTERPRISE,
            scope=[(lathe, 2, 5)],
            actor=bureau_officer,
        ),
        decision="approve",
        note="",
        actor=bureau_officer,
    )
    certified = _certified(bureau_officer, OrganisationFactory(town=changan), changan)
    args = {
        "evaluator": evaluator,
        "occupation": lathe,
        "level": 4,
        "kind": "grading",
        "date": datetime.date(2024, 5, 10),
        "site": "考核站",
        "actor": bureau_officer,
    }
    other = Standard.objects.exclude(pk=certified.pk).first()
    assert other is None
    with pytest.raises(Exception) as refused:
        certification.session_create(**args, standard=999999)
    assert "standard" in refused.value.fields  # type: ignore[attr-defined]
    session = certification.session_create(**args, standard=certified.pk)
    assert session.standard == certified

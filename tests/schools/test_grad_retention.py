"""EDU-GRAD-RETENTION from records (issue 19 §3): the graduation record and the social-insurance
contributions decide, at the rule's edges, and a school applies for a cohort in one action."""

from __future__ import annotations

import datetime

import pytest

from skillcity.accounts.services import token_create
from skillcity.core.errors import DomainError
from skillcity.employment.selectors.stats import graduate_employment
from skillcity.grants.models import Application
from skillcity.schools.models import ClassKind
from skillcity.schools.services import graduation_record
from skillcity.schools.services.retention import cohort, cohort_apply
from tests.employment.helpers import SHENZHEN, contribute
from tests.factories import OrganisationFactory, WorkerFactory

pytestmark = pytest.mark.django_db

GRADUATED = datetime.date(2024, 6, 30)


@pytest.fixture
def graduate(major, school_user):
    def make(name: str):
        worker = WorkerFactory(name=name)
        graduation_record(
            actor=school_user,
            major=major,
            worker=worker,
            class_kind=ClassKind.ADVANCED,
            graduated_on=GRADUATED,
        )
        return worker

    return make


def lines_by_name(school):
    return {line.graduation.worker.name: line for line in cohort(school, 2024)}


def test_the_rules_edges_read_from_records(school, graduate, changan_enterprise):
    outside = OrganisationFactory(name="深圳市某电子有限公司")
    contribute(graduate("六个月"), changan_enterprise, "2024-07", 6)  # the 6th month reached
    contribute(graduate("五个月"), changan_enterprise, "2024-07", 5)
    contribute(graduate("毕业当月"), changan_enterprise, "2024-06", 6)  # begun in the graduation month
    contribute(graduate("一年整"), changan_enterprise, "2025-06", 6)  # begun on the year's last month
    contribute(graduate("超过一年"), changan_enterprise, "2025-07", 6)
    contribute(graduate("深圳"), outside, "2024-08", 8, region=SHENZHEN)
    contribute(graduate("毕业前"), changan_enterprise, "2021-03", 48)  # held for years before graduation
    graduate("无记录")
    lines = lines_by_name(school)
    assert {n for n, line in lines.items() if line.status == "eligible"} == {"六个月", "毕业当月", "一年整"}
    assert "未满 6 个月" in lines["五个月"].reasons[0]
    assert "超过毕业后1年" in lines["超过一年"].reasons[0]
    assert "不在东莞" in lines["深圳"].reasons[0]
    assert "早于毕业当月" in lines["毕业前"].reasons[0]
    assert lines["无记录"].status == "no_record"
    six = lines["六个月"]
    assert six.reading.facts["same_employer_continuous_insured_months"] == 6
    assert "2024-07 至 2024-12 连续缴费 6 个月" in six.reading.sources["employment_start"]
    assert six.amount == "1000.00"


def test_a_school_applies_for_its_cohort_in_one_action(school, school_user, graduate, changan_enterprise):
    contribute(graduate("甲"), changan_enterprise, "2024-07", 6)
    contribute(graduate("乙"), changan_enterprise, "2024-09", 7)
    contribute(graduate("丙"), changan_enterprise, "2024-07", 3)
    lines = cohort_apply(actor=school_user, school=school, year=2024)
    applied = {line.graduation.worker.name for line in lines if line.status == "applied"}
    assert applied == {"甲", "乙"}
    apps = Application.objects.filter(rule_id="EDU-GRAD-RETENTION")
    assert apps.count() == 2 and {a.organisation_id for a in apps} == {school.organisation_id}
    app = apps.get(facts__same_employer_continuous_insured_months=7)
    assert app.event_date == datetime.date(2025, 2, 28)  # the end of the 6th insured month
    assert "社保缴费记录" in app.fact_sources["employment_start"]
    # Once applied, each stays applied; nothing more to apply for until 丙's records say more.
    assert lines_by_name(school)["甲"].status == "applied"
    with pytest.raises(DomainError):
        cohort_apply(actor=school_user, school=school, year=2024)
    bing = next(line for line in cohort(school, 2024) if line.graduation.worker.name == "丙")
    contribute(bing.graduation.worker, changan_enterprise, "2024-10", 3)
    again = cohort_apply(actor=school_user, school=school, year=2024)
    assert {line.graduation.worker.name for line in again if line.status == "applied"} == {"甲", "乙", "丙"}


def test_the_cohort_page_and_api(client, school, school_user, major, changan_enterprise):
    worker = WorkerFactory(name="赵毕业")
    graduation_record(
        actor=school_user,
        major=major,
        worker=worker,
        class_kind=ClassKind.ADVANCED,
        graduated_on=datetime.date(2024, 6, 30),
    )
    contribute(worker, changan_enterprise, "2024-07", 6)
    client.force_login(school_user)
    page = client.get(f"/schools/{school.pk}/grad-retention/?year=2024").content.decode()
    assert "赵毕业" in page and "符合条件，可申请" in page and "1,000.00" in page
    assert 'id="grad-retention-link"' in client.get(f"/schools/{school.pk}/").content.decode()
    detail = client.get(f"/schools/{school.pk}/?year=2025").content.decode()
    # The ledger ends 2024-12: the graduate's 12 months (to 2025-05) are still open, so not judged.
    assert 'id="graduate-employment"' in detail and "观察期未满 1 人" in detail
    assert "未达标" not in detail.split('id="graduate-employment"')[1].split("</p>")[0]
    done = client.post(
        f"/schools/{school.pk}/grad-retention/apply/", {"year": 2024}, follow=True
    ).content.decode()
    assert "已为 1 名毕业生生成补贴申请" in done and "已申请" in done
    lines = client.get(f"/api/v1/schools/{school.pk}/grad-retention?year=2024", **auth(school_user)).json()
    assert [
        (x["name"], x["status"], x["insured_months"], x["application_id"] is not None) for x in lines
    ] == [("赵毕业", "applied", 6, True)]
    again = client.post(
        f"/api/v1/schools/{school.pk}/grad-retention/apply",
        {"year": 2024},
        content_type="application/json",
        **auth(school_user),
    )
    assert again.status_code in (400, 409) and "没有可申请" in again.json()["message"]


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


def test_graduates_employed_within_twelve_months_per_school_for_the_bureau(
    school, graduate, changan_enterprise
):
    contribute(graduate("毕业当月"), changan_enterprise, "2024-06", 1)
    contribute(graduate("第十二个月"), changan_enterprise, "2025-05", 1)  # the 12th month from June
    contribute(graduate("第十三个月"), changan_enterprise, "2025-06", 1)  # outside the 12 months
    graduate("无记录")
    (row,) = graduate_employment([2024])
    assert (row.graduates, row.employed, str(row.share), row.meets_target) == (4, 2, "0.5000", False)
    assert graduate_employment([2023]) == []
    assert graduate_employment([2024], school_id=school.pk + 1000) == []


def test_graduates_still_inside_their_twelve_months_are_pending_not_failed(
    school, graduate, changan_enterprise, bureau_officer, client
):
    contribute(graduate("已就业"), changan_enterprise, "2024-06", 1)
    graduate("未就业")
    (row,) = graduate_employment([2024])  # the ledger ends 2024-06: both windows open
    assert (row.graduates, row.pending, row.employed, row.share, row.verdict) == (2, 2, 0, None, "pending")
    assert not row.meets_target
    client.force_login(bureau_officer)
    page = client.get("/employment/stats/?years=2024").content.decode()
    table = page.split('id="graduate-employment"')[1].split("</table>")[0]
    assert "未达标" not in table
    body = client.get("/api/v1/employment/stats?years=2024", **auth(bureau_officer)).json()
    assert body["graduate_employment"][0]["verdict"] == "pending"
    assert body["graduate_employment"][0]["pending"] == 2
    contribute(WorkerFactory(), changan_enterprise, "2025-05", 1)  # the ledger reaches the windows' end
    (row,) = graduate_employment([2024])
    assert (row.pending, row.employed, str(row.share), row.verdict) == (0, 1, "0.5000", "not_met")

"""Provincial, national and WorldSkills results imported from .xlsx: all rows or none, every bad row
listed, players matched to the registry, a re-upload changing nothing; camps recorded with trainees."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from skillcity.competitions.models import Competition, ContestProject, Result, TrainingCamp
from skillcity.competitions.services import awards, camps, imports
from skillcity.core.errors import DomainError, PermissionDenied
from tests.competitions.awards_setup import project_of
from tests.factories import OccupationFactory, OrganisationFactory, WorkerFactory

pytestmark = pytest.mark.django_db
HEADER = list(imports.COLUMNS.values())


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def people():
    OccupationFactory()
    unit = OrganisationFactory()
    return {"unit": unit, "player": WorkerFactory(employer=unit), "coach": WorkerFactory(name="省赛教练")}


def row(people, **kw):
    values = {
        "competition": "2024年广东省职业技能大赛",
        "level": "省级一类",
        "year": 2024,
        "organiser": "广东省人力资源和社会保障厅",
        "project": "数控车",
        "occupation": "6-18-01-01",
        "standard_level": 3,
        "date": "2024-10-18",
        "id_number": people["player"].id_number,
        "unit": people["unit"].uscc,
        "award": "金奖",
        "rank": 1,
        "prize": "20000",
        "coach": people["coach"].id_number,
    }
    values.update(kw)
    return [values[name] for name in imports.COLUMNS]


def test_the_template_has_the_published_columns_and_a_sample():
    sheet = load_workbook(io.BytesIO(imports.template_workbook())).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 2


def test_an_import_creates_the_external_records_cmp_match_reads(people, bureau_officer):
    report = imports.results_import(filename="r.xlsx", content=xlsx([row(people)]), actor=bureau_officer)
    assert report.ok and report.created == 1
    competition = Competition.objects.get()
    assert competition.external and competition.level == "provincial_class1"
    assert competition.organiser_name == "广东省人力资源和社会保障厅"
    result = Result.objects.get()
    assert result.award == "gold" and result.prize_money == Decimal("20000.00")
    assert result.project.state == ContestProject.State.CONFIRMED
    assert result.entry.coach == people["coach"] and result.entry.unit == people["unit"]
    claims = {c.rule_id: c for c in awards.claims_for(competition)}
    assert claims["CMP-MATCH"].payee == people["player"]
    assert claims["CMP-MATCH"].facts == {
        "competition_level": "provincial_class1",
        "contest_prize_money": "20000.00",
    }
    assert claims["CMP-MATCH-COACH"].payee == people["coach"]
    assert claims["CMP-TEAM"].payee == people["unit"]


def test_re_uploading_the_same_rows_changes_nothing(people, bureau_officer):
    content = xlsx([row(people)])
    imports.results_import(filename="r.xlsx", content=content, actor=bureau_officer)
    again = imports.results_import(filename="r.xlsx", content=content, actor=bureau_officer)
    assert again.ok and again.created == 0 and again.unchanged == 1
    assert Result.objects.count() == 1 and Competition.objects.count() == 1


def test_a_row_contradicting_an_imported_result_is_refused(people, bureau_officer):
    imports.results_import(filename="r.xlsx", content=xlsx([row(people)]), actor=bureau_officer)
    report = imports.results_import(
        filename="r.xlsx", content=xlsx([row(people, prize="90000")]), actor=bureau_officer
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "奖项")]
    assert "已导入的成绩不能通过导入修改" in report.errors[0].reason


def test_one_bad_row_rejects_the_file_listing_every_bad_row(people, bureau_officer):
    good = row(people)
    unknown = row(people, id_number="441900199001010000", project="钳工")
    bad_level = row(people, level="市级一类", project="焊工")
    bad_prize = row(people, prize="-5", project="电工", award="特等奖")
    report = imports.results_import(
        filename="r.xlsx", content=xlsx([good, unknown, bad_level, bad_prize]), actor=bureau_officer
    )
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(3, "身份证号码"), (4, "竞赛级别"), (5, "竞赛奖金"), (5, "奖项")}
    assert "不在劳动者库中" in next(e.reason for e in report.errors if e.row == 3)
    assert not Result.objects.exists() and not Competition.objects.exists()


def test_a_missing_column_and_a_non_xlsx_are_refused(people, bureau_officer):
    header = [h for h in HEADER if h != "奖项"]
    values = [v for h, v in zip(HEADER, row(people), strict=True) if h != "奖项"]
    report = imports.results_import(
        filename="r.xlsx", content=xlsx([values], header=header), actor=bureau_officer
    )
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(1, "奖项", "缺少必填列")]
    with pytest.raises(DomainError):
        imports.results_import(filename="r.csv", content=b"a,b", actor=bureau_officer)


def test_only_the_bureau_imports(people, enterprise_user):
    with pytest.raises(PermissionDenied):
        imports.results_import(filename="r.xlsx", content=xlsx([row(people)]), actor=enterprise_user)


def test_a_unit_records_its_camp_with_trainees_and_months(enterprise_user, changan_enterprise):
    project = project_of("provincial_class2")
    trainee = WorkerFactory()
    camp = camps.camp_record(
        actor=enterprise_user,
        project=project,
        unit=changan_enterprise,
        starts_on=datetime.date(2024, 5, 1),
        ends_on=datetime.date(2024, 7, 31),
        trainees=[(trainee.id_number, 3)],
    )
    assert list(camp.trainees.values_list("worker", "months")) == [(trainee.pk, 3)]
    claims = {c.rule_id: c for c in awards.claims_for(project.competition)}
    assert claims["CMP-CAMP-TRAINEE"].facts == {"camp_months": 3}
    assert claims["CMP-CAMP-TRAINEE"].outcome["amount"] == "9000.00"


def test_camp_refusals_name_what_is_wrong(enterprise_user, changan_enterprise):
    project = project_of("provincial_class2")
    args = {"actor": enterprise_user, "project": project, "unit": changan_enterprise,
            "starts_on": datetime.date(2024, 5, 1), "ends_on": datetime.date(2024, 6, 30)}  # fmt: skip
    with pytest.raises(DomainError) as err:
        camps.camp_record(**args, trainees=[(WorkerFactory().id_number, 3)])
    assert err.value.code == "trainee_months"
    with pytest.raises(DomainError) as err:
        camps.camp_record(**args, trainees=[("441900199001010000", 1)])
    assert err.value.code == "trainee_unknown"
    with pytest.raises(DomainError) as err:
        camps.camp_record(**{**args, "project": project_of("city_class1")}, trainees=[])
    assert err.value.code == "camp_level"
    with pytest.raises(PermissionDenied):
        camps.camp_record(**{**args, "unit": OrganisationFactory()}, trainees=[])
    assert not TrainingCamp.objects.exists()


def test_the_bureau_confirms_a_selection_camp_completed_which_makes_it_claimable(bureau_officer):
    project = project_of("worldskills", external=True, host_unit=None)
    unit = OrganisationFactory()
    camp = camps.camp_record(
        actor=bureau_officer, project=project, unit=unit, starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 6, 30), trainees=[], selection_level="city",
    )  # fmt: skip
    assert not [c for c in awards.claims_for(project.competition) if c.rule_id == "CMP-WS-BASE"]
    camps.camp_complete(camp=camp, actor=bureau_officer)
    base = [c for c in awards.claims_for(project.competition) if c.rule_id == "CMP-WS-BASE"]
    assert len(base) == 1 and base[0].outcome["amount"] == "150000.00"


def test_a_unit_records_a_projects_camp_once_so_it_is_not_paid_twice(enterprise_user, changan_enterprise):
    project = project_of("provincial_class2")
    args = {"actor": enterprise_user, "project": project, "unit": changan_enterprise,
            "starts_on": datetime.date(2024, 5, 1), "ends_on": datetime.date(2024, 7, 31)}  # fmt: skip
    camps.camp_record(**args, trainees=[(WorkerFactory().id_number, 3)])
    with pytest.raises(DomainError) as err:
        camps.camp_record(**args, trainees=[(WorkerFactory().id_number, 3)])
    assert err.value.code == "camp_exists" and "project" in err.value.fields
    claims = [c for c in awards.claims_for(project.competition) if c.rule_id == "CMP-CAMP"]
    assert len(claims) == 1

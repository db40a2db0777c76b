"""The experts' .xlsx import: all rows or none, every bad row listed with its row and column."""

from __future__ import annotations

import pytest

from skillcity.core.models import AuditEvent
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.platforms.models.experts import Expert
from skillcity.platforms.services import experts as services
from tests.factories import OccupationFactory, OrganisationFactory, WorkerFactory

pytestmark = pytest.mark.django_db
HEADER = list(services.EXPERT_COLUMNS)


def _xlsx(rows, header=HEADER):
    workbook = new_workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook)


def _row(worker, organisation, **values):
    row = {
        "id": worker.id_number,
        "name": worker.name,
        "sector": "电子信息",
        "title": "高级工程师",
        "org": organisation.uscc,
        "occupations": "",
        "phone": "13912345678",
        "email": "",
        "conflicts": "",
    }
    row.update(values)
    return list(row.values())


def test_it_imports_every_row_of_a_good_file(bureau_officer):
    unit, other = OrganisationFactory(), OrganisationFactory()
    lathe, mill = OccupationFactory(), OccupationFactory()
    a, b = WorkerFactory(), WorkerFactory()
    content = _xlsx(
        [
            _row(
                a, unit, occupations=f"{lathe.code}、{mill.code}", conflicts=other.uscc, email="a@example.cn"
            ),
            _row(b, other, sector="现代服务业", phone="0769-22112233"),
        ]
    )
    result = services.experts_import(actor=bureau_officer, filename="experts.xlsx", content=content)
    assert result.ok and result.created == 2
    expert = Expert.objects.get(worker=a)
    assert expert.sector == "electronics" and expert.organisation == unit
    assert set(expert.occupations.all()) == {lathe, mill}
    assert list(expert.conflicts.all()) == [other]
    assert Expert.objects.get(worker=b).sector == "services"
    assert AuditEvent.objects.filter(action="platforms.expert.import").count() == 1


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_one(bureau_officer):
    unit = OrganisationFactory()
    good, renamed, known = WorkerFactory(), WorkerFactory(name="王五"), WorkerFactory()
    Expert.objects.create(
        worker=known,
        sector="food",
        title="技师",
        organisation=unit,
        phone="13900000000",
        created_by=bureau_officer,
    )
    content = _xlsx(
        [
            _row(good, unit),
            _row(renamed, unit, name="王六"),
            ["440000000000000000", "无名", "电子信息", "工程师", unit.uscc, "", "13912345678", "", ""],
            _row(known, unit),
            _row(good, unit),
            _row(
                WorkerFactory(),
                unit,
                sector="采矿",
                phone="12345",
                org="91440000XXXXXXXXXX",
                occupations="9-99",
            ),
            _row(WorkerFactory(), unit, title="", email="not-an-email"),
        ]
    )
    result = services.experts_import(actor=bureau_officer, filename="experts.xlsx", content=content)
    assert result.created == 0
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "姓名"),
        (4, "身份证号码"),
        (5, "身份证号码"),
        (6, "身份证号码"),
        (7, "行业领域"),
        (7, "联系电话"),
        (7, "所在单位统一社会信用代码"),
        (7, "职业编码"),
        (8, "职称"),
        (8, "电子邮箱"),
    }
    assert Expert.objects.count() == 1


def test_it_reads_the_header_with_the_house_reader(bureau_officer):
    content = _xlsx([["x"]], header=["身份证号码", "姓名", "籍贯"])
    result = services.experts_import(actor=bureau_officer, filename="experts.xlsx", content=content)
    columns = {e.column for e in result.errors}
    assert "籍贯" in columns and "行业领域" in columns and "联系电话" in columns
    assert not services.experts_import(actor=bureau_officer, filename="experts.csv", content=b"a").ok


def test_only_the_bureau_imports(enterprise_user):
    from skillcity.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.experts_import(actor=enterprise_user, filename="e.xlsx", content=_xlsx([]))

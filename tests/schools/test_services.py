"""Schools' services: registration, majors, the rolls import (all or none), international classes,
graduations, the social-training report; every write audited, every refusal named."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.registry.models import OrganisationCategory
from skillcity.schools import selectors
from skillcity.schools.models import ClassKind, Graduation, IndustryFit, Ownership, RollCount, RollImport
from skillcity.schools.services import (
    graduation_record,
    intl_certificate_record,
    intl_class_create,
    intl_student_add,
    major_create,
    major_set_demonstration,
    major_update,
    school_register,
    social_report_file,
    worker_by_id_number,
)
from skillcity.schools.services.rolls import COLUMNS, rolls_import, template
from tests.factories import OrganisationFactory
from tests.schools.conftest import xlsx

HEADER = list(COLUMNS)


def test_the_bureau_registers_a_school_from_a_registry_organisation(school, bureau_officer):
    assert school.kind == "technical" and school.is_private
    assert AuditEvent.objects.filter(action="schools.school.register", target_id=str(school.pk)).exists()
    with pytest.raises(DomainError) as err:
        school_register(actor=bureau_officer, organisation=school.organisation, ownership=Ownership.PUBLIC)
    assert err.value.code == "already_school"


def test_an_enterprise_is_not_a_school_and_only_the_bureau_registers(
    changan_enterprise, bureau_officer, enterprise_user
):
    with pytest.raises(DomainError) as err:
        school_register(actor=bureau_officer, organisation=changan_enterprise, ownership=Ownership.PUBLIC)
    assert err.value.code == "not_a_school" and "organisation" in err.value.fields
    college = OrganisationFactory(category=OrganisationCategory.VOCATIONAL_COLLEGE)
    with pytest.raises(PermissionDenied):
        school_register(actor=enterprise_user, organisation=college, ownership=Ownership.PUBLIC)
    assert (
        school_register(actor=bureau_officer, organisation=college, ownership=Ownership.PUBLIC).kind
        == "vocational"
    )


def test_a_school_keeps_its_majors_and_another_organisation_cannot(
    school, school_user, major, enterprise_user
):
    with pytest.raises(DomainError) as err:
        major_create(actor=school_user, school=school, name="数控技术应用", industry_fit=IndustryFit.NONE)
    assert err.value.code == "major_exists" and "name" in err.value.fields
    with pytest.raises(PermissionDenied):
        major_create(actor=enterprise_user, school=school, name="焊接", industry_fit=IndustryFit.NONE)
    with pytest.raises(DomainError) as err:
        major_create(actor=school_user, school=school, name="  ", industry_fit=IndustryFit.NONE)
    assert "name" in err.value.fields
    major_update(
        actor=school_user,
        major=major,
        name="数控加工",
        code="",
        industry_fit="five_pillars_four_specialties",
        enterprise_training=False,
    )
    major.refresh_from_db()
    assert major.name == "数控加工" and not major.enterprise_training
    assert AuditEvent.objects.filter(action="schools.major.update").exists()


def test_only_the_bureau_selects_a_demonstration_major(major, school_user, bureau_officer):
    with pytest.raises(PermissionDenied):
        major_set_demonstration(actor=school_user, major=major, demonstration=True)
    assert major_set_demonstration(actor=bureau_officer, major=major, demonstration=True).demonstration


def rolls(*rows):
    return xlsx([HEADER, *rows])


def test_the_rolls_import_writes_every_row_and_replaces_the_year(school, school_user, major):
    content = rolls(
        ["数控技术应用", 1, "中级工班", 100],
        ["数控技术应用", 2, "高级工班", 80],
        ["数控技术应用", 1, "高级工班及以上（招收高中毕业生）", 30],
    )
    result = rolls_import(actor=school_user, school=school, year=2024, filename="r.xlsx", content=content)
    assert result.ok and result.created == 3
    assert selectors.roll_totals(school, 2024)[major.pk] == {
        "y1": 130,
        "y2": 80,
        "y3": 0,
        "total": 210,
        "excluded": 30,
        "advanced": 110,
    }
    again = rolls_import(
        actor=school_user,
        school=school,
        year=2024,
        filename="r.xlsx",
        content=rolls(["数控技术应用", 3, "预备技师（技师）班", 5]),
    )
    assert again.ok and RollCount.objects.filter(school=school, year=2024).count() == 1
    assert AuditEvent.objects.filter(action="schools.rolls.import").count() == 2


def test_the_rolls_import_writes_nothing_and_lists_every_bad_row(school, school_user, major):
    content = rolls(
        ["数控技术应用", 1, "中级工班", 100],
        ["焊接技术", 1, "中级工班", 10],
        ["数控技术应用", 9, "中级工班", 10],
        ["数控技术应用", 2, "普通班", 10],
        ["数控技术应用", 2, "中级工班", "1e20"],
        ["数控技术应用", 1, "中级工班", 5],
    )
    result = rolls_import(actor=school_user, school=school, year=2024, filename="r.xlsx", content=content)
    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "专业名称"),
        (4, "年级"),
        (5, "班级类型"),
        (6, "在校生人数"),
        (7, "专业名称"),
    ]
    assert "重复" in result.errors[-1].reason
    assert not RollCount.objects.exists() and not RollImport.objects.exists()


def test_the_rolls_header_is_read_by_the_house_reader(school, school_user, major):
    result = rolls_import(
        actor=school_user,
        school=school,
        year=2024,
        filename="r.xlsx",
        content=xlsx([["专业名称", "年级", "人数"], ["数控技术应用", 1, 3]]),
    )
    assert {(e.column, e.reason) for e in result.errors} >= {("人数", "未知列名"), ("班级类型", "缺少必填列")}
    bad = rolls_import(actor=school_user, school=school, year=2024, filename="r.csv", content=b"x")
    assert not bad.ok
    # the template imports as it is (its example major registered)
    assert rolls_import(actor=school_user, school=school, year=2024, filename="t.xlsx", content=template()).ok


def test_a_graduation_record_names_the_worker_and_gives_edu_equiv(
    school_user, major, student, enterprise_user
):
    worker = worker_by_id_number(student.id_number, student.name)
    grad = graduation_record(
        actor=school_user,
        major=major,
        worker=worker,
        class_kind=ClassKind.HS_ADVANCED,
        graduated_on=datetime.date(2024, 6, 30),
    )
    assert grad.equiv_class == "advanced"
    assert selectors.worker_graduations(student) == [grad]
    with pytest.raises(DomainError) as err:
        graduation_record(
            actor=school_user,
            major=major,
            worker=worker,
            class_kind=ClassKind.HS_ADVANCED,
            graduated_on=datetime.date(2024, 6, 30),
        )
    assert err.value.code == "graduation_exists"
    with pytest.raises(DomainError):
        graduation_record(
            actor=school_user,
            major=major,
            worker=worker,
            class_kind=ClassKind.ADVANCED,
            graduated_on=datetime.date.today() + datetime.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        graduation_record(
            actor=enterprise_user,
            major=major,
            worker=worker,
            class_kind=ClassKind.ADVANCED,
            graduated_on=datetime.date(2024, 6, 30),
        )
    with pytest.raises(DomainError) as err:
        worker_by_id_number(student.id_number, "别人")
    assert "name" in err.value.fields
    assert Graduation.objects.count() == 1


def test_international_students_and_their_certificates(school_user, major, student):
    klass = intl_class_create(
        actor=school_user, major=major, name="中德双元制1班", year=2024, curriculum="德国AHK"
    )
    with pytest.raises(DomainError) as err:
        intl_student_add(
            actor=school_user, intl_class=klass, worker=student, certificate_name="AHK", certificate_number=""
        )
    assert err.value.code == "certificate_incomplete" and "certificate_number" in err.value.fields
    s = intl_student_add(actor=school_user, intl_class=klass, worker=student)
    assert not s.has_certificate
    s = intl_certificate_record(
        actor=school_user,
        student=s,
        certificate_name="AHK机电一体化工",
        certificate_number="AHK-1",
        certificate_date=datetime.date(2024, 7, 1),
    )
    assert s.has_certificate and selectors.worker_certificate(student, datetime.date(2024, 8, 1)) == s
    assert selectors.worker_certificate(student, datetime.date(2024, 6, 1)) is None


def test_only_a_public_school_files_a_social_training_report(
    school, school_user, public_school, public_school_user
):
    with pytest.raises(DomainError) as err:
        social_report_file(
            actor=school_user,
            school=school,
            year=2024,
            income=Decimal("1"),
            costs=Decimal("0"),
            person_times=1,
        )
    assert err.value.code == "not_public"
    with pytest.raises(DomainError) as err:
        social_report_file(
            actor=public_school_user,
            school=public_school,
            year=2024,
            income=Decimal("-1"),
            costs=Decimal("1e20"),
            person_times=-1,
        )
    assert set(err.value.fields) == {"income", "costs", "person_times"}
    report = social_report_file(
        actor=public_school_user,
        school=public_school,
        year=2024,
        income=Decimal("500000"),
        costs=Decimal("200000"),
        person_times=3000,
    )
    report = social_report_file(
        actor=public_school_user,
        school=public_school,
        year=2024,
        income=Decimal("600000"),
        costs=Decimal("200000"),
        person_times=3000,
    )
    assert (
        report.income == Decimal("600000")
        and AuditEvent.objects.filter(action="schools.social_report.file").count() == 2
    )


def test_progress_counts_technical_schools_against_t_tech_schools(school, school_user, major, student):
    rolls_import(
        actor=school_user,
        school=school,
        year=2024,
        filename="r.xlsx",
        content=rolls(["数控技术应用", 1, "中级工班", 60], ["数控技术应用", 1, "高级工班", 40]),
    )
    graduation_record(
        actor=school_user,
        major=major,
        worker=student,
        class_kind=ClassKind.ADVANCED,
        graduated_on=datetime.date(2024, 6, 30),
    )
    p = selectors.progress(2024)
    assert (p.schools, p.students, p.advanced, p.majors, p.majors_with_enterprise, p.graduates) == (
        1,
        100,
        40,
        1,
        1,
        1,
    )
    assert [m.met for m in p.measures] == [False, True, True, False, False]
    # The graduate insured within the year after graduating: employed, from the contribution records.
    from tests.employment.helpers import contribute

    assert p.measures[4].value.startswith("0.0%")
    contribute(student, school.organisation, "2025-06", 1)  # the 13th month from June 2024: too late
    assert selectors.progress(2024).measures[4].value.startswith("0.0%")
    contribute(student, school.organisation, "2025-05", 1)  # the 12th
    measure = selectors.progress(2024).measures[4]
    assert measure.value.startswith("100.0%（1 / 1）") and measure.met


def test_the_bureau_changes_a_school_ownership_audited(school, bureau_officer, school_user):
    from skillcity.schools.services import school_update

    with pytest.raises(PermissionDenied):
        school_update(actor=school_user, school=school, ownership=Ownership.PUBLIC)
    with pytest.raises(DomainError) as err:
        school_update(actor=bureau_officer, school=school, ownership="state")
    assert "ownership" in err.value.fields
    assert (
        school_update(actor=bureau_officer, school=school, ownership=Ownership.PUBLIC).ownership == "public"
    )
    assert AuditEvent.objects.filter(action="schools.school.update").exists()


def test_international_class_and_student_refusals(school_user, major, student, enterprise_user):
    klass = intl_class_create(actor=school_user, major=major, name="中德班", year=2024, curriculum="AHK")
    with pytest.raises(DomainError) as err:
        intl_class_create(actor=school_user, major=major, name="中德班", year=2024, curriculum="AHK")
    assert err.value.code == "class_exists"
    with pytest.raises(DomainError) as err:
        intl_class_create(actor=school_user, major=major, name="英国班", year=1800, curriculum="BTEC")
    assert "year" in err.value.fields
    with pytest.raises(PermissionDenied):
        intl_student_add(actor=enterprise_user, intl_class=klass, worker=student)
    intl_student_add(actor=school_user, intl_class=klass, worker=student)
    with pytest.raises(DomainError) as err:
        intl_student_add(actor=school_user, intl_class=klass, worker=student)
    assert err.value.code == "student_exists"
    with pytest.raises(DomainError) as err:
        worker_by_id_number("440000000000000000", "某人")
    assert "id_number" in err.value.fields

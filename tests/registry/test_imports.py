"""The import engine (all rows or none, every bad row listed), its CLI, the template and exports."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from skillcity.core.models import AuditEvent
from skillcity.registry import imports
from skillcity.registry.models import Organisation, SkillRecord, Worker
from tests.exports import xlsx_bytes as xlsx
from tests.factories import make_resident_id, make_uscc


def csv_bytes(rows, encoding="utf-8"):
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode(encoding)


WORKER_HEADER = ["姓名", "身份证号码", "手机号码", "所在镇街", "工作单位统一社会信用代码"]


@pytest.mark.django_db
def test_every_bad_row_of_an_xlsx_is_listed_and_nothing_is_written(bureau_officer, changan):
    content = xlsx(
        [
            WORKER_HEADER,
            ["甲", make_resident_id(), "13800000001", "长安镇", ""],
            ["乙", "441900199001011234", "13800000002", "长安镇", ""],
            ["丙", make_resident_id(), "123", "不存在镇", ""],
        ]
    )
    result = imports.run_import(kind="workers", filename="w.xlsx", content=content, actor=bureau_officer)
    assert not result.ok
    listed = {(e.row, e.column) for e in result.errors}
    assert listed == {(3, "身份证号码"), (4, "手机号码"), (4, "所在镇街")}
    assert Worker.objects.count() == 0
    assert not AuditEvent.objects.filter(action="worker.import").exists()


@pytest.mark.django_db
def test_a_duplicate_within_the_file_names_the_first_row(bureau_officer, changan):
    rid = make_resident_id()
    content = csv_bytes([WORKER_HEADER, ["甲", rid, "", "长安镇", ""], ["乙", rid, "", "长安镇", ""]])
    result = imports.run_import(kind="workers", filename="w.csv", content=content, actor=bureau_officer)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(3, "身份证号码", "与第 2 行重复")]
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_an_already_registered_id_number_is_an_error(bureau_officer, changan_worker):
    content = csv_bytes([WORKER_HEADER, ["甲", changan_worker.id_number, "", "长安镇", ""]])
    result = imports.run_import(kind="workers", filename="w.csv", content=content, actor=bureau_officer)
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号码")]
    assert "已登记" in result.errors[0].reason


@pytest.mark.django_db
def test_english_field_names_and_a_bom_are_accepted(bureau_officer, changan, changan_enterprise):
    content = (
        "\ufeff"
        + "name,id_number,town,employer\n"
        + f"甲,{make_resident_id()},长安镇,{changan_enterprise.uscc}\n"
    )
    result = imports.run_import(
        kind="workers", filename="w.csv", content=content.encode("utf-8"), actor=bureau_officer
    )
    assert result.ok and result.created == 1
    assert Worker.objects.get(name="甲").employer == changan_enterprise


@pytest.mark.django_db
def test_a_gb18030_csv_is_read(bureau_officer, changan):
    content = csv_bytes([WORKER_HEADER, ["陈晓", make_resident_id(), "", "长安镇", ""]], encoding="gb18030")
    result = imports.run_import(kind="workers", filename="w.csv", content=content, actor=bureau_officer)
    assert result.ok
    assert Worker.objects.filter(name="陈晓").exists()


@pytest.mark.django_db
def test_a_town_officer_cannot_import_rows_of_another_town(changan_officer, changan, humen):
    content = csv_bytes(
        [
            WORKER_HEADER,
            ["甲", make_resident_id(), "", "长安镇", ""],
            ["乙", make_resident_id(), "", "虎门镇", ""],
        ]
    )
    result = imports.run_import(kind="workers", filename="w.csv", content=content, actor=changan_officer)
    assert [(e.row, e.column) for e in result.errors] == [(3, "所在镇街")]
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_unknown_and_missing_columns_are_reported_on_row_one(bureau_officer, changan):
    content = csv_bytes([["姓名", "籍贯"], ["甲", "广东"]])
    result = imports.run_import(kind="workers", filename="w.csv", content=content, actor=bureau_officer)
    listed = {(e.row, e.column, e.reason) for e in result.errors}
    assert (1, "籍贯", "未知列名") in listed
    assert (1, "身份证号码", "缺少必填列") in listed


@pytest.mark.django_db
def test_rows_over_the_limit_are_refused(bureau_officer, changan, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [WORKER_HEADER] + [["甲", make_resident_id(), "", "长安镇", ""] for _ in range(3)]
    result = imports.run_import(
        kind="workers", filename="w.csv", content=csv_bytes(rows), actor=bureau_officer
    )
    assert any("上限" in e.reason for e in result.errors)
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_other_file_types_are_refused(bureau_officer):
    from skillcity.core.errors import DomainError

    with pytest.raises(DomainError):
        imports.run_import(kind="workers", filename="w.pdf", content=b"%PDF", actor=bureau_officer)


@pytest.mark.django_db
def test_an_organisation_import_keeps_the_staff_counts(bureau_officer, changan):
    header = [*list(imports.ORGANISATION_COLUMNS.values())[:5], "职工总数"]
    uscc = make_uscc()
    content = xlsx([header, ["东莞市甲公司", "企业", uscc, "长安镇", "", 120]])
    result = imports.run_import(
        kind="organisations", filename="o.xlsx", content=content, actor=bureau_officer
    )
    assert result.ok, result.errors
    organisation = Organisation.objects.get(uscc=uscc)
    assert organisation.total_staff == 120
    assert (
        AuditEvent.objects.filter(action="organisation.import", target_id=str(organisation.pk)).count() == 1
    )


@pytest.mark.django_db
def test_a_worker_row_with_a_level_gets_a_skill_record(bureau_officer, changan):
    from skillcity.registry.models import Occupation

    occupation = Occupation.objects.filter(active=True).first()
    if occupation is None:
        pytest.skip("no occupations loaded")
    header = [*WORKER_HEADER, "技能等级", "职业编码"]
    content = csv_bytes([header, ["甲", make_resident_id(), "", "长安镇", "", "3", occupation.code]])
    result = imports.run_import(kind="workers", filename="w.csv", content=content, actor=bureau_officer)
    assert result.ok, result.errors
    worker = Worker.objects.get(name="甲")
    assert worker.highest_level == 3
    assert SkillRecord.objects.filter(worker=worker, level=3, occupation=occupation).exists()


@pytest.mark.django_db
def test_the_template_has_the_headers_and_a_sample_row():
    sheet = load_workbook(io.BytesIO(imports.template_workbook("workers"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(imports.WORKER_COLUMNS.values())
    assert rows[1][0] == "陈小明"


@pytest.mark.django_db
def test_the_command_imports_a_clean_file(tmp_path, changan, capsys):
    path = tmp_path / "w.csv"
    path.write_bytes(csv_bytes([WORKER_HEADER, ["甲", make_resident_id(), "", "长安镇", ""]]))
    call_command("import_records", "workers", str(path))
    assert "imported 1 workers" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="worker.import", actor_label="cli").count() == 1


@pytest.mark.django_db
def test_the_command_exits_2_listing_every_bad_row(tmp_path, changan_officer, humen, capsys):
    path = tmp_path / "w.csv"
    path.write_bytes(
        csv_bytes(
            [
                WORKER_HEADER,
                ["甲", "441900199001011234", "", "长安镇", ""],
                ["乙", make_resident_id(), "", "虎门镇", ""],
            ]
        )
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_records", "workers", str(path), "--as", changan_officer.username)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "row 2, column 身份证号码" in err and "row 3, column 所在镇街" in err
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_the_command_refuses_a_worker_account(tmp_path, worker_user):
    from django.core.management.base import CommandError

    path = tmp_path / "w.csv"
    path.write_bytes(csv_bytes([WORKER_HEADER]))
    with pytest.raises(CommandError):
        call_command("import_records", "workers", str(path), "--as", worker_user.username)


@pytest.mark.django_db
def test_text_longer_than_its_column_is_a_row_error_naming_the_column(bureau_officer, changan):
    """PostgreSQL refuses an over-long value at write time (a 500); the import names it first."""
    header = [*list(imports.ORGANISATION_COLUMNS.values())[:5], "法定代表人", "地址", "联系人"]
    content = xlsx(
        [header, ["东莞市乙公司", "企业", make_uscc(), "长安镇", "", "张" * 51, "路" * 201, "李" * 51]]
    )
    result = imports.run_import(
        kind="organisations", filename="o.xlsx", content=content, actor=bureau_officer
    )
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {(2, "法定代表人"), (2, "地址"), (2, "联系人")}
    assert {e.reason for e in result.errors} == {"不能超过50个字符", "不能超过200个字符"}
    assert not Organisation.objects.filter(name="东莞市乙公司").exists()


@pytest.mark.django_db
def test_an_unknown_value_is_quoted_back_cut_short(bureau_officer, changan):
    content = "姓名,身份证号码,所在镇街\n陈小明,{},{}\n".format(make_resident_id(), "镇" * 5000).encode()
    result = imports.run_import(kind="workers", filename="w.csv", content=content, actor=bureau_officer)
    (error,) = result.errors
    assert error.column == "所在镇街" and error.reason == "未知镇街“" + "镇" * 30 + "…”"

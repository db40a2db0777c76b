"""Provincial and national titles from .xlsx: recorded with their document and a skill record; one bad
row rejects the whole file listing every bad row; a re-upload records nothing twice."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from skillcity.certification import facts
from skillcity.competitions.models import Title
from skillcity.competitions.services import title_imports
from skillcity.core.errors import PermissionDenied
from skillcity.registry.models import SkillRecord
from tests.exports import xlsx_bytes
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

HEADER = ["身份证号码", "姓名", "称号", "授予日期", "授予文件"]


def _import(rows, actor):
    return title_imports.titles_import(
        filename="titles.xlsx", content=xlsx_bytes([HEADER, *rows]), actor=actor
    )


def test_it_records_the_titles_with_their_document_and_a_skill_record(bureau_officer):
    a, b = WorkerFactory(), WorkerFactory()
    result = _import(
        [
            [a.id_number, a.name, "全国技术能手", datetime.date(2023, 12, 1), "人社部发〔2023〕50号"],
            [b.id_number, b.name, "广东省技术能手", "2024-11-20", "粤人社函〔2024〕88号"],
        ],
        bureau_officer,
    )
    assert result.ok and result.created == 2
    title = Title.objects.get(worker=a)
    assert (title.honour, title.document, title.qr_token) == (
        "national_technical_expert",
        "人社部发〔2023〕50号",
        "",
    )
    assert title.number.startswith("DR2023")
    assert title.skill_record.honour == "national_technical_expert"
    assert facts.worker_talent_facts(a, datetime.date(2024, 1, 1))["titles"] == ["national_technical_expert"]


def test_one_bad_row_rejects_the_file_and_every_bad_row_is_listed(bureau_officer):
    good, other = WorkerFactory(), WorkerFactory()
    result = _import(
        [
            [good.id_number, good.name, "南粤技术能手", "2024-01-05", "粤人社发〔2024〕1号"],
            [other.id_number, "错名", "东莞市技术能手", "2024-13-01", ""],
            ["440000000000000000", "无此人", "中华技能大奖", "2024-01-05", "人社部令"],
        ],
        bureau_officer,
    )
    assert not result.ok and Title.objects.count() == 0
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(3, "姓名"), (3, "称号"), (3, "授予日期"), (3, "授予文件"), (4, "身份证号码")}
    assert SkillRecord.objects.filter(kind="honour").count() == 0


def test_a_re_upload_records_nothing_twice(bureau_officer):
    a = WorkerFactory()
    rows = [[a.id_number, a.name, "中华技能大奖", "2022-06-01", "人社部发〔2022〕10号"]]
    assert _import(rows, bureau_officer).created == 1
    again = _import(rows, bureau_officer)
    assert again.ok and again.created == 0
    assert Title.objects.count() == 1 and SkillRecord.objects.filter(kind="honour").count() == 1


def test_a_missing_column_is_named(bureau_officer):
    result = title_imports.titles_import(
        filename="t.xlsx",
        content=xlsx_bytes([HEADER[:4], ["x", "y", "z", "2024-01-01"]]),
        actor=bureau_officer,
    )
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(1, "授予文件", "缺少必填列")]


def test_only_the_bureau_imports(enterprise_user):
    with pytest.raises(PermissionDenied):
        _import([], enterprise_user)


def test_the_import_page_lists_the_errors_and_offers_the_template(client, bureau_officer):
    client.force_login(bureau_officer)
    template = client.get(reverse("competitions:titles_import_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = xlsx_bytes([HEADER, ["123", "某人", "全国技术能手", "2024-01-01", "文件"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("competitions:titles_import"), {"file": SimpleUploadedFile("t.xlsx", upload)}
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'id="import-errors"' in page and "身份证号码" in page

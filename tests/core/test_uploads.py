"""Every upload is bounded: its size before it is read, an .xlsx by what it unpacks to before openpyxl
opens it, and the imports take values, never formula cells."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skillcity.core.errors import DomainError
from skillcity.core.uploads import check_xlsx, open_xlsx
from skillcity.registry.imports import run_import
from skillcity.registry.models import Worker
from tests.exports import xlsx_bytes


def _with_shared_strings(megabytes: int) -> bytes:
    """A real workbook whose shared strings are one string of `megabytes` MB: a few hundred KB packed."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["姓名"], ["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                bomb.writestr(info.filename, source.read(info.filename))
        with bomb.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            chunk = b"A" * (1 << 20)
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _with_shared_strings(300)


def test_it_refuses_an_xlsx_bomb_from_its_directory_without_unpacking(bomb):
    assert len(bomb) < 1024 * 1024  # a few hundred KB that unpack to 300 MB
    with pytest.raises(DomainError) as error:
        check_xlsx(bomb, label="导入文件")
    assert error.value.code == "xlsx_too_large" and error.value.status == 413
    assert "导入文件解压后约 300 MB，超过 100 MB 上限" in str(error.value.message)
    assert error.value.fields == {"file": str(error.value.message)}


def test_it_refuses_the_bomb_in_every_xlsx_import(bomb, db, bureau_officer):
    from skillcity.training import services as training

    with pytest.raises(DomainError, match="超过 100 MB 上限"):
        run_import(kind="workers", filename="w.xlsx", content=bomb, actor=bureau_officer)
    with pytest.raises(DomainError, match="超过 100 MB 上限"):
        training.shortage_catalog_import(year=2025, file=bomb, actor=bureau_officer)
    from skillcity.alliances.excel.layout import open_sheet

    with pytest.raises(DomainError, match="超过 100 MB 上限"):
        open_sheet(bomb, title="附件")


def test_it_refuses_shared_strings_past_their_own_limit(settings):
    with pytest.raises(DomainError) as error:
        check_xlsx(_with_shared_strings(40), label="目录文件")
    assert "目录文件的共享字符串解压后约 40 MB，超过 30 MB 上限" in str(error.value.message)


def test_it_refuses_a_sheet_with_more_rows_than_the_limit(settings):
    settings.XLSX_MAX_ROWS = 10
    check_xlsx(xlsx_bytes([[i] for i in range(10)]))
    with pytest.raises(DomainError) as error:
        check_xlsx(xlsx_bytes([[i] for i in range(11)]), label="成绩文件")
    assert "成绩文件第 1 张工作表超过 10 行上限" in str(error.value.message)


def test_it_refuses_a_file_that_is_not_axlsx_bytes():
    with pytest.raises(DomainError) as error:
        open_xlsx(b"PK\x03\x04 not really", unreadable="无法读取")
    assert error.value.code == "invalid_file"


@pytest.mark.django_db
def test_it_refuses_an_oversized_upload_naming_the_field(client, settings, bureau_officer, changan):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(bureau_officer)
    big = SimpleUploadedFile("workers.csv", "姓名,身份证号码,所在镇街\n".encode() + b"x" * (3 * 1024 * 1024))
    response = client.post(reverse("registry:import", args=["workers"]), {"file": big})
    assert "导入文件超过 1 MB 上限，未读取" in response.content.decode()
    assert not Worker.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_an_oversized_upload_with_413(client, settings, bureau_officer):
    from skillcity.accounts.services import token_create

    settings.UPLOAD_MAX_MB = 1
    token = token_create(user=bureau_officer, name="t", actor=bureau_officer)[1]
    big = SimpleUploadedFile("catalog.xlsx", b"x" * (2 * 1024 * 1024))
    response = client.post(
        "/api/v1/training/shortage-catalog/2025", {"file": big}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "upload_too_large"
    assert body["fields"] == {"file": ["目录文件超过 1 MB 上限，未读取"]}


@pytest.mark.django_db
def test_the_upload_handler_keeps_no_more_than_the_limit_of_a_file(rf, settings):
    """Past the limit the stored file stops growing, but it is still recorded as over the limit."""
    from django.test.client import encode_multipart

    settings.UPLOAD_MAX_MB = 1
    body = encode_multipart("BoUnDaRy", {"file": SimpleUploadedFile("a.bin", b"y" * (5 * 1024 * 1024))})
    request = rf.post("/", data=body, content_type="multipart/form-data; boundary=BoUnDaRy")
    upload = request.FILES["file"]
    assert upload.size > 1024 * 1024
    assert len(upload.read()) < 1024 * 1024 + 2 * 65536


@pytest.mark.django_db
def test_a_registry_import_lists_every_formula_cell_and_writes_nothing(bureau_officer, changan):
    content = xlsx_bytes(
        [
            ["姓名", "身份证号码", "所在镇街"],
            ['=HYPERLINK("http://x","y")', "441900199005170019", "长安镇"],
            ["王五", "=A1", "长安镇"],
        ]
    )
    result = run_import(kind="workers", filename="w.xlsx", content=content, actor=bureau_officer)
    assert [(e.row, e.column) for e in result.errors] == [(2, "姓名"), (3, "身份证号码")]
    assert all("是公式，不能导入" in e.reason for e in result.errors)
    assert not Worker.objects.exists()


def test_no_module_opens_an_uploaded_workbook_around_the_bounds():
    """Every .xlsx import goes through open_xlsx (bounds, then openpyxl), or this test names the module."""
    import re
    from pathlib import Path

    import skillcity

    root = Path(skillcity.__file__).parent
    helper = root / "core" / "uploads.py"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != helper and re.search(r"\bload_workbook\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

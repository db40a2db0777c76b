"""The shortage catalog import checks its header and refuses formula cells, listing every bad row."""

from __future__ import annotations

import pytest

from skillcity.core.errors import DomainError
from skillcity.training import services
from skillcity.training.models import ShortageCatalogEntry
from tests.exports import xlsx_bytes
from tests.factories import OccupationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lathe():
    return OccupationFactory(code="6-18-01-01", name="车工")


def test_it_refuses_a_catalog_with_a_wrong_header(lathe):
    with pytest.raises(DomainError) as error:
        services.shortage_catalog_import(
            year=2025, file=xlsx_bytes([["工种", "类别"], [lathe.code, "3类"]]), actor="t"
        )
    assert error.value.fields["rows"] == ["第 1 行，表头：应为“职业编码、类别”，文件中为“工种、类别”"]
    assert not ShortageCatalogEntry.objects.exists()


def test_it_refuses_a_catalog_with_no_header_at_all(lathe):
    with pytest.raises(DomainError) as error:
        services.shortage_catalog_import(year=2025, file=xlsx_bytes([[lathe.code, "3类"]]), actor="t")
    assert error.value.fields["rows"][0].startswith("第 1 行，表头：应为“职业编码、类别”")


def test_it_refuses_formula_cells_listing_every_one(lathe):
    content = xlsx_bytes(
        [
            ["职业编码", "类别"],
            [lathe.code, '=HYPERLINK("http://x","3类")'],
            ["=A2", "3类"],
            [lathe.code, "=1+1"],
        ]
    )
    with pytest.raises(DomainError) as error:
        services.shortage_catalog_import(year=2025, file=content, actor="t")
    assert error.value.fields["rows"] == [
        "第 2 行，类别：是公式，不能导入；请改为直接填写数值或文字",
        "第 3 行，职业编码：是公式，不能导入；请改为直接填写数值或文字",
        "第 4 行，类别：是公式，不能导入；请改为直接填写数值或文字",
    ]
    assert not ShortageCatalogEntry.objects.exists()


def test_a_good_catalog_still_imports(lathe):
    count = services.shortage_catalog_import(
        year=2025, file=xlsx_bytes([["职业编码", "类别", None], [lathe.code, "3类"]]), actor="t"
    )
    assert count == 1 and ShortageCatalogEntry.objects.get().category == "3类"

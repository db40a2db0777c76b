"""The training pages beyond home: projects, classes and rosters; shortage catalog; issuance; statements."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from skillcity.registry.models import OrganisationCategory
from skillcity.training import services
from skillcity.training.models import Enrolment, Settlement, ShortageCatalogEntry, TrainingProject, Voucher
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(changan):
    return OrganisationFactory(
        town=changan, category=OrganisationCategory.TRAINING_INSTITUTION, name="长安职业培训学校"
    )


@pytest.fixture
def provider_client(provider):
    c = Client()
    c.force_login(UserFactory(username="school", role="organisation_user", organisation=provider))
    return c


@pytest.fixture
def lathe(db):
    return OccupationFactory(code="6-18-01-01", name="车工")


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_provider_creates_a_project_opens_a_class_enrols_signs_in_and_completes(
    provider_client, lathe, changan
):
    r = provider_client.post(
        "/training/projects/new/",
        {"name": "数控车工提升班", "occupation": lathe.code, "level": "4", "per_person_standard": "2500",
         "capacity": "30", "start_date": "2025-03-01", "end_date": "2025-05-31"},
    )  # fmt: skip
    project = TrainingProject.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/training/projects/{project.pk}/")
    provider_client.post(f"/training/projects/{project.pk}/classes/", {"name": "一班", "start_date": "2025-03-01", "end_date": "2025-05-31"})  # fmt: skip
    klass = project.classes.get()
    worker = WorkerFactory(town=changan, name="李学员")
    provider_client.post(f"/training/classes/{klass.pk}/enrol/", {"id_number": worker.id_number})
    enrolment = Enrolment.objects.get()
    provider_client.post(f"/training/enrolments/{enrolment.pk}/sign-in/")
    page = provider_client.get(f"/training/projects/{project.pk}/").content.decode()
    assert "李学员" in page and worker.id_number_masked in page and worker.id_number not in page
    provider_client.post(
        f"/training/enrolments/{enrolment.pk}/complete/", {"passed": "true", "certified_level": "4"}
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.certified_level == 4


def test_the_class_form_shows_every_error_next_to_its_field(provider_client, provider, lathe):
    project = services.project_create(provider=provider, name="p", occupation=lathe, level=None,
        per_person_standard=Decimal("1000"), capacity=5, start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 2, 1), actor="t")  # fmt: skip
    url = f"/training/projects/{project.pk}/classes/"
    page = provider_client.get(f"/training/projects/{project.pk}/").content.decode()
    assert 'id="class-start_date"' in page and 'value="2025-01-01"' in page
    r = provider_client.post(url, {"name": " ", "start_date": "2025/03/01", "end_date": ""})
    html = r.content.decode()
    assert r.status_code == 400 and not project.classes.exists()
    errors = r.context["class_form"].errors
    assert errors["name"] == ["请填写“新班级名称”"] and errors["end_date"] == ["请填写“结业日期”"]
    assert "开班日期" in errors["start_date"][0]
    assert "请修正以下 3 处错误" in html and 'id="error-name"' in html and 'id="error-end_date"' in html
    assert 'aria-invalid="true"' in html
    backwards = provider_client.post(
        url, {"name": "一班", "start_date": "2025-03-01", "end_date": "2025-02-01"}
    )
    assert backwards.context["class_form"].errors["end_date"] == ["结业日期不能早于开班日期"]
    ok = provider_client.post(url, {"name": "一班", "start_date": "2025-01-01", "end_date": "2025-02-01"})
    assert ok.status_code == 302 and project.classes.get().name == "一班"


def test_enrolling_an_unknown_or_invalid_id_number_is_refused_by_name(provider_client, provider, lathe):
    project = services.project_create(provider=provider, name="p", occupation=lathe, level=None,
        per_person_standard=Decimal("1000"), capacity=5, start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 2, 1), actor="t")  # fmt: skip
    klass = services.class_create(project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="t")  # fmt: skip
    r = provider_client.post(f"/training/classes/{klass.pk}/enrol/", {"id_number": "123"}, follow=True)
    assert "身份证号码有误" in r.content.decode()
    r = provider_client.post(
        f"/training/classes/{klass.pk}/enrol/", {"id_number": WorkerFactory.build().id_number}, follow=True
    )
    assert "登记库中没有该身份证号码的劳动者" in r.content.decode()
    assert not Enrolment.objects.exists()


def test_another_provider_cannot_touch_the_roster(provider_client, lathe, changan):
    other = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    project = services.project_create(provider=other, name="别家项目", occupation=lathe, level=None,
        per_person_standard=Decimal("1000"), capacity=5, start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 2, 1), actor="t")  # fmt: skip
    klass = services.class_create(project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="t")  # fmt: skip
    assert provider_client.get(f"/training/projects/{project.pk}/").status_code == 404
    r = provider_client.post(f"/training/classes/{klass.pk}/enrol/", {"id_number": WorkerFactory().id_number})
    assert r.status_code == 404 and not Enrolment.objects.exists()


def _catalog(rows: list[tuple[str, str]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["职业编码", "类别"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "catalog.xlsx"
    return buffer


def test_the_bureau_imports_a_years_shortage_catalog_and_a_bad_file_is_rejected_whole(
    bureau_officer, changan_officer, lathe
):
    c = _login(bureau_officer)
    bad = c.post(
        "/training/shortage-catalog/",
        {"year": "2025", "file": _catalog([(lathe.code, "3类"), ("9-99", "x")])},
    )
    assert "第 3 行" in bad.content.decode() and not ShortageCatalogEntry.objects.exists()
    c.post("/training/shortage-catalog/", {"year": "2025", "file": _catalog([(lathe.code, "3类")])})
    assert ShortageCatalogEntry.objects.filter(year=2025).count() == 1
    assert "车工" in _login(changan_officer).get("/training/shortage-catalog/?year=2025").content.decode()
    r = _login(changan_officer).post(
        "/training/shortage-catalog/", {"year": "2026", "file": _catalog([(lathe.code, "")])}
    )
    assert r.status_code in (302, 403) and not ShortageCatalogEntry.objects.filter(year=2026).exists()


def test_a_demo_catalog_says_its_rows_are_demo_values_until_the_bureau_imports_the_published_one(
    bureau_officer, lathe
):
    services.shortage_catalog_import(
        year=2024, file=_catalog([(lathe.code, "第六大类")]).getvalue(), actor="demo", is_demo_value=True
    )
    c = _login(bureau_officer)
    note = "本年度目录的工种和类别为演示值"
    page = c.get("/training/shortage-catalog/?year=2024")
    assert page.context["year_is_demo"] and note in page.content.decode()
    c.post("/training/shortage-catalog/", {"year": "2024", "file": _catalog([(lathe.code, "3类")])})
    page = c.get("/training/shortage-catalog/?year=2024")
    assert not page.context["year_is_demo"] and note not in page.content.decode()
    assert not ShortageCatalogEntry.objects.filter(is_demo_value=True).exists()


def test_the_bureau_issues_a_batch_to_the_workers_its_filters_select(bureau_officer, changan, humen):
    WorkerFactory.create_batch(3, town=changan)
    WorkerFactory.create_batch(2, town=humen)
    c = _login(bureau_officer)
    form = {"name": "2025年长安批次", "face_value": "500", "valid_from": "2025-01-01", "valid_to": "2025-12-31",
            "town": changan.code}  # fmt: skip
    # First the confirmation: how many workers, the total face value; nothing issued yet.
    confirm = c.post("/training/vouchers/issue/", form).content.decode()
    assert "将向 3 名劳动者各发放面值 500.00 元的培训券，面值合计 1,500.00 元" in confirm
    assert not Voucher.objects.exists()
    done = c.post("/training/vouchers/issue/", {**form, "confirmed": "1"}, follow=True).content.decode()
    assert "已向 3 名劳动者发放培训券，面值合计 1,500.00 元" in done
    # In English one worker is "1 worker", not "1 workers".
    dalang = TownFactory(name="大朗镇")
    WorkerFactory.create(town=dalang)
    one = {**form, "name": "大朗单人批次", "town": dalang.code}
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = c.post("/training/vouchers/issue/", one).content.decode()
    assert "1 worker will receive a training voucher of 500.00 yuan" in english
    assert (
        Voucher.objects.filter(town=changan).count() == 3 and not Voucher.objects.filter(town=humen).exists()
    )
    page = c.get("/training/vouchers/").content.decode()
    assert "长安镇" in page and "2025年长安批次" in page


def test_the_voucher_issue_form_names_every_wrong_field_next_to_it(bureau_officer, changan):
    WorkerFactory.create_batch(2, town=changan)
    c = _login(bureau_officer)
    page = c.get("/training/vouchers/issue/").content.decode()
    assert 'type="date"' in page and 'id="valid_from"' in page and "一级/高级技师" in page
    r = c.post(
        "/training/vouchers/issue/",
        {"name": "", "face_value": "5千", "valid_from": "2025-06-01", "valid_to": "2025-01-01",
         "occupation": "9-99-99-99"},
    )  # fmt: skip
    html = r.content.decode()
    errors = r.context["form"].errors
    assert r.status_code == 400 and set(errors) == {"name", "face_value", "valid_to", "occupation"}
    assert errors["name"] == ["请填写“批次名称”"]
    assert errors["face_value"][0].startswith("“面值（元）”：")
    assert errors["valid_to"] == ["有效期止不能早于有效期起"]
    assert "9-99-99-99" in errors["occupation"][0]
    assert "请修正以下 4 处错误" in html and 'id="error-face_value"' in html and 'aria-invalid="true"' in html
    nobody = c.post(
        "/training/vouchers/issue/",
        {"name": "虎门批次", "face_value": "500", "valid_from": "2025-01-01", "valid_to": "2025-12-31",
         "town": TownFactory(name="虎门镇").code},
    )  # fmt: skip
    assert nobody.status_code == 400 and "没有符合条件的劳动者" in nobody.context["form"].errors["town"][0]
    assert not Voucher.objects.exists()


def test_the_settlement_statement_downloads_as_xlsx_and_pdf_with_masked_ids(
    bureau_officer, provider, lathe, changan, training_funds
):
    project = services.project_create(provider=provider, name="育婴员培训", occupation=lathe, level=None,
        per_person_standard=Decimal("2500"), capacity=5, start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 6, 30), actor="t")  # fmt: skip
    klass = services.class_create(project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="t")  # fmt: skip
    worker = WorkerFactory(town=changan, name="王学员")
    e = services.enrolment_create(
        training_class=klass, worker=worker, enrolled_on=datetime.date(2025, 1, 2), actor="t"
    )
    services.enrolment_complete(enrolment=e, completed_on=datetime.date(2025, 3, 1), passed=True,
                                assessment_score=None, certified_level=None, actor="t")  # fmt: skip
    from skillcity.core.periods import HalfYear

    settlement = services.settlement_run(provider=provider, period=HalfYear.parse("2025H1"))
    c = _login(bureau_officer)
    xlsx = c.get(f"/training/settlements/{settlement.pk}/statement.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "项目制培训及技能提升补贴结算单" in values and "王学员" in values
    assert worker.id_number_masked in values and worker.id_number not in values
    pdf = c.get(f"/training/settlements/{settlement.pk}/statement.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # The same statements through the API, and not for another provider.
    api_xlsx = c.get(f"/api/v1/training/settlements/{settlement.pk}/statement.xlsx")
    assert api_xlsx.status_code == 200 and api_xlsx.content[:2] == b"PK"
    api_pdf = c.get(f"/api/v1/training/settlements/{settlement.pk}/statement.pdf")
    assert api_pdf.status_code == 200 and api_pdf.content.startswith(b"%PDF")
    other = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    outsider = _login(UserFactory(username="outsider", role="organisation_user", organisation=other))
    assert outsider.get(f"/api/v1/training/settlements/{settlement.pk}/statement.pdf").status_code == 404
    c.post(f"/training/settlements/{settlement.pk}/approve/")
    assert Settlement.objects.get().status == "approved"


def test_it_writes_statement_names_that_look_like_formulas_as_text(bureau_officer, lathe, changan):
    from skillcity.core.periods import HalfYear
    from tests.exports import CALC, HYPERLINK, PLUS, assert_text_not_formula

    provider = OrganisationFactory(
        town=changan, category=OrganisationCategory.TRAINING_INSTITUTION, name=PLUS
    )
    project = services.project_create(provider=provider, name="@培训项目", occupation=lathe, level=None,
        per_person_standard=Decimal("2500"), capacity=5, start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 6, 30), actor="t")  # fmt: skip
    klass = services.class_create(project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="t")  # fmt: skip
    for name in (HYPERLINK, CALC):
        e = services.enrolment_create(training_class=klass, worker=WorkerFactory(town=changan, name=name),
                                      enrolled_on=datetime.date(2025, 1, 2), actor="t")  # fmt: skip
        services.enrolment_complete(enrolment=e, completed_on=datetime.date(2025, 3, 1), passed=True,
                                    assessment_score=None, certified_level=None, actor="t")  # fmt: skip
    settlement = services.settlement_run(provider=provider, period=HalfYear.parse("2025H1"))
    for url in (
        f"/training/settlements/{settlement.pk}/statement.xlsx",
        f"/api/v1/training/settlements/{settlement.pk}/statement.xlsx",
    ):
        response = _login(bureau_officer).get(url)
        assert response.status_code == 200
        assert_text_not_formula(response.content, HYPERLINK, CALC, "@培训项目")

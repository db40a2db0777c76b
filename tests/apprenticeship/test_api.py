"""The apprenticeship's API (/api/v1/apprenticeship): enrol, read and scope; classes and their drift;
the all-or-nothing import (upload and CLI)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from skillcity.apprenticeship.models import Apprenticeship
from skillcity.apprenticeship.services import one_year_after
from skillcity.apprenticeship.services.imports import COLUMNS
from tests.apprenticeship.conftest import auth
from tests.factories import WorkerFactory
from tests.schools.conftest import xlsx

pytestmark = pytest.mark.django_db


def test_the_api_enrols_reads_and_scopes(
    client,
    terms,
    changan_worker,
    enterprise_user,
    other_enterprise_user,
    bureau_officer,
    humen_officer,
    worker_user,
):
    payload = {
        "id_number": changan_worker.id_number,
        "name": changan_worker.name,
        "school_uscc": terms.school.uscc,
        "occupation_code": terms.occupation.code,
        "level": 4,
        "contract_start": terms.contract_start.isoformat(),
        "contract_end": (terms.contract_start + datetime.timedelta(days=200)).isoformat(),
        "registration_number": "XJ-1",
        "registration_start": terms.registration_start.isoformat(),
        "registration_end": terms.registration_end.isoformat(),
        "enterprise_mentor_id_number": terms.enterprise_mentor.id_number,
        "school_mentor": "王老师",
    }
    h = auth(enterprise_user)
    bad = client.post("/api/v1/apprenticeship/apprenticeships", payload, content_type="application/json", **h)
    assert bad.status_code == 400 and "学徒合同" in bad.json()["fields"]["contract_end"][0]
    payload["contract_end"] = terms.contract_end.isoformat()
    made = client.post(
        "/api/v1/apprenticeship/apprenticeships", payload, content_type="application/json", **h
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (
        body["status"] == "training"
        and body["status_name"] == "培训中"
        and body["enterprise_mentor_level"] == 2
    )
    assert changan_worker.id_number not in made.content.decode()
    pk = body["id"]
    assert (
        client.get(f"/api/v1/apprenticeship/apprenticeships/{pk}", **auth(other_enterprise_user)).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/apprenticeship/apprenticeships/{pk}", **auth(humen_officer)).status_code == 404
    )
    assert client.get("/api/v1/apprenticeship/apprenticeships", **auth(worker_user)).status_code == 403
    assert [
        a["id"] for a in client.get("/api/v1/apprenticeship/apprenticeships", **auth(bureau_officer)).json()
    ] == [pk]
    progress = client.post(
        f"/api/v1/apprenticeship/apprenticeships/{pk}/progress",
        {"date": timezone.localdate().isoformat(), "place": "enterprise", "hours": 8, "content": "岗位实操"},
        content_type="application/json",
        **h,
    )
    assert progress.status_code == 201
    stats = client.get("/api/v1/apprenticeship/statistics", **auth(bureau_officer)).json()
    assert stats["total"] == 1 and stats["baseline"] == 19936
    assert client.get("/api/v1/apprenticeship/statistics", **h).status_code == 403
    assert client.get("/api/v1/apprenticeship/apprenticeships").status_code == 401


def test_the_api_opens_a_class_and_shows_the_drift(
    client, school, enterprise_user, changan_enterprise, mentor, lathe, changan, bureau_officer
):
    from skillcity.registry.services import worker_update

    h = auth(enterprise_user)
    start = timezone.localdate()
    made = client.post(
        "/api/v1/apprenticeship/classes",
        {
            "school_uscc": school.uscc,
            "enterprise_uscc": changan_enterprise.uscc,
            "name": "模具一班",
            "occupation_code": lathe.code,
            "level": 4,
            "start": start.isoformat(),
            "end": (one_year_after(start) + datetime.timedelta(days=100)).isoformat(),
            "school_mentor": "王老师",
            "enterprise_mentor_id_number": mentor.id_number,
        },
        content_type="application/json",
        **h,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    student = WorkerFactory(town=changan)
    added = client.post(
        f"/api/v1/apprenticeship/classes/{pk}/students",
        {"id_number": student.id_number, "name": student.name, "registration_number": "XJ-5"},
        content_type="application/json",
        **h,
    )
    assert added.status_code == 201
    worker_update(worker=student, data={"employer": ""}, actor=bureau_officer)
    detail = client.get(f"/api/v1/apprenticeship/classes/{pk}", **h).json()
    assert detail["drift"] == 1 and detail["roster"][0]["employed_by_enterprise"] is False


def sheet_row(worker, enterprise, terms, **extra):
    cells = {
        "身份证号码": worker.id_number,
        "姓名": worker.name,
        "企业统一社会信用代码": enterprise.uscc,
        "院校统一社会信用代码": terms.school.uscc,
        "职业编码": terms.occupation.code,
        "目标等级": "4",
        "学徒合同开始日期": terms.contract_start.isoformat(),
        "学徒合同结束日期": terms.contract_end.isoformat(),
        "学籍号": "XJ-100",
        "学习形式": "非全日制",
        "学籍注册开始日期": terms.registration_start.isoformat(),
        "学籍注册结束日期": terms.registration_end.isoformat(),
        "企业导师身份证号码": terms.enterprise_mentor.id_number,
        "学校导师": "王老师",
    } | extra
    return [cells[c] for c in COLUMNS]


def test_the_import_is_all_or_nothing_with_every_bad_row_listed(
    client, terms, changan, changan_enterprise, enterprise_user, humen_enterprise
):
    good = [WorkerFactory(town=changan, employer=changan_enterprise) for _ in range(2)]
    rows = [
        sheet_row(good[0], changan_enterprise, terms),
        sheet_row(good[1], changan_enterprise, terms, 学习形式="全日制"),
        sheet_row(good[1], humen_enterprise, terms, 学籍注册结束日期=terms.registration_start.isoformat()),
    ]
    client.force_login(enterprise_user)
    upload = SimpleUploadedFile("学徒.xlsx", xlsx([list(COLUMNS), *rows]))
    bad = client.post("/apprenticeship/import/", {"file": upload})
    html = bad.content.decode()
    assert bad.status_code == 400 and 'id="import-errors"' in html
    assert "学习形式" in html and "企业统一社会信用代码" in html and "您无权为该企业登记学徒" in html
    assert not Apprenticeship.objects.exists()
    api = client.post(
        "/api/v1/apprenticeship/import",
        {"file": SimpleUploadedFile("学徒.xlsx", xlsx([list(COLUMNS), *rows]))},
        **auth(enterprise_user),
    )
    assert api.status_code == 400 and {(e["row"], e["column"]) for e in api.json()["errors"]} >= {
        (3, "学习形式"),
        (4, "企业统一社会信用代码"),
    }
    fixed = [sheet_row(good[0], changan_enterprise, terms), sheet_row(good[1], changan_enterprise, terms)]
    ok = client.post(
        "/apprenticeship/import/",
        {"file": SimpleUploadedFile("学徒.xlsx", xlsx([list(COLUMNS), *fixed]))},
        follow=True,
    )
    assert "导入成功：登记学徒 2 名" in ok.content.decode()
    assert Apprenticeship.objects.count() == 2
    assert client.get("/apprenticeship/template.xlsx").status_code == 200


def test_the_cli_imports_all_or_nothing(tmp_path, terms, changan, changan_enterprise, capsys):
    worker = WorkerFactory(town=changan, employer=changan_enterprise)
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([list(COLUMNS), sheet_row(worker, changan_enterprise, terms, 目标等级="9")]))
    with pytest.raises(SystemExit) as exit_:
        call_command("apprenticeship", "import", str(path))
    assert exit_.value.code == 2 and "目标等级" in capsys.readouterr().err
    path.write_bytes(xlsx([list(COLUMNS), sheet_row(worker, changan_enterprise, terms)]))
    call_command("apprenticeship", "import", str(path))
    assert "imported 1 apprentice(s)" in capsys.readouterr().out
    assert Apprenticeship.objects.count() == 1

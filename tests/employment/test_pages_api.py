"""Employment records through the pages, the API and the CLI: the bureau imports (all rows or none,
the bad rows listed next to the form), pulls from the adapter; an officer in scope and the worker
see the spells; a school's cohort for EDU-GRAD-RETENTION on its page and through the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from skillcity.accounts.services import token_create
from skillcity.employment.models import Contribution, SimulatedInsuranceRecord
from skillcity.employment.services import COLUMNS
from tests.employment.helpers import cells, contribute
from tests.factories import TownFactory, UserFactory, WorkerFactory
from tests.schools.conftest import xlsx

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


def sheet(*rows):
    return SimpleUploadedFile("缴费.xlsx", xlsx([list(COLUMNS), *rows]))


def line(worker, employer, month, **extra):
    c = cells(worker, employer, month) | extra
    return [c[k] for k in ("id_number", "name", "uscc", "employer_name", "month", "region", "base", "kind")]


def test_the_bureau_imports_on_the_page_and_bad_rows_are_listed(client, bureau_officer, changan_enterprise):
    worker = WorkerFactory(name="王五")
    client.force_login(bureau_officer)
    page = client.get("/employment/").content.decode()
    assert "导入缴费记录" in page and "下载导入模板" in page
    bad = client.post(
        "/employment/", {"file": sheet(line(worker, changan_enterprise, "2025-01", base="abc"))}
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and 'id="import-errors"' in html and "缴费基数" in html
    assert Contribution.objects.count() == 0
    good = client.post(
        "/employment/", {"file": sheet(line(worker, changan_enterprise, "2025-01"))}, follow=True
    )
    assert "导入成功：写入 1 条" in good.content.decode()
    assert "已写入" in client.get("/employment/").content.decode()
    template = client.get("/employment/template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_spells_are_shown_to_the_worker_and_to_officers_in_scope(
    client, changan_enterprise, worker_user, bureau_officer
):
    worker = worker_user.worker
    contribute(worker, changan_enterprise, "2025-01", 4)
    client.force_login(worker_user)
    mine = client.get("/employment/mine/").content.decode()
    assert changan_enterprise.name in mine and "2025-01 — 2025-04" in mine and "东莞" in mine
    assert client.get("/employment/").status_code == 403
    client.force_login(bureau_officer)
    assert "2025-01 — 2025-04" in client.get(f"/employment/workers/{worker.pk}/").content.decode()
    other_town = UserFactory(role="town_officer", town=TownFactory(name="塘厦镇"))
    client.force_login(other_town)
    assert client.get(f"/employment/workers/{worker.pk}/").status_code == 404
    assert 'id="employment-spells-link"' in (
        client.force_login(bureau_officer) or client.get(f"/registry/workers/{worker.pk}/").content.decode()
    )


def test_the_api_imports_pulls_and_reads_spells(client, bureau_officer, worker_user, changan_enterprise):
    worker = worker_user.worker
    h = auth(bureau_officer)
    answer = client.post(
        "/api/v1/employment/contributions/import",
        {
            "file": sheet(
                line(worker, changan_enterprise, "2025-01"), line(worker, changan_enterprise, "2025-13")
            )
        },
        **h,
    )
    assert answer.status_code == 400 and answer.json()["errors"] == [
        {"row": 3, "column": "缴费月份", "reason": "“2025-13”不是有效月份（YYYY-MM）"}
    ]
    ok = client.post(
        "/api/v1/employment/contributions/import",
        {"file": sheet(line(worker, changan_enterprise, "2025-01"))},
        **h,
    )
    assert ok.status_code == 200 and ok.json() == {"imported": 1, "unchanged": 0, "errors": []}
    SimulatedInsuranceRecord.objects.create(**cells(worker, changan_enterprise, "2025-02"))
    assert client.post("/api/v1/employment/contributions/pull", **h).json()["written"] == 1
    assert [b["source"] for b in client.get("/api/v1/employment/batches", **h).json()] == [
        "adapter",
        "import",
    ]
    spells = client.get(f"/api/v1/employment/workers/{worker.pk}/spells", **h).json()
    assert spells == [
        {
            "employer_uscc": changan_enterprise.uscc,
            "employer_name": changan_enterprise.name,
            "employer_id": changan_enterprise.pk,
            "start": "2025-01-01",
            "end": "2025-02-01",
            "months": 2,
            "in_dongguan": True,
        }
    ]
    assert client.get("/api/v1/employment/me/spells", **auth(worker_user)).json() == spells
    assert client.post("/api/v1/employment/contributions/pull", **auth(worker_user)).status_code == 403


def test_the_cli_imports_all_or_nothing_and_pulls(tmp_path, changan_enterprise, capsys):
    worker = WorkerFactory()
    path = tmp_path / "c.xlsx"
    path.write_bytes(xlsx([list(COLUMNS), line(worker, changan_enterprise, "2025-01", region="4419")]))
    with pytest.raises(SystemExit) as exit_:
        call_command("employment", "import", str(path))
    assert exit_.value.code == 2 and "参保地行政区划代码" in capsys.readouterr().err
    path.write_bytes(xlsx([list(COLUMNS), line(worker, changan_enterprise, "2025-01")]))
    call_command("employment", "import", str(path))
    assert "imported 1 contribution record(s)" in capsys.readouterr().out
    SimulatedInsuranceRecord.objects.create(**cells(worker, changan_enterprise, "2025-02"))
    call_command("employment", "pull")
    assert "written 1" in capsys.readouterr().out
    assert Contribution.objects.count() == 2


def test_the_bureau_pulls_now_and_sees_what_was_held_aside(
    client, bureau_officer, changan_enterprise, changan
):
    worker = WorkerFactory()
    SimulatedInsuranceRecord.objects.create(**cells(worker, changan_enterprise, "2025-01"))
    SimulatedInsuranceRecord.objects.create(
        **(cells(worker, changan_enterprise, "2025-02") | {"base": "abc"})
    )
    client.force_login(bureau_officer)
    page = client.post("/employment/pull/", follow=True).content.decode()
    assert "已从社保系统接口拉取：写入 1 条" in page and "另有 1 条记录有错误" in page
    assert "第 2 条 缴费基数" in page  # the held record, on the bureau's list
    town_officer = UserFactory(role="town_officer", town=changan)
    client.force_login(town_officer)
    assert client.post("/employment/pull/").status_code == 403
    shown = client.get("/employment/").content.decode()
    assert "1 条记录有错误" in shown and "第 2 条 缴费基数" not in shown  # no one's figures, just the count
    assert Contribution.objects.count() == 1


def test_the_batches_api_masks_the_held_records_id_numbers(client, bureau_officer, changan_enterprise):
    worker = WorkerFactory()
    SimulatedInsuranceRecord.objects.create(
        **(cells(worker, changan_enterprise, "2025-02") | {"base": "abc"})
    )

    assert client.post("/api/v1/employment/contributions/pull", **auth(bureau_officer)).json()["held"] == 1
    batches = client.get("/api/v1/employment/batches", **auth(bureau_officer)).json()
    held = batches[0]["errors"][0]["record"]
    assert held["id_number"] != worker.id_number and "*" in held["id_number"]
    assert worker.id_number not in str(batches)


def test_pull_now_reads_five_pages_in_the_request_and_names_who_pressed_it(
    client, bureau_officer, changan_enterprise, monkeypatch
):
    from skillcity.core.models import AuditEvent
    from skillcity.employment.models import PullCursor
    from skillcity.employment.services import adapter

    monkeypatch.setattr(adapter, "PAGE", 1)
    worker = WorkerFactory()
    for month in ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"):
        SimulatedInsuranceRecord.objects.create(**cells(worker, changan_enterprise, month))
    client.force_login(bureau_officer)
    client.post("/employment/pull/")
    assert Contribution.objects.count() == 5  # the daily job reads the other two
    assert PullCursor.objects.get().value == str(SimulatedInsuranceRecord.objects.order_by("pk")[4].pk)
    pulls = AuditEvent.objects.filter(action="employment.contributions.adapter")
    assert pulls.count() == 5 and set(pulls.values_list("actor_id", flat=True)) == {bureau_officer.pk}


def test_spells_are_read_chunk_by_chunk(changan_enterprise, monkeypatch, django_assert_num_queries):
    from skillcity.employment import selectors

    workers = [WorkerFactory() for _i in range(3)]
    for w in workers:
        contribute(w, changan_enterprise, "2025-01", 3)
    monkeypatch.setattr(selectors, "CHUNK", 1)
    with django_assert_num_queries(3):  # one query a chunk of one worker, never one `IN` of all
        spells = selectors.spells_for(w.pk for w in workers)
    assert {w.pk: [(s.start.month, s.months) for s in spells[w.pk]] for w in workers} == {
        w.pk: [(1, 3)] for w in workers
    }

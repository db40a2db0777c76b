"""Issue 2 item 15: a town officer in a real browser."""

from __future__ import annotations

import pytest

from skillcity.accounts.models import Role
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.factories import OrganisationFactory, TownFactory, UserFactory, WorkerFactory, make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_town_officer_is_scoped_sees_masked_ids_and_gets_every_import_error(live_server, page, tmp_path):
    changan = TownFactory(name="长安镇")
    humen = TownFactory(name="虎门镇")
    employer = OrganisationFactory(town=changan)
    own = WorkerFactory(town=changan, employer=employer, name="陈长安")
    other = WorkerFactory(town=humen, name="黄虎门")
    UserFactory(username="changan", role=Role.TOWN_OFFICER, town=changan)

    log_in(page, live_server, "changan")

    # Another town's worker: refused, without saying whether the record exists.
    response = page.goto(f"{live_server.url}/registry/workers/{other.pk}/")
    assert response.status == 404
    assert "记录不存在或您无权查看" in page.content()
    assert other.name not in page.content()

    # Their own town's worker: shown, with the ID number masked.
    page.goto(f"{live_server.url}/registry/workers/{own.pk}/")
    shown = page.inner_text("[data-testid=id-number]")
    assert shown == own.id_number_masked
    assert own.id_number not in page.content()
    both_widths(page, "worker-detail")

    # An import with a bad row: nothing written, every bad row listed.
    good = make_resident_id()
    upload = tmp_path / "workers.csv"
    upload.write_text(
        "姓名,身份证号码,手机号码,所在镇街\n"
        f"甲,{good},13800000001,长安镇\n"
        "乙,441900199001011234,13800000002,长安镇\n"
        f"丙,{make_resident_id()},123,长安镇\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/registry/workers/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("button[type=submit]")
    errors = page.inner_text("#import-errors")
    assert "3" in errors and "校验位错误" in errors
    assert "4" in errors and "手机号码" in errors
    both_widths(page, "import-errors")
    page.goto(f"{live_server.url}/registry/workers/?q={good}")
    assert "没有符合条件的记录" in page.content()
    page.goto(f"{live_server.url}/registry/workers/")
    assert own.name in page.content() and other.name not in page.content()
    both_widths(page, "worker-list")


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def both_widths(page, name: str) -> None:
    """Screenshots at desktop and phone (375px) width, for a person to look at."""
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_worker_edit_page_never_holds_the_full_phone(live_server, page):
    changan = TownFactory(name="长安镇")
    worker = WorkerFactory(town=changan, name="陈长安", phone="13912345678")
    UserFactory(username="changan", role=Role.TOWN_OFFICER, town=changan)
    log_in(page, live_server, "changan")

    page.goto(f"{live_server.url}/registry/workers/{worker.pk}/edit/")
    assert page.input_value("#id_phone") == ""
    assert page.get_attribute("#id_phone", "placeholder") == "139****5678（留空则保持不变）"
    assert "13912345678" not in page.content()
    both_widths(page, "worker-edit-phone-masked")
    page.fill("#id_name", "陈长安二")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/registry/workers/{worker.pk}/")
    worker.refresh_from_db()
    assert worker.name == "陈长安二" and worker.phone == "13912345678"

"""Issue 15 item 4 in a real browser: the bureau awards 东莞市技术能手 and promotions from confirmed results,
revokes a title (the reason beside its field), and the public sees it revoked by scanning its QR."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.cache import cache

from skillcity.accounts.models import Role
from skillcity.competitions.models import Title
from tests.browser.conftest import login, screenshot
from tests.competitions.titles_helpers import active_evaluator, confirmed_project, lathe
from tests.exports import xlsx_bytes
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["陈长安", "李虎门", "王东城", "赵南城", "黄松山"]


def _both_widths(page, name: str) -> None:
    """A screenshot at 1366 and 375 px, and axe-core's WCAG 2.1 AA check at each (serious or critical
    violations fail the test)."""
    from tests.browser.axe import axe_violations, describe, serious

    found = []
    for width, height in ((1366, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}-{width}")
        violations = serious(axe_violations(page))
        if violations:
            found.append(describe(f"{name} @ {width}px", violations))
    page.set_viewport_size({"width": 1366, "height": 900})
    assert not found, "\n".join(found)


def test_award_promote_revoke_and_the_public_sees_revoked(live_server, page, browser):
    cache.clear()
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    organiser = OrganisationFactory(category="association", name="东莞市职业技能竞赛组委会办公室")
    active_evaluator(organiser, lathe(), bureau)
    players = [WorkerFactory(name=n) for n in NAMES]
    confirmed_project(
        totals=["96.5", "92", "88.25", "81", "64"],
        organiser=organiser,
        teams={rank: [w] for rank, w in enumerate(players, start=1)},
    )
    UserFactory(username="holder", role=Role.WORKER, worker=players[0])

    login(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/competitions/titles/actions/")
    page.click("tbody form[action$='/titles/award/'] button")
    assert "已授予 3 个" in page.inner_text("main")
    page.click("tbody form[action$='/titles/promote/'] button")
    assert "已颁发 5 张" in page.inner_text("main")
    assert "三级/高级工" in page.inner_text("#promotion-report")
    _both_widths(page, "titles-actions")

    page.goto(f"{live_server.url}/competitions/titles/")
    assert page.locator("#titles-table tbody tr").count() == 3
    _both_widths(page, "titles-list")
    title = Title.objects.get(worker=players[0])
    page.click(f"text={title.number}")
    assert page.locator("#title-qr").is_visible()
    page.click("#revoke-form button[type=submit]")
    assert "撤销原因" in page.inner_text("#revoke-form .errorlist")
    _both_widths(page, "title-detail-error")
    page.fill("#revoke-reason", "赛后复核发现违规，取消成绩")
    page.click("#revoke-form button[type=submit]")
    assert "已撤销" in page.inner_text("[data-testid=title-status]")

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/competitions/titles/verify/?qr={quote(title.qr_token)}")
    assert public.get_attribute("#verify-status", "data-status") == "revoked"
    assert "陈*安" in public.inner_text("[data-testid=holder-name]")
    _both_widths(public, "title-verify-revoked")
    second = Title.objects.get(worker=players[1])
    public.goto(f"{live_server.url}/certification/verify/?qr={quote(second.qr_token)}")
    assert public.get_attribute("#verify-status", "data-status") == "valid"
    assert "/competitions/titles/verify/" in public.url
    _both_widths(public, "title-verify-valid")

    login(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/competitions/titles/my/")
    assert title.number in page.inner_text("#titles-table")
    _both_widths(page, "titles-mine")


def test_the_import_page_lists_every_bad_row(live_server, page, tmp_path):
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    worker = WorkerFactory(name="周大师")
    upload = tmp_path / "titles.xlsx"
    upload.write_bytes(
        xlsx_bytes(
            [
                ["身份证号码", "姓名", "称号", "授予日期", "授予文件"],
                [worker.id_number, worker.name, "全国技术能手", "2023-12-01", "人社部发〔2023〕50号"],
                [worker.id_number, "周小师", "省级能手", "2023-02-30", ""],
            ]
        )
    )
    login(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/competitions/titles/import/")
    page.set_input_files("#titles-file", str(upload))
    page.click("#titles-import-form button[type=submit]")
    errors = page.inner_text("#import-errors")
    for column in ("姓名", "称号", "授予日期", "授予文件"):
        assert column in errors
    assert Title.objects.count() == 0
    _both_widths(page, "titles-import-errors")

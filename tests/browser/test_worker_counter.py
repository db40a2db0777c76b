"""Issue 13 items 5 and 6 in a real browser: a worker shows a voucher's QR on a phone (decoded here
with the same vendored jsQR the counter uses); the counter reads it from a photo, redeems a typed
code and undoes a redemption; the worker is notified of an approval and a payment; the worker's
tables are cards at 375 px."""

from __future__ import annotations

import base64
import datetime
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from skillcity.accounts.models import Role
from skillcity.certification import services as certification
from skillcity.certification.models import EvaluatorKind
from skillcity.registry.models import OrganisationCategory, Worker
from skillcity.training import services as training
from skillcity.training.codes import voucher_code_display
from skillcity.training.models import Voucher, VoucherState
from tests.browser.conftest import login, screenshot
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory
from tests.grants.conftest import fake_engine  # noqa: F401  (the engine's outcomes stand-in)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "locale": "zh-CN"}
DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}


def _jsqr_source() -> str:
    import skillcity.web

    return (Path(skillcity.web.__file__).parent / "static" / "vendor" / "jsQR.js").read_text()


def _decode_qr(page, selector: str) -> str:
    """Draw the rendered QR image into a canvas and decode it with jsQR (run through the DevTools
    protocol, which the page's CSP does not govern)."""
    return page.evaluate(
        _jsqr_source()
        + """
        ;(function (sel) {
          var img = document.querySelector(sel);
          var canvas = document.createElement("canvas");
          canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
          var ctx = canvas.getContext("2d");
          ctx.drawImage(img, 0, 0);
          var data = ctx.getImageData(0, 0, canvas.width, canvas.height);
          var found = self.jsQR(data.data, canvas.width, canvas.height);
          return found ? found.data : null;
        })("""
        + repr(selector)
        + ")"
    )


@pytest.fixture
def city(db):
    changan = TownFactory(name="长安镇")
    school = OrganisationFactory(
        town=changan, name="东莞市长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )
    enterprise = OrganisationFactory(town=changan, name="东莞市长安精密制造有限公司")
    worker = WorkerFactory(town=changan, name="林学员", employer=enterprise)
    UserFactory(username="school", role=Role.ORGANISATION_USER, organisation=school)
    learner = UserFactory(username="learner", role=Role.WORKER, worker=worker)
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    project = training.project_create(
        provider=school,
        name="数控车工中级班",
        occupation=lathe,
        level=4,
        per_person_standard=Decimal("2500"),
        capacity=30,
        start_date=datetime.date.today() - datetime.timedelta(days=10),
        end_date=datetime.date.today() + datetime.timedelta(days=60),
        actor="t",
    )
    klass = training.class_create(
        project=project, name="周末一班", start_date=project.start_date, end_date=project.end_date, actor="t"
    )
    training.enrolment_create(training_class=klass, worker=worker, enrolled_on=project.start_date, actor="t")
    today = datetime.date.today()
    for name, start, end in (
        ("2026年职业培训券", today - datetime.timedelta(days=1), today + datetime.timedelta(days=10)),
        ("2025年职业培训券", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    ):
        training.voucher_batch_issue(
            name=name,
            face_value=Decimal("500"),
            valid_from=start,
            valid_to=end,
            workers=Worker.objects.filter(pk=worker.pk),
            actor="t",
        )
    bureau = UserFactory(role=Role.BUREAU_OFFICER)
    filed = certification.evaluator_file(
        organisation=enterprise, kind=EvaluatorKind.ENTERPRISE, scope=[(lathe, 2, 5)], actor=bureau
    )
    evaluator = certification.evaluator_review(evaluator=filed, decision="approve", note="", actor=bureau)
    session = certification.session_create(
        evaluator=evaluator,
        occupation=lathe,
        level=4,
        kind="grading",
        date=datetime.date(2024, 5, 10),
        site="长安镇考核站",
        actor=bureau,
    )
    candidate = certification.candidate_add(session=session, worker=worker, actor=bureau)
    certification.result_record(candidate=candidate, theory="82", practical="76", actor=bureau)
    certification.certificates_issue(session=session, actor=bureau, issued_on=datetime.date(2024, 6, 1))
    return {"worker": worker, "learner": learner}


def test_a_worker_shows_a_voucher_qr_and_the_counter_reads_it_from_a_photo(live_server, browser, city):
    base = live_server.url
    live = Voucher.objects.get(batch__name="2026年职业培训券")

    phone = browser.new_context(**PHONE).new_page()
    login(phone, base, "learner")
    screenshot(phone, "worker-home-375")
    assert phone.locator("#home-vouchers [data-testid=home-expiring]").count() == 1
    phone.goto(f"{base}/training/")
    card = phone.locator(f"[data-testid=voucher][data-code='{live.code}']")
    qr = card.locator("[data-testid=voucher-qr]")
    assert qr.is_visible()
    assert _decode_qr(phone, f"[data-code='{live.code}'] [data-testid=voucher-qr]") == live.code
    assert card.locator(".voucher-code").inner_text() == voucher_code_display(live.code)
    # The 2025 voucher: expired on screen though the daily job has not run, and no QR to show.
    old = Voucher.objects.get(batch__name="2025年职业培训券")
    assert old.state == VoucherState.ISSUED
    old_card = phone.locator(f"[data-testid=voucher][data-code='{old.code}']")
    assert old_card.locator("[data-state]").inner_text() == "已过期"
    assert old_card.locator("[data-testid=voucher-qr]").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "worker-vouchers-375")
    png = base64.b64decode(qr.get_attribute("src").split(",", 1)[1])

    desk = browser.new_context(**DESK).new_page()
    login(desk, base, "school")
    desk.goto(f"{base}/training/counter/")
    tmp = Path(tempfile.mkdtemp()) / "voucher.png"
    tmp.write_bytes(png)
    desk.set_input_files("[data-testid=scan-photo]", str(tmp))  # the counter "photographs" the phone
    desk.wait_for_selector("[data-testid=redeemed]")
    assert desk.inner_text("[data-testid=holder]").startswith("林**")
    assert desk.inner_text("[data-testid=amount]") == "¥500.00"
    assert desk.inner_text("[data-testid=class]") == "周末一班"
    live.refresh_from_db()
    assert live.state == VoucherState.REDEEMED


def test_the_counter_redeems_a_typed_code_and_undoes_it(live_server, browser, city):
    base = live_server.url
    live = Voucher.objects.get(batch__name="2026年职业培训券")
    for context, name in ((DESK, "1366"), (PHONE, "375")):
        page = browser.new_context(**context).new_page()
        login(page, base, "school")
        page.goto(f"{base}/training/counter/")
        page.fill("#voucher-code", voucher_code_display(live.code).lower())
        page.click("#counter-form button[type=submit]")
        assert "培训券核销成功" in page.content()
        assert page.inner_text("[data-testid=holder]").startswith("林**")
        assert page.locator("[data-testid=today-row]").count() >= 1
        screenshot(page, f"counter-{name}")
        if name == "375":
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
        row = page.locator("[data-testid=today-row]").first
        row.locator("input[name=reason]").fill("扫错了卡")
        row.locator("[data-testid=undo]").click()
        assert "已撤回核销" in page.content()
        live.refresh_from_db()
        assert live.state == VoucherState.ISSUED  # usable again: the phone pass redeems it anew


def test_the_worker_is_notified_of_an_approval_and_a_payment_on_a_phone(live_server, browser, city):
    from skillcity.grants import flows
    from skillcity.grants import services as grants
    from skillcity.grants.models import Fund

    learner = city["learner"]
    bureau = UserFactory(role=Role.BUREAU_OFFICER)
    town = UserFactory(role=Role.TOWN_OFFICER, town=city["worker"].town)
    finance = UserFactory(role=Role.BUREAU_OFFICER)
    finance.groups.add(Group.objects.get_or_create(name=flows.FINANCE_GROUP)[0])
    Fund.objects.create(programme="TRN-UPSKILL", year=2024, name="技能提升", total=Decimal("100000"))
    app = grants.application_create(
        actor=learner, rule_id="TRN-UPSKILL", event_date=datetime.date(2024, 3, 1), facts={}
    )
    app = grants.application_submit(application=app, actor=learner)
    for stage in flows.stages_for("TRN-UPSKILL"):
        reviewer = town if stage.role == "town_officer" else bureau
        app = grants.application_review_pass(application=app, actor=reviewer)
    grants.notice_start(application=app, actor=bureau, start=datetime.date(2024, 4, 1))
    app.refresh_from_db()
    app = grants.application_approve(
        application=app, actor=bureau, amount=Decimal("3000"), today=datetime.date(2024, 4, 30)
    )
    grants.payment_make(application=app, actor=finance, idempotency_key="pay-1")

    phone = browser.new_context(**PHONE).new_page()
    login(phone, live_server.url, "learner")
    assert phone.locator("[data-testid=home-application] [data-state=paid]").inner_text() == "已拨付"
    phone.click("button.navbar-toggler")
    # The menu has finished opening (Bootstrap's collapse ends with .show): a click during the
    # transition could land before the link is where it will be.
    phone.wait_for_selector("#mainnav.show")
    assert phone.inner_text("[data-testid=notification-count]").startswith("2")
    with phone.expect_navigation():
        phone.click("[data-testid=notification-bell]")
    phone.wait_for_selector("[data-testid=notification]")  # the list page has loaded
    items = phone.locator("[data-testid=notification]")
    assert items.count() == 2
    page = phone.content()
    assert (
        "劳动力职业技能提升培训补贴" in page
        and "已拨付 3,000.00 元" in page
        and "核定金额 3,000.00 元" in page
    )
    screenshot(phone, "notifications-375")
    items.first.locator("[data-testid=mark-read]").click()
    assert phone.locator("[data-testid=mark-read]").count() == 1


def test_the_certificates_are_cards_on_a_phone(live_server, browser, city):
    phone = browser.new_context(**PHONE).new_page()
    login(phone, live_server.url, "learner")
    phone.goto(f"{live_server.url}/certification/my/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    row = phone.locator("#my-certificates tbody tr").first
    for cell in (row.locator("a.btn"), row.locator("td[data-label='状态']")):  # 下载 PDF and 状态 on screen
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375
    screenshot(phone, "certificates-375")
    desk = browser.new_context(**DESK).new_page()
    login(desk, live_server.url, "learner")
    screenshot(desk, "worker-home-1366")
    desk.goto(f"{live_server.url}/training/")
    screenshot(desk, "worker-vouchers-1366")
    desk.goto(f"{live_server.url}/certification/my/")
    screenshot(desk, "certificates-1366")


def _qr_video(code: str, path: Path) -> Path:
    """A few frames of Y4M video of the voucher's QR on white, for Chromium's fake camera."""
    import segno

    matrix = segno.make(code, error="m", micro=False).matrix
    width, height, module, border = 640, 480, 10, 4
    side = (len(matrix) + 2 * border) * module
    left, top = (width - side) // 2, (height - side) // 2
    luma = bytearray(b"\xff" * (width * height))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if not dark:
                continue
            for y in range(top + (r + border) * module, top + (r + border + 1) * module):
                start = y * width + left + (c + border) * module
                luma[start : start + module] = b"\x00" * module
    chroma = b"\x80" * (width * height // 4)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 10)
    return path


def test_the_counter_scans_a_voucher_with_the_camera(live_server, browser, city):
    from tests.browser.conftest import CHROMIUM

    live = Voucher.objects.get(batch__name="2026年职业培训券")
    video = _qr_video(live.code, Path(tempfile.mkdtemp()) / "qr.y4m")
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        page = camera_browser.new_context(permissions=["camera"], **DESK).new_page()
        base = live_server.url.replace("127.0.0.1", "localhost")  # a secure context: the camera is allowed
        login(page, base, "school")
        page.goto(f"{base}/training/counter/")
        page.click("[data-testid=scan-start]")
        page.wait_for_selector("[data-testid=redeemed]", timeout=20_000)
        assert page.inner_text("[data-testid=amount]") == "¥500.00"
        live.refresh_from_db()
        assert live.state == VoucherState.REDEEMED
    finally:
        camera_browser.close()

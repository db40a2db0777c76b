"""Issue 15, the whole journey in a real browser, every human step on a phone-width page (375 px):
judges enter and submit marks (an out-of-range mark refused beside its field), the chief judge confirms
the results, the public reads the ranking, the organiser makes the prize applications with one action,
the prize goes review → public notice → approval → payment (the pay step clicked), the player sees it
paid; the organiser awards 东莞市技术能手, a visitor verifies it valid, the bureau revokes it and the
public page then says revoked.

The records are set up through the services (competition, project, scheme, entries, judges, the fund);
the only step done outside the browser is moving the public notice's five working days into the past,
as tests/browser/test_grants.py does. Assertions are on what a person reads: Chinese labels and amounts.

Set SKILLCITY_TEST_ARTIFACTS to keep a 375 px screenshot of each step (tests/browser/conftest.py)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from skillcity.accounts.models import Role
from skillcity.competitions.models import Aspect, Title
from skillcity.competitions.services import contests
from skillcity.competitions.views.titles import qr_data_uri
from skillcity.grants import services as grants
from skillcity.grants.flows import FINANCE_GROUP
from skillcity.grants.models import Application, Payment, PublicNotice
from tests.browser.conftest import login, screenshot
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
SCHEME = [
    {
        "code": "A",
        "name": "零件加工",
        "aspects": [
            {"code": "A1", "description": "尺寸精度", "kind": "measurement", "max_mark": "60"},
            {"code": "A2", "description": "表面质量", "kind": "judgement", "max_mark": "40"},
        ],
    }
]
# Per player: the measured A1, then the three judges' 0–3 scores of A2 (judge 1, judge 2, the chief).
# Totals: 55 + 40×8/9 = 90.56 (金奖); 50 + 40×6/9 = 76.67 (银奖); 30 + 40×4/9 = 47.78 (below the pass mark).
PLAYERS = [
    ("陈金牌", "东莞市长安精密机械有限公司", "55", ("3", "3", "2")),
    ("李银牌", "东莞市虎门数控技术有限公司", "50", ("2", "2", "2")),
    ("王参赛", "东莞市厚街模具制造有限公司", "30", ("1", "2", "1")),
]
# Internal codes no page may show a person.
CODES = re.compile(
    r"(?<![A-Za-z_-])(city_class1|measurement|judgement|in_review|in_notice|reviewed|approved|paid|revoked|valid|"
    r"gold|silver|bronze|excellence|confirmed|published|True|False|None|CMP-PRIZE-CITY)(?![A-Za-z_-])"
)


def _phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    return context.new_page()


def _shot(page, name: str) -> None:
    screenshot(page, f"journey-{name}-375")


def _reads_chinese(page) -> None:
    """What the person sees: no internal code (a policy item's ID in small type, `.rule-id`, is the one
    code officers are shown on purpose), and the page fits the phone (no sideways scrolling)."""
    text = page.evaluate(
        "() => { const m = document.querySelector('main').cloneNode(true);"
        " m.querySelectorAll('.rule-id').forEach((e) => e.remove()); return m.textContent; }"
    )
    found = CODES.findall(text)
    assert not found, f"{page.url} shows internal codes: {found}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _city(bureau):
    """A city class-1 competition with one lathe project (scheme: one measurement and one judgement
    aspect), three players from three units, three judges (the first the chief), published."""
    organiser = OrganisationFactory(name="东莞市职业技能竞赛组委会办公室", category="association")
    organiser_user = UserFactory(username="organiser", role=Role.ORGANISATION_USER, organisation=organiser)
    competition = contests.competition_create(
        actor=organiser_user,
        name="2024年东莞市职业技能大赛",
        level="city_class1",
        year=2024,
        starts_on=datetime.date(2024, 9, 1),
        ends_on=datetime.date(2024, 9, 30),
        organiser=organiser,
    )
    project = contests.project_create(
        competition=competition,
        actor=organiser_user,
        name="数控车",
        occupation=OccupationFactory(code="6-18-01-01", name="车工"),
        level=3,
        starts_on=datetime.date(2024, 9, 10),
        ends_on=datetime.date(2024, 9, 11),
        venue="东莞市技师学院",
    )
    contests.scheme_set(project=project, actor=organiser_user, sections=SCHEME)
    changan = TownFactory(name="长安镇")
    players = []
    for name, unit_name, _measured, _judged in PLAYERS:
        unit = OrganisationFactory(name=unit_name, town=changan)
        unit_user = UserFactory(role=Role.ORGANISATION_USER, organisation=unit)
        player = WorkerFactory(name=name, employer=unit, town=changan)
        contests.entry_register(project=project, actor=unit_user, unit=unit, workers=[player])
        players.append(player)
    judge_unit = OrganisationFactory(name="东莞市技师学院")
    judges = []
    for n, name in enumerate(["周裁判长", "吴裁判", "郑裁判"]):
        worker = WorkerFactory(name=name, employer=judge_unit)
        UserFactory(username=f"judge{n}", role=Role.WORKER, worker=worker)
        judges.append(
            contests.judge_assign(project=project, actor=organiser_user, worker=worker, is_chief=n == 0)
        )
    contests.competition_publish(competition=competition, actor=organiser_user)
    UserFactory(username="player", role=Role.WORKER, worker=players[0])
    UserFactory(username="changan", role=Role.TOWN_OFFICER, town=changan)
    grants.fund_create(
        actor=bureau, programme="CMP-PRIZE-CITY", year=2024, name="市级竞赛奖金 2024", total=Decimal("500000")
    )
    aspects = {a.code: a for a in Aspect.objects.filter(section__project=project)}
    return competition, project, judges, aspects


def _marks(page, base: str, judge_username: str, scores_of) -> None:
    """A judge on the phone: home → 我的评分 → the project → each entry's sheet in turn (下一个)."""
    login(page, base, judge_username)
    page.click("#home-judging a")
    page.click("text=数控车")
    page.locator("[data-testid=judge-entry]").first.click()
    for n in range(len(PLAYERS)):
        for aspect_pk, score in scores_of(n).items():
            page.fill(f"#mark-score_{aspect_pk}", score)
        page.click("#marks-submit")
        page.locator(".alert-success").wait_for()
        assert "评分已提交并锁定" in page.inner_text(".alert-success")
        assert "已提交 · 锁定" in page.inner_text("#marking-form")
        if n + 1 < len(PLAYERS):
            page.click("#next-entry")


def test_from_marks_entry_to_a_prize_paid_and_a_title_verified_by_the_public(live_server, browser):
    cache.clear()  # the public verification page's rate limit
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    bureau.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])  # the bureau officer also pays
    competition, project, judges, aspects = _city(bureau)
    a1, a2 = aspects["A1"], aspects["A2"]
    base = live_server.url
    page = _phone(browser)

    # 1. The first judge: an out-of-range measurement is refused beside its field, naming the aspect.
    login(page, base, "judge1")
    page.click("#home-judging a")
    page.click("text=数控车")
    _shot(page, "01-judge-project")
    page.locator("[data-testid=judge-entry]").first.click()
    page.fill(f"#mark-score_{a1.pk}", "75")
    page.fill(f"#mark-score_{a2.pk}", "3")
    page.click("#marks-submit")
    beside = page.locator(f"li[data-aspect=A1] #error-score_{a1.pk}")
    assert "A1 尺寸精度" in beside.inner_text() and "0 到 60" in beside.inner_text()
    assert page.locator(f"li[data-aspect=A2] #error-score_{a2.pk}").count() == 0
    _reads_chinese(page)
    _shot(page, "02-marking-sheet-error")
    # It measures and scores every entry (A1 is then taken: the other judges only score A2).
    _marks(page, base, "judge1", lambda n: {a1.pk: PLAYERS[n][2], a2.pk: PLAYERS[n][3][0]})
    _reads_chinese(page)
    _shot(page, "03-marking-sheet-submitted")
    _marks(page, base, "judge2", lambda n: {a2.pk: PLAYERS[n][3][1]})
    assert page.locator(f"#mark-score_{a1.pk}").count() == 0  # measured by the other judge
    _marks(page, base, "judge0", lambda n: {a2.pk: PLAYERS[n][3][2]})

    # 2. The chief judge sees the results and confirms them.
    page.goto(f"{base}/competitions/judging/{judges[0].pk}/")
    assert "裁判长" in page.inner_text("h1")
    assert page.locator("#no-spread-flags").count() == 1
    _reads_chinese(page)
    # The chief computes the results, reads them, then confirms.
    page.click("form[action$='/results/compute/'] button")
    assert "已按已提交的评分计算成绩（确认后公布）" in page.inner_text(".alert-success")
    computed = page.locator("[data-testid=result-row]")
    assert computed.count() == 3 and "90.56" in computed.nth(0).inner_text()
    _reads_chinese(page)
    _shot(page, "04-chief-before-confirm")
    page.click("#results-confirm")
    page.locator("#results-confirmed").wait_for()
    rows = page.locator("[data-testid=result-row]")
    assert rows.count() == 3
    assert "90.56" in rows.nth(0).inner_text() and "金奖" in rows.nth(0).inner_text()
    _reads_chinese(page)
    _shot(page, "05-chief-confirmed")
    page.context.close()

    # 3. The public: the calendar → the published ranking (names masked, units in full).
    public = _phone(browser)
    public.goto(f"{base}/competitions/calendar/")
    assert "2024年东莞市职业技能大赛" in public.inner_text("main")
    public.click(f"a[href='/competitions/results/{project.pk}/']")
    ranking = public.locator("[data-testid=public-result]")
    assert ranking.count() == 3
    expected = [
        ("1", "陈*牌", "东莞市长安精密机械有限公司", "90.56", "金奖"),
        ("2", "李*牌", "东莞市虎门数控技术有限公司", "76.67", "银奖"),
        ("3", "王*赛", "东莞市厚街模具制造有限公司", "47.78", "—"),
    ]
    for n, cells in enumerate(expected):
        assert [c.strip() for c in ranking.nth(n).locator("td").all_inner_texts()] == list(cells)
    assert "陈金牌" not in public.inner_text("main")
    _reads_chinese(public)
    _shot(public, "06-public-results")

    # 4. The organiser makes the prize applications with one action on the awards page.
    page = _phone(browser)
    login(page, base, "organiser")
    page.goto(f"{base}/competitions/awards/")
    page.click(f"a[href='/competitions/awards/{competition.pk}/']")
    claims = page.inner_text("#claims")
    assert "陈金牌" in claims and "¥10,000.00" in claims and "¥8,000.00" in claims
    assert "王参赛" not in claims  # no award, no prize
    assert "2024年东莞市职业技能大赛 · 数控车 的竞赛成绩（金奖，第 1 名）" in claims  # the record, said once
    assert "2024年2024年" not in claims
    _reads_chinese(page)
    _shot(page, "07-awards-before")
    page.click("#generate-all")
    assert "已生成 2 份补贴申请并提交审核" in page.inner_text(".alert-success")
    assert page.locator("#claims").inner_text().count("审核中") == 2
    _reads_chinese(page)
    _shot(page, "08-awards-generated")
    app = Application.objects.get(worker__name="陈金牌")

    # 5. Review (town, then bureau), public notice, approval, payment — each clicked.
    login(page, base, "changan")
    page.goto(f"{base}/grants/{app.pk}/")
    assert "陈金牌" in page.inner_text("h1") and page.inner_text("#state") == "审核中"
    assert "来源：2024年东莞市职业技能大赛 · 数控车 的竞赛成绩（金奖，第 1 名）" in page.inner_text("main")
    _reads_chinese(page)
    _shot(page, "09-town-review")
    page.click("#pass")
    login(page, base, "bureau")
    page.goto(f"{base}/grants/{app.pk}/")
    page.click("#pass")
    assert page.inner_text("#state") == "审核通过待公示"
    page.click("#notice")
    assert page.inner_text("#state") == "公示中"
    _shot(page, "10-in-notice")
    # The notice ran its five working days with no objection (moved into the past, as test_grants does).
    PublicNotice.objects.filter(application=app).update(
        start=datetime.date(2024, 10, 8), end=datetime.date(2024, 10, 14)
    )
    page.goto(f"{base}/grants/{app.pk}/")
    page.fill("form[action$='/approve/'] input[name=amount]", "10000")
    page.click("#approve")
    assert page.inner_text("#state") == "已核准"
    _reads_chinese(page)
    _shot(page, "11-approved")
    page.click("#pay")
    summary = page.inner_text("#pay-summary")
    assert "将向 1 个收款方" in summary and "10,000.00" in summary
    _shot(page, "12-pay-confirm")
    page.fill("#treasury-reference", "GK2024-1011")
    page.click("#confirm-pay")
    assert page.inner_text("#state") == "已拨付"
    assert "拨付 10,000.00 元（国库支付凭证号 GK2024-1011）" in page.content()
    _reads_chinese(page)
    _shot(page, "13-paid")
    assert Payment.objects.filter(application=app, amount=Decimal("10000.00")).count() == 1

    # 6. The player, on the phone: the result, and the prize paid.
    mine = _phone(browser)
    login(mine, base, "player")
    mine.click("main a[href='/competitions/mine/']")
    entry = mine.inner_text("[data-testid=my-result]")
    assert "90.56" in entry and "金奖" in entry
    prize = mine.locator("[data-testid=my-prize]")
    assert prize.count() == 1
    assert "已拨付" in prize.inner_text() and "¥10,000.00" in prize.inner_text()
    _reads_chinese(mine)
    _shot(mine, "14-player-prize-paid")

    # 7. The organiser awards 东莞市技术能手 (the competition's quota; the player below the pass mark gets none).
    page.goto(f"{base}/competitions/titles/actions/")
    _shot(page, "15-title-actions")
    page.click("tbody form[action$='/titles/award/'] button")
    assert "已授予 2 个“东莞市技术能手”称号" in page.inner_text(".alert-success")
    _reads_chinese(page)
    title = Title.objects.get(worker__name="陈金牌")

    # The holder sees the title with its number on the phone page.
    mine.reload()
    titles = mine.inner_text("#my-titles")
    assert "东莞市技术能手" in titles and title.number in titles and "有效" in titles
    _shot(mine, "16-player-title")
    # …and opens the certificate with its QR code (it encodes the public page with the signed token).
    mine.goto(f"{base}/competitions/titles/my/")
    mine.click(f"text={title.number}")
    verify_url = f"{base}/competitions/titles/verify/"
    assert mine.get_attribute("#title-qr", "src") == qr_data_uri(title.qr_token, verify_url)
    _reads_chinese(mine)
    _shot(mine, "16b-title-certificate")

    # 8. An anonymous visitor verifies it by number and name, then by scanning its QR: valid.
    public.goto(f"{base}/competitions/titles/verify/")
    public.fill("#id_number", title.number)
    public.fill("#id_name", "陈金牌")
    public.click("#title-verify-form button[type=submit]")
    assert "称号有效" in public.inner_text("#verify-status")
    assert "东莞市技术能手" in public.inner_text("main") and "陈*牌" in public.inner_text("main")
    _reads_chinese(public)
    _shot(public, "17-verify-valid")
    public.goto(f"{verify_url}?qr={quote(title.qr_token)}")  # what scanning the code opens
    assert "二维码签名有效。称号有效" in public.inner_text("#verify-status")
    _shot(public, "18-verify-qr-valid")

    # 9. The bureau revokes it (the reason required beside its field); the public page says revoked.
    login(page, base, "bureau")
    page.goto(f"{base}/competitions/titles/{title.pk}/")
    page.click("#revoke-form button[type=submit]")
    assert "撤销原因" in page.inner_text("#revoke-form .errorlist")
    _shot(page, "19-revoke-error")
    page.fill("#revoke-reason", "赛后复核发现违规，取消称号")
    page.click("#revoke-form button[type=submit]")
    assert "已撤销" in page.inner_text("[data-testid=title-status]")
    _reads_chinese(page)
    _shot(page, "20-revoked")
    public.goto(f"{verify_url}?qr={quote(title.qr_token)}")
    status = public.inner_text("#verify-status")
    assert "已撤销" in status and "赛后复核发现违规，取消称号" in status and "称号有效" not in status
    _reads_chinese(public)
    _shot(public, "21-verify-revoked")
    mine.goto(f"{base}/competitions/mine/")
    assert "已撤销" in mine.inner_text("#my-titles")
    assert mine.inner_text("#my-prizes").count("已拨付") == 1  # the prize stays paid, once
    for p in (page, public, mine):
        p.context.close()

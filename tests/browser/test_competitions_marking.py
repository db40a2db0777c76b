"""Competitions, marking: on a phone-width page (375 px) judges enter and submit marks, a mark is
locked after submitting, the chief judge sees the spread flag and confirms the results; the organiser's
project page then shows them confirmed.

Set SKILLCITY_TEST_ARTIFACTS to keep screenshots of the organiser's, the unit's and the judge's pages at
1366 and 375 px (tests/browser/conftest.py)."""

from __future__ import annotations

import os

import pytest

from skillcity.accounts.models import Role
from skillcity.competitions.models import Competition, ContestProject, Mark
from tests.browser.conftest import login, screenshot
from tests.competitions.marking_setup import make_marked
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
WIDE = {"width": 1366, "height": 900}


def _phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    return context.new_page()


def _mark(page, base: str, judge, entry, scores: dict[int, str]) -> None:
    page.goto(f"{base}/competitions/judging/{judge.pk}/entries/{entry.pk}/")
    for aspect_id, score in scores.items():
        page.fill(f"#mark-score_{aspect_id}", score)
    page.click("#marks-submit")
    page.locator(".alert-success").wait_for()


def test_judges_mark_on_a_phone_and_the_chief_confirms(live_server, browser):
    bureau = UserFactory(role=Role.BUREAU_OFFICER)
    m = make_marked(bureau)
    Competition.objects.filter(pk=m.competition.pk).update(state="published")
    base = live_server.url
    page = _phone(browser)
    judge = m.judges[1]

    # A judge's phone: home → 我的评分 → the project → the first entry's sheet.
    login(page, base, m.judge_users[1].username)
    page.click("#home-judging a")
    page.click(f"text={m.project.name}")
    page.locator("[data-testid=judge-entry]").first.click()
    measure = page.locator(f"#mark-score_{m.measurement.pk}")
    assert measure.count() == 1
    # An out-of-range judgement is refused beside its input, naming the aspect.
    page.fill(f"#mark-score_{m.judgement.pk}", "5")
    page.click("#marks-save")
    error = page.locator(f"#error-score_{m.judgement.pk}")
    assert "A2 表面质量" in error.inner_text()
    # The sheet fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill(f"#mark-score_{m.judgement.pk}", "0")
    page.fill(f"#mark-score_{m.measurement.pk}", "18.5")
    page.click("#marks-submit")
    page.locator(".alert-success").wait_for()
    assert page.locator(f"#mark-score_{m.judgement.pk}").count() == 0  # locked
    assert "已提交 · 锁定" in page.locator("#marking-form").inner_text()
    if os.environ.get("SKILLCITY_TEST_ARTIFACTS"):
        screenshot(page, "competitions-marking-sheet-375")
    assert Mark.objects.filter(judge=judge, state="submitted").count() == 2

    # The other judges mark both entries (the chief scores 3 on entry 1: a spread of 3).
    login(page, base, m.judge_users[2].username)
    _mark(page, base, m.judges[2], m.entries[0], {m.judgement.pk: "2"})
    _mark(page, base, m.judges[2], m.entries[1], {m.judgement.pk: "2", m.measurement.pk: "12"})
    login(page, base, m.judge_users[1].username)
    _mark(page, base, judge, m.entries[1], {m.judgement.pk: "2"})
    login(page, base, m.judge_users[0].username)
    _mark(page, base, m.judges[0], m.entries[0], {m.judgement.pk: "3"})
    _mark(page, base, m.judges[0], m.entries[1], {m.judgement.pk: "1"})

    # The chief judge: the spread flag, then confirm.
    page.goto(f"{base}/competitions/judging/{m.judges[0].pk}/")
    flag = page.locator("[data-testid=spread-flag]")
    assert flag.count() == 1 and m.entries[0].bib in flag.inner_text()
    if os.environ.get("SKILLCITY_TEST_ARTIFACTS"):
        screenshot(page, "competitions-chief-375")
    page.click("#results-confirm")
    page.locator("#results-confirmed").wait_for()
    ranks = page.locator("[data-testid=result-row]")
    assert ranks.count() == 2
    assert ContestProject.objects.get(pk=m.project.pk).state == "confirmed"
    page.context.close()

    # The organiser's project page shows the results confirmed.
    wide = browser.new_context(locale="zh-CN", viewport=WIDE).new_page()
    login(wide, base, m.organiser_user.username)
    wide.goto(f"{base}/competitions/manage/projects/{m.project.pk}/")
    assert "裁判长已于" in wide.locator("#results").inner_text()
    assert wide.locator("#judge-form").count() == 0  # closed once confirmed
    wide.context.close()


def test_the_marking_pages_meet_wcag_aa_at_both_widths(live_server, browser):
    """axe-core on the organisers', units' and judges' pages at 1366 and 375 px (as test_accessibility)."""
    from skillcity.competitions.services import results
    from tests.browser.axe import axe_violations, describe, serious
    from tests.competitions.marking_setup import mark_entry

    bureau = UserFactory(role=Role.BUREAU_OFFICER)
    m = make_marked(bureau)
    mark_entry(m, m.entries[0], "18", (0, 2, 3))
    results.results_compute(project=m.project)
    open_ = make_marked(bureau, entries=0)
    Competition.objects.filter(pk=open_.competition.pk).update(state="published")
    unit_user = UserFactory(role=Role.ORGANISATION_USER, organisation=m.units[0])
    base = live_server.url
    pages = [
        (m.organiser_user, "/competitions/manage/"),
        (m.organiser_user, "/competitions/manage/new/"),
        (m.organiser_user, f"/competitions/manage/{m.competition.pk}/"),
        (m.organiser_user, f"/competitions/manage/projects/{m.project.pk}/"),
        (open_.organiser_user, f"/competitions/manage/projects/{open_.project.pk}/scheme/"),
        (unit_user, "/competitions/units/"),
        (unit_user, f"/competitions/units/projects/{open_.project.pk}/register/"),
        (m.judge_users[0], "/competitions/judging/"),
        (m.judge_users[0], f"/competitions/judging/{m.judges[0].pk}/"),
        (m.judge_users[0], f"/competitions/judging/{m.judges[0].pk}/entries/{m.entries[0].pk}/"),
        (m.judge_users[0], f"/competitions/judging/{m.judges[0].pk}/entries/{m.entries[1].pk}/"),
    ]
    problems: list[str] = []
    for width in (1366, 375):
        page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
        who = None
        for user, path in pages:
            if user is not who:
                login(page, base, user.username)
                who = user
            page.goto(base + path)
            found = serious(axe_violations(page))
            if found:
                problems.append(describe(f"{width} {path}", found))
        page.context.close()
    assert not problems, "\n".join(problems)

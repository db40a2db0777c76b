"""The converted forms in a browser: errors sent back next to their fields, no serious accessibility
violation, no sideways scrolling at phone width."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skillcity.certification import services
from tests.browser.axe import axe_violations, describe, serious
from tests.browser.conftest import login
from tests.certification import conftest as certification
from tests.certification.conftest import make_session

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SC_SHOTS_DIR", "")
# The certification tests' fixtures, used here too.
evaluator = certification.evaluator
lathe = certification.lathe


def _look(page, name: str, failures: list[str]) -> None:
    failures.extend(describe(name, [v]) for v in serious(axe_violations(page)))
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
            failures.append(f"{name} at {width}px: the page scrolls sideways")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_certification_forms_show_their_errors_next_to_the_fields(
    live_server, page, evaluator, lathe, enterprise_user, changan_worker
):
    session = make_session(evaluator, lathe, enterprise_user)
    services.candidate_add(session=session, worker=changan_worker, actor=enterprise_user)
    base = live_server.url
    login(page, base, enterprise_user.username)
    failures: list[str] = []
    page.goto(f"{base}/certification/sessions/{session.pk}/")
    page.fill("input[name=theory_score]", "abc")
    page.fill("input[name=practical_score]", "101")
    page.click(".sc-score-form button")
    assert "成绩应为数字" in page.locator("#candidate-list .errorlist").first.inner_text()
    _look(page, "session-scores", failures)
    page.click("#candidate-form button")
    assert "请填写“身份证号码”" in page.locator("#candidate-form .errorlist").inner_text()
    _look(page, "session-candidate", failures)
    page.goto(f"{base}/certification/evaluators/{evaluator.pk}/")
    page.fill("#id_site", " ")
    page.click("#session-form button[type=submit]")
    assert "请填写“考核地点”" in page.locator("#error-site").inner_text()
    _look(page, "evaluator-session", failures)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db(transaction=True)
def test_the_class_form_the_filing_form_and_the_audit_filters(live_server, page, bureau_officer, lathe):
    import datetime
    from decimal import Decimal

    from skillcity.accounts.models import Role
    from skillcity.registry.models import OrganisationCategory
    from skillcity.training import services as training
    from tests.factories import OrganisationFactory, TownFactory, UserFactory

    school = OrganisationFactory(
        town=TownFactory(name="长安镇"), category=OrganisationCategory.TRAINING_INSTITUTION
    )
    user = UserFactory(username="school", role=Role.ORGANISATION_USER, organisation=school)
    project = training.project_create(provider=school, name="数控车工班", occupation=lathe, level=None,
        per_person_standard=Decimal("1000"), capacity=5, start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 2, 1), actor="t")  # fmt: skip
    base = live_server.url
    failures: list[str] = []
    login(page, base, user.username)
    page.goto(f"{base}/training/projects/{project.pk}/")
    page.fill("#class-end_date", "")
    page.click("#class-form button")
    assert "请填写“新班级名称”" in page.locator("#error-name").inner_text()
    assert "请填写“结业日期”" in page.locator("#error-end_date").inner_text()
    _look(page, "project-class", failures)
    page.goto(f"{base}/certification/evaluators/file/")
    page.select_option("#id_kind", "social_organisation")
    page.select_option("#id_scope_occupation_2", lathe.code)
    page.select_option("#id_scope_highest_2", "5")
    page.select_option("#id_scope_lowest_2", "1")
    page.click("#evaluator-file-form button[type=submit]")
    assert "车工" in page.locator("#error-scope_occupation_2").inner_text()
    _look(page, "evaluator-file", failures)
    login(page, base, bureau_officer.username)
    page.goto(f"{base}/audit/")
    page.select_option("#id_action", label="登记劳动者")
    page.click("form.sc-filters button")
    assert "action=worker.create" in page.url
    _look(page, "audit-log", failures)
    assert not failures, "\n".join(failures)

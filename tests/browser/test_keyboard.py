"""Issue 13 item 13: the main journeys with the keyboard alone — logging in, verifying a certificate,
and revoking one (the bureau's form with its error next to the field). Each step is reached with Tab
and done with Enter or Space; the control in focus shows a visible ring."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from skillcity.accounts.models import Role
from skillcity.certification import services
from skillcity.certification.models import EvaluatorKind
from tests.browser.conftest import login
from tests.browser.test_certificate_verify import _issue
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus (from wherever the focus is)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def ring(page) -> str:
    """The focused control's outline (the focus ring), as the browser draws it."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.boxShadow; }"
    )


def _certificate():
    changan = TownFactory(name="长安镇")
    enterprise = OrganisationFactory(town=changan, name="东莞市长安精密制造有限公司")
    bureau = UserFactory(role=Role.BUREAU_OFFICER, username="bureau_keys")
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    filed = services.evaluator_file(
        organisation=enterprise, kind=EvaluatorKind.ENTERPRISE, scope=[(lathe, 2, 5)], actor=bureau
    )
    evaluator = services.evaluator_review(evaluator=filed, decision="approve", note="", actor=bureau)
    holder = WorkerFactory(town=changan, employer=enterprise, name="陈长安")
    return _issue(evaluator, lathe, holder, bureau, level=3)


def test_a_visitor_logs_in_and_verifies_a_certificate_with_the_keyboard_alone(live_server, page):
    cache.clear()
    certificate = _certificate()
    base = live_server.url

    page.goto(f"{base}/certification/verify/")
    tab_to(page, "#id_number")
    page.keyboard.type(certificate.number)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.keyboard.type("陈长安")
    tab_to(page, "#verify-form button[type=submit]")
    assert "none" not in ring(page).split()[0]
    page.keyboard.press("Space")
    page.wait_for_selector("#verify-status")
    assert page.get_attribute("#verify-status", "data-status") == "valid"

    page.goto(f"{base}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type("bureau_keys")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    from tests.conftest import PASSWORD

    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def test_the_bureau_revokes_a_certificate_with_the_keyboard_alone(live_server, page):
    certificate = _certificate()
    base = live_server.url
    login(page, base, "bureau_keys")
    page.goto(f"{base}/certification/certificates/{certificate.pk}/")
    # The skip link first, then into the page: the revoke form's button, sent empty.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, "#revoke-form button[type=submit]")
    assert ring(page).split()[0] == "solid"
    page.keyboard.press("Enter")
    # The error names the field, next to it; the field is one Tab away from the summary's link.
    page.wait_for_selector("#error-reason")
    assert "撤销原因" in page.inner_text("#error-reason")
    tab_to(page, "#revoke-form-errors a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "revoke-reason"
    page.keyboard.type("考核材料弄虚作假")
    tab_to(page, "#revoke-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#certificate-status .text-bg-danger")
    assert "考核材料弄虚作假" in page.inner_text("#certificate-status")

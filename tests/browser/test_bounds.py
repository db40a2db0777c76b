"""Issue 12 §2 in a real browser: a filter out of bounds is named above the list, and a project form
with numbers out of bounds names each field, at desktop and phone widths."""

from __future__ import annotations

import pytest

from skillcity.accounts.models import Role
from skillcity.registry.models import OrganisationCategory
from skillcity.training.models import TrainingProject
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.factories import OccupationFactory, OrganisationFactory, TownFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", [1366, 375])
def test_a_filter_out_of_bounds_is_named_and_a_form_names_every_bad_number(live_server, page, width):
    changan = TownFactory(name="长安镇")
    WorkerFactory(town=changan, name="陈长安")
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    school = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    UserFactory(username="school", role=Role.ORGANISATION_USER, organisation=school)
    OccupationFactory(code="6-18-01-01", name="车工")
    page.set_viewport_size({"width": width, "height": 900})

    _login(page, live_server.url, "bureau")
    response = page.goto(f"{live_server.url}/registry/workers/?town=99999999999999999999&level=x")
    assert response.status == 200
    alert = page.locator(".alert").first.inner_text()
    assert "筛选条件无效" in alert and "所在镇街" in alert and "技能等级" in alert
    assert "陈长安" in page.content()
    screenshot(page, f"bounds-worker-list-{width}")

    page.context.clear_cookies()
    _login(page, live_server.url, "school")
    page.goto(f"{live_server.url}/training/projects/new/")
    page.fill("#name", "车工提升")
    page.select_option("#occupation", "6-18-01-01")
    page.evaluate(
        "document.querySelectorAll('input').forEach(i => { i.removeAttribute('min'); i.removeAttribute('max'); i.type = i.type === 'number' ? 'text' : i.type; })"
    )
    page.fill("#per_person_standard", "1e25")
    page.fill("#capacity", "100000000000000000000")
    page.fill("#start_date", "2025-03-01")
    page.fill("#end_date", "2025-06-30")
    page.click("#project-form button")
    alert = page.locator(".alert-danger").first.inner_text()
    assert "每人补贴标准" in alert and "计划人数" in alert
    assert not TrainingProject.objects.exists()
    screenshot(page, f"bounds-project-form-{width}")

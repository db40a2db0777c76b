"""Issue 13 item 13: the main pages of every role meet WCAG 2.1 AA, checked by axe-core in the browser.

One demo city (small) serves every role; each page is checked at desktop (1366 px) and phone (375 px)
width, and the test fails on any serious or critical violation, listing them all at once.
"""

from __future__ import annotations

import io
import re

import pytest

from skillcity.demo import DEMO_PASSWORD
from tests.browser.axe import axe_violations, describe, serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 375)

# (role's demo account or None for a visitor, paths; "first:<list path>:<link pattern>" follows the
# first link on the list page whose path matches the pattern, so detail pages need no ids here.)
MAIN_PAGES: list[tuple[str | None, list[str]]] = [
    (
        None,
        ["/", "/policy/calculator/", "/grants/notices/", "/certification/verify/", "/accounts/login/"],
    ),
    (
        "worker",
        ["/", "/training/", "/certification/my/", "/grants/", "/accounts/profile/"],
    ),
    (
        "enterprise",
        ["/", "/training/", "/grants/", r"first:/grants/:^/grants/\d+/$", "/grants/apply/"],
    ),
    (
        "alliance",
        ["/alliances/", r"first:/alliances/:^/alliances/\d+/$", "/training/"],
    ),
    (
        "changan",
        ["/", "/registry/workers/", r"first:/registry/workers/:^/registry/workers/\d+/$", "/grants/"],
    ),
    (
        "bureau",
        [
            "/",
            "/registry/workers/",
            "/registry/organisations/",
            r"first:/registry/organisations/:^/registry/organisations/\d+/$",
            "/registry/reference/",
            "/grants/",
            "/grants/bureau/",
            r"first:/grants/:^/grants/\d+/$",
            "/policy/rules/",
            "/policy/simulate/",
            "/audit/",
            "/training/",
            "/training/vouchers/",
            "/certification/",
            "/alliances/statistics/",
        ],
    ),
]


@pytest.fixture
def demo_city(transactional_db, reference_data):
    from skillcity.demo import demo_build

    demo_build(seed=7, stdout=io.StringIO(), size=300)


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def resolve(page, base: str, path: str) -> str:
    if not path.startswith("first:"):
        return path
    _, listing, pattern = path.split(":", 2)
    page.goto(base + listing)
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = next((h for h in hrefs if re.match(pattern, h.split("?")[0])), None)
    assert found, f"no link matching {pattern} on {listing}"
    return found


def test_the_main_pages_of_every_role_have_no_serious_or_critical_violation(demo_city, live_server, browser):
    base = live_server.url
    failures: list[str] = []
    checked = 0
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    for username, paths in MAIN_PAGES:
        if username:
            log_in(page, base, username)
        else:
            page.context.clear_cookies()
        for path in paths:
            url = base + resolve(page, base, path)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(url)
                assert response.status == 200, f"{username} {url}: {response.status}"
                checked += 1
                failures.extend(
                    describe(f"{username or 'visitor'} {path} @{width}px", [v])
                    for v in serious(axe_violations(page))
                )
    context.close()
    assert checked >= 2 * 30
    assert not failures, f"{len(failures)} serious or critical violations:\n" + "\n".join(failures)

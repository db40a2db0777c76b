"""Issue 13 item 13: the main pages of every role meet WCAG 2.1 AA, checked by axe-core in the browser.

One demo city (small) serves every role; each page is checked at desktop (1366 px) and phone (375 px)
width, and the test fails on any serious or critical violation, listing them all at once.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from skillcity.demo import DEMO_PASSWORD
from tests.browser.axe import axe_violations, describe, serious

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

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
            "/policy/drafts/",
            r"first:/policy/drafts/:^/policy/drafts/\d+/$",
            "/policy/simulate/",
            "/audit/",
            "/training/",
            "/training/vouchers/",
            "/certification/",
            "/alliances/statistics/",
        ],
    ),
]


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


def check_page(page, url: str, where: str, failures: list[str]) -> None:
    """axe-core's serious and critical violations, a page wider than the window, a missing breadcrumb."""
    response = page.goto(url)
    assert response.status == 200, f"{where}: {response.status}"
    failures.extend(describe(where, [v]) for v in serious(axe_violations(page)))
    if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
        failures.append(f"{where}: the page scrolls sideways")
    # The breadcrumb: 首页 and the path down to this page, which is its last, current item.
    crumbs = page.locator("main nav ol.breadcrumb > li")
    wanted = 1 if urlsplit(url).path == "/" else 2
    if crumbs.count() < wanted or crumbs.nth(crumbs.count() - 1).get_attribute("aria-current") != "page":
        failures.append(f"{where}: the breadcrumb does not lead to this page")


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
                check_page(page, url, f"{username or 'visitor'} {path} @{width}px", failures)
                checked += 1
    context.close()
    assert checked >= 2 * 30
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_the_public_and_worker_pages_pass_in_large_type_mode_at_both_widths(demo_city, live_server, browser):
    """长辈模式: switched on from the navbar, remembered (the worker's account, the visitor's cookie),
    and the pages still pass axe-core and fit a 375 px phone."""
    base = live_server.url
    failures: list[str] = []
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    for username, paths in MAIN_PAGES[:2]:
        if username:
            log_in(page, base, username)
        else:
            page.context.clear_cookies()
            page.goto(base + "/")
        page.click("#large-type")
        page.wait_for_selector("html.sc-large")
        assert page.get_attribute("#large-type", "aria-pressed") == "true"
        for path in paths:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                check_page(page, base + path, f"{username or 'visitor'} {path} @{width}px 长辈模式", failures)
                assert page.locator("html.sc-large").count() == 1
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    context.close()
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_the_keyboard_alone_skips_to_the_content_and_opens_a_menu_with_space_and_enter(live_server, page):
    from skillcity.accounts.models import Role
    from tests.browser.conftest import login
    from tests.factories import UserFactory

    UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)
    base = live_server.url
    login(page, base, "bureau_officer")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/")

    # The first Tab reaches "跳到主要内容", which moves the focus to the page's main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"
    assert page.locator(".sc-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Tab through the navbar to the 政策 menu: a button, opened by Space, then by Enter.
    page.goto(f"{base}/")
    toggle = page.get_by_role("button", name="政策")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "政策":
            break
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    # The focus ring shows on the red navbar: a solid outline, not Bootstrap's faint shadow.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('dropdown-item')")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/policy/calculator/")


def test_the_favicon_is_linked_and_served(live_server, page):
    page.goto(f"{live_server.url}/")
    for href in page.eval_on_selector_all("link[rel=icon]", "links => links.map(l => l.href)"):
        assert page.request.get(href).status == 200
    response = page.request.get(f"{live_server.url}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}

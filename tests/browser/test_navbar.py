"""The navbar of every role: one line at 1366 px (the user button and 退出 never wrap onto a second
line), in Chinese and in English, and in 长辈模式; at 375 px the collapsed menu opens and reaches 退出.

Set SKILLCITY_TEST_ARTIFACTS to keep a screenshot of each navbar (tests/browser/conftest.py)."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Every demo account (None: a visitor). The provider's counter is the enterprise account's.
ACCOUNTS = (None, "bureau", "changan", "enterprise", "worker", "alliance")

# How far apart (px) the vertical centres of the navbar's items may be and still be one line.
ONE_LINE = """() => {
  const bar = document.querySelector('.sc-navbar > .container-fluid');
  const shown = [...bar.querySelectorAll(
      '.navbar-brand, #large-type, .navbar-toggler, #mainnav .nav-link, #mainnav .btn, #mainnav select')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0);
  const boxes = shown.map(e => e.getBoundingClientRect());
  const centres = boxes.map(r => r.top + r.height / 2);
  return {
    spread: Math.max(...centres) - Math.min(...centres),
    right: Math.max(...boxes.map(r => r.right)),
    width: window.innerWidth,
    // An item whose own text wrapped (a two-line user button) is much taller than the select.
    tallest: Math.max(...boxes.map(r => r.height)),
    count: shown.length,
  };
}"""


def _context(browser, *, width: int, language: str, large: bool, base: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
    cookies = [{"name": "django_language", "value": language, "url": base}]
    if large:
        cookies.append({"name": "sc_large_type", "value": "1", "url": base})
    context.add_cookies(cookies)
    return context


def _shoot(page, name: str, height: int = 260) -> None:
    """The top of the page (the navbar and what follows it), when screenshots are asked for."""
    if os.environ.get("SKILLCITY_TEST_ARTIFACTS"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(
            path=str(ARTIFACTS / f"{name}.png"), clip={"x": 0, "y": 0, "width": width, "height": height}
        )


def _logged_in(page, base: str, username: str | None, cookies: list) -> None:
    if username:
        log_in(page, base, username)
        # log_in clears the cookies: the language and the large type again.
        page.context.add_cookies(cookies)
    page.goto(base + "/")


def _check_wide(page, where: str, large: bool, logged_in: bool) -> list[str]:
    problems = []
    line = page.evaluate(ONE_LINE)
    if line["spread"] > 8:
        problems.append(f"{where}: the navbar takes more than one line ({line})")
    if line["right"] > line["width"]:
        problems.append(f"{where}: the navbar runs past the window ({line})")
    if line["tallest"] > (64 if large else 44):
        problems.append(f"{where}: an item of the navbar wraps its text ({line})")
    if logged_in and not large:
        # 退出 is in the account's menu, which opens from the keyboard (a real button).
        page.focus("#user-menu")
        page.keyboard.press("Enter")
        logout = page.locator("#mainnav form[action$='/logout/'] button")
        logout.wait_for(state="visible")
        box = logout.bounding_box()
        if not box or box["x"] + box["width"] > line["width"]:
            problems.append(f"{where}: 退出 opens outside the window ({box})")
        page.keyboard.press("Escape")
    return problems


def _check_phone(page, where: str, logged_in: bool) -> list[str]:
    problems = []
    if not page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"):
        problems.append(f"{where}: the page scrolls sideways")
    # The toggler is reached with Tab and opened with Enter; the account's menu opens inside it.
    page.focus(".navbar-toggler")
    page.keyboard.press("Enter")
    page.locator("#mainnav").wait_for(state="visible")
    page.wait_for_function("() => !document.querySelector('#mainnav.collapsing')")
    if logged_in:
        page.click("#user-menu")
        logout = page.locator("#mainnav form[action$='/logout/'] button")
        logout.wait_for(state="visible")
        box = logout.bounding_box()
        if not box or box["x"] < 0 or box["x"] + box["width"] > 375:
            problems.append(f"{where}: 退出 is outside the phone's window ({box})")
    return problems


def test_every_roles_navbar_is_one_line_at_1366_px_and_opens_at_375_px(
    demo_city,
    live_server,
    browser,
):
    """Chinese and English, normal and 长辈模式 (whose menu stays behind the toggler at every width)."""
    base = live_server.url
    problems: list[str] = []
    for large in (False, True):
        for width, languages in ((1366, ("zh-hans", "en")), (375, ("zh-hans",))):
            for language in languages:
                context = _context(browser, width=width, language=language, large=large, base=base)
                cookies = context.cookies()
                page = context.new_page()
                for username in ACCOUNTS:
                    _logged_in(page, base, username, cookies)
                    name = f"{width}-{username or 'visitor'}-{language}{'-large' if large else ''}"
                    _shoot(page, f"navbar-{name}")
                    if width == 1366:
                        problems += _check_wide(page, name, large, bool(username))
                    else:
                        problems += _check_phone(page, name, bool(username))
                        _shoot(page, f"navbar-{name}-open", height=800)
                context.close()
    assert not problems, "\n".join(problems)

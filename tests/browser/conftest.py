"""Playwright driving Debian's Chromium (no browser download), against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("SKILLCITY_TEST_ARTIFACTS", "test-artifacts"))


# Console messages in which Chromium reports a Content-Security-Policy violation, from every page of
# every context a test opens (the `browser` fixture hooks each context); checked after each test.
CSP_VIOLATIONS: list[str] = []


def _watch_csp(context: object) -> object:
    def on_console(message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        if "Content Security Policy" in text:
            CSP_VIOLATIONS.append(f"{message.page.url if message.page else '?'}: {text}")  # type: ignore[attr-defined]

    context.on("console", on_console)  # type: ignore[attr-defined]
    return context


class _WatchedBrowser:
    """The Playwright browser, with a CSP watch on every context it opens."""

    def __init__(self, browser: object):
        self._browser = browser

    def new_context(self, *args: object, **kwargs: object) -> object:
        return _watch_csp(self._browser.new_context(*args, **kwargs))  # type: ignore[attr-defined]

    def new_page(self, *args: object, **kwargs: object) -> object:
        return self.new_context(*args, **kwargs).new_page()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def _no_csp_violation() -> Iterator[None]:
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "the Content-Security-Policy refused something:\n" + "\n".join(CSP_VIOLATIONS)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (python3 dev.py test installs it as root)")
    # Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield _WatchedBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base: str, username: str) -> None:
    """Log in on the login page as a persona (tests.conftest.PASSWORD) and land on the home page."""
    from tests.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")

"""Issue 13 item 13, wider: axe-core on one page of every URL pattern the roles reach.

For each demo account (and a visitor), the pages reachable by links from the home page are collected
over HTTP (GET only, same origin, the links tests/test_crawl_labels.py does not follow left out),
grouped by their Django URL pattern (`resolve(path).view_name`), and the first page of each pattern is
opened in Chromium, in Chinese at 1366 px, and checked by axe-core: no serious or critical violation of
WCAG 2.1 AA is allowed.

Caps, to keep the run near two minutes on two cores (axe takes about a second a page):
- a pattern is checked once, as the first role in ACCOUNTS that reaches it (the worker's and the
  visitor's pages as they see them; staff-only pages as staff). The main pages of every role, at
  1366 and 375 px and in 长辈模式, are checked role by role in test_accessibility.py;
- the crawl fetches FOLLOW_PER_PATTERN page of each pattern (the links of a list's tenth detail page
  lead where the first one's do) and at most MAX_PAGES_PER_ROLE pages per role.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.browser.axe import axe_violations, describe, serious
from tests.browser.test_accessibility import log_in
from tests.test_crawl_labels import SKIP, _parse

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# The people the pages are first for come first: a pattern is checked as the first role reaching it.
ACCOUNTS = ("worker", None, "enterprise", "alliance", "changan", "bureau")
MAX_PAGES_PER_ROLE = 120
FOLLOW_PER_PATTERN = 1


def pattern_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl_patterns(request, base: str) -> Iterator[tuple[str, str]]:
    """(pattern, first path of it) for every URL pattern reachable by links from the home page, with
    the session of `request` (a Playwright APIRequestContext sharing the page's cookies)."""
    fetched: dict[str, int] = {}  # pattern -> pages fetched
    seen: set[str] = set()
    queue = ["/"]
    pages = 0
    while queue and pages < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        pattern = pattern_of(urlsplit(path).path)
        if pattern is None or fetched.get(pattern, 0) >= FOLLOW_PER_PATTERN:
            continue
        response = request.get(base + path)
        pages += 1
        final = urlsplit(response.url)
        if not response.ok or "html" not in response.headers.get("content-type", ""):
            continue
        final_path = final.path + (f"?{final.query}" if final.query else "")
        pattern = pattern_of(final.path)
        if pattern is None:
            continue
        if pattern not in fetched:
            yield pattern, final_path
        fetched[pattern] = fetched.get(pattern, 0) + 1
        for href in _parse(response.text()).links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            if href not in seen:
                seen.add(href)
                queue.append(href)


def check_patterns(page, base: str, who: str, done: set[str]) -> tuple[list[str], int]:
    """axe-core on the first page of each pattern the logged-in role reaches and no role before it."""
    failures: list[str] = []
    checked = 0
    for pattern, path in crawl_patterns(page.context.request, base):
        if pattern in done:
            continue
        done.add(pattern)
        response = page.goto(base + path)
        if response is None or response.status != 200:
            failures.append(f"{who} {path}: {response.status if response else 'no response'}")
            continue
        failures.extend(describe(f"{who} {pattern} {path}", [v]) for v in serious(axe_violations(page)))
        checked += 1
    return failures, checked


def test_one_page_of_every_url_pattern_of_every_role_has_no_serious_or_critical_violation(
    demo_city,
    live_server,
    browser,
):
    base = live_server.url
    failures: list[str] = []
    counts: dict[str, int] = {}
    done: set[str] = set()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    for username in ACCOUNTS:
        if username:
            log_in(page, base, username)
        else:
            page.context.clear_cookies()
        found, counts[username or "visitor"] = check_patterns(page, base, username or "visitor", done)
        failures += found
    context.close()
    # Far more than the main pages (the main-page test checks 30 of them).
    assert sum(counts.values()) > 40, counts
    assert not failures, f"{len(failures)} failures on {counts} pages:\n" + "\n".join(failures)


def test_the_crawl_groups_pages_by_their_url_pattern(db):
    assert pattern_of("/grants/12/") == pattern_of("/grants/345/") != pattern_of("/grants/")
    assert pattern_of("/no/such/page/") is None

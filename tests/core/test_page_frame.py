"""Issue 13 items 12–13: what every page's frame (base.html) gives: breadcrumbs, favicon, skip link."""

from __future__ import annotations

from pathlib import Path

import pytest

import skillcity

TEMPLATES = Path(skillcity.__file__).parent


def pages() -> list[Path]:
    """Every template that is a whole page (extends base.html), except the home page itself."""
    return [
        path
        for path in sorted(TEMPLATES.glob("*/templates/**/*.html"))
        if '{% extends "base.html" %}' in path.read_text(encoding="utf-8")
        and path.parts[-2:] != ("web", "home.html")
    ]


@pytest.mark.parametrize("template", pages(), ids=lambda p: "/".join(p.parts[-2:]))
def test_every_page_fills_its_breadcrumb_and_marks_the_current_page(template):
    text = template.read_text(encoding="utf-8")
    assert "{% block breadcrumbs %}" in text
    assert 'aria-current="page"' in text


@pytest.mark.django_db
def test_the_home_page_is_the_current_crumb_and_the_frame_links_the_favicon_and_a_skip_link(client):
    page = client.get("/").content.decode()
    assert '<li class="breadcrumb-item active" aria-current="page">首页</li>' in page
    assert 'rel="icon"' in page and "web/favicon.svg" in page
    assert 'href="#main">跳到主要内容</a>' in page
    assert '<main class="container-lg py-3" id="main" tabindex="-1">' in page


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("web/favicon.ico")

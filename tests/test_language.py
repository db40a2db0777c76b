"""Chinese by default, whatever the browser asks for; English only when chosen with the switch."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_even_for_an_english_browser() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/policy/calculator/")
    assert response.status_code == 200
    assert "政策计算器" in response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"


def test_the_language_switch_turns_english_on_and_off() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/policy/calculator/"})
    assert "Policy calculator" in client.get("/policy/calculator/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/policy/calculator/"})
    assert "政策计算器" in client.get("/policy/calculator/").content.decode()

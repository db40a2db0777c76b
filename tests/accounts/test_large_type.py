"""Issue 13 item 13: 长辈模式 (large type), switched from the navbar, remembered per user or per browser."""

from __future__ import annotations

import pytest

from skillcity.accounts.views import LARGE_TYPE_COOKIE
from skillcity.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_visitor_switches_it_on_and_every_page_then_comes_in_large_type(client):
    assert 'class="sc-large"' not in client.get("/").content.decode()
    response = client.post("/accounts/large-type/", {"large_type": "1", "next": "/certification/verify/"})
    assert response.status_code == 302 and response["Location"] == "/certification/verify/"
    assert response.cookies[LARGE_TYPE_COOKIE].value == "1"
    page = client.get("/certification/verify/").content.decode()
    assert '<html lang="zh-hans" class="sc-large">' in page
    assert 'aria-pressed="true"' in page

    response = client.post("/accounts/large-type/", {"large_type": "0", "next": "/"})
    assert response.cookies[LARGE_TYPE_COOKIE].value == ""  # deleted
    assert 'class="sc-large"' not in client.get("/").content.decode()


def test_a_worker_s_choice_is_saved_on_the_account_with_an_audit_row(client, worker_user):
    client.login(username=worker_user.username, password=PASSWORD)
    client.post("/accounts/large-type/", {"large_type": "1", "next": "/training/"})
    worker_user.refresh_from_db()
    assert worker_user.large_type is True
    row = AuditEvent.objects.filter(action="user.large_type").get()
    assert row.after == {"large_type": True}

    # Another browser, logged in as the same worker, without the cookie: still large type.
    client.cookies.clear()
    client.login(username=worker_user.username, password=PASSWORD)
    assert 'class="sc-large"' in client.get("/").content.decode()


def test_it_never_redirects_to_another_site_and_refuses_a_get(client):
    response = client.post("/accounts/large-type/", {"large_type": "1", "next": "https://example.com/"})
    assert response["Location"] == "/"
    assert client.get("/accounts/large-type/").status_code == 405


def test_a_visitor_who_switched_it_on_keeps_it_after_logging_in_and_can_switch_it_off(client, worker_user):
    client.post("/accounts/large-type/", {"large_type": "1", "next": "/"})
    client.login(username=worker_user.username, password=PASSWORD)
    assert 'class="sc-large"' in client.get("/").content.decode()

    client.post("/accounts/large-type/", {"large_type": "0", "next": "/"})
    assert 'class="sc-large"' not in client.get("/").content.decode()
    worker_user.refresh_from_db()
    assert worker_user.large_type is False

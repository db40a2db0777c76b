"""Issue 13 item 5: the worker's home page — applications and where each stands, vouchers about to
expire, enrolments, certificates — and no registry counts; tables that turn into cards on a phone."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from skillcity.grants import services as grants
from skillcity.registry.models import Worker
from skillcity.training import services as training

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_worker_home_shows_their_own_things_and_no_registry_counts(
    worker_user, changan_worker, humen_worker
):
    today = timezone.localdate()
    training.voucher_batch_issue(
        name="即将到期批次",
        face_value=500,
        valid_from=today - datetime.timedelta(days=10),
        valid_to=today + datetime.timedelta(days=3),
        workers=Worker.objects.filter(pk__in=[changan_worker.pk, humen_worker.pk]),
        actor="t",
    )
    training.voucher_batch_issue(
        name="明年批次",
        face_value=500,
        valid_from=today,
        valid_to=today + datetime.timedelta(days=300),
        workers=Worker.objects.filter(pk=changan_worker.pk),
        actor="t",
    )
    app = grants.application_create(
        actor=worker_user, rule_id="TAL-CARD-FLOOR", event_date=datetime.date(2024, 3, 1), facts={}
    )
    page = _client(worker_user).get("/").content.decode()
    assert 'data-testid="worker-count"' not in page and "高技能人才" not in page
    assert (
        page.count('data-testid="home-expiring"') == 1 and "即将到期批次" in page and "明年批次" not in page
    )
    assert "全部培训券（2 张可用）" in page
    row = page[page.index('data-testid="home-application"') :]
    assert f'href="/grants/{app.pk}/"' in row and 'data-state="draft">草稿<' in row
    for section in ("home-applications", "home-vouchers", "home-enrolments", "home-certificates"):
        assert f'id="{section}"' in page


def test_other_roles_keep_their_counts(bureau_officer):
    assert 'data-testid="worker-count"' in _client(bureau_officer).get("/").content.decode()


def test_the_worker_tables_are_card_tables_with_a_label_on_every_cell(worker_user):
    for url in ("/", "/training/", "/certification/my/", "/grants/"):
        page = _client(worker_user).get(url).content.decode()
        assert "sc-cards" in page, url
    page = _client(worker_user).get("/").content.decode()
    assert "/static/web/cards.css" in page

"""The payment list (拨付清单) export: past EXPORT_BACKGROUND_ROWS rows it runs in the background (core
exports: progress page, then a download only its owner can use), with no live formula in the file."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from skillcity.core.exports import export_run
from skillcity.core.models import AuditEvent, Export
from skillcity.grants import services
from tests.exports import HYPERLINK, assert_text_not_formula
from tests.factories import UserFactory
from tests.grants.conftest import AFTER_NOTICE, submitted, to_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_threshold(settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.DATA_DIR = tmp_path


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _paid(user, changan_officer, bureau_officer, finance_officer, key: str) -> None:
    app = to_notice(submitted(user), [changan_officer, bureau_officer], bureau_officer)
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    services.payment_make(application=app, actor=finance_officer, idempotency_key=key, treasury_reference="R")


def test_a_large_payment_list_is_built_in_the_background_and_only_its_owner_downloads_it(
    small_threshold,
    enterprise_user,
    changan_officer,
    bureau_officer,
    finance_officer,
    django_capture_on_commit_callbacks,
):
    enterprise_user.organisation.name = HYPERLINK
    enterprise_user.organisation.save(update_fields=["name"])
    _paid(enterprise_user, changan_officer, bureau_officer, finance_officer, "=1+1")
    _paid(enterprise_user, changan_officer, bureau_officer, finance_officer, "k2")
    c = _client(bureau_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.get("/grants/payments.xlsx")
    export = Export.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("exports:detail", args=[export.pk])
    assert export.kind == "grant_payments" and export.owner == bureau_officer
    assert DBTaskResult.objects.get().task_path == "skillcity.core.tasks.export_run_task"
    page = c.get(r["Location"]).content.decode()
    assert "拨付清单" in page and 'hx-trigger="every 2s"' in page and "export-download" not in page
    assert export_run(export).rows_done == 2
    progress = c.get(reverse("exports:progress", args=[export.pk]))
    assert progress["HX-Refresh"] == "true" and "已写入 2 / 2 行" in progress.content.decode()
    assert "export-download" in c.get(r["Location"]).content.decode()
    download = c.get(reverse("exports:download", args=[export.pk]))
    content = b"".join(download.streaming_content)
    assert_text_not_formula(content, HYPERLINK, "=1+1")
    assert AuditEvent.objects.filter(action="export.download", actor=bureau_officer).count() == 1
    # Another bureau officer gets neither the page nor the file; a town officer cannot ask for the list.
    other = _client(UserFactory(username="another_bureau"))
    assert other.get(reverse("exports:download", args=[export.pk])).status_code == 404
    assert other.get(reverse("exports:detail", args=[export.pk])).status_code == 404
    assert _client(changan_officer).get("/grants/payments.xlsx").status_code == 403
    assert Export.objects.count() == 1


def test_a_small_payment_list_still_downloads_at_once(
    small_threshold, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    _paid(enterprise_user, changan_officer, bureau_officer, finance_officer, "k1")
    r = _client(bureau_officer).get("/grants/payments.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK" and not Export.objects.exists()

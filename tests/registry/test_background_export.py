"""An export of more than EXPORT_BACKGROUND_ROWS rows runs in the background: a progress bar, then a
download link only its owner can use; filters and the owner's visibility apply; formula-safe; audited."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from skillcity.core.exports import export_run
from skillcity.core.models import AuditEvent, Export
from tests.factories import OrganisationFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_threshold(settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 2
    settings.DATA_DIR = tmp_path


def _login(client, user):
    client.force_login(user)
    return client


def test_a_large_export_runs_in_the_background_and_only_its_owner_downloads_it(
    client,
    small_threshold,
    changan_officer,
    bureau_officer,
    changan,
    humen,
    django_capture_on_commit_callbacks,
):
    names = [WorkerFactory(town=changan, name=f"长安{i}").name for i in range(3)]
    WorkerFactory(town=humen, name="虎门人")
    WorkerFactory(town=changan, name='=HYPERLINK("http://x","y")')
    c = _login(client, changan_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.get(reverse("registry:worker_export"))
    export = Export.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("exports:detail", args=[export.pk])
    assert DBTaskResult.objects.get().task_path == "skillcity.core.tasks.export_run_task"
    page = c.get(r["Location"]).content.decode()
    assert "排队中" in page and 'hx-trigger="every 2s"' in page and "export-download" not in page
    export_run(export)
    progress = c.get(reverse("exports:progress", args=[export.pk]))
    assert progress["HX-Refresh"] == "true" and "已写入 4 / 4 行" in progress.content.decode()
    assert "export-download" in c.get(r["Location"]).content.decode()
    download = c.get(reverse("exports:download", args=[export.pk]))
    content = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    # The town officer's own town only, masked, and a formula-looking name stays text.
    assert set(cells) == {*names, '=HYPERLINK("http://x","y")'}
    assert cells['=HYPERLINK("http://x","y")'].data_type == "s"
    assert AuditEvent.objects.filter(action="export.download", actor=changan_officer).count() == 1
    # Nobody else, the bureau included, gets the file or its page.
    other = _login(client, bureau_officer)
    assert other.get(reverse("exports:download", args=[export.pk])).status_code == 404
    assert other.get(reverse("exports:detail", args=[export.pk])).status_code == 404


def test_a_small_export_still_downloads_at_once(client, small_threshold, bureau_officer, changan):
    WorkerFactory(town=changan)
    r = _login(client, bureau_officer).get(reverse("registry:worker_export"))
    assert r.status_code == 200 and r.content[:2] == b"PK" and not Export.objects.exists()


def test_a_full_background_export_is_recorded_as_a_personal_data_export(
    client, small_threshold, bureau_officer, changan
):
    workers = [WorkerFactory(town=changan) for _ in range(3)]
    _login(client, bureau_officer).get(reverse("registry:worker_export"), {"full": "1"})
    export = export_run(Export.objects.get())
    assert export.full and export.status == "done"
    assert AuditEvent.objects.filter(action="personal_data.export", actor=bureau_officer).count() == 1
    content = b"".join(client.get(reverse("exports:download", args=[export.pk])).streaming_content)
    ids = {r[1] for r in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)}
    assert ids == {w.id_number for w in workers}


def test_the_organisation_export_goes_to_the_background_too(client, small_threshold, bureau_officer, changan):
    for _ in range(3):
        OrganisationFactory(town=changan)
    r = _login(client, bureau_officer).get(reverse("registry:organisation_export"))
    export = Export.objects.get()
    assert r.status_code == 302 and export.kind == "organisations"
    assert export_run(export).rows_done == Export.objects.get().rows_total == 3

"""The results template: names that look like formulas stay text, and the file round-trips."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillcity.certification import services
from skillcity.certification.imports import results_import
from tests.certification.conftest import make_session
from tests.exports import CALC, HYPERLINK, assert_text_not_formula
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def _fill(content: bytes) -> bytes:
    import io

    from openpyxl import load_workbook

    from skillcity.core.spreadsheets import workbook_bytes

    workbook = load_workbook(io.BytesIO(content))
    for row in workbook.active.iter_rows(min_row=2):
        row[2].value, row[3].value = 80, 90
    return workbook_bytes(workbook)


def test_it_writes_candidate_names_that_look_like_formulas_as_text(
    client, evaluator, lathe, changan_enterprise, enterprise_user
):
    session = make_session(evaluator, lathe, enterprise_user)
    for name in (HYPERLINK, CALC):
        worker = WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town, name=name)
        services.candidate_add(session=session, worker=worker, actor=enterprise_user)
    client.force_login(enterprise_user)
    response = client.get(reverse("certification:results_template", args=[session.pk]))
    assert response.status_code == 200
    assert_text_not_formula(response.content, HYPERLINK, CALC)
    # Filled in and uploaded back, the names still match the registry's.
    result = results_import(
        session=session, filename="r.xlsx", content=_fill(response.content), actor=enterprise_user
    )
    assert result.ok and result.created == 2


def test_each_template_download_is_audited_with_the_candidates_it_shows(
    client, evaluator, lathe, changan_enterprise, enterprise_user
):
    from skillcity.core.models import AuditEvent

    session = make_session(evaluator, lathe, enterprise_user)
    workers = [WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town) for _ in range(2)]
    for worker in workers:
        services.candidate_add(session=session, worker=worker, actor=enterprise_user)
    client.force_login(enterprise_user)
    response = client.get(reverse("certification:results_template", args=[session.pk]))
    # The import matches rows by the full ID number, so the template keeps it, and says who saw it.
    assert workers[0].id_number in {c.value for row in _rows(response.content) for c in row}
    event = AuditEvent.objects.get(action="personal_data.view", target_id=str(session.pk))
    assert event.actor == enterprise_user
    assert event.after == {
        "field": "id_number",
        "document": "results_template",
        "count": 2,
        "workers": [w.pk for w in workers],
    }


def _rows(content: bytes):
    import io

    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(content)).active.iter_rows())

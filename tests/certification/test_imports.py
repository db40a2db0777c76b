"""Results import: all or nothing, every bad row listed."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from skillcity.certification import services
from skillcity.certification.imports import results_import, template_workbook
from skillcity.certification.models import Candidate
from skillcity.core.errors import PermissionDenied
from tests.certification.conftest import make_session
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def session_with_three(evaluator, lathe, changan_enterprise, enterprise_user):
    session = make_session(evaluator, lathe, enterprise_user)
    workers = [WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town) for _ in range(3)]
    for worker in workers:
        services.candidate_add(session=session, worker=worker, actor=enterprise_user)
    return session, workers


HEADER = ["身份证号码", "姓名", "理论知识成绩", "操作技能成绩"]


def test_it_imports_every_row_and_applies_the_pass_rule(session_with_three, enterprise_user):
    session, (a, b, c) = session_with_three
    content = _xlsx(
        [
            HEADER,
            [a.id_number, a.name, 80, 70],
            [b.id_number, b.name, "55", 90],
            [c.id_number, c.name, 60, 60],
        ]
    )
    result = results_import(session=session, filename="r.xlsx", content=content, actor=enterprise_user)
    assert result.ok and result.created == 3
    results = dict(Candidate.objects.filter(session=session).values_list("worker__name", "result"))
    assert results == {a.name: "passed", b.name: "failed", c.name: "passed"}


def test_it_writes_nothing_and_lists_every_bad_row(session_with_three, enterprise_user, humen_worker):
    session, (a, b, c) = session_with_three
    content = _xlsx(
        [
            HEADER,
            [a.id_number, a.name, 80, 70],  # good
            [b.id_number, "别人", 80, 70],  # row 3: name mismatch
            [c.id_number, c.name, 101, "x"],  # row 4: both scores bad
            [humen_worker.id_number, humen_worker.name, 80, 80],  # row 5: not a candidate
            [a.id_number, a.name, 80, 70],  # row 6: duplicate
        ]
    )
    result = results_import(session=session, filename="r.xlsx", content=content, actor=enterprise_user)
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "姓名"),
        (4, "理论知识成绩"),
        (4, "操作技能成绩"),
        (5, "身份证号码"),
        (6, "身份证号码"),
    }
    assert not Candidate.objects.filter(session=session).exclude(result="pending").exists()


def test_it_reports_a_missing_column(session_with_three, enterprise_user):
    session, _workers = session_with_three
    result = results_import(
        session=session,
        filename="r.xlsx",
        content=_xlsx([["身份证号码", "姓名", "理论知识成绩"]]),
        actor=enterprise_user,
    )
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(1, "操作技能成绩", "缺少必填列")]


def test_the_template_lists_the_candidates(session_with_three):
    session, workers = session_with_three
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(template_workbook(session))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and {r[1] for r in rows[1:]} == {w.name for w in workers}


def test_another_organisation_cannot_import(session_with_three, humen):
    from skillcity.accounts.models import Role
    from tests.factories import OrganisationFactory, UserFactory

    session, _workers = session_with_three
    stranger = UserFactory(role=Role.ORGANISATION_USER, organisation=OrganisationFactory(town=humen))
    with pytest.raises(PermissionDenied):
        results_import(session=session, filename="r.xlsx", content=_xlsx([HEADER]), actor=stranger)

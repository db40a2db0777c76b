"""From marks to titles and promotions through the marking part's services (results computed from the
marks and confirmed by the chief judge, never typed)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.competitions.services import promotions, titles
from skillcity.competitions.services.results import results_compute, results_confirm
from skillcity.registry.models import SkillRecord
from tests.competitions.marking_setup import make_marked, mark_entry
from tests.competitions.titles_helpers import active_evaluator

pytestmark = pytest.mark.django_db


def test_marks_to_confirmed_results_to_titles_and_certificates(bureau_officer):
    # The scheme's maximum is 29 (20 measured + 9 judged): a pass mark of 15 on that scale.
    m = make_marked(bureau_officer, entries=4, title_quota=2, pass_mark=Decimal("15"))
    for entry, measured, judged in zip(
        m.entries, ("19", "17", "15", "10"), ((3, 3, 3), (3, 2, 3), (2, 2, 2), (1, 1, 2)), strict=True
    ):
        mark_entry(m, entry, measured, judged)
    results_compute(project=m.project)
    results_confirm(project=m.project, actor=m.judge_users[0])
    made = titles.titles_award(
        competition=m.competition, actor=m.organiser_user, awarded_on=datetime.date(2024, 10, 8)
    )
    assert [t.result.rank for t in made] == [1, 2]  # the competition's quota: 2 per project
    active_evaluator(m.competition.organiser, m.project.occupation, bureau_officer)
    report = promotions.promotions_issue(
        project=m.project, actor=m.organiser_user, issued_on=datetime.date(2024, 10, 20)
    )
    # Totals 28, 25, 21 pass (96.6, 86.2 and 72.4 out of 100) and are places 1–3: the city default's
    # 三级/高级工. The fourth (10 + 4 = 14) is under the pass mark and gets nothing.
    assert sorted((p.result.rank, p.level) for p in report.promoted) == [(1, 3), (2, 3), (3, 3)]
    assert report.promoted[0].certificate.candidate.practical_score == Decimal("96.6")
    for promotion in report.promoted:
        assert SkillRecord.objects.filter(certificate=promotion.certificate, level=promotion.level).exists()

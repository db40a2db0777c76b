"""The leading-talent lists run a fixed number of queries, however many rows they show: the call page
(average scores, the panel select, evidence), the API lists (recognition, paid totals, the unit) and
the exceptional-promotion page (evidence, open sessions, the evaluator's organisation)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skillcity.certification import services as certification
from skillcity.certification.models import EvaluatorKind, ExceptionalGrounds
from skillcity.talents.services import exceptional, leading, rent
from tests.factories import OccupationFactory, UserFactory, WorkerFactory
from tests.talents.leading_helpers import DAY, call, expert, finance, funds, to_recognition

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _pdf(n: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"proof{n}.pdf", b"%PDF-1.4 " + str(n).encode(), content_type="application/pdf")


class Review:
    """A call with applications in panel (assigned, scored) and submitted (with evidence)."""

    def __init__(self, bureau, changan, employer) -> None:
        funds(bureau)
        self.bureau, self.changan, self.employer = bureau, changan, employer
        self.call = call(bureau)
        self.expert_worker, self.expert_user = expert(changan)
        self.member = leading.panel_member_add(actor=bureau, call=self.call, worker=self.expert_worker)
        self.n = 0

    def add(self, count: int) -> None:
        for _ in range(count):
            self.n += 1
            w = WorkerFactory(town=self.changan, employer=self.employer, name=f"申报人{self.n}")
            u = UserFactory(username=f"applicant{self.n}", role="worker", worker=w)
            scored = leading.application_submit(
                actor=u, call=self.call, grounds="g", day=DAY, uploads=[_pdf(self.n)]
            )
            leading.formal_check(actor=self.bureau, application=scored, passed=True)
            a = leading.assign(actor=self.bureau, application=scored, member=self.member)
            leading.scores_submit(
                actor=self.expert_user,
                assignment=a,
                points={"skill": "20", "contribution": "20", "honours": "10", "mentoring": "10"},
            )
            other = WorkerFactory(town=self.changan, employer=self.employer, name=f"待审{self.n}")
            leading.application_submit(
                actor=UserFactory(username=f"pending{self.n}", role="worker", worker=other),
                call=self.call,
                grounds="g",
                day=DAY,
                uploads=[_pdf(100 + self.n)],
            )


def _fixed(client: Client, url: str, grow, django_assert_max_num_queries) -> None:
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_call_page_and_the_api_lists_do_not_query_per_row(
    bureau_officer, changan, changan_enterprise, django_assert_max_num_queries
):
    review = Review(bureau_officer, changan, changan_enterprise)
    review.add(2)
    b = _client(bureau_officer)
    page = reverse("talents:leading_call", args=[review.call.pk])
    html = b.get(page).content.decode()
    assert "60.0" in html  # the average is still shown
    _fixed(b, page, lambda: review.add(3), django_assert_max_num_queries)
    _fixed(b, "/api/v1/talents/leading/applications", lambda: review.add(2), django_assert_max_num_queries)
    e = _client(review.expert_user)
    _fixed(e, "/api/v1/talents/leading/assignments", lambda: review.add(2), django_assert_max_num_queries)


def test_the_schedules_api_sums_the_payments_in_the_query(
    bureau_officer, changan, changan_enterprise, django_assert_max_num_queries
):
    funds(bureau_officer)
    the_call = call(bureau_officer, quota=20)
    pay = finance()
    made = []

    def more(count: int) -> None:
        for _ in range(count):
            n = len(made) + 1
            w = WorkerFactory(town=changan, employer=changan_enterprise, name=f"人才{n}")
            u = UserFactory(username=f"talent{n}", role="worker", worker=w)
            app = leading.application_submit(actor=u, call=the_call, grounds="g", day=DAY)
            ew, eu = expert(changan, f"专家{n}")
            recognition = to_recognition(bureau_officer, the_call, app, ew, eu)
            made.append(
                rent.schedule_create(
                    actor=pay,
                    recognition=recognition,
                    monthly_amount="3000",
                    first_month=DAY,
                    day=DAY,
                    months=3,
                )
            )
        rent.rent_pay_month(day=datetime.date(2025, 3, 20))

    more(1)
    b = _client(bureau_officer)
    _fixed(b, "/api/v1/talents/leading/schedules", lambda: more(2), django_assert_max_num_queries)
    totals = {row["paid_total"] for row in b.get("/api/v1/talents/leading/schedules").json()}
    assert totals == {"3000.00"}
    assert rent.paid_total(made[0]) == Decimal("3000.00")


def test_the_exceptional_page_does_not_query_per_row(
    bureau_officer, changan, changan_enterprise, django_assert_max_num_queries
):
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    filed = certification.evaluator_file(
        organisation=changan_enterprise,
        kind=EvaluatorKind.ENTERPRISE,
        scope=[(lathe, 1, 5)],
        actor=bureau_officer,
    )
    evaluator = certification.evaluator_review(
        evaluator=filed, decision="approve", note="", actor=bureau_officer
    )
    certification.session_create(
        evaluator=evaluator,
        occupation=lathe,
        level=2,
        kind="promotion",
        date=datetime.date(2025, 6, 1),
        site="长安镇考核站",
        actor=bureau_officer,
    )
    count = [0]

    def more(k: int) -> None:
        for _ in range(k):
            count[0] += 1
            w = WorkerFactory(town=changan, name=f"破格{count[0]}")
            u = UserFactory(username=f"exc{count[0]}", role="worker", worker=w)
            app = exceptional.exceptional_apply(
                actor=u,
                occupation=lathe,
                target_level=2,
                grounds=ExceptionalGrounds.MAJOR_TECHNICAL_PROBLEM,
                statement="解决难题",
                uploads=[_pdf(count[0])],
            )
            exceptional.exceptional_review(actor=bureau_officer, application=app, admit=True, note="通过")

    more(1)
    b = _client(bureau_officer)
    html = b.get(reverse("talents:exceptional")).content.decode()
    assert changan_enterprise.name in html
    _fixed(b, reverse("talents:exceptional"), lambda: more(3), django_assert_max_num_queries)

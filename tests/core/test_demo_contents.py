"""What the demo build leaves on every screen, read through the selectors and pages that show it.

One build of a small demo city (the same steps as `skillcity demo`) for the whole module."""

from __future__ import annotations

import datetime
import io
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.db.models import Count
from django.test import Client
from django.utils import timezone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def demo(reference_data, settings, tmp_path):
    from skillcity.demo import demo_build

    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    accounts = demo_build(seed=2026, stdout=out, size=1500)
    return accounts, out.getvalue()


def _user(username: str):
    from skillcity.accounts.models import User

    return User.objects.select_related("worker", "organisation", "town").get(username=username)


def _page(username: str, url: str):
    client = Client()
    client.force_login(_user(username))
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_the_demo_fills_every_screen_that_was_empty(demo):
    from skillcity.demo import demo_build
    from skillcity.grants import selectors as grant_selectors
    from skillcity.grants.models import Application, ApplicationState, Fund, FundEntry, Objection
    from skillcity.grants.services import application_approve, funds_covering
    from skillcity.training import selectors
    from skillcity.training.models import (
        Attendance,
        Enrolment,
        Redemption,
        Settlement,
        ShortageCatalogEntry,
        Voucher,
        VoucherState,
    )

    accounts, out = demo
    bureau = _user("bureau")
    today = timezone.localdate()

    # A second start adds nothing.
    tables = (Application, Fund, Attendance, Redemption, ShortageCatalogEntry, Voucher, Settlement)
    before = [m.objects.count() for m in tables]
    demo_build(seed=2026, stdout=io.StringIO(), size=1500)
    assert [m.objects.count() for m in tables] == before

    # 1. Vouchers issued, redeemed, settled and expired; every town's voucher use shows redemptions.
    states = set(selectors.vouchers_for(bureau).values_list("state", flat=True))
    assert {VoucherState.ISSUED, VoucherState.REDEEMED, VoucherState.SETTLED, VoucherState.EXPIRED} <= states
    by_town = _page("bureau", "/training/vouchers/").context["by_town"]
    assert by_town and all(row["used"] > 0 for row in by_town), by_town
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in selectors.voucher_use_by_town(bureau):
        counts[row["town__name"]][row["state"]] = row["n"]
    assert all(c.get("redeemed", 0) + c.get("settled", 0) > 0 for c in counts.values()), counts
    assert _page("bureau", "/training/vouchers/").context["by_occupation"]

    # 2. The shortage catalog of 2023–2025, with categories, marked as demo values where it is shown.
    for year in (2023, 2024, 2025):
        page = _page("bureau", f"/training/shortage-catalog/?year={year}")
        entries = list(page.context["entries"])
        assert entries and all(e.category for e in entries) and page.context["year_is_demo"]
        assert "本年度目录的工种和类别为演示值" in page.content.decode()

    # 3. Every trainee signed in on some days; the roster shows them.
    assert not Enrolment.objects.annotate(days=Count("attendances")).filter(days=0).exists()
    project = selectors.projects_for(bureau).first()
    rosters = _page("bureau", f"/training/projects/{project.pk}/").context["classes"]
    assert all(e.days > 0 for _class, roster in rosters for e in roster)

    # 4. Settlements waiting for the bureau's approval, on its training page.
    waiting = selectors.settlements_for(bureau).filter(status=Settlement.Status.CALCULATED)
    assert waiting.exists()
    shown = _page("bureau", "/training/").context["settlements"]
    assert any(s.status == Settlement.Status.CALCULATED for s in shown)
    assert selectors.settlements_for(bureau).filter(status=Settlement.Status.PAID).exists()

    # 5. The demo worker: enrolments with sign-ins, subsidies, vouchers in every state a holder meets,
    # applications and certificates.
    worker = _user("worker")
    enrolments = selectors.enrolments_for(worker).annotate(days=Count("attendances"))
    assert enrolments.count() >= 2 and all(e.days > 0 for e in enrolments)
    assert selectors.subsidies_for(worker).exists()
    vouchers = list(selectors.vouchers_for(worker))
    current = [v for v in vouchers if v.state == VoucherState.ISSUED and v.valid_from <= today <= v.valid_to]
    assert any(v.valid_to - today > datetime.timedelta(days=60) for v in current)
    assert any(v.valid_to - today <= datetime.timedelta(days=30) for v in current)  # about to expire
    assert {VoucherState.EXPIRED, VoucherState.REDEEMED, VoucherState.SETTLED} <= {v.state for v in vouchers}
    home = _page("worker", "/training/").content.decode()
    assert "暂无报名" not in home and "暂无补贴" not in home and "暂无培训券" not in home
    applications = grant_selectors.applications_for(worker)
    assert applications.filter(state=ApplicationState.PAID).exists()
    from skillcity.certification import selectors as certification_selectors

    assert certification_selectors.certificate_list(worker).exists()

    # 6. Grants in every state; one waits for approval after its notice, and the bureau can approve it.
    assert set(grant_selectors.applications_for(bureau).values_list("state", flat=True)) == set(
        ApplicationState.values
    )
    ended = [
        app
        for app in grant_selectors.applications_for(bureau).filter(state=ApplicationState.IN_NOTICE)
        if app.notice.end < today
        and not Objection.objects.filter(notice=app.notice, resolved_at__isnull=True).exists()
    ]
    assert ended, "no application waiting for approval after its notice"
    approved = application_approve(application=ended[0], actor=bureau)
    assert approved.state == ApplicationState.APPROVED

    # 7. A fund for every money rule and every year 2022–2026; every payment booked against one.
    from skillcity.grants.demo import money_rules

    for rule in money_rules():
        for year in range(2022, 2027):
            assert funds_covering(rule.id, year, year).exists(), (rule.id, year)
    paid = grant_selectors.applications_for(bureau).filter(state=ApplicationState.PAID)
    assert paid.exists()
    assert all(FundEntry.objects.filter(application=app, kind="spend").exists() for app in paid)
    assert _page("bureau", "/grants/bureau/").context["funds"]

    # 8. Online learning (issue 18 §5): 1,000 published courses in three categories, 125 of them
    # strategic-industry ones, courses in review states, and learners in every state with progress
    # derived from their statements and completions as training records.
    _learning_demo_checks()

    # 9. The banner names every account of the README's table, `alliance` included.
    listed = re.findall(r"^\| `(\w+)` \|", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert "alliance" in listed
    assert [a.username for a in accounts] == listed, out


def _learning_demo_checks() -> None:
    from skillcity.accounts.models import User
    from skillcity.learning.models import (
        Completion,
        Course,
        CourseState,
        EnrolmentState,
        LessonProgress,
        Statement,
    )
    from skillcity.learning.models import Enrolment as CourseEnrolment

    published = Course.objects.filter(state=CourseState.PUBLISHED)
    assert published.count() >= 1000  # T-COURSES; the supervision demo plants a course or two more
    assert set(published.values_list("category", flat=True)) == {"diploma", "skill", "general"}
    assert published.filter(industries__isnull=False).distinct().count() == 125
    for state in ("submitted", "returned", "unpublished"):
        assert Course.objects.filter(state=state).exists()
    assert not Course.objects.annotate(n=Count("lessons")).filter(n=0).exists()
    # Every state: enrolled and not started, in progress, completed (with its record), a quiz failed.
    assert CourseEnrolment.objects.filter(last_active_at__isnull=True).exists()
    assert CourseEnrolment.objects.filter(state=EnrolmentState.LEARNING, progress__gt=0).exists()
    completed = CourseEnrolment.objects.filter(state=EnrolmentState.COMPLETED)
    assert completed.exists() and Completion.objects.count() == completed.count()
    assert Statement.objects.filter(verb="failed").exists()
    assert LessonProgress.objects.filter(
        lesson__kind="quiz", completed=False, best_score__isnull=False
    ).exists()
    learner = User.objects.get(username="learner")
    mine = CourseEnrolment.objects.filter(worker=learner.worker)
    assert mine.filter(state=EnrolmentState.LEARNING, progress__gt=0).exists()
    assert Completion.objects.filter(worker=learner.worker).exists()
    assert User.objects.filter(username="provider", role="organisation_user").exists()

"""Checks A (issue 20 §1): for each, a planted case it must find (the numbers in its sentence and the
records behind it) and a near-miss it must not (just under a threshold, an honest boundary); and an
incremental run that reports only what is new."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from skillcity.grants.models import Application
from skillcity.registry import services as registry
from skillcity.registry.models import OrganisationCategory
from skillcity.supervision.models import Alert
from skillcity.supervision.services import supervise
from skillcity.training import services as training
from skillcity.training.models import Attendance, Enrolment, Settlement, SettlementLine
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db

FEB_1 = datetime.date(2025, 2, 1)


def enrol(in_class, worker, on=FEB_1):
    return training.enrolment_create(training_class=in_class, worker=worker, enrolled_on=on, actor="test")


def alerts(check_id):
    return list(Alert.objects.filter(check_id=check_id).order_by("id"))


def kinds(alert):
    return {(r["kind"], r["id"]) for r in alert.records}


def settle(enrolment, *, period="2025H1", rule="TRN-PROJECT", amount="2500", status="paid"):
    settlement, _ = Settlement.objects.get_or_create(
        provider_id=enrolment.provider_id, period=period, defaults={"status": status}
    )
    return SettlementLine.objects.create(
        settlement=settlement,
        enrolment=enrolment,
        worker_id_ref=enrolment.worker_id,
        rule=rule,
        payee="provider",
        amount=Decimal(amount),
    )


def application(worker, *, rule="TRN-UPSKILL", on, facts, amount="1500", state="paid", organisation=None):
    return Application.objects.create(
        rule_id=rule,
        worker=worker,
        organisation=organisation,
        town=worker.town,
        event_date=on,
        facts=facts,
        state=state,
        decided_amount=Decimal(amount),
        created_by=UserFactory(),
    )


# SUP-GHOST ---------------------------------------------------------------------------------------


def test_ghost_finds_a_trainee_past_working_age_and_a_student_but_not_the_day_before(training_class, changan):
    old = WorkerFactory(town=changan, name="张三丰", gender="M", birth_date=datetime.date(1963, 1, 10))
    almost = WorkerFactory(town=changan, gender="M", birth_date=datetime.date(1965, 2, 2))  # 60 tomorrow
    woman = WorkerFactory(town=changan, gender="F", birth_date=datetime.date(1970, 2, 2))  # 54
    student = WorkerFactory(town=changan, name="李四", birth_date=datetime.date(2004, 3, 3))
    graduate = WorkerFactory(town=changan, birth_date=datetime.date(2003, 3, 3))
    registry.worker_status_record(
        worker=student,
        kind="full_time_student",
        valid_from=datetime.date(2022, 9, 1),
        valid_to=datetime.date(2026, 6, 30),
        source="学籍系统",
        actor="test",
    )
    # Graduated the day before enrolling: an honest boundary.
    registry.worker_status_record(
        worker=graduate,
        kind="full_time_student",
        valid_from=datetime.date(2021, 9, 1),
        valid_to=datetime.date(2025, 1, 31),
        actor="test",
    )
    old_enrolment = enrol(training_class, old)
    settle(old_enrolment, amount="2500")
    student_enrolment = enrol(training_class, student)
    for worker in (almost, woman, graduate):
        enrol(training_class, worker)

    run = supervise(check_ids=["SUP-GHOST"], full=True)

    assert run.counts["SUP-GHOST"]["findings"] == 2
    by_worker = {a.worker_id: a for a in alerts("SUP-GHOST")}
    assert set(by_worker) == {old.pk, student.pk}
    aged = by_worker[old.pk]
    assert (
        aged.message
        == "学员张某某（男，62岁）在2025-02-01报名培训时已超过法定劳动年龄上限60岁，涉及补贴2500.00元"
    )
    assert aged.money == Decimal("2500.00") and aged.severity == "high"
    assert aged.organisation_id == old_enrolment.provider_id and aged.town_id == old_enrolment.town_id
    assert kinds(aged) == {("training.enrolment", old_enrolment.pk), ("registry.worker", old.pk)}
    studying = by_worker[student.pk]
    assert studying.message == (
        "学员李某（男，20岁）在2025-02-01报名培训时已登记为全日制在校学生（2022-09-01至2026-06-30）"
    )
    assert ("training.enrolment", student_enrolment.pk) in kinds(studying)


def test_ghost_finds_a_payee_recorded_deceased(changan):
    worker = WorkerFactory(town=changan, name="王五")
    registry.worker_status_record(
        worker=worker, kind="deceased", valid_from=datetime.date(2024, 12, 1), source="民政", actor="test"
    )
    app = application(worker, on=datetime.date(2025, 3, 1), facts={"level": 4}, amount="1500")
    # Near-miss: a retired master's talent card is no training subsidy; age and retirement do not matter.
    master = WorkerFactory(town=changan, birth_date=datetime.date(1958, 1, 1))
    registry.worker_status_record(
        worker=master, kind="retired", valid_from=datetime.date(2018, 1, 1), actor="test"
    )
    application(master, rule="TAL-CARD", on=datetime.date(2025, 3, 1), facts={}, amount="1")
    supervise(check_ids=["SUP-GHOST"], full=True)
    (alert,) = alerts("SUP-GHOST")
    assert alert.message.startswith(
        "补贴领取人王某（男，34岁）在2025-03-01申领补贴时已登记为已死亡（2024-12-01起）"
    )
    assert alert.money == Decimal("1500.00") and ("grants.application", app.pk) in kinds(alert)


def test_an_incremental_ghost_run_reports_only_the_status_recorded_since(training_class, changan):
    old = WorkerFactory(town=changan, birth_date=datetime.date(1950, 1, 1))
    enrol(training_class, old)
    first = supervise(check_ids=["SUP-GHOST"], full=True)
    assert first.counts["SUP-GHOST"]["findings"] == 1
    retired = WorkerFactory(town=changan)
    enrol(training_class, retired)
    registry.worker_status_record(
        worker=retired, kind="retired", valid_from=datetime.date(2024, 1, 1), actor="test"
    )
    second = supervise(check_ids=["SUP-GHOST"])
    assert not second.full and second.counts["SUP-GHOST"]["findings"] == 1
    assert {a.worker_id for a in alerts("SUP-GHOST")} == {old.pk, retired.pk}


def test_an_incremental_ghost_run_reports_an_old_enrolment_settled_since(training_class, changan):
    supervise(check_ids=["SUP-GHOST"], full=True)
    old = WorkerFactory(town=changan, birth_date=datetime.date(1950, 1, 1))
    enrolment = enrol(training_class, old)  # dated long before the cut-off: not new by its date
    assert supervise(check_ids=["SUP-GHOST"]).counts["SUP-GHOST"]["findings"] == 0
    settle(enrolment, rule="TRN-UPSKILL", amount="1500")  # paid since the last run: new again
    third = supervise(check_ids=["SUP-GHOST"])
    assert third.counts["SUP-GHOST"]["findings"] == 1
    (alert,) = alerts("SUP-GHOST")
    assert ("training.enrolment", enrolment.pk) in kinds(alert) and alert.money == Decimal("1500")


def test_a_worker_status_is_recorded_with_an_audit_row_and_dates_in_order_are_required(changan):
    from skillcity.core.errors import DomainError
    from skillcity.core.models import AuditEvent

    worker = WorkerFactory(town=changan)
    status = registry.worker_status_record(
        worker=worker, kind="retired", valid_from=datetime.date(2024, 1, 1), source="社保系统", actor="test"
    )
    event = AuditEvent.objects.get(action="worker_status.record")
    assert event.target_id == str(status.pk) and event.after["kind"] == "retired"
    with pytest.raises(DomainError):
        registry.worker_status_record(
            worker=worker,
            kind="full_time_student",
            valid_from=datetime.date(2024, 9, 1),
            valid_to=datetime.date(2024, 8, 31),
            actor="test",
        )
    with pytest.raises(DomainError):
        registry.worker_status_record(
            worker=worker, kind="on_leave", valid_from=datetime.date(2024, 1, 1), actor="test"
        )


# SUP-TWICE ---------------------------------------------------------------------------------------


def test_twice_finds_one_level_paid_twice_and_a_lower_level_after_a_higher(changan):
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    worker = WorkerFactory(town=changan, name="赵六")
    first = application(
        worker,
        on=datetime.date(2025, 3, 1),
        facts={"certificate_kind": "skill_level", "level": 4, "occupation_code": lathe.code},
    )
    again = application(
        worker,
        on=datetime.date(2025, 6, 1),
        facts={"certificate_kind": "skill_level", "level": 4, "occupation_code": lathe.code},
    )
    climber = WorkerFactory(town=changan)
    high = application(
        climber,
        on=datetime.date(2025, 3, 1),
        amount="2000",
        facts={"certificate_kind": "skill_level", "level": 3, "occupation_code": lathe.code},
    )
    low = application(
        climber,
        on=datetime.date(2025, 6, 1),
        amount="1500",
        facts={"certificate_kind": "skill_level", "level": 4, "occupation_code": lathe.code},
    )
    # Near-miss: an honest upgrade (4 then 3) and one still in review.
    honest = WorkerFactory(town=changan)
    application(
        honest,
        on=datetime.date(2025, 3, 1),
        facts={"certificate_kind": "skill_level", "level": 4, "occupation_code": lathe.code},
    )
    application(
        honest,
        on=datetime.date(2025, 6, 1),
        amount="2000",
        facts={"certificate_kind": "skill_level", "level": 3, "occupation_code": lathe.code},
    )
    application(
        honest,
        on=datetime.date(2025, 7, 1),
        state="in_review",
        facts={"certificate_kind": "skill_level", "level": 3, "occupation_code": lathe.code},
    )

    supervise(check_ids=["SUP-TWICE"], full=True)

    found = {a.worker_id: a for a in alerts("SUP-TWICE")}
    assert set(found) == {worker.pk, climber.pk}
    twice = found[worker.pk]
    assert (
        twice.message
        == "劳动者赵某同一职业（车工，6-18-01-01）同一等级（四级/中级工）领取技能提升补贴2次，重复部分1500.00元"
    )
    assert kinds(twice) >= {("grants.application", first.pk), ("grants.application", again.pk)}
    lower = found[climber.pk]
    assert (
        "2025-03-01已领取车工三级/高级工技能提升补贴后，又于2025-06-01领取较低的四级/中级工补贴1500.00元"
        in lower.message
    )
    assert lower.money == Decimal("1500.00") and kinds(lower) >= {
        ("grants.application", high.pk),
        ("grants.application", low.pk),
    }


def test_twice_finds_a_fourth_subsidy_in_a_year_but_not_a_third(changan):
    busy, careful = WorkerFactory(town=changan, name="钱七"), WorkerFactory(town=changan)
    for n in range(4):
        OccupationFactory(code=f"6-20-0{n}-01", name=f"工种{n}")
    for n in range(4):
        facts = {"certificate_kind": "skill_level", "level": 5, "occupation_code": f"6-20-0{n}-01"}
        application(busy, on=datetime.date(2025, n + 1, 1), amount="1000", facts=facts)
        if n < 3:
            application(careful, on=datetime.date(2025, n + 1, 1), amount="1000", facts=facts)
    supervise(check_ids=["SUP-TWICE"], full=True)
    (alert,) = alerts("SUP-TWICE")
    assert alert.worker_id == busy.pk
    assert alert.message == "劳动者钱某在2025年领取技能提升补贴4次，超过每人每年3次的上限，超出部分1000.00元"
    assert len([r for r in alert.records if r["kind"] == "grants.application"]) == 4


def test_twice_finds_one_enrolment_in_two_settlements(training_class, changan):
    worker = WorkerFactory(town=changan, name="孙八")
    split = enrol(training_class, worker)
    settle(split, period="2025H1", rule="TRN-PROJECT", amount="2500")
    line = settle(split, period="2025H2", rule="TRN-UPSKILL", amount="1500")
    once = enrol(training_class, WorkerFactory(town=changan))
    settle(once, period="2025H1", rule="TRN-PROJECT")
    settle(once, period="2025H1", rule="TRN-UPSKILL", amount="1500")
    supervise(check_ids=["SUP-TWICE"], full=True)
    (alert,) = alerts("SUP-TWICE")
    assert (
        alert.message
        == f"学员孙某的报名#{split.pk}进入了2个结算（2025年上半年、2025年下半年），重复结算1500.00元"
    )
    assert ("training.enrolment", split.pk) in kinds(alert) and ("training.settlementline", line.pk) in kinds(
        alert
    )


# SUP-NO-ATTENDANCE -------------------------------------------------------------------------------


def sign_in(enrolment, days):
    Attendance.objects.bulk_create(
        Attendance(enrolment=enrolment, day=FEB_1 + datetime.timedelta(days=n)) for n in range(days)
    )


def complete(enrolment):
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status="completed", completed_on=datetime.date(2025, 5, 31)
    )


def test_no_attendance_finds_95_of_96_required_days_but_not_96(training_class, changan):
    # The class runs 2025-02-01 to 2025-05-31 and met on all its 120 days (a regular came each day):
    # 80% is 96.
    regular = enrol(training_class, WorkerFactory(town=changan))
    sign_in(regular, 120)
    short = enrol(training_class, WorkerFactory(town=changan, name="周九"))
    enough = enrol(training_class, WorkerFactory(town=changan))
    absent = enrol(training_class, WorkerFactory(town=changan))  # settled, never came, not completed
    sign_in(short, 95)
    sign_in(enough, 96)
    complete(short)
    complete(enough)
    settle(short, amount="2500")
    settle(absent, amount="2500")
    supervise(check_ids=["SUP-NO-ATTENDANCE"], full=True)
    found = {a.worker_id: a for a in alerts("SUP-NO-ATTENDANCE")}
    assert set(found) == {short.worker_id, absent.worker_id}
    alert = found[short.worker_id]
    assert alert.message == (
        "学员周某在“一班”（2025-02-01至2025-05-31，开班120天）仅签到95天，低于按80%出勤要求的96天，"
        "却已标记结业并已结算补贴2500.00元"
    )
    assert alert.money == Decimal("2500.00") and ("training.enrolment", short.pk) in kinds(alert)
    assert found[absent.worker_id].severity == "high" and "仅签到0天" in found[absent.worker_id].message


def test_no_attendance_reads_the_days_the_class_met_not_its_calendar(training_class, changan):
    # A class of 120 calendar days that met on 15 of them (weekly): every trainee there each time.
    trainees = [enrol(training_class, WorkerFactory(town=changan)) for _ in range(3)]
    for e in trainees:
        Attendance.objects.bulk_create(
            Attendance(enrolment=e, day=FEB_1 + datetime.timedelta(days=7 * n)) for n in range(15)
        )
        complete(e)
    missing = enrol(training_class, WorkerFactory(town=changan))
    Attendance.objects.bulk_create(
        Attendance(enrolment=missing, day=FEB_1 + datetime.timedelta(days=7 * n)) for n in range(11)
    )
    complete(missing)  # 11 of the 15 days the class met: under 80% (12)
    supervise(check_ids=["SUP-NO-ATTENDANCE"], full=True)
    assert [a.worker_id for a in alerts("SUP-NO-ATTENDANCE")] == [missing.worker_id]
    assert "开班15天）仅签到11天，低于按80%出勤要求的12天" in alerts("SUP-NO-ATTENDANCE")[0].message


# SUP-EMPLOYMENT-CLAIM ----------------------------------------------------------------------------


def contributions(worker, months):
    from skillcity.employment.models import Contribution, ContributionBatch

    batch = ContributionBatch.objects.create(source="import", rows=len(months))
    Contribution.objects.bulk_create(
        Contribution(
            worker=worker,
            employer_uscc="91441900MA00000001",
            employer_name="东莞某厂",
            month=datetime.date(2025, m, 1),
            region="441900",
            base=Decimal("4000"),
            batch=batch,
        )
        for m in months
    )


def test_employment_claim_finds_six_months_claimed_with_four_insured_but_not_six(changan):
    school = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    claimed = WorkerFactory(town=changan, name="吴十")
    honest = WorkerFactory(town=changan)
    facts = {"employment_start": "2025-01-01", "same_employer_continuous_insured_months": 6}
    app = application(
        claimed,
        rule="EDU-GRAD-RETENTION",
        on=datetime.date(2025, 6, 30),
        facts=facts,
        amount="1000",
        state="approved",
        organisation=school,
    )
    application(
        honest,
        rule="EDU-GRAD-RETENTION",
        on=datetime.date(2025, 6, 30),
        facts=facts,
        amount="1000",
        state="approved",
        organisation=school,
    )
    contributions(claimed, [1, 2, 3, 5])
    contributions(honest, [1, 2, 3, 4, 5, 6])
    supervise(check_ids=["SUP-EMPLOYMENT-CLAIM"], full=True)
    (alert,) = alerts("SUP-EMPLOYMENT-CLAIM")
    assert alert.message == (
        f"申请#{app.pk}（民办院校毕业生留莞就业奖励）声称劳动者吴某自2025-01起在同一企业连续参保6个月，"
        "社保缴费记录中2025-01至2025-06仅有4个月参保，涉及1000.00元"
    )
    assert alert.organisation_id == school.pk and kinds(alert) == {
        ("grants.application", app.pk),
        ("registry.worker", claimed.pk),
    }


# SUP-THRESHOLD -----------------------------------------------------------------------------------


def certify(evaluator, workers, *, year, high, months=(6,)):
    """Certificates of `evaluator` in `year`, the first `high` at level 2, spread over `months`."""
    from skillcity.certification.models import Candidate, Certificate, Session

    occupation = OccupationFactory()
    session = Session.objects.create(
        evaluator=evaluator,
        occupation=occupation,
        level=4,
        kind="grading",
        date=datetime.date(year, 1, 5),
        site="考场",
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(
            session=session,
            worker=w,
            result="passed",
            theory_score=Decimal("80"),
            practical_score=Decimal("80"),
        )
        for w in workers
    )
    Certificate.objects.bulk_create(
        Certificate(
            number=uuid.uuid4().hex[:22],
            candidate=c,
            worker=c.worker,
            evaluator=evaluator,
            occupation=occupation,
            level=2 if n < high else 4,
            issued_on=datetime.date(year, months[n % len(months)], 15),
            holder_name="某",
            qr_token="x",
            key_id="k",
        )
        for n, c in enumerate(candidates)
    )


def evaluator_of(town, kind="enterprise"):
    from skillcity.certification.models import Evaluator

    organisation = OrganisationFactory(town=town, category=OrganisationCategory.ENTERPRISE)
    return Evaluator.objects.create(organisation=organisation, kind=kind, filed_at=timezone.now())


def many_workers(town, n):
    from skillcity.registry.models import Worker

    return Worker.objects.bulk_create(
        WorkerFactory.build(town=town, id_number=f"44190019900101{k:04d}") for k in range(n)
    )


def test_threshold_finds_a_jump_just_over_the_volume_thresholds_but_not_after_a_near_year(changan):
    workers = many_workers(changan, 1010)
    jumper, grower = evaluator_of(changan), evaluator_of(changan)
    certify(jumper, workers[:300], year=2023, high=10)
    certify(jumper, workers, year=2024, high=100)
    certify(grower, workers[:500], year=2023, high=50)  # half the threshold the year before: grown
    certify(grower, workers, year=2024, high=100)
    supervise(check_ids=["SUP-THRESHOLD"], full=True)
    (alert,) = alerts("SUP-THRESHOLD")
    assert alert.organisation_id == jumper.organisation_id
    assert alert.message == (
        f"企业评价机构“{jumper.organisation.name}”2024年新增持证1010人次（门槛1000），其中技师及以上100人次（门槛100），"
        "刚超过年度持证达标奖励门槛；此前2021年0人次、2022年0人次、2023年300人次，均不足门槛的50%，"
        "涉及奖励100000.00元"
    )
    assert alert.money == Decimal("100000.00") and kinds(alert) == {("certification.evaluator", jumper.pk)}


def test_threshold_finds_certificates_bunched_in_december(changan):
    workers = many_workers(changan, 60)
    bunched, steady = (
        evaluator_of(changan, "social_organisation"),
        evaluator_of(changan, "social_organisation"),
    )
    certify(bunched, workers, year=2024, high=0, months=(12, 6))  # 30 of 60 in December
    certify(steady, workers, year=2024, high=0, months=(12, *range(1, 12)))  # 5 of 60
    supervise(check_ids=["SUP-THRESHOLD"], full=True)
    (alert,) = alerts("SUP-THRESHOLD")
    assert alert.organisation_id == bunched.organisation_id
    assert (
        alert.message
        == f"评价机构“{bunched.organisation.name}”2024年发证60张，其中12月30张，占50%，而全市其他评价机构12月发证通常占8.3%"
    )


# SUP-LEARNING ------------------------------------------------------------------------------------


def signals(worker, lesson, kinds_):
    from skillcity.learning.models import Signal, Statement

    now = timezone.now()
    for kind in kinds_:
        statement = Statement.objects.create(
            uuid=uuid.uuid4(), worker=worker, lesson=lesson, verb="progressed", timestamp=now, stored=now
        )
        Signal.objects.create(worker=worker, kind=kind, lesson=lesson, statement=statement, detail="测试")


def test_learning_finds_three_signals_with_the_subsidy_but_not_two(
    institution, project, training_class, changan
):
    from skillcity.learning.models import Course, Lesson
    from skillcity.training.models import TrainingProject

    course = Course.objects.create(
        code="C-LATHE", title="车床安全", category="skill", provider=institution, state="published"
    )
    lesson = Lesson.objects.create(
        course=course, position=1, title="第一课", kind="video", duration_seconds=600
    )
    TrainingProject.objects.filter(pk=project.pk).update(required_course=course)
    cheat, unlucky = WorkerFactory(town=changan, name="郑十一"), WorkerFactory(town=changan)
    signals(cheat, lesson, ["faster_than_real_time", "faster_than_real_time", "concurrent_play"])
    signals(unlucky, lesson, ["unbroken_play", "unbroken_play"])
    enrolment = Enrolment.objects.create(
        training_class=training_class, provider=institution, worker=cheat, town=changan, enrolled_on=FEB_1
    )
    settle(enrolment, amount="2500")
    supervise(check_ids=["SUP-LEARNING"], full=True)
    (alert,) = alerts("SUP-LEARNING")
    assert alert.message == (
        "学员郑某某在在线课程“车床安全”的学习中出现3次异常信号（进度快于真实时间2次、同时播放两节课1次），"
        "该课程的完成记录已计入培训项目补贴2500.00元"
    )
    assert alert.money == Decimal("2500.00") and alert.organisation_id == institution.pk
    assert kinds(alert) == {("learning.course", course.pk), ("registry.worker", cheat.pk)}

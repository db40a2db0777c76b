"""Checks B (issue 20 §1): impossible schedules, sign-in bursts, voucher patterns, assessment anomalies.
For each, a planted case it must find (its numbers and records) and a near miss it must not flag; and
an incremental run that reports only what was written since the last run."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from skillcity.supervision.models import Alert
from skillcity.supervision.services import supervise
from skillcity.training import services as training
from skillcity.training.models import Attendance, TrainingClass
from tests.factories import OrganisationFactory, WorkerFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 3)


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def klass(project, name, start, end, *, teacher=None, site="") -> TrainingClass:
    return training.class_create(
        project=project,
        name=name,
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 5, 31),
        actor="test",
        teacher=teacher,
        site=site,
        session_start=t(start),
        session_end=t(end),
    )


def enrol(in_class, worker):
    return training.enrolment_create(
        training_class=in_class, worker=worker, enrolled_on=datetime.date(2025, 2, 1), actor="test"
    )


def sign(enrolment, day=DAY, **where) -> Attendance:
    return training.attendance_sign_in(enrolment=enrolment, day=day, actor="test", **where)


def alerts(check_id: str) -> list[Alert]:
    return list(Alert.objects.filter(check_id=check_id).order_by("id"))


def kinds(alert: Alert) -> set[tuple[str, int]]:
    return {(r["kind"], r["id"]) for r in alert.records}


# --- SUP-SCHEDULE -------------------------------------------------------------------------------


def test_schedule_finds_a_trainee_in_two_overlapping_classes_not_one_at_the_boundary(project, changan):
    morning = klass(project, "上午班", "08:30", "12:00")
    midday = klass(project, "午间班", "10:00", "14:00")
    afternoon = klass(project, "下午班", "12:00", "17:00")
    cheat = WorkerFactory(town=changan, name="李重叠")
    a, b = enrol(morning, cheat), enrol(midday, cheat)
    for day in (DAY, DAY + datetime.timedelta(days=1)):
        sign(a, day)
        sign(b, day)
    honest = WorkerFactory(town=changan, name="王守时")
    c, d = enrol(morning, honest), enrol(afternoon, honest)
    sign(c)
    sign(d)  # 08:30–12:00 then 12:00–17:00: an honest day

    supervise(check_ids=["SUP-SCHEDULE"], full=True)
    (alert,) = alerts("SUP-SCHEDULE")
    assert alert.message == (
        "学员李重叠有 2 天（首次 2025-03-03）同时签到两个上课时间重叠 120 分钟的培训班："
        "上午班（08:30–12:00）和 午间班（10:00–14:00）。"
    )
    assert kinds(alert) == {
        ("training.enrolment", a.pk),
        ("training.enrolment", b.pk),
        ("registry.worker", cheat.pk),
    }
    assert alert.money == Decimal("5000.00") and alert.severity == "high"
    assert alert.worker_id == cheat.pk and alert.organisation_id == project.provider_id
    assert alert.town_id == project.town_id


def test_schedule_finds_a_teacher_in_two_places_at_once_not_back_to_back(project, changan):
    teacher = WorkerFactory(town=changan, name="张老师")
    here = klass(project, "长安一班", "09:00", "11:00", teacher=teacher, site="长安镇振安中路1号")
    there = klass(project, "长安二班", "10:30", "12:00", teacher=teacher, site="长安镇锦厦路8号")
    for in_class in (here, there):
        for _ in range(2):
            sign(enrol(in_class, WorkerFactory(town=changan)))
    other = WorkerFactory(town=changan, name="赵老师")
    first = klass(project, "上午实操班", "08:00", "12:00", teacher=other, site="长安镇振安中路1号")
    second = klass(project, "下午实操班", "12:00", "16:00", teacher=other, site="长安镇锦厦路8号")
    same = klass(project, "同址班", "09:00", "11:00", teacher=other, site="长安镇振安中路1号 ")
    for in_class in (first, second, same):
        sign(enrol(in_class, WorkerFactory(town=changan)))

    supervise(check_ids=["SUP-SCHEDULE"], full=True)
    (alert,) = alerts("SUP-SCHEDULE")
    assert alert.message == (
        "教师张老师有 1 天（首次 2025-03-03）在两地同时授课：长安一班（长安镇振安中路1号，09:00–11:00）"
        "与 长安二班（长安镇锦厦路8号，10:30–12:00），两班共 4 名学员。"
    )
    assert kinds(alert) == {
        ("training.trainingclass", here.pk),
        ("training.trainingclass", there.pk),
        ("registry.worker", teacher.pk),
    }
    assert alert.money == Decimal("10000.00")  # 4 trainees × ¥2,500


# --- SUP-BURST ----------------------------------------------------------------------------------


@pytest.fixture
def big_project(institution, lathe):
    return training.project_create(
        provider=institution,
        name="数控车工大班",
        occupation=lathe,
        level=4,
        per_person_standard=Decimal("2500"),
        capacity=100,
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 5, 31),
        actor="test",
    )


def roster(in_class, count, town):
    return [enrol(in_class, WorkerFactory(town=town)) for _ in range(count)]


def signed_at(attendance: Attendance, when: datetime.datetime) -> None:
    Attendance.objects.filter(pk=attendance.pk).update(signed_at=when)


def at(day: datetime.date, seconds: int) -> datetime.datetime:
    start = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=datetime.UTC)
    return start + datetime.timedelta(seconds=seconds)


def test_burst_finds_many_trainees_on_one_device_not_just_under_the_share(big_project, changan):
    one = klass(big_project, "一班", "08:30", "12:00")
    trainees = roster(one, 20, changan)
    shared = []
    for i, e in enumerate(trainees):  # 6 of 20 (30%) from one phone and address, 30 s apart
        own = i >= 6
        where = {
            "device_id": f"d{i}" if own else "dev-A",
            "client_address": f"10.0.1.{i}" if own else "10.0.0.9",
        }
        a = sign(e, **where)
        signed_at(a, at(DAY, 30 * i))
        if not own:
            shared.append(a)
    for i, e in enumerate(trainees):  # the next day 5 of 20 share one: under 30%
        a = sign(
            e,
            DAY + datetime.timedelta(days=1),
            device_id="dev-A" if i < 5 else f"d{i}",
            client_address=f"10.0.1.{i}",
        )
        signed_at(a, at(DAY + datetime.timedelta(days=1), 30 * i))

    supervise(check_ids=["SUP-BURST"], full=True)
    (alert,) = alerts("SUP-BURST")
    assert alert.message == (
        "一班 2025-03-03 的签到异常（全班 20 人）：6 人从同一设备签到；6 人从同一地址 10.0.0.9 签到。"
    )
    assert kinds(alert) == {("training.trainingclass", one.pk)} | {
        ("training.attendance", a.pk) for a in shared
    }
    assert alert.money == Decimal("15000.00") and alert.severity == "high"
    assert alert.organisation_id == big_project.provider_id and alert.town_id == big_project.town_id


def test_burst_finds_ten_sign_ins_in_seconds_not_a_brisk_roll_call(big_project, changan):
    two = klass(big_project, "二班", "08:30", "12:00")
    trainees = roster(two, 12, changan)
    burst = []
    for i, e in enumerate(trainees[:10]):  # ten, two seconds apart: 18 s
        a = sign(e, device_id=f"d{i}", client_address=f"10.0.2.{i}")
        signed_at(a, at(DAY, 2 * i))
        burst.append(a)
    for i, e in enumerate(trainees):  # the next day a roll-call at the door, six seconds each
        a = sign(e, DAY + datetime.timedelta(days=1), device_id=f"d{i}", client_address=f"10.0.2.{i}")
        signed_at(a, at(DAY + datetime.timedelta(days=1), 6 * i))

    supervise(check_ids=["SUP-BURST"], full=True)
    (alert,) = alerts("SUP-BURST")
    assert alert.message == "二班 2025-03-03 的签到异常（全班 12 人）：10 人次在 18 秒内签到。"
    assert kinds(alert) == {("training.trainingclass", two.pk)} | {
        ("training.attendance", a.pk) for a in burst
    }
    assert alert.money == Decimal("25000.00") and alert.severity == "medium"


# --- SUP-VOUCHER --------------------------------------------------------------------------------


@pytest.fixture
def humen_school(humen):
    from skillcity.registry.models import OrganisationCategory

    return OrganisationFactory(
        town=humen, name="东莞市虎门技能培训中心", category=OrganisationCategory.TRAINING_INSTITUTION
    )


def redeem_all(provider, workers, first: datetime.datetime, every: datetime.timedelta):
    """Each worker's voucher redeemed at `provider`, `every` apart from `first`."""
    from skillcity.training.models import Redemption, Voucher
    from tests.training.conftest import issue

    issue(workers)
    done = []
    for i, worker in enumerate(workers):
        voucher = Voucher.objects.get(worker=worker)
        r = training.voucher_redeem(
            code=voucher.code, provider=provider, idempotency_key=f"k{worker.pk}", actor="test", today=DAY
        )
        Redemption.objects.filter(pk=r.pk).update(redeemed_at=first + i * every)
        done.append(r)
    return done


def test_voucher_finds_a_month_of_redemptions_from_far_away_not_a_mixed_one(
    institution, humen_school, changan, humen
):
    ten_minutes = datetime.timedelta(minutes=10)
    far = redeem_all(institution, [WorkerFactory(town=humen) for _ in range(20)], at(DAY, 0), ten_minutes)
    # Humen's provider: 15 of 20 from Changan (75%, under 80%), and one Humen resident works in Humen
    mixed = [WorkerFactory(town=changan) for _ in range(15)] + [WorkerFactory(town=humen) for _ in range(5)]
    redeem_all(humen_school, mixed, at(DAY, 0), ten_minutes)

    supervise(check_ids=["SUP-VOUCHER"], full=True)
    (alert,) = alerts("SUP-VOUCHER")
    assert alert.message == (
        "东莞市长安职业培训学校 2025-03 核销培训券 20 张，其中 20 张（100%）的持券人居住和工作都不在该单位所在镇街。"
    )
    assert kinds(alert) == {("training.redemption", r.pk) for r in far}
    assert alert.money == Decimal("16000.00") and alert.organisation_id == institution.pk
    assert alert.town_id == changan.pk


def test_voucher_finds_ten_redemptions_in_ninety_seconds_not_in_two_and_a_quarter_minutes(
    institution, humen_school, changan, humen
):
    fast = redeem_all(
        institution,
        [WorkerFactory(town=changan) for _ in range(10)],
        at(DAY, 0),
        datetime.timedelta(seconds=10),
    )
    redeem_all(
        humen_school,
        [WorkerFactory(town=humen) for _ in range(10)],
        at(DAY, 0),
        datetime.timedelta(seconds=15),
    )

    supervise(check_ids=["SUP-VOUCHER"], full=True)
    (alert,) = alerts("SUP-VOUCHER")
    assert (
        alert.message
        == "东莞市长安职业培训学校 于 2025-03-03 16:00 起的 90 秒内为 10 名劳动者核销培训券 10 张。"
    )
    assert kinds(alert) == {("training.redemption", r.pk) for r in fast}
    assert alert.money == Decimal("8000.00") and alert.severity == "high"


# --- SUP-ASSESSMENT -----------------------------------------------------------------------------


def make_evaluator(name):
    from skillcity.certification.models import Evaluator, EvaluatorKind

    return Evaluator.objects.create(
        organisation=OrganisationFactory(name=name),
        kind=EvaluatorKind.ENTERPRISE,
        state=Evaluator.State.ACTIVE,
        organisation_code=f"{Evaluator.objects.count() + 1:04d}",
        site_serial="000001",
        filed_at=timezone.now(),
    )


def assessed(occupation, name, *, passed: int, bunched: int, n: int = 20, day=DAY, evaluator=None):
    """A session of `n` candidates at level 4: `passed` pass, `bunched` of them only just (61)."""
    from skillcity.certification.models import Candidate, Session

    evaluator = evaluator or make_evaluator(name)
    session = Session.objects.create(
        evaluator=evaluator, occupation=occupation, level=4, kind="grading", date=day, site="考核站"
    )
    for i in range(n):
        ok = i < passed
        theory = Decimal("61") if i < bunched else Decimal("78") if ok else Decimal("50")
        Candidate.objects.create(
            session=session,
            worker=WorkerFactory(),
            theory_score=theory,
            practical_score=Decimal("80"),
            result="passed" if ok else "failed",
        )
    return session


def test_assessment_finds_a_session_far_above_its_peers_not_one_just_inside(lathe):
    for i, (passed, bunched) in enumerate([(12, 1), (13, 2), (14, 1), (14, 2), (15, 1)]):
        assessed(lathe, f"评价机构{i}", passed=passed, bunched=bunched)
    inside = assessed(lathe, "东莞市宽松评价中心", passed=19, bunched=4)  # 95%: z 3.4; 20% bunched
    planted = assessed(lathe, "东莞市刚好及格评价中心", passed=20, bunched=12)

    supervise(check_ids=["SUP-ASSESSMENT"], full=True)
    (alert,) = alerts("SUP-ASSESSMENT")
    assert alert.message == (
        "东莞市刚好及格评价中心 2025-03-03 的车工 4 级考核批次 20 人：合格率 100%（同职业同等级 7 个批次中位数 70%）；"
        "12 人（60%）成绩刚过合格线，落在 60–62 分（同类中位数 10%）。"
    )
    assert kinds(alert) == {("certification.session", planted.pk)}
    assert alert.severity == "high" and alert.organisation_id == planted.evaluator.organisation_id
    assert ("certification.session", inside.pk) not in kinds(alert)


# --- Incremental runs ---------------------------------------------------------------------------


def test_an_incremental_run_reports_only_cases_touched_since_the_last_run(project, changan):
    morning = klass(project, "上午班", "08:30", "12:00")
    midday = klass(project, "午间班", "10:00", "14:00")
    old, touched, new = (WorkerFactory(town=changan, name=n) for n in ("甲", "乙", "丙"))
    pairs = {w: (enrol(morning, w), enrol(midday, w)) for w in (old, touched, new)}
    for w in (old, touched):
        for e in pairs[w]:
            sign(e)
    first = supervise(check_ids=["SUP-SCHEDULE"], full=True)
    assert first.counts["SUP-SCHEDULE"]["findings"] == 2

    later = DAY + datetime.timedelta(days=1)
    for w in (touched, new):  # written after the first run
        for e in pairs[w]:
            sign(e, later)
    second = supervise(check_ids=["SUP-SCHEDULE"])
    assert not second.full and second.since == first.started_at
    assert second.counts["SUP-SCHEDULE"]["findings"] == 2  # 乙 (again, now two days) and 丙, not 甲
    assert second.counts["SUP-SCHEDULE"]["raised"] == 1
    by_worker = {a.worker_id: a.message for a in alerts("SUP-SCHEDULE")}
    assert by_worker[touched.pk].startswith("学员乙有 2 天（首次 2025-03-03）")
    assert by_worker[new.pk].startswith("学员丙有 1 天（首次 2025-03-04）")
    assert by_worker[old.pk].startswith("学员甲有 1 天")
    assert supervise(check_ids=["SUP-SCHEDULE"]).counts["SUP-SCHEDULE"]["findings"] == 0


def test_assessment_finds_an_evaluator_whose_sessions_together_stand_out(lathe):
    rates = [(6, 7), (7, 7), (7, 8), (6, 8), (8, 8), (10, 10)]  # of 10 each; the last evaluator 100%
    for i, pair in enumerate(rates):
        evaluator = make_evaluator("东莞市全过评价中心" if i == 5 else f"评价机构{i}")
        sessions = [
            assessed(
                lathe,
                "",
                passed=p,
                bunched=0,
                n=10,
                day=DAY + datetime.timedelta(days=k),
                evaluator=evaluator,
            )
            for k, p in enumerate(pair)
        ]
    supervise(check_ids=["SUP-ASSESSMENT"], full=True)
    # Each of its sessions alone is within its peers (z 3.4 against twelve sessions); together they are not.
    (alert,) = alerts("SUP-ASSESSMENT")
    assert alert.message == (
        "东莞市全过评价中心 的车工 4 级考核（2 个批次）共 20 人：合格率 100%（同职业同等级 6 个评价机构中位数 72%）。"
    )
    assert kinds(alert) == {("certification.session", s.pk) for s in sessions}
    assert alert.severity == "medium" and alert.organisation_id == evaluator.organisation_id


def test_burst_reads_no_timing_from_sign_ins_written_after_their_day(big_project, changan):
    three = klass(big_project, "三班", "08:30", "12:00")
    for i, e in enumerate(roster(three, 12, changan)):  # written in bulk a week later, a second apart
        a = sign(e)
        signed_at(a, at(DAY + datetime.timedelta(days=7), i))
    supervise(check_ids=["SUP-BURST"], full=True)
    assert alerts("SUP-BURST") == []

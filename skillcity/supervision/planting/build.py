"""What planters share: a seeded generator and bulk writers of ordinary platform records (providers,
workers, projects, classes, enrolments, sign-ins, settlements) — the records a real provider leaves."""

from __future__ import annotations

import datetime
import hashlib
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from skillcity.core.validators import resident_id_check_char, uscc_check_char
from skillcity.registry.generate.city import SURNAMES
from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Town, Worker

GIVEN = list("伟强磊军勇杰涛斌超明华建国志刚俊峰文辉鹏芳娜敏静丽艳娟霞秀玲桂英红梅琳燕萍雪慧婷")
UPSKILL = Decimal("1500.00")


def has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


class Plant:
    """One planter's run: its generator (seeded with seed, kind, round) and the day it plants on."""

    def __init__(self, *, seed: int, kind: str, round: int, today: datetime.date) -> None:
        digest = hashlib.sha256(f"{seed}:{kind}:{round}".encode()).hexdigest()
        self.rng = random.Random(int(digest[:16], 16))
        self.tag = int(digest[:6], 16)  # varies numbers between kinds and rounds
        self.kind = kind
        self.round = round
        self.today = today
        self.towns = list(Town.objects.order_by("sort_order", "code"))
        self.occupations = list(Occupation.objects.filter(has_levels=True).order_by("code"))

    # ------------------------------------------------------------------ draws

    def town(self) -> Town:
        return self.rng.choice(self.towns)

    def occupation(self) -> Occupation:
        return self.rng.choice(self.occupations)

    def day(self, back_from: int, back_to: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(back_from, back_to))

    def at(self, day: datetime.date, hour: int = 9, second: int = 0) -> datetime.datetime:
        naive = datetime.datetime.combine(day, datetime.time(hour)) + datetime.timedelta(seconds=second)
        return timezone.make_aware(naive) if timezone.is_naive(naive) else naive

    # ------------------------------------------------------------------ records

    def organisation(
        self, category: str = OrganisationCategory.TRAINING_INSTITUTION, *, town: Town | None = None
    ) -> Organisation:
        words = "华盛泰丰达通宏源鑫诚恒信嘉利德成新力科精瑞明创联众兴佳顺和安"
        name = "".join(self.rng.choice(words) for _ in range(2))
        suffix = "职业培训学校" if category == OrganisationCategory.TRAINING_INSTITUTION else "实业有限公司"
        while True:
            body = f"9144190{self.rng.randrange(10**10):010d}"
            uscc = body + uscc_check_char(body)
            if not Organisation.objects.filter(uscc=uscc).exists():
                break
        town = town or self.town()
        return Organisation.objects.create(
            category=category, name=f"东莞市{name}{suffix}", uscc=uscc, town=town
        )

    def workers(
        self,
        ages: Sequence[float],
        *,
        on: datetime.date,
        genders: Sequence[str] | str = "",
        town: Town | None = None,
    ) -> list[Worker]:
        """New workers, aged `ages[i]` years (fractional) on `on`; genders "M"/"F" (drawn when empty)."""
        rows: list[Worker] = []
        wanted: list[str] = []
        for i, age in enumerate(ages):
            gender = (genders[i] if not isinstance(genders, str) else genders) or self.rng.choice("MF")
            birth = on - datetime.timedelta(days=round(age * 365.25))
            serial = self.rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
            first17 = f"441900{birth:%Y%m%d}{serial:03d}"
            number = first17 + resident_id_check_char(first17)
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(2))
            rows.append(
                Worker(
                    name=name,
                    id_number=number,
                    gender=gender,
                    birth_date=birth,
                    town=town or self.town(),
                )
            )
            wanted.append(number)
        taken = set(Worker.objects.filter(id_number__in=wanted).values_list("id_number", flat=True))
        seen: set[str] = set()
        for worker in rows:  # a clash with the city (or with each other): the next free serial
            while worker.id_number in taken or worker.id_number in seen:
                serial = (int(worker.id_number[14:17]) + 2) % 1000
                first17 = worker.id_number[:14] + f"{serial:03d}"
                worker.id_number = first17 + resident_id_check_char(first17)
                if Worker.objects.filter(id_number=worker.id_number).exists():
                    taken.add(worker.id_number)
            seen.add(worker.id_number)
        return Worker.objects.bulk_create(rows)

    def course(
        self,
        provider: Organisation,
        *,
        start: datetime.date,
        days: int = 20,
        occupation: Occupation | None = None,
        level: int | None = 4,
        town: Town | None = None,
        session: tuple[datetime.time, datetime.time] | None = None,
        teacher: Worker | None = None,
        site: str = "",
    ) -> Any:
        """A project with one class, `days` days long from `start`; its daily session, teacher and site
        when given."""
        from skillcity.training.models import TrainingClass, TrainingProject

        occupation = occupation or self.occupation()
        end = start + datetime.timedelta(days=days - 1)
        project = TrainingProject.objects.create(
            provider=provider,
            name=f"{occupation.name}{'' if level is None else f'{level}级'}技能提升培训",
            occupation=occupation,
            level=level,
            per_person_standard=UPSKILL,
            capacity=60,
            start_date=start,
            end_date=end,
            town=town or provider.town,
        )
        return TrainingClass.objects.create(
            project=project,
            name=f"{start:%Y%m}期",
            start_date=start,
            end_date=end,
            session_start=session[0] if session else None,
            session_end=session[1] if session else None,
            teacher=teacher,
            site=site,
        )

    def enrol(
        self,
        training_class: Any,
        workers: Sequence[Worker],
        *,
        completed: bool = True,
        certified_level: int | None = None,
        score: Decimal | None = None,
        attend: bool = True,
    ) -> list[Any]:
        """Enrolments in the class; a completed one signed in on every day of the class (`attend`), as
        an honest trainee is, so that only what a planter means to plant looks wrong."""
        from skillcity.training.models import Attendance, Enrolment

        project = training_class.project
        rows = [
            Enrolment(
                training_class=training_class,
                provider_id=project.provider_id,
                worker=w,
                town_id=project.town_id,
                status=Enrolment.Status.COMPLETED if completed else Enrolment.Status.ENROLLED,
                enrolled_on=training_class.start_date - datetime.timedelta(days=3),
                completed_on=training_class.end_date if completed else None,
                assessment_score=score if score is not None else (Decimal("78.0") if completed else None),
                certified_level=certified_level,
            )
            for w in workers
        ]
        made = Enrolment.objects.bulk_create(rows)
        if attend and completed:
            days = self.class_days(training_class)
            signs = [Attendance(enrolment=e, day=d) for e in made for d in days]
            Attendance.objects.bulk_create(signs)
            for row in signs:
                row.signed_at = self.at(row.day, 8, self.rng.randrange(0, 3600))
            Attendance.objects.bulk_update(signs, ["signed_at"], batch_size=2000)
        return made

    def attend(self, enrolment: Any, days: Sequence[datetime.date], *, hour: int = 8) -> list[Any]:
        """Sign-ins on those days, each at a drawn minute of the hour."""
        from skillcity.training.models import Attendance

        made = Attendance.objects.bulk_create(Attendance(enrolment=enrolment, day=d) for d in days)
        for row in made:
            row.signed_at = self.at(row.day, hour, self.rng.randrange(0, 3600))
        Attendance.objects.bulk_update(made, ["signed_at"])
        return made

    def phone(self) -> tuple[str, str]:
        """A trainee's own phone: its device id and its mobile network address."""
        device = f"android-{self.rng.getrandbits(48):012x}"
        address = (
            f"117.{self.rng.randrange(1, 255)}.{self.rng.randrange(1, 255)}.{self.rng.randrange(1, 255)}"
        )
        return device, address

    def class_days(self, training_class: Any) -> list[datetime.date]:
        start, end = training_class.start_date, training_class.end_date
        return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]

    def settle(
        self, provider: Organisation, period: str, lines: Sequence[tuple[Any, str, Decimal]]
    ) -> list[Any]:
        """A paid settlement of (enrolment, rule, amount) lines for the provider and period."""
        from skillcity.training.models import Settlement, SettlementLine

        settlement, _ = Settlement.objects.get_or_create(
            provider=provider,
            period=period,
            defaults={"status": Settlement.Status.PAID, "paid_at": self.at(self.today, 10)},
        )
        made = SettlementLine.objects.bulk_create(
            SettlementLine(
                settlement=settlement,
                enrolment=e,
                worker_id_ref=e.worker_id,
                rule=rule,
                payee=SettlementLine.Payee.PROVIDER,
                amount=amount,
            )
            for e, rule, amount in lines
        )
        total = sum((amount for _, _, amount in lines), Decimal("0"))
        Settlement.objects.filter(pk=settlement.pk).update(
            line_count=settlement.line_count + len(made), total_amount=settlement.total_amount + total
        )
        return made


def period_of(day: datetime.date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"

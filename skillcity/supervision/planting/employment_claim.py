"""Employment claimed without records (SUP-EMPLOYMENT-CLAIM): a school paid EDU-GRAD-RETENTION
(¥1,000) for a graduate "employed in Dongguan since August, 8 months insured with one employer" who has
no social-insurance contribution at all; paid as grants pays (a payment, and its spend booked against
the programme's fund for the year). Near-miss: the same claim, with exactly the 6 consecutive
months of contributions from the claimed employer that the rule asks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from skillcity.registry.models import OrganisationCategory
from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant

AWARD = Decimal("1000.00")
RULE = "EDU-GRAD-RETENTION"
MONTHS = 6  # EDU-GRAD-RETENTION.min_insured_months


def plant(p: Plant, cases: int, near: int) -> Planted:
    from skillcity.accounts.models import Role, User
    from skillcity.employment.models import Contribution, ContributionBatch, Source
    from skillcity.grants.models import Application, ApplicationState

    done = Planted()
    school = p.organisation(OrganisationCategory.TECHNICAL_SCHOOL)
    employer = p.organisation(OrganisationCategory.ENTERPRISE)
    account = User.objects.create(
        username=f"school{p.tag:06x}{p.round:02d}",
        password=make_password(None),
        role=Role.ORGANISATION_USER,
        organisation=school,
    )
    payer = User.objects.create(
        username=f"finance{p.tag:06x}{p.round:02d}",
        password=make_password(None),
        role=Role.BUREAU_OFFICER,
    )
    batch = ContributionBatch.objects.create(source=Source.ADAPTER, file_name="")
    graduation = datetime.date(p.today.year - 1, 7, 1)
    start = datetime.date(p.today.year - 1, 8, 1)
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        graduates = p.workers([p.rng.uniform(20, 23) for _ in range(count)], on=p.today, town=school.town)
        applications = Application.objects.bulk_create(
            Application(
                rule_id="EDU-GRAD-RETENTION",
                organisation=school,
                worker=g,
                town=school.town,
                event_date=p.today - datetime.timedelta(days=p.rng.randint(20, 60)),
                facts={
                    "school_is_private": True,
                    "major_fits_industry": True,
                    "graduation_date": graduation.isoformat(),
                    "employment_start": start.isoformat(),
                    "employer_in_dongguan": True,
                    "same_employer_continuous_insured_months": 8 if not honest else MONTHS,
                },
                state=ApplicationState.PAID,
                requested_amount=AWARD,
                decided_amount=AWARD,
                created_by=account,
            )
            for g in graduates
        )
        _pay(p, applications, payer)
        if honest:
            Contribution.objects.bulk_create(
                Contribution(
                    worker=g,
                    employer_uscc=employer.uscc,
                    employer_name=employer.name,
                    employer=employer,
                    month=datetime.date(
                        start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1, 1
                    ),
                    region="441900",
                    base=Decimal("4500.00"),
                    batch=batch,
                )
                for g in graduates
                for m in range(MONTHS)
            )
        for application, graduate in zip(applications, graduates, strict=True):
            into.append(
                Case(
                    keys=(
                        Key(
                            "grants.application",
                            application.pk,
                            (("registry.worker", graduate.pk),),
                        ),
                    ),
                    note=(
                        f"申报留莞就业，有同一单位连续 {MONTHS} 个月缴费记录"
                        if honest
                        else "申报留莞就业且连续参保 8 个月，却无任何社保缴费记录"
                    ),
                )
            )
    return done


def _pay(p: Plant, applications: list[Any], payer: Any) -> None:
    """The payment of each application and its spend, booked against the year's fund (made when the
    city has none)."""
    from skillcity.grants.models import Fund, FundEntry, Payment
    from skillcity.grants.services.payments import funds_covering

    funds: dict[int, Fund] = {}
    for year in {a.event_date.year for a in applications}:
        fund = funds_covering(RULE, year, year).order_by("year").first()
        funds[year] = fund or Fund.objects.create(
            programme=RULE, year=year, name=f"{year}年毕业生留莞就业奖励", total=Decimal("10000000.00")
        )
    Payment.objects.bulk_create(
        Payment(
            application=a,
            amount=AWARD,
            idempotency_key=f"plant-{p.tag:06x}-{p.round}-{a.pk}",
            treasury_reference=f"GK{p.today:%Y%m%d}{a.pk:08d}",
            paid_by=payer,
        )
        for a in applications
    )
    FundEntry.objects.bulk_create(
        FundEntry(fund=funds[a.event_date.year], application=a, kind=FundEntry.Kind.SPEND, amount=AWARD)
        for a in applications
    )


register_planter(
    Planter(
        kind="employment_claim",
        check_id="SUP-EMPLOYMENT-CLAIM",
        describes="院校领取毕业生留莞就业奖励，毕业生却无任何社保缴费记录",
        counts={"city": (30, 15), "demo": (2, 2), "day": (1, 1)},
        plant=plant,
    )
)

"""The request and response schemas of /api/v1/matching/ (every one named Matching…)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from skillcity.core.bounds import Id, IsoDate, money_type
from skillcity.core.schemas import InputSchema
from skillcity.matching.models import HEAD_COUNT_MAX, JobFair, JobNeed
from skillcity.matching.services import WAGE_MAX

Wage = money_type(WAGE_MAX)


class MatchingNeedIn(InputSchema):
    occupation_id: Id
    level: int = Field(ge=1, le=5)
    town_id: Id
    head_count: int = Field(ge=1, le=HEAD_COUNT_MAX)
    wage_min: Wage  # type: ignore[valid-type]
    wage_max: Wage  # type: ignore[valid-type]
    start: IsoDate
    description: str = Field("", max_length=500)
    fair_id: Id | None = None


class MatchingNeedOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    occupation_id: int
    occupation_name: str
    level: int
    level_name: str
    town_id: int
    town_name: str
    head_count: int
    wage_min: Decimal
    wage_max: Decimal
    start: datetime.date
    description: str
    fair_id: int | None
    state: str
    state_name: str

    @staticmethod
    def resolve_enterprise_name(obj: JobNeed) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_occupation_name(obj: JobNeed) -> str:
        return obj.occupation.name

    @staticmethod
    def resolve_level_name(obj: JobNeed) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_town_name(obj: JobNeed) -> str:
        return obj.town.name

    @staticmethod
    def resolve_state_name(obj: JobNeed) -> str:
        return str(obj.get_state_display())


class MatchingStateIn(InputSchema):
    state: str = Field(max_length=10)


class MatchingReasonOut(Schema):
    code: str
    text: str
    fits: bool


class MatchingCandidateOut(Schema):
    match_id: int
    state: str
    state_name: str
    name: str
    phone: str
    id_number: str
    masked: bool
    reasons: list[MatchingReasonOut]
    reason_text: str
    score: int


class MatchingContactOut(Schema):
    name: str
    phone: str
    id_number: str


class MatchingMatchOut(Schema):
    match_id: int
    need: MatchingNeedOut
    state: str
    state_name: str
    reasons: list[MatchingReasonOut]
    reason_text: str


class MatchingAnswerIn(InputSchema):
    accept: bool


class MatchingSeekerNeedIn(InputSchema):
    occupation_id: Id
    town_ids: list[Id] = Field(min_length=1, max_length=10)


class MatchingSeekerNeedOut(Schema):
    id: int
    occupation_id: int
    occupation_name: str
    town_ids: list[int]
    state: str


class MatchingHireIn(InputSchema):
    start_month: str = Field(pattern=r"^\d{4}-\d{2}$")


class MatchingHireOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    worker_id: int
    source: str
    start_month: datetime.date
    state: str
    state_name: str
    confirmed_month: datetime.date | None
    why: str


class MatchingAssignmentIn(InputSchema):
    officer_id: Id
    enterprise_id: Id | None = None
    worker_id: Id | None = None


class MatchingAssignmentOut(Schema):
    id: int
    officer_id: int
    enterprise_id: int | None
    worker_id: int | None
    town_id: int
    due: bool
    due_on: datetime.date | None
    last_follow_up: datetime.date | None


class MatchingFollowUpIn(InputSchema):
    date: IsoDate
    way: str = Field(max_length=10)
    done: str = Field(max_length=500)
    next_step: str = Field("", max_length=500)
    next_date: IsoDate | None = None


class MatchingFollowUpOut(Schema):
    id: int
    date: datetime.date
    way: str
    done: str
    next_step: str
    next_date: datetime.date | None


class MatchingLineOut(Schema):
    label: str
    needs: int
    head_count: int
    matches: int
    accepted: int
    hires: int
    confirmed: int


class MatchingStatisticsOut(Schema):
    total: MatchingLineOut
    by_town: list[MatchingLineOut]
    by_occupation: list[MatchingLineOut]
    fairs: int
    fair_enterprises: int
    fair_vacancies: int
    fair_hires: int


class MatchingFairOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    town_name: str
    venue: str

    @staticmethod
    def resolve_kind_name(obj: JobFair) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_town_name(obj: JobFair) -> str:
        return obj.town.name


class MatchingFairEnterpriseOut(Schema):
    enterprise_id: int
    enterprise_name: str
    booth: str
    vacancies: list[MatchingNeedOut]


class MatchingFairDetailOut(MatchingFairOut):
    enterprises: list[MatchingFairEnterpriseOut]

    @staticmethod
    def resolve_enterprises(obj: JobFair) -> list[dict[str, Any]]:
        from skillcity.matching.selectors import fair_enterprises

        return [
            {
                "enterprise_id": fe.enterprise_id,
                "enterprise_name": fe.enterprise.name,
                "booth": fe.booth,
                "vacancies": vacancies,
            }
            for fe, vacancies in fair_enterprises(obj)
        ]


class MatchingFairIn(InputSchema):
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    starts_on: IsoDate
    ends_on: IsoDate
    town_id: Id
    venue: str = Field(max_length=200)


class MatchingFairEnterpriseIn(InputSchema):
    enterprise_id: Id
    booth: str = Field("", max_length=20)


class MatchingFairHireIn(InputSchema):
    enterprise_id: Id
    id_number: str = Field(min_length=18, max_length=18)
    start_month: str = Field(pattern=r"^\d{4}-\d{2}$")
    need_id: Id | None = None

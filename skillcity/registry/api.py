"""/api/v1/registry/: reference data, organisations, workers. Lookups through core.access, writes
through registry.services; ID numbers and phones are always masked except through `reveal`."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from skillcity.core.access import acting_user, get_for
from skillcity.core.audit import audit_personal_data_view
from skillcity.core.bounds import Headcount, Id, IsoDate, Level, PageNumber, PageSize
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.schemas import InputSchema
from skillcity.registry import selectors, services
from skillcity.registry.models import Industry, Occupation, Organisation, Town, Worker

router = Router(tags=["registry"])


class TownOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str


class IndustryOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    dongguan_group: str


class OccupationOut(Schema):
    id: int
    code: str
    name: str
    programme: str
    has_levels: bool


class OrganisationOut(Schema):
    id: int
    name: str
    category: str
    uscc: str
    town: str = Field(alias="town.code")
    industry: str | None = Field(None, alias="industry.code")
    legal_representative: str
    contact_person: str
    office_phone: str
    mobile_masked: str
    total_staff: int
    managers: int
    title_senior: int
    title_intermediate: int
    title_junior: int
    level1_count: int
    level2_count: int
    level3_count: int
    level4_count: int
    level5_count: int
    special_ability_count: int
    general_workers: int


class WorkerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    gender: str
    birth_date: datetime.date
    phone_masked: str
    town: str = Field(alias="town.code")
    employer_id: int | None
    highest_level: int | None


class Page(Schema):
    count: int
    page: int
    page_size: int
    results: list[Any]


class OrganisationPage(Page):
    results: list[OrganisationOut]


class WorkerPage(Page):
    results: list[WorkerOut]


class PageQuery(Schema):
    page: PageNumber = 1
    page_size: PageSize = 50


def _page(queryset: Any, query: PageQuery) -> dict[str, Any]:
    start = (query.page - 1) * query.page_size
    return {
        "count": queryset.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": list(queryset[start : start + query.page_size]),
    }


@router.get("/towns", response=list[TownOut], auth=None, summary="The 33 towns, sub-districts and parks")
def list_towns(request: HttpRequest) -> Any:
    return Town.objects.all()


@router.get("/industries", response=list[IndustryOut], auth=None)
def list_industries(request: HttpRequest) -> Any:
    return Industry.objects.all()


@router.get("/occupations", response=list[OccupationOut], auth=None)
def list_occupations(request: HttpRequest) -> Any:
    return Occupation.objects.all()


class OrganisationFilters(PageQuery):
    q: str = ""
    town: Id | None = None
    category: str = ""
    industry: Id | None = None


@router.get("/organisations", response=OrganisationPage)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    queryset = selectors.organisation_list(
        acting_user(request),
        q=filters.q,
        town=filters.town,
        category=filters.category,
        industry=filters.industry,
    )
    return _page(queryset, filters)


@router.get("/organisations/{pk}", response=OrganisationOut)
def get_organisation(request: HttpRequest, pk: Id) -> Any:
    return get_for(acting_user(request), Organisation.objects.select_related("town", "industry"), pk)


class OrganisationAnnex1In(InputSchema):
    """An organisation's Annex 1 (登记表) values: contacts, staff counts and profile. The registry's
    organisation PATCH and the alliance's Annex 1 take the same fields with the same bounds."""

    legal_representative: str | None = None
    address: str | None = None
    postcode: str | None = None
    email: str | None = None
    contact_person: str | None = None
    office_phone: str | None = None
    mobile: str | None = None
    fax: str | None = None
    profile: str | None = None
    total_staff: Headcount | None = None
    managers: Headcount | None = None
    title_senior: Headcount | None = None
    title_intermediate: Headcount | None = None
    title_junior: Headcount | None = None
    level1_count: Headcount | None = None
    level2_count: Headcount | None = None
    level3_count: Headcount | None = None
    level4_count: Headcount | None = None
    level5_count: Headcount | None = None
    special_ability_count: Headcount | None = None
    general_workers: Headcount | None = None


class OrganisationPatch(OrganisationAnnex1In):
    """Values as on the form; `town` and `industry` take a code or a name. The USCC cannot be changed."""

    name: str | None = None
    category: str | None = None
    town: str | None = None
    industry: str | None = None


class OrganisationIn(OrganisationPatch):
    uscc: str | None = None


def _own_town_code(request: HttpRequest) -> str:
    town = acting_user(request).town
    if town is None:  # impossible for a town officer: a database constraint requires the town
        raise PermissionDenied("镇街工作人员未设置镇街")
    return town.code


def _scoped_town(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    user = acting_user(request)
    if getattr(user, "role", "") == "town_officer":
        data["town"] = _own_town_code(request)  # a town officer registers in their own town only
    return data


def _own_town_only(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """A town officer keeps records in their own town: another town is refused, not quietly replaced."""
    user = acting_user(request)
    if getattr(user, "role", "") == "town_officer" and "town" in data:
        town = user.town
        if town is None or str(data["town"]).strip() not in (town.code, town.name):
            raise DomainError(
                "invalid",
                "town：镇街工作人员不能把记录移到其他镇街",
                {"town": "不能改为其他镇街"},
                status=422,
            )
    return data


def _require_officer(request: HttpRequest) -> None:
    user = acting_user(request)
    if not (user.is_superuser or getattr(user, "role", "") in ("bureau_officer", "town_officer")):
        raise PermissionDenied("您的角色无权登记")


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    _require_officer(request)
    data = _scoped_town(request, payload.dict(exclude_none=True))
    return 201, services.organisation_create(data=data, actor=acting_user(request))


@router.patch("/organisations/{pk}", response=OrganisationOut)
def update_organisation(request: HttpRequest, pk: Id, payload: OrganisationPatch) -> Any:
    organisation = get_for(acting_user(request), Organisation.objects.all(), pk, write=True)
    data = _own_town_only(request, payload.dict(exclude_none=True))
    return services.organisation_update(organisation=organisation, data=data, actor=acting_user(request))


class WorkerFilters(PageQuery):
    q: str = ""
    town: Id | None = None
    level: Literal["", "1", "2", "3", "4", "5", "none"] = ""
    employer: Id | None = None


@router.get("/workers", response=WorkerPage)
def list_workers(request: HttpRequest, filters: Query[WorkerFilters]) -> Any:
    queryset = selectors.worker_list(
        acting_user(request),
        q=filters.q,
        town=filters.town,
        level=filters.level or None,
        employer=filters.employer,
    )
    return _page(queryset, filters)


@router.get("/workers/{pk}", response=WorkerOut)
def get_worker(request: HttpRequest, pk: Id) -> Any:
    return get_for(acting_user(request), Worker.objects.select_related("town"), pk)


class WorkerPatch(InputSchema):
    """What may change on a registered worker: the ID number never, the level only by skill records."""

    name: str | None = None
    phone: str | None = None
    town: str | None = None
    employer: str | None = Field(None, description="employer USCC")


class WorkerIn(WorkerPatch):
    id_number: str | None = None
    highest_level: Level | None = None
    occupation: str | None = Field(None, description="occupation code, required with highest_level")


@router.post("/workers", response={201: WorkerOut})
def create_worker(request: HttpRequest, payload: WorkerIn) -> Any:
    _require_officer(request)
    data = _scoped_town(request, payload.dict(exclude_none=True))
    return 201, services.worker_create(data=data, actor=acting_user(request))


@router.patch("/workers/{pk}", response=WorkerOut)
def update_worker(request: HttpRequest, pk: Id, payload: WorkerPatch) -> Any:
    worker = get_for(acting_user(request), Worker.objects.all(), pk, write=True)
    data = _own_town_only(request, payload.dict(exclude_none=True))
    return services.worker_update(worker=worker, data=data, actor=acting_user(request))


class RevealOut(Schema):
    id_number: str
    phone: str


@router.post("/workers/{pk}/reveal", response=RevealOut, summary="Full ID number and phone (audited)")
def reveal_worker(request: HttpRequest, pk: Id) -> Any:
    worker = get_for(acting_user(request), Worker.objects.all(), pk)
    if not getattr(acting_user(request), "sees_personal_data", False):
        raise PermissionDenied("您的角色无权查看完整个人信息")
    audit_personal_data_view(actor=acting_user(request), target=worker, field="id_number,phone")
    return {"id_number": worker.id_number, "phone": worker.phone}


class SkillRecordOut(Schema):
    id: int
    worker_id: int
    kind: str
    occupation: str | None = Field(None, alias="occupation.code")
    level: int | None
    title_grade: str
    honour: str
    name: str
    obtained_on: datetime.date
    certificate_number: str


class SkillRecordIn(InputSchema):
    kind: str
    obtained_on: IsoDate
    occupation: str | None = Field(None, description="occupation code")
    level: Level | None = None
    title_grade: str = ""
    honour: str = ""
    name: str = ""
    certificate_number: str = ""


@router.get("/workers/{pk}/records", response=list[SkillRecordOut], summary="A worker's skill records")
def list_skill_records(request: HttpRequest, pk: Id) -> Any:
    worker = get_for(acting_user(request), Worker.objects.all(), pk)
    return worker.skill_records.select_related("occupation").order_by("obtained_on", "id")


@router.post("/workers/{pk}/records", response={201: SkillRecordOut}, summary="Add a skill record")
def add_skill_record(request: HttpRequest, pk: Id, payload: SkillRecordIn) -> Any:
    _require_officer(request)
    worker = get_for(acting_user(request), Worker.objects.all(), pk, write=True)
    occupation = None
    if payload.occupation:
        occupation = Occupation.objects.filter(code=payload.occupation).first()
        if occupation is None:
            raise DomainError("invalid", "职业代码不存在", {"occupation": "职业代码不存在"})
    data = payload.dict(exclude={"occupation"})
    return 201, services.skill_record_add(
        worker=worker, occupation=occupation, actor=acting_user(request), **data
    )

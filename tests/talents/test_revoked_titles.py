"""A revoked title (competitions.Title "revoked") is no longer a fact: not attached to a leading-talent
application, opens no title route, and is not shown among a pool worker's titles."""

from __future__ import annotations

import datetime

import pytest

from skillcity.competitions.models import Title
from skillcity.registry.models import SkillRecord
from skillcity.talents.selectors.pool import pool_queryset, pool_titles
from skillcity.talents.services import leading
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2024, 5, 1)


def _title(worker, honour: str, number: str, status: str = "valid") -> Title:
    record = SkillRecord.objects.create(
        worker=worker, kind=SkillRecord.Kind.HONOUR, honour=honour, obtained_on=ON
    )
    extra = {"revoked_on": ON, "revoked_reason": "弄虚作假"} if status == "revoked" else {}
    return Title.objects.create(
        number=number,
        worker=worker,
        honour=honour,
        holder_name=worker.name,
        awarded_on=ON,
        document="粤人社发〔2024〕1号",
        skill_record=record,
        status=status,
        **extra,
    )


def test_a_revoked_title_is_not_attached_and_opens_no_route(changan_worker):
    _title(changan_worker, SkillRecord.Honour.NATIONAL_TECHNICAL_EXPERT, "T-1", status="revoked")
    _title(changan_worker, SkillRecord.Honour.GUANGDONG_TECHNICAL_EXPERT, "T-2")
    records = leading.applicant_records(changan_worker, datetime.date(2025, 3, 10))
    codes = [r["code"] for r in records if r["kind"] == "honour"]
    assert codes == [SkillRecord.Honour.GUANGDONG_TECHNICAL_EXPERT]
    assert leading.title_route(records) == "class2"


def test_a_record_marked_revoked_opens_no_route():
    records = [{"kind": "honour", "code": SkillRecord.Honour.CHINA_SKILLS_AWARD, "revoked": "1"}]
    assert leading.title_route(records) == ""


def test_the_pool_leaves_a_revoked_title_out(bureau_officer, changan):
    worker = WorkerFactory(town=changan, highest_level=2)
    _title(worker, SkillRecord.Honour.NATIONAL_TECHNICAL_EXPERT, "T-3", status="revoked")
    _title(worker, SkillRecord.Honour.DONGGUAN_TECHNICAL_EXPERT, "T-4")
    [found] = pool_queryset(bureau_officer, {})
    assert pool_titles(found) == [str(SkillRecord.Honour.DONGGUAN_TECHNICAL_EXPERT.label)]

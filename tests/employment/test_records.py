"""Employment records: contributions imported all or nothing, corrections that supersede and never
edit, the social-insurance adapter's pull, and the spells derived from the records (issue 19 §2)."""

from __future__ import annotations

import csv
import io

import pytest

from skillcity.core.models import AuditEvent
from skillcity.employment.models import (
    Contribution,
    ContributionBatch,
    Kind,
    PullCursor,
    SimulatedInsuranceRecord,
)
from skillcity.employment.selectors import current, spells_of
from skillcity.employment.services import COLUMNS, contributions_import
from skillcity.employment.services.adapter import contributions_pull
from skillcity.jobs.schedule import PERIODIC_JOBS
from tests.employment.helpers import DONGGUAN, SHENZHEN, cells, contribute, first
from tests.factories import OrganisationFactory, WorkerFactory
from tests.schools.conftest import xlsx

pytestmark = pytest.mark.django_db

HEADER = list(COLUMNS)


def row(worker, employer, month, *, region=DONGGUAN, base="4500", kind=""):
    c = cells(worker, employer, month, region=region, base=base, kind=kind)
    return [
        c["id_number"],
        c["name"],
        c["uscc"],
        c["employer_name"],
        c["month"],
        c["region"],
        c["base"],
        c["kind"],
    ]


def test_an_import_with_bad_rows_writes_nothing_and_lists_every_bad_row(bureau_officer, changan_enterprise):
    worker = WorkerFactory(name="张三")
    rows = [
        HEADER,
        row(worker, changan_enterprise, "2025-01"),  # good
        [
            "440000000000000000",
            "李四",
            changan_enterprise.uscc,
            changan_enterprise.name,
            "2025-01",
            DONGGUAN,
            "4500",
            "",
        ],
        [
            worker.id_number,
            "张四",
            changan_enterprise.uscc,
            changan_enterprise.name,
            "2025-02",
            DONGGUAN,
            "4500",
            "",
        ],
        [
            worker.id_number,
            "张三",
            "91441900MA00000000",
            changan_enterprise.name,
            "2025-03",
            DONGGUAN,
            "4500",
            "",
        ],
        [
            worker.id_number,
            "张三",
            changan_enterprise.uscc,
            changan_enterprise.name,
            "2025-13",
            DONGGUAN,
            "4500",
            "",
        ],
        [
            worker.id_number,
            "张三",
            changan_enterprise.uscc,
            changan_enterprise.name,
            "2099-01",
            "4419",
            "-1",
            "改",
        ],
        row(worker, changan_enterprise, "2025-01"),  # the same person, employer and month again
    ]
    result = contributions_import(actor=bureau_officer, filename="缴费.xlsx", content=xlsx(rows))
    bad = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "身份证号码"),
        (4, "姓名"),
        (5, "用人单位统一社会信用代码"),
        (6, "缴费月份"),
        (7, "缴费月份"),
        (7, "参保地行政区划代码"),
        (7, "缴费基数"),
        (7, "记录类型"),
        (8, "缴费月份"),
    } <= bad
    assert not any(e.row == 2 for e in result.errors)
    assert Contribution.objects.count() == 0 and ContributionBatch.objects.count() == 0


def test_an_import_writes_its_rows_once_and_a_second_send_writes_nothing(bureau_officer, changan_enterprise):
    worker = WorkerFactory()
    content = xlsx([HEADER, *(row(worker, changan_enterprise, m) for m in ("2025-01", "2025-02", "2025-03"))])
    assert contributions_import(actor=bureau_officer, filename="a.xlsx", content=content).created == 3
    again = contributions_import(actor=bureau_officer, filename="a.xlsx", content=content)
    assert again.ok and again.created == 0
    assert Contribution.objects.count() == 3
    assert ContributionBatch.objects.order_by("id").last().unchanged == 3
    assert AuditEvent.objects.filter(action="employment.contributions.import").count() == 2
    stored = Contribution.objects.first()
    assert stored.employer_id == changan_enterprise.pk and stored.month == first("2025-01")


def test_a_csv_from_chinese_excel_is_read(bureau_officer, changan_enterprise):
    worker = WorkerFactory()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerow(row(worker, changan_enterprise, "2025年4月"))
    writer.writerow(row(worker, changan_enterprise, "2025/5"))
    result = contributions_import(
        actor=bureau_officer, filename="a.csv", content=text.getvalue().encode("gb18030")
    )
    assert result.ok and result.created == 2
    assert sorted(current().values_list("month", flat=True)) == [first("2025-04"), first("2025-05")]


def test_a_correction_supersedes_and_a_void_withdraws_and_nothing_is_edited(
    bureau_officer, changan_enterprise
):
    worker = WorkerFactory()
    contribute(worker, changan_enterprise, "2025-01", 3)
    original = Contribution.objects.get(month=first("2025-02"))
    # A different figure for a month already recorded must say it corrects.
    changed = xlsx([HEADER, row(worker, changan_enterprise, "2025-02", base="5200")])
    refused = contributions_import(actor=bureau_officer, filename="b.xlsx", content=changed)
    assert [(e.row, e.column) for e in refused.errors] == [(2, "记录类型")] and "更正" in refused.errors[
        0
    ].reason
    corrected = xlsx([HEADER, row(worker, changan_enterprise, "2025-02", base="5200", kind="更正")])
    assert contributions_import(actor=bureau_officer, filename="c.xlsx", content=corrected).created == 1
    original.refresh_from_db()
    assert str(original.base) == "4500.00"  # kept as it was
    assert original.superseded_by.kind == Kind.CORRECTION and str(original.superseded_by.base) == "5200.00"
    assert spells_of(worker.pk)[0].months == 3
    # 作废 withdraws February: the spell breaks in two.
    voided = xlsx([HEADER, row(worker, changan_enterprise, "2025-02", base="5200", kind="作废")])
    assert contributions_import(actor=bureau_officer, filename="d.xlsx", content=voided).created == 1
    assert [s.months for s in spells_of(worker.pk)] == [1, 1]
    assert Contribution.objects.count() == 5
    twice = contributions_import(actor=bureau_officer, filename="e.xlsx", content=voided)
    assert twice.ok and twice.created == 0 and twice.unchanged == 1  # sent again: nothing more
    nothing = xlsx([HEADER, row(worker, changan_enterprise, "2024-12", kind="更正")])
    assert (
        "没有缴费记录"
        in contributions_import(actor=bureau_officer, filename="f.xlsx", content=nothing).errors[0].reason
    )


def test_spells_follow_gaps_and_employer_changes(changan_enterprise):
    worker = WorkerFactory()
    other = OrganisationFactory(name="深圳市某电子有限公司")
    contribute(worker, changan_enterprise, "2024-11", 3)  # 2024-11 .. 2025-01
    contribute(worker, changan_enterprise, "2025-03", 2)  # a month missing: a new spell
    contribute(worker, other, "2025-04", 4, region=SHENZHEN)  # overlaps a month, another employer
    spells = spells_of(worker.pk)
    assert [(s.employer_uscc, s.start, s.end, s.months, s.in_dongguan) for s in spells] == [
        (changan_enterprise.uscc, first("2024-11"), first("2025-01"), 3, True),
        (changan_enterprise.uscc, first("2025-03"), first("2025-04"), 2, True),
        (other.uscc, first("2025-04"), first("2025-07"), 4, False),
    ]
    assert spells[1].contains(first("2025-04")) and not spells[1].contains(first("2025-05"))


def test_the_adapter_pulls_new_records_and_holds_a_bad_one_aside(bureau_officer, changan_enterprise):
    worker = WorkerFactory()

    def publish(month, **extra):
        return SimulatedInsuranceRecord.objects.create(**(cells(worker, changan_enterprise, month) | extra))

    publish("2025-01")
    publish("2025-02")
    assert contributions_pull() == {"pages": 1, "written": 2, "unchanged": 0, "held": 0}
    assert contributions_pull()["pages"] == 0  # nothing new
    # A page with a bad record, a record of someone not registered, and a correction of a month sent in
    # the same page as the month itself: the good ones are written in order, the bad ones held aside.
    publish("2025-03")
    publish("2025-04", region="44")
    SimulatedInsuranceRecord.objects.create(
        **(cells(worker, changan_enterprise, "2025-05") | {"id_number": "440300199001010011"})
    )
    publish("2025-06")
    publish("2025-06", base="4800", kind="更正")
    assert contributions_pull() == {"pages": 1, "written": 3, "unchanged": 0, "held": 2}
    [page] = [b for b in ContributionBatch.objects.filter(source="adapter") if b.errors]
    assert [(e["row"], e["column"]) for e in page.errors] == [(2, "参保地行政区划代码"), (3, "身份证号码")]
    assert page.errors[0]["reason"] == "应为6位数字（东莞为441900）"
    assert page.errors[0]["record"]["month"] == "2025-04" and page.errors[0]["record"]["region"] == "44"
    assert str(current().get(month=first("2025-06")).base) == "4800.00"
    # The feed went on; the bureau imports the held month corrected, and the spell closes up.
    assert PullCursor.objects.get(name="contributions").value == str(
        SimulatedInsuranceRecord.objects.last().pk
    )
    fixed = xlsx([HEADER, row(worker, changan_enterprise, "2025-04")])
    assert contributions_import(actor=bureau_officer, filename="fix.xlsx", content=fixed).created == 1
    assert [s.months for s in spells_of(worker.pk)] == [4, 1]  # May is not this worker's


def test_the_pull_runs_daily_through_the_scheduler():
    job = PERIODIC_JOBS["employment.contributions_pull"]
    assert job.period == "daily" and job.task.endswith("contributions_pull_task")

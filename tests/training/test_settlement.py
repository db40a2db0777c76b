from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from skillcity.core.errors import DomainError
from skillcity.core.periods import HalfYear
from skillcity.training import services
from skillcity.training.models import (
    Enrolment,
    Settlement,
    SettlementLine,
    ShortageCatalogEntry,
    VoucherState,
)
from tests.factories import WorkerFactory
from tests.training.conftest import TODAY, issue

pytestmark = pytest.mark.django_db
H1 = HalfYear(2025, 1)


def _complete_many(training_class, n: int, *, level: int | None = None) -> list[Enrolment]:
    done = []
    for _ in range(n):
        worker = WorkerFactory(town=training_class.project.town)
        e = services.enrolment_create(
            training_class=training_class, worker=worker, enrolled_on=datetime.date(2025, 2, 1), actor="t"
        )
        done.append(
            services.enrolment_complete(
                enrolment=e,
                completed_on=datetime.date(2025, 5, 31),
                passed=True,
                assessment_score=Decimal("88"),
                certified_level=level,
                actor="t",
            )
        )
    return done


def _xlsx(rows: list[tuple[str, str]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["职业编码", "类别"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_trn_project_pays_the_provider_the_standard_capped_at_3000(training_class, institution):
    _complete_many(training_class, 3)
    settlement = services.settlement_run(provider=institution, period=H1)
    assert settlement.status == Settlement.Status.CALCULATED
    assert settlement.line_count == 3
    assert settlement.total_amount == Decimal("7500.00")  # 3 × min(2500, 3000)
    assert set(SettlementLine.objects.values_list("payee", flat=True)) == {"provider"}


def test_trn_upskill_adds_30_percent_for_level_3_in_that_years_shortage_catalog(
    training_class, institution, lathe
):
    services.shortage_catalog_import(year=2025, file=_xlsx([(lathe.code, "3类")]), actor="t")
    _complete_many(training_class, 1, level=3)
    services.settlement_run(provider=institution, period=H1)
    upskill = SettlementLine.objects.get(rule="TRN-UPSKILL")
    assert upskill.amount == Decimal("2600.00")  # the engine's 2000 demo base for level 3 × 1.3
    assert upskill.payee == "individual"  # TRN-PAYEE: an institution training the public


def test_trn_upskill_uses_the_catalog_of_the_event_year_only(training_class, institution, lathe):
    services.shortage_catalog_import(year=2024, file=_xlsx([(lathe.code, "3类")]), actor="t")
    _complete_many(training_class, 1, level=3)
    services.settlement_run(provider=institution, period=H1)
    assert SettlementLine.objects.get(rule="TRN-UPSKILL").amount == Decimal("2000.00")


def test_trn_payee_pays_an_enterprise_training_its_own_staff(changan_enterprise, changan_worker, lathe):
    project = services.project_create(
        provider=changan_enterprise,
        name="内训",
        occupation=lathe,
        level=4,
        per_person_standard=Decimal("4000"),
        capacity=5,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 6, 30),
        actor="t",
    )
    klass = services.class_create(
        project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="t"
    )
    e = services.enrolment_create(
        training_class=klass, worker=changan_worker, enrolled_on=datetime.date(2025, 1, 2), actor="t"
    )
    services.enrolment_complete(
        enrolment=e,
        completed_on=datetime.date(2025, 3, 1),
        passed=True,
        assessment_score=None,
        certified_level=4,
        actor="t",
    )
    services.settlement_run(provider=changan_enterprise, period=H1)
    lines = dict(SettlementLine.objects.values_list("rule", "payee"))
    assert lines == {"TRN-PROJECT": "provider", "TRN-UPSKILL": "enterprise"}
    assert SettlementLine.objects.get(rule="TRN-PROJECT").amount == Decimal("3000.00")


def test_a_killed_settlement_resumes_to_the_same_totals_without_duplicates(training_class, institution):
    _complete_many(training_class, 7, level=4)
    partial = services.settlement_run(provider=institution, period=H1, chunk_size=2, max_chunks=2)
    assert partial.status == Settlement.Status.RUNNING
    assert SettlementLine.objects.count() == 8  # 4 enrolments × 2 rules
    # Replaying a chunk (checkpoint lost) must not duplicate lines either.
    Settlement.objects.filter(pk=partial.pk).update(checkpoint=0)
    resumed = services.settlement_run(provider=institution, period=H1, chunk_size=2)
    assert resumed.line_count == 14
    assert resumed.total_amount == Decimal(7 * 2500 + 7 * 1500)  # the engine's level-4 demo base
    assert SettlementLine.objects.count() == 14


def test_failed_and_other_period_enrolments_are_not_settled(training_class, institution):
    e = services.enrolment_create(
        training_class=training_class, worker=WorkerFactory(), enrolled_on=TODAY, actor="t"
    )
    services.enrolment_complete(
        enrolment=e,
        completed_on=TODAY,
        passed=False,
        assessment_score=Decimal("40"),
        certified_level=3,
        actor="t",
    )
    settlement = services.settlement_run(provider=institution, period=HalfYear(2025, 2))
    assert settlement.line_count == 0


def test_approval_and_payment_happen_once_and_settle_the_vouchers(
    training_class, institution, changan_worker, finance_bureau, training_funds
):
    voucher = issue([changan_worker]).vouchers.get()
    e = services.enrolment_create(
        training_class=training_class, worker=changan_worker, enrolled_on=TODAY, actor="t"
    )
    services.voucher_redeem(
        code=voucher.code, provider=institution, idempotency_key="k", enrolment=e, actor="t", today=TODAY
    )
    services.enrolment_complete(
        enrolment=e, completed_on=TODAY, passed=True, assessment_score=None, certified_level=None, actor="t"
    )
    settlement = services.settlement_run(provider=institution, period=H1)
    bureau = finance_bureau
    with pytest.raises(DomainError):
        services.settlement_pay(settlement=settlement, idempotency_key="p1", actor=bureau)
    services.settlement_approve(settlement=settlement, actor=bureau)
    with pytest.raises(DomainError):
        services.settlement_approve(settlement=settlement, actor=bureau)
    paid = services.settlement_pay(
        settlement=settlement, idempotency_key="p1", actor=bureau, treasury_reference="GK-1"
    )
    assert (
        services.settlement_pay(settlement=settlement, idempotency_key="p1", actor=bureau).paid_at
        == paid.paid_at
    )
    with pytest.raises(DomainError):
        services.settlement_pay(settlement=settlement, idempotency_key="p2", actor=bureau)
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.SETTLED


def test_the_shortage_import_is_all_or_nothing_and_lists_every_bad_row(lathe):
    services.shortage_catalog_import(year=2025, file=_xlsx([(lathe.code, "3类")]), actor="t")
    with pytest.raises(DomainError) as error:
        services.shortage_catalog_import(
            year=2025, file=_xlsx([(lathe.code, "3类"), ("9-99", "x"), ("8-88", "y")]), actor="t"
        )
    assert len(error.value.fields["rows"]) == 2
    assert "第 3 行" in error.value.fields["rows"][0]
    assert ShortageCatalogEntry.objects.filter(year=2025).count() == 1


def test_it_rejects_a_file_that_is_not_a_workbook():
    with pytest.raises(DomainError) as error:
        services.shortage_catalog_import(year=2025, file=io.BytesIO(b"not excel"), actor="t")
    assert error.value.code == "invalid_file"


def test_a_full_project_refuses_more_enrolments(institution, lathe):
    project = services.project_create(
        provider=institution,
        name="小班",
        occupation=lathe,
        level=None,
        per_person_standard=Decimal("100"),
        capacity=1,
        start_date=TODAY,
        end_date=TODAY,
        actor="t",
    )
    klass = services.class_create(project=project, name="一班", start_date=TODAY, end_date=TODAY, actor="t")
    services.enrolment_create(training_class=klass, worker=WorkerFactory(), enrolled_on=TODAY, actor="t")
    with pytest.raises(DomainError) as error:
        services.enrolment_create(training_class=klass, worker=WorkerFactory(), enrolled_on=TODAY, actor="t")
    assert error.value.code == "project_full"


def test_the_engine_refusing_an_enrolment_is_that_enrolments_error_and_the_rest_is_settled():
    import polars as pl

    from skillcity.training.subsidy import evaluate_enrolments

    frame = pl.DataFrame(
        {
            "enrolment_id": [1, 2, 3],
            "worker_id": [11, 12, 13],
            "date": [datetime.date(2025, 5, 31)] * 3,
            # a standard stored before input was bounded: past the ceiling, and with a third decimal
            "project_standard": ["1.000000000000000000000000E+25", "2500.005", "2500.00"],
            "completed": [True] * 3,
            "certified_level": [None, None, 4],
            "in_shortage_catalog": [False] * 3,
            "provider_is_enterprise": [False] * 3,
            "trainee_is_provider_employee": [False] * 3,
        },
        schema_overrides={"certified_level": pl.Int64},
    )
    lines, errors = evaluate_enrolments(frame)
    assert lines.select("enrolment_id", "rule", "amount_fen").rows() == [
        (3, "TRN-PROJECT", 250000),
        (3, "TRN-UPSKILL", 150000),
    ]
    assert errors["enrolment_id"].to_list() == [1, 2] and set(errors["rule"]) == {"TRN-PROJECT"}
    assert all(e.startswith("project_standard: ") for e in errors["error"])


def test_a_refused_enrolment_is_recorded_with_its_chunk_and_listed_by_the_settle_command(
    training_class, institution
):
    from django.core.management import call_command

    from skillcity.training.selectors import settlement_refused

    settlement = Settlement.objects.create(provider=institution, period=str(H1))
    day = datetime.date(2025, 5, 31)
    first, second = _complete_many(training_class, 2)
    # What the chunk reads from the database, with a standard the engine refuses (a third decimal).
    rows = [
        (first.pk, first.worker_id, day, None, False, Decimal("2500.005"), None),
        (second.pk, second.worker_id, day, None, False, Decimal("2500"), None),
    ]
    services._settlement_chunk_write(
        settlement=settlement, rows=rows, shortage=set(), provider_is_enterprise=False
    )
    assert list(SettlementLine.objects.values_list("enrolment_id", "amount")) == [
        (second.pk, Decimal("2500.00"))
    ]
    assert settlement_refused(settlement=settlement) == [
        {
            "enrolment_id": first.pk,
            "rule": "TRN-PROJECT",
            "error": "project_standard: 金额最多两位小数（到分）",
        }
    ]
    out = io.StringIO()
    call_command("settle", "--provider", str(institution.pk), "--period", str(H1), stdout=out)
    assert f"报名 {first.pk} TRN-PROJECT：project_standard" in out.getvalue()


def test_a_claim_keeps_its_reason_in_chinese_and_shows_it_in_the_readers_language(
    training_class, institution, changan_worker, finance_bureau, training_funds
):
    from django.utils import translation

    from skillcity.grants.services import settlement_claims
    from skillcity.policy.display import reason_texts

    voucher = issue([changan_worker]).vouchers.get()
    e = services.enrolment_create(
        training_class=training_class, worker=changan_worker, enrolled_on=TODAY, actor="t"
    )
    services.voucher_redeem(
        code=voucher.code, provider=institution, idempotency_key="k", enrolment=e, actor="t", today=TODAY
    )
    services.enrolment_complete(
        enrolment=e, completed_on=TODAY, passed=True, assessment_score=None, certified_level=None, actor="t"
    )
    settlement = services.settlement_run(provider=institution, period=H1)
    with translation.override("en"):  # approved from a page in English: the stored reason stays Chinese
        services.settlement_approve(settlement=settlement, actor=finance_bureau)
    outcome = settlement_claims(settlement.pk).get().outcome
    assert outcome["reasons"] == [f"{H1} 结算单 1 笔合计"]
    with translation.override("en"):
        assert reason_texts(outcome) == [f"Total of the {H1} statement (entries: 1)"]

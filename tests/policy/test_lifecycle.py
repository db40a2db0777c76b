"""Successor versions drafted, checked and published by the bureau without code (issue 14 §2), and
policy documents as records (§1)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.accounts.models import Role
from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.policy import engine as E
from skillcity.policy import params as P
from skillcity.policy import published
from skillcity.policy.lifecycle import services
from skillcity.policy.lifecycle.documents import document_records, documents_sync, policy_standing
from skillcity.policy.models import DocumentStatus, DraftState, PolicyDocument, PolicyRevision
from tests.factories import UserFactory
from tests.policy.drafting import continuation_draft

pytestmark = pytest.mark.django_db

D2026 = datetime.date(2026, 1, 1)
NOTICE_TEXT = "项目制培训补贴按每个项目每人最高3000元标准继续执行至2026年12月31日。"


@pytest.fixture
def drafter(db):
    return UserFactory(username="officer_a", role=Role.BUREAU_OFFICER)


@pytest.fixture
def checker(db):
    return UserFactory(username="officer_b", role=Role.BUREAU_OFFICER)


def _draft_with_notice(drafter, *, value="3200", start=D2026, end=datetime.date(2026, 12, 31)):
    return continuation_draft(drafter, value=value, start=start, end=end, text=NOTICE_TEXT)


def _published(drafter, checker, **kw):
    draft = _draft_with_notice(drafter, **kw)
    services.draft_submit(draft=draft, actor=drafter)
    return services.draft_approve(draft=draft, actor=checker, note="同意")


FACTS = {"project_standard": "3600", "completed": True}


# ---- documents as records ---------------------------------------------------------------------------


def test_the_shipped_documents_are_records_with_their_numbers_and_sync_is_idempotent():
    documents_sync()
    assert documents_sync() == 0
    d004 = PolicyDocument.objects.get(key="D004")
    assert d004.number == "粤人社函〔2021〕53号"
    assert d004.issued == datetime.date(2021, 3, 8)
    assert PolicyDocument.objects.get(key="D002").number == ""  # the draft carries none: none invented
    assert d004.status_on(datetime.date(2026, 12, 1)) == DocumentStatus.EXPIRED
    assert d004.status_on(datetime.date(2024, 1, 1)) == DocumentStatus.IN_FORCE
    assert d004.status_label_on(datetime.date(2026, 12, 1)) == "已到期"


def test_today_no_document_and_no_rule_is_in_force():
    standing = policy_standing(datetime.date(2026, 12, 1))
    assert standing.in_force == []
    assert {d.key for d in standing.expired} == {"D000", "D001", "D002", "D003", "D004"}
    gaps = {g.rule.id: g.last_day for g in standing.rules_without_version}
    assert gaps["TRN-PROJECT"] == datetime.date(2025, 12, 31)


def test_a_document_superseded_by_a_published_one_says_so(drafter, checker):
    draft = services.draft_create(actor=drafter, title="新政策")
    services.document_register(
        draft=draft, actor=drafter, key="D006", title="新实施意见", issuer="东莞市人民政府",
        effective_from=D2026, supersedes="D002",
    )  # fmt: skip
    d002 = PolicyDocument.objects.get(key="D002")
    assert d002.status_on(datetime.date(2026, 6, 1)) == DocumentStatus.EXPIRED  # the successor is a draft
    services.draft_version_add(
        draft=draft, actor=drafter, parameter="TRN-PROJECT.cap", value="3000", effective_from=D2026,
        effective_to=None, document="D006", clause="第3条", text="按每人最高3000元给予补贴。",
    )  # fmt: skip
    services.draft_submit(draft=draft, actor=drafter)
    services.draft_approve(draft=draft, actor=checker)
    d002.refresh_from_db()
    assert d002.status_on(datetime.date(2026, 6, 1)) == DocumentStatus.SUPERSEDED
    assert (
        PolicyDocument.objects.get(key="D006").status_on(datetime.date(2026, 6, 1)) == DocumentStatus.IN_FORCE
    )


# ---- maker–checker ----------------------------------------------------------------------------------


def test_the_drafter_cannot_approve_their_own_draft(drafter):
    draft = _draft_with_notice(drafter)
    services.draft_submit(draft=draft, actor=drafter)
    with pytest.raises(DomainError) as exc:
        services.draft_approve(draft=draft, actor=drafter)
    assert exc.value.code == "own_draft" and exc.value.status == 403
    assert "不能复核自己起草的草稿" in str(exc.value.message)
    draft.refresh_from_db()
    assert draft.state == DraftState.SUBMITTED


def test_nor_return_it(drafter):
    draft = _draft_with_notice(drafter)
    services.draft_submit(draft=draft, actor=drafter)
    with pytest.raises(DomainError) as exc:
        services.draft_return(draft=draft, actor=drafter, note="自己退回")
    assert exc.value.code == "own_draft"


def test_a_draft_not_submitted_cannot_be_approved(drafter, checker):
    draft = _draft_with_notice(drafter)
    with pytest.raises(DomainError) as exc:
        services.draft_approve(draft=draft, actor=checker)
    assert exc.value.status == 409


def test_a_town_officer_cannot_draft(changan_officer):
    with pytest.raises(DomainError) as exc:
        services.draft_create(actor=changan_officer, title="x")
    assert exc.value.status == 403


def test_a_returned_draft_is_corrected_and_approved_with_an_audit_row_for_each_step(drafter, checker):
    draft = _draft_with_notice(drafter)
    services.draft_submit(draft=draft, actor=drafter)
    services.draft_return(draft=draft, actor=checker, note="请核对文号")
    draft.refresh_from_db()
    assert draft.state == DraftState.RETURNED and draft.decision_note == "请核对文号"
    services.draft_submit(draft=draft, actor=drafter)
    services.draft_approve(draft=draft, actor=checker)
    actions = list(AuditEvent.objects.filter(target_id=str(draft.pk)).values_list("action", flat=True))
    for action in ("policy.draft.create", "policy.draft.version_add", "policy.draft.submit",
                   "policy.draft.return", "policy.draft.approve"):  # fmt: skip
        assert action in actions
    assert PolicyRevision.objects.get(pk=1).number == 1


# ---- validation -------------------------------------------------------------------------------------


def test_a_version_overlapping_the_shipped_one_is_refused_naming_the_parameter(drafter):
    draft = services.draft_create(actor=drafter, title="x")
    with pytest.raises(DomainError) as exc:
        services.draft_version_add(
            draft=draft, actor=drafter, parameter="TRN-PROJECT.cap", value="3500",
            effective_from=datetime.date(2025, 7, 1), effective_to=datetime.date(2025, 12, 31),
            document="D002", clause="第8条", text="…",
        )  # fmt: skip
    assert "TRN-PROJECT.cap" in str(exc.value.message) and "重叠" in str(exc.value.message)
    assert "effective_from" in exc.value.fields


def test_a_version_overlapping_a_published_one_is_refused(drafter, checker):
    _published(drafter, checker)
    draft = services.draft_create(actor=drafter, title="再一次")
    with pytest.raises(DomainError) as exc:
        services.draft_version_add(
            draft=draft, actor=drafter, parameter="TRN-PROJECT.cap", value="3500",
            effective_from=datetime.date(2026, 6, 1), effective_to=datetime.date(2026, 12, 31),
            document="D005", clause="第一条", text="…",
        )  # fmt: skip
    assert "重叠" in str(exc.value.message) and "D005" in str(exc.value.message)


def test_a_gap_inside_the_cited_documents_validity_is_refused(drafter):
    draft = services.draft_create(actor=drafter, title="x")
    services.document_register(
        draft=draft, actor=drafter, key="D005", title="通知", issuer="市人社局",
        effective_from=D2026, effective_to=datetime.date(2026, 12, 31),
    )  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.draft_version_add(
            draft=draft, actor=drafter, parameter="TRN-PROJECT.cap", value="3000",
            effective_from=datetime.date(2026, 3, 1), effective_to=None,
            document="D005", clause="第一条", text="…",
        )  # fmt: skip
    message = str(exc.value.message)
    assert "TRN-PROJECT.cap" in message and "2026-01-01 至 2026-02-28 没有版本" in message


def test_a_range_where_one_amount_is_expected_is_refused(drafter):
    draft = _draft_with_notice(drafter)
    with pytest.raises(DomainError) as exc:
        services.draft_version_add(
            draft=draft, actor=drafter, parameter="TRN-UPSKILL.level3", value="1000-3000",
            effective_from=D2026, effective_to=None, document="D005", clause="第一条", text="…",
        )  # fmt: skip
    assert "TRN-UPSKILL.level3" in str(exc.value.message) and "区间" in str(exc.value.message)
    assert "value" in exc.value.fields


def test_a_value_of_the_wrong_type_is_refused(drafter):
    draft = _draft_with_notice(drafter)
    with pytest.raises(DomainError) as exc:
        services.draft_version_add(
            draft=draft, actor=drafter, parameter="TRN-UPSKILL.shortage_max_level", value="2.5",
            effective_from=D2026, effective_to=None, document="D005", clause="第一条", text="…",
        )  # fmt: skip
    assert "整数" in str(exc.value.message)


@pytest.mark.parametrize(
    ("field", "kw"), [("document", {"document": ""}), ("clause", {"clause": ""}), ("text", {"text": " "})]
)
def test_a_missing_citation_is_refused(drafter, field, kw):
    draft = _draft_with_notice(drafter)
    args = dict(
        draft=draft, actor=drafter, parameter="TRN-UPSKILL.level5", value="1000", effective_from=D2026,
        effective_to=None, document="D005", clause="第一条", text="按等级给予补贴。",
    )  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.draft_version_add(**{**args, **kw})
    assert "缺少引用" in str(exc.value.message) and field in exc.value.fields


def test_parse_value_tells_a_range_from_an_amount():
    with pytest.raises(P.ParameterFileError, match="is a range"):
        P.parse_value("1000~3000", "yuan", "x")
    assert P.parse_value("3000", "yuan", "x") == Decimal("3000")


# ---- in force from its effective date; past events unchanged ------------------------------------------


def test_a_published_version_is_used_from_its_effective_date_and_not_before(drafter, checker):
    with pytest.raises(E.NotInForce):
        E.evaluate("TRN-PROJECT", datetime.date(2026, 6, 1), FACTS)
    before_2025 = E.evaluate("TRN-PROJECT", datetime.date(2025, 6, 1), FACTS).as_dict()
    _published(drafter, checker, value="3200")
    outcome = E.evaluate("TRN-PROJECT", datetime.date(2026, 6, 1), FACTS)
    assert outcome.amount == Decimal("3200.00")
    assert outcome.sources[0]["document"] == "D005"
    with pytest.raises(E.NotInForce):
        E.evaluate("TRN-PROJECT", datetime.date(2027, 1, 1), FACTS)
    # An event dated before keeps the version of its date.
    assert E.evaluate("TRN-PROJECT", datetime.date(2025, 6, 1), FACTS).as_dict() == before_2025


def test_a_continuation_carries_the_documents_versions_on(drafter, checker):
    draft = services.draft_continuation_create(
        actor=drafter, document="D002", until=datetime.date(2026, 12, 31), citation_document="D002",
        clause="延续执行通知", text="D002 继续执行至2026年12月31日。",
    )  # fmt: skip
    assert draft.versions.filter(parameter="TRN-PROJECT.cap").exists()
    assert not draft.versions.filter(parameter="TRN-UPSKILL.shortage_uplift").exists()  # D003's, not D002's
    services.draft_submit(draft=draft, actor=drafter)
    services.draft_approve(draft=draft, actor=checker)
    assert PolicyDocument.objects.get(key="D002").valid_to == datetime.date(2026, 12, 31)
    assert E.evaluate("TRN-PROJECT", datetime.date(2026, 6, 1), FACTS).amount == Decimal("3000.00")


# ---- withdrawal --------------------------------------------------------------------------------------


def test_a_published_version_is_withdrawn_before_its_effective_date(drafter, checker):
    draft = _published(drafter, checker)
    services.draft_withdraw(draft=draft, actor=checker, today=datetime.date(2025, 12, 1))
    draft.refresh_from_db()
    assert draft.state == DraftState.WITHDRAWN
    with pytest.raises(E.NotInForce):
        E.evaluate("TRN-PROJECT", datetime.date(2026, 6, 1), FACTS)
    assert PolicyRevision.objects.get(pk=1).number == 2


def test_but_not_once_it_took_effect(drafter, checker):
    draft = _published(drafter, checker)
    with pytest.raises(DomainError) as exc:
        services.draft_withdraw(draft=draft, actor=checker, today=datetime.date(2026, 1, 1))
    assert exc.value.code == "version_in_effect"
    assert "起草新版本" in str(exc.value.message)


def test_a_published_draft_cannot_be_edited(drafter, checker):
    draft = _published(drafter, checker)
    with pytest.raises(DomainError) as exc:
        services.draft_version_add(
            draft=draft, actor=drafter, parameter="TRN-UPSKILL.level5", value="1000", effective_from=D2026,
            effective_to=None, document="D005", clause="第一条", text="…",
        )  # fmt: skip
    assert exc.value.code == "draft_not_editable"


# ---- the cache across processes ----------------------------------------------------------------------


def test_another_process_sees_a_publication_on_its_next_request(drafter, checker):
    """Another process: its overlay was read before the publication (revision 0). Publishing here
    raises the counter; its next request makes a check due and the lookup reloads."""
    assert P.parameters()["TRN-PROJECT.cap"].version_on(datetime.date(2026, 6, 1)) is None
    stale_revision = published.revision()
    _published(drafter, checker)
    # Simulate the other process: the state it held before (no overlay, the old revision) …
    published._clear(revision=stale_revision, versions=(), documents=())
    published._state.due = False
    assert P.parameters()["TRN-PROJECT.cap"].version_on(datetime.date(2026, 6, 1)) is None  # between requests
    published.check_due()  # … its next request starts
    version = P.parameters()["TRN-PROJECT.cap"].version_on(datetime.date(2026, 6, 1))
    assert version is not None and version.value == Decimal("3200")
    assert published.revision() == PolicyRevision.objects.get(pk=1).number


def test_a_request_reloads_the_overlay_when_the_revision_moved(drafter, checker, client):
    _published(drafter, checker)
    published._clear(revision=0, versions=(), documents=())
    client.get("/policy/calculator/?rule=TRN-PROJECT&date=2026-06-01&project_standard=3600&completed=true")
    assert published.revision() == PolicyRevision.objects.get(pk=1).number
    page = client.get(
        "/policy/calculator/?rule=TRN-PROJECT&date=2026-06-01&project_standard=3600&completed=true"
    )
    assert "没有有效版本" not in page.content.decode() and "3,200.00" in page.content.decode()


def test_documents_include_the_bureaus_published_ones(drafter, checker):
    _published(drafter, checker)
    assert P.documents()["D005"].title == "关于延续执行项目制培训补贴的通知"
    assert {d.key for d in document_records()} >= {"D000", "D005"}


def test_the_batch_path_of_settlement_uses_the_published_version_per_row_date(drafter, checker):
    import polars as pl

    from skillcity.policy.batch import evaluate_table

    df = pl.DataFrame(
        {
            "date": ["2025-12-31", "2026-01-01"],
            "project_standard": ["3600", "3600"],
            "completed": [True, True],
        }
    )
    before = evaluate_table("TRN-PROJECT", df)
    assert before["in_force"].to_list() == [True, False]
    _published(drafter, checker, value="3200")
    after = evaluate_table("TRN-PROJECT", df)
    assert after["in_force"].to_list() == [True, True]
    assert after["amount_fen"].to_list() == [300000, 320000]


def test_the_gap_named_is_clipped_to_the_documents_validity(drafter):
    """A version from 2028-03-01 citing a document in force from 2028-01-01: the gap refused is the
    document's own two months, not everything since the last shipped version ended."""
    draft = services.draft_create(actor=drafter, title="x")
    services.document_register(
        draft=draft, actor=drafter, key="D006", title="通知", issuer="市人社局",
        effective_from=datetime.date(2028, 1, 1), effective_to=datetime.date(2028, 12, 31),
    )  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.draft_version_add(
            draft=draft, actor=drafter, parameter="TRN-PROJECT.cap", value="3000",
            effective_from=datetime.date(2028, 3, 1), effective_to=datetime.date(2028, 12, 31),
            document="D006", clause="第一条", text="…",
        )  # fmt: skip
    assert "2028-01-01 至 2028-02-29 没有版本" in str(exc.value.message)


def test_an_approved_continuation_is_exported_with_the_extended_validity(drafter, checker, tmp_path):
    """The continuation's end is laid over the shipped document, so params.documents() and export-pack
    carry it: the export passes check-pack and D001 runs to 2026-12-31 there as its versions do."""
    from skillcity.policy.pack import loader
    from skillcity.policy.pack.export import export_pack

    draft = services.draft_continuation_create(
        actor=drafter, document="D001", until=datetime.date(2026, 12, 31), citation_document="D001",
        clause="延续执行通知", text="D001 继续执行至2026年12月31日。",
    )  # fmt: skip
    services.draft_submit(draft=draft, actor=drafter)
    services.draft_approve(draft=draft, actor=checker)
    assert P.documents()["D001"].effective_to == datetime.date(2026, 12, 31)
    export_pack(tmp_path / "export")
    exported, problems = loader.check(tmp_path / "export")
    assert problems == []
    assert exported is not None
    assert exported.documents["D001"].effective_to == datetime.date(2026, 12, 31)
    assert exported.documents["D001"].title == P.documents()["D001"].title


def test_a_bureau_documents_number_and_issue_date_are_exported(drafter, checker, tmp_path):
    from skillcity.policy.pack import loader
    from skillcity.policy.pack.export import export_pack

    draft = services.draft_create(actor=drafter, title="x")
    services.document_register(
        draft=draft, actor=drafter, key="D005", title="通知", issuer="市人社局", number="东人社〔2026〕1号",
        issued=datetime.date(2025, 12, 20), effective_from=D2026, effective_to=datetime.date(2026, 12, 31),
    )  # fmt: skip
    services.draft_version_add(
        draft=draft, actor=drafter, parameter="TRN-PROJECT.cap", value="3200", effective_from=D2026,
        effective_to=datetime.date(2026, 12, 31), document="D005", clause="第一条", text="…",
    )  # fmt: skip
    services.draft_submit(draft=draft, actor=drafter)
    services.draft_approve(draft=draft, actor=checker)
    assert P.documents()["D005"].number == "东人社〔2026〕1号"
    export_pack(tmp_path / "export")
    exported, problems = loader.check(tmp_path / "export")
    assert problems == [] and exported is not None
    assert exported.documents["D005"].number == "东人社〔2026〕1号"
    assert exported.documents["D005"].issued == datetime.date(2025, 12, 20)


def test_a_published_drafts_diff_still_compares_with_the_version_it_follows(drafter, checker):
    """After approval the draft's own version is among the parameter's versions; the diff keeps
    showing the version it follows (D002/D003's cap ending 2025-12-31), never itself."""
    from skillcity.policy.lifecycle.preview import draft_diff

    draft = _draft_with_notice(drafter, value="3200")
    before = draft_diff(draft)
    services.draft_submit(draft=draft, actor=drafter)
    services.draft_approve(draft=draft, actor=checker, note="同意")
    after = draft_diff(draft)
    assert [(r.old_value, r.old_span, r.old_citation) for r in after] == [
        (r.old_value, r.old_span, r.old_citation) for r in before
    ]
    assert after[0].old_citation != after[0].new_citation and not after[0].old_citation.startswith("D005")

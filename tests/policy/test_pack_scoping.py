"""What the bureau publishes belongs to the pack it was published under: after another pack is
selected, those versions and documents are not laid over, cited, listed or exported, and a published
version whose parameter the active pack lacks never fails a page."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.test import override_settings

from skillcity.accounts.models import Role
from skillcity.core.errors import Conflict
from skillcity.policy import params as P
from skillcity.policy import published
from skillcity.policy.apps import other_pack_rows_check
from skillcity.policy.lifecycle import selectors, services
from skillcity.policy.lifecycle.documents import document_records
from skillcity.policy.lifecycle.services._common import _citable_documents
from skillcity.policy.models import DraftState, DraftVersion, PolicyDocument, PolicyDraft
from skillcity.policy.pack import loader
from skillcity.policy.pack.export import export_pack
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEST_PACKS = str(Path(__file__).resolve().parent.parent / "packs")
TEST_CITY = override_settings(POLICY_PACK="testcity", POLICY_PACK_DIRS=[TEST_PACKS])
D2026, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def drafter(db):
    return UserFactory(username="officer_a", role=Role.BUREAU_OFFICER)


@pytest.fixture
def checker(db):
    return UserFactory(username="officer_b", role=Role.BUREAU_OFFICER)


@pytest.fixture(autouse=True)
def _fresh_overlay():
    published.reset()
    yield
    published.reset()


def _publish_under_dongguan(drafter, checker) -> PolicyDraft:
    draft = services.draft_create(actor=drafter, title="2026年项目制培训补贴")
    services.document_register(
        draft=draft, actor=drafter, key="D005", title="通知", issuer="东莞市人力资源和社会保障局",
        effective_from=D2026, effective_to=END,
    )  # fmt: skip
    services.draft_version_add(
        draft=draft, actor=drafter, parameter="TRN-PROJECT.cap", value="3200", effective_from=D2026,
        effective_to=END, document="D005", clause="第一条", text="每人最高3200元。",
    )  # fmt: skip
    services.draft_submit(draft=draft, actor=drafter)
    return services.draft_approve(draft=draft, actor=checker)


def test_drafts_and_bureau_documents_record_their_pack(drafter, checker):
    draft = _publish_under_dongguan(drafter, checker)
    assert draft.pack == "dongguan"
    assert PolicyDocument.objects.get(key="D005").pack == "dongguan"
    with TEST_CITY:
        other = services.draft_create(actor=drafter, title="小城")
    assert other.pack == "testcity"


def test_another_packs_published_versions_are_not_laid_over(drafter, checker, tmp_path):
    _publish_under_dongguan(drafter, checker)
    assert [v.document for v in P.parameters()["TRN-PROJECT.cap"].versions][-1] == "D005"
    with TEST_CITY:
        cap = P.parameters()["TRN-PROJECT.cap"]
        assert [v.document for v in cap.versions] == ["T001"]  # one version, not two overlapping
        assert "D005" not in P.documents()
        assert "D005" not in _citable_documents()
        keys = {d.key for d in document_records()}
        assert "D005" not in keys and "T001" in keys
        assert not selectors.drafts().exists()
        export_pack(tmp_path / "export")
        _pack, problems = loader.check(tmp_path / "export")
        assert problems == []
        assert other_pack_rows_check() == []  # without a database to read: nothing
        warnings = other_pack_rows_check(databases=["default"])
        assert [w.id for w in warnings] == ["policy.W001"] and "dongguan" in warnings[0].msg
    with override_settings(POLICY_PACK="guangdong"):  # a pack without Dongguan's documents or amounts
        assert (
            "TRN-PROJECT.cap" not in P.parameters()
        )  # was: ParameterFileError "published: unknown parameter"
        keys = {d.key for d in document_records()}
        assert "D004" in keys and "D002" not in keys and "D005" not in keys
    assert other_pack_rows_check(databases=["default"]) == []
    assert "D005" in P.documents()  # back under dongguan: its own again


def test_a_draft_of_another_pack_cannot_be_approved_there(drafter, checker):
    draft = services.draft_create(actor=drafter, title="x")
    with TEST_CITY, pytest.raises(Conflict) as exc:
        services.draft_submit(draft=draft, actor=drafter)
    assert exc.value.code == "draft_other_pack"


def test_a_published_version_of_a_parameter_the_pack_lacks_is_not_laid_over(drafter, checker):
    """A row left from an older pack (or a parameter a pack dropped) must never fail a lookup."""
    draft = _publish_under_dongguan(drafter, checker)
    DraftVersion.objects.create(
        draft=draft, parameter="NOPE.gone", value="1", effective_from=D2026, effective_to=END,
        document=PolicyDocument.objects.get(key="D005"), clause="第一条", text="…",
    )  # fmt: skip
    published.reset()
    ps = P.parameters()
    assert "NOPE.gone" not in ps
    assert ps["TRN-PROJECT.cap"].versions[-1].document == "D005"
    assert PolicyDraft.objects.get(pk=draft.pk).state == DraftState.APPROVED

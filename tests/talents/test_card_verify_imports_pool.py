"""Public verification (valid, revoked, forged, a certificate's QR), the imports (all or nothing, each
bad row by number and column), the pool's filters and masked export, the honours share."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from skillcity.certification import signing
from skillcity.core.models import AuditEvent
from skillcity.registry.models import SkillRecord
from skillcity.talents.models import HonourList, StudioLead, TitleAward
from skillcity.talents.selectors.cards import card_eligibility, verify_card_token
from skillcity.talents.selectors.pool import edu_equiv_table, honour_share, pool_queryset
from skillcity.talents.services import card_imports, cards, honours
from tests.factories import IndustryFactory, OrganisationFactory, WorkerFactory
from tests.talents.conftest import certify, honour, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(changan_worker, worker_user, bureau_officer):
    honour(changan_worker, "chief_technician", bureau_officer)
    return cards.card_apply(worker=changan_worker, actor=worker_user)


def test_a_valid_card_verifies_with_the_holder_masked(card):
    result = verify_card_token(card.qr_token)
    assert result.status == "valid"
    assert result.card["name_masked"] == "陈*安" and result.card["number"] == card.number
    assert result.card["grounds"] == ["持有“首席技师”称号"]


def test_a_revoked_card_verifies_as_revoked_with_the_reason(card, bureau_officer):
    cards.card_revoke(card=card, reason="误发", actor=bureau_officer)
    result = verify_card_token(f"https://example.org/talents/cards/verify/?qr={card.qr_token}")
    assert result.status == "revoked" and "误发" in result.message


def test_a_forged_card_is_refused(card):
    body, signature = card.qr_token.split(".")
    payload = json.loads(signing._b64decode(body))
    payload["nm"] = "张三"
    forged = signing._b64encode(json.dumps(payload, ensure_ascii=False).encode()) + "." + signature
    assert verify_card_token(forged).status == "tampered"
    assert verify_card_token("not-a-token").status == "tampered"


def test_a_certificate_qr_is_not_taken_for_a_card(
    evaluator, lathe, humen_worker, bureau_officer, changan_worker
):
    certificate = certify(evaluator, lathe, changan_worker, bureau_officer, level=3)
    result = verify_card_token(certificate.qr_token)
    assert result.status == "not_found" and "不是优才卡" in result.message


def test_the_public_page_and_api_verify(client, card):
    cache.clear()
    page = client.get("/talents/cards/verify/", {"qr": card.qr_token})
    assert page.status_code == 200 and 'data-status="valid"' in page.content.decode()
    assert card.worker.id_number not in page.content.decode()
    api = client.post(
        "/api/v1/talents/cards/verify", {"qr": card.qr_token + "x"}, content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["status"] == "tampered"


# --- imports ---------------------------------------------------------------------------------------


def test_the_titles_import_is_all_or_nothing_listing_every_bad_row(
    changan_worker, humen_worker, bureau_officer
):
    content = xlsx(
        [
            ["身份证号码", "姓名", "称号", "授予日期", "认定文号"],
            [changan_worker.id_number, changan_worker.name, "莞邑工匠", "2025-05-01", "东人社〔2025〕12号"],
            [humen_worker.id_number, "王五", "首席技师", "2025-05-01", ""],
            ["441900199001010000", "无名", "莞邑工匠", "2025-05-01", ""],
            [changan_worker.id_number, changan_worker.name, "劳动模范", "明天", ""],
        ]
    )
    result = card_imports.titles_import(filename="titles.xlsx", content=content, actor=bureau_officer)
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert {(3, "姓名"), (4, "身份证号码"), (5, "称号"), (5, "授予日期")} <= found
    assert not TitleAward.objects.exists() and not SkillRecord.objects.filter(kind="honour").exists()


def test_imported_titles_and_studio_leads_feed_the_card(changan_worker, humen_worker, bureau_officer):
    titles = xlsx(
        [
            ["身份证号码", "姓名", "称号", "授予日期"],
            [changan_worker.id_number, changan_worker.name, "莞邑工匠", datetime.date(2025, 5, 1)],
        ]
    )
    assert card_imports.titles_import(filename="t.xlsx", content=titles, actor=bureau_officer).created == 1
    assert card_eligibility(changan_worker).eligible
    again = card_imports.titles_import(filename="t.xlsx", content=titles, actor=bureau_officer)
    assert [(e.row, e.column) for e in again.errors] == [(2, "称号")]
    studios = xlsx(
        [
            ["身份证号码", "姓名", "工作室名称", "级别", "认定日期"],
            [humen_worker.id_number, humen_worker.name, "虎门服装技能大师工作室", "省级", "2024-09-01"],
        ]
    )
    assert card_imports.studios_import(filename="s.xlsx", content=studios, actor=bureau_officer).created == 1
    assert StudioLead.objects.get().level == "provincial"
    assert any("省级" in g for g in card_eligibility(humen_worker).extra["grounds"])
    assert AuditEvent.objects.filter(action="studio_lead.import").exists()


def test_the_studio_import_names_bad_levels_missing_columns_and_duplicates(changan_worker, bureau_officer):
    missing = xlsx(
        [["身份证号码", "姓名", "工作室名称"], [changan_worker.id_number, changan_worker.name, "甲"]]
    )
    result = card_imports.studios_import(filename="s.xlsx", content=missing, actor=bureau_officer)
    assert {(e.row, e.column, e.reason) for e in result.errors} == {
        (1, "级别", "缺少必填列"),
        (1, "认定日期", "缺少必填列"),
    }
    rows = [
        ["身份证号码", "姓名", "工作室名称", "级别", "认定日期"],
        [changan_worker.id_number, changan_worker.name, "甲", "区级", "2024-01-01"],
        [changan_worker.id_number, changan_worker.name, "乙", "市级", "2024-01-01"],
        [changan_worker.id_number, changan_worker.name, "乙", "市级", "2024-01-01"],
    ]
    result = card_imports.studios_import(filename="s.xlsx", content=xlsx(rows), actor=bureau_officer)
    assert [(e.row, e.column) for e in result.errors] == [(2, "级别"), (4, "工作室名称")]
    assert not StudioLead.objects.exists()
    assert not card_imports.studios_import(filename="s.csv", content=b"x", actor=bureau_officer).ok


def test_only_the_bureau_imports(changan_officer):
    from skillcity.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        card_imports.titles_import(filename="t.xlsx", content=b"", actor=changan_officer)


# --- the honours share -----------------------------------------------------------------------------


def test_the_honours_share_matches_by_id_number_and_names_who_counted(bureau_officer, changan):
    skilled = WorkerFactory(town=changan, name="甲", highest_level=3)
    unskilled = WorkerFactory(town=changan, name="乙", highest_level=None)
    outsider = "44190019850101002X"
    from skillcity.core.validators import resident_id_check_char

    outsider = outsider[:17] + resident_id_check_char(outsider[:17])
    content = xlsx(
        [
            ["姓名", "身份证号码", "工作单位"],
            ["甲", skilled.id_number, "甲厂"],
            ["乙", unskilled.id_number, "乙厂"],
            ["丙", outsider, ""],
            ["丁", "123", ""],
        ]
    )
    bad = honours.honours_import(
        award="五一劳动奖章", year=2025, filename="h.xlsx", content=content, actor=bureau_officer
    )
    assert [(e.row, e.column) for e in bad.errors] == [(5, "身份证号码")]
    assert not HonourList.objects.exists()
    good = honours.honours_import(
        award="五一劳动奖章",
        year=2025,
        filename="h.xlsx",
        content=xlsx(load_rows(content)[:4]),
        actor=bureau_officer,
    )
    assert good.created == 3
    outcome, rows = honour_share(HonourList.objects.get())
    assert [r.counted for r in rows] == [True, False, False]
    assert rows[0].worker == skilled and "三级" in rows[0].why
    assert rows[2].worker is None and rows[2].id_number_masked.startswith("4419*")
    assert outcome.eligible and outcome.extra["share_percent"] == "33.33"
    assert "20" in outcome.reasons[0]
    again = honours.honours_import(
        award="五一劳动奖章", year=2025, filename="h.xlsx", content=content, actor=bureau_officer
    )
    assert again.errors[0].column == "荣誉名称"


def load_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_below_the_floor_is_reported(bureau_officer, changan):
    winners = [WorkerFactory(town=changan, highest_level=None) for _ in range(5)]
    rows = [["姓名", "身份证号码"]] + [[w.name, w.id_number] for w in winners]
    honours.honours_import(
        award="三八红旗手", year=2025, filename="h.xlsx", content=xlsx(rows), actor=bureau_officer
    )
    outcome, _rows = honour_share(HonourList.objects.get())
    assert not outcome.eligible and "未达到" in outcome.reasons[0]


# --- the pool --------------------------------------------------------------------------------------


def test_the_pool_holds_level_3_and_above_and_filters(bureau_officer, changan, humen, changan_officer, lathe):
    industry = IndustryFactory()
    employer = OrganisationFactory(town=changan, industry=industry)
    a = WorkerFactory(town=changan, employer=employer, highest_level=2)
    SkillRecord.objects.create(
        worker=a, kind="skill_level", level=2, occupation=lathe, obtained_on=datetime.date(2024, 1, 1)
    )
    honour(a, "dongguan_craftsman", bureau_officer)
    b = WorkerFactory(town=humen, highest_level=3)
    WorkerFactory(town=changan, highest_level=4)
    assert set(pool_queryset(bureau_officer, {})) == {a, b}
    assert list(pool_queryset(bureau_officer, {"town": humen.pk})) == [b]
    assert list(pool_queryset(bureau_officer, {"industry": industry.pk})) == [a]
    assert list(pool_queryset(bureau_officer, {"occupation": lathe.code})) == [a]
    assert list(pool_queryset(bureau_officer, {"level": 3})) == [b]
    assert list(pool_queryset(changan_officer, {})) == [a]


def test_the_pool_exports_masked(client, bureau_officer, changan, lathe):
    a = WorkerFactory(town=changan, highest_level=2, phone="13912345678")
    honour(a, "chief_technician", bureau_officer)
    client.force_login(bureau_officer)
    response = client.get("/talents/pool/", {"export": "xlsx"})
    assert response.status_code == 200
    rows = load_rows(response.content)
    assert rows[0][1] == "身份证号码（脱敏）"
    assert rows[1][1] == a.id_number_masked and a.id_number not in str(rows)
    assert rows[1][2] == "139****5678" and "首席技师" in rows[1][8]


def test_edu_equiv_marks_the_class_matching_the_workers_level(changan):
    rows, _note = edu_equiv_table(WorkerFactory(town=changan, highest_level=3))
    assert [(r.class_label, r.equivalent, r.matches) for r in rows] == [
        ("中级工班", "中专", False),
        ("高级工班", "大专", True),
        ("预备技师（技师）班", "本科", False),
    ]

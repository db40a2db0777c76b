"""Policy packs: the shipped ones pass check-pack, Dongguan extends Guangdong, a setting selects the pack,
and the CLI and API take a pack."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from skillcity.policy import engine as E
from skillcity.policy import params as P
from skillcity.policy.pack import loader

TEST_PACKS = str(Path(__file__).resolve().parent.parent / "packs")
FACTS = {"project_standard": "2800", "completed": True}


def test_every_shipped_pack_passes_check_pack() -> None:
    shipped = sorted(p for p in loader.SHIPPED.iterdir() if (p / "pack.yaml").is_file())
    assert [p.name for p in shipped] == ["dongguan", "guangdong"]
    for folder in shipped:
        pack, problems = loader.check(folder)
        assert problems == [] and pack is not None, folder.name
    out = io.StringIO()
    call_command("policy", "check-pack", *(str(p) for p in shipped), stdout=out)
    assert out.getvalue().count("通过") == 2


def test_the_test_pack_passes_check_pack() -> None:
    pack, problems = loader.check(Path(TEST_PACKS) / "testcity")
    assert problems == [] and pack is not None


def test_the_payee_rule_of_d004_sits_in_guangdongs_pack_only() -> None:
    guangdong, dongguan = loader.load("guangdong"), loader.load("dongguan")
    assert guangdong.jurisdiction == {"code": "440000", "name": "广东省"}
    assert guangdong.rules == ("TRN-PAYEE",)
    assert (
        set(guangdong.documents) == {"D004"} and guangdong.documents["D004"].number == "粤人社函〔2021〕53号"
    )
    assert guangdong.documents["D004"].issued == datetime.date(2021, 3, 8)
    assert guangdong.origins["TRN-PAYEE.employer_trains_own_staff"] == "guangdong/training.yaml"
    assert guangdong.targets["T-PROVINCE"]["value"] == 1000000
    assert guangdong.targets["T-PROVINCE"]["source"]["document"] == "D004"
    # Dongguan inherits them; its own files define neither D004 nor TRN-PAYEE.
    assert dongguan.base == "guangdong"
    assert dongguan.origins["TRN-PAYEE.employer_trains_own_staff"] == "guangdong/training.yaml"
    own = (loader.SHIPPED / "dongguan").glob("*.yaml")
    assert not any(
        "TRN-PAYEE." in f.read_text(encoding="utf-8") or "\nD004:" in f.read_text(encoding="utf-8")
        for f in own
    )
    # Dongguan enables every rule of the shared library, TRN-PAYEE through its base.
    assert set(dongguan.rules) == set(E.load_rules())


def test_dongguan_is_the_default_pack_and_the_accessors_keep_their_names() -> None:
    assert loader.active_name() == "dongguan"
    assert P.parameters() is P.parameters("dongguan")
    assert P.documents() is P.documents("dongguan")
    assert P.parameters()["TRN-PROJECT.cap"].versions[0].value == Decimal("3000")


@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_the_setting_selects_the_pack_and_the_cache_follows_it() -> None:
    assert P.parameters()["TRN-PROJECT.cap"].versions[0].document == "D002"
    with override_settings(POLICY_PACK="testcity"):
        assert loader.active_name() == "testcity"
        cap = P.parameters()["TRN-PROJECT.cap"]
        assert [(v.value, v.document) for v in cap.versions] == [(Decimal("2500"), "T001")]
        assert "T001" in P.documents()
        assert E.evaluate("TRN-PROJECT", "2026-03-01", FACTS).amount == Decimal("2500.00")
    assert E.evaluate("TRN-PROJECT", "2024-03-01", FACTS).amount == Decimal("2800.00")


@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_the_test_city_overrides_extends_and_leaves_dongguans_parameters() -> None:
    city, dongguan = P.parameters("testcity"), P.parameters("dongguan")
    # override: only the city's version
    assert [v.document for v in city["TRN-UPSKILL.level5"].versions] == ["T001"]
    # extend: Dongguan's versions, then the city's from 2026
    assert [v.document for v in city["TRN-UPSKILL.shortage_uplift"].versions] == ["D002", "D003", "T001"]
    assert city["TRN-UPSKILL.shortage_uplift"].version_on(datetime.date(2026, 5, 1)).value == Decimal("1.2")  # type: ignore[union-attr]
    assert [v.document for v in city["TRN-PAYEE.employer_trains_own_staff"].versions] == ["D004", "T001"]
    # leave: Dongguan's as they are
    assert city["TRN-SUBBASE-COURSE.category_a"] == dongguan["TRN-SUBBASE-COURSE.category_a"]
    assert E.evaluate(
        "TRN-SUBBASE-COURSE",
        "2024-05-01",
        {"course_category": "A", "accepted": True, "trainees": 2},
        pack="testcity",
    ).amount == Decimal("3000.00")
    with pytest.raises(E.NotInForce):  # overridden: Dongguan's 2022–2025 cap is not the city's
        E.evaluate("TRN-PROJECT", "2024-03-01", FACTS, pack="testcity")


@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_a_rule_the_pack_does_not_enable_is_an_unknown_rule_for_it() -> None:
    assert set(E.enabled_rules("testcity")) == {
        "TRN-PAYEE",
        "TRN-PROJECT",
        "TRN-SUBBASE-COURSE",
        "TRN-UPSKILL",
    }
    assert [r["id"] for r in E.list_rules("testcity")] == [
        "TRN-PAYEE",
        "TRN-PROJECT",
        "TRN-SUBBASE-COURSE",
        "TRN-UPSKILL",
    ]
    with pytest.raises(E.BadFacts) as exc:
        E.evaluate("CMP-HOST", "2026-03-01", {"competition_level": "city_class1"}, pack="testcity")
    assert exc.value.code == "unknown_rule" and "rule" in exc.value.fields
    assert E.get_rule("CMP-HOST", "dongguan").id == "CMP-HOST"


def test_an_unknown_pack_names_the_field() -> None:
    with pytest.raises(loader.UnknownPack) as exc:
        P.parameters("atlantis")
    assert exc.value.status == 422 and exc.value.code == "unknown_pack" and "pack" in exc.value.fields
    assert "dongguan" in str(exc.value.message)


@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_cli_packs_lists_every_pack_with_its_jurisdiction_and_base() -> None:
    out = io.StringIO()
    call_command("policy", "packs", stdout=out)
    rows = {r["name"]: r for r in json.loads(out.getvalue())}
    assert set(rows) == {"dongguan", "guangdong", "testcity"}
    assert rows["dongguan"] == {
        "name": "dongguan",
        "title": "东莞市",
        "jurisdiction": {"code": "441900", "name": "东莞市"},
        "base": "guangdong",
        "active": True,
    }
    assert rows["guangdong"]["base"] is None and rows["testcity"]["base"] == "dongguan"


@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_cli_list_eval_and_parameters_take_a_pack() -> None:
    out = io.StringIO()
    call_command("policy", "list", "--pack", "testcity", stdout=out)
    assert [r["id"] for r in json.loads(out.getvalue())] == [
        "TRN-PAYEE",
        "TRN-PROJECT",
        "TRN-SUBBASE-COURSE",
        "TRN-UPSKILL",
    ]
    out = io.StringIO()
    call_command(
        "policy",
        "eval",
        "TRN-PROJECT",
        "--pack",
        "testcity",
        "--date",
        "2026-03-01",
        "--facts",
        json.dumps(FACTS),
        stdout=out,
    )
    outcome = json.loads(out.getvalue())
    assert (outcome["amount"], outcome["sources"][0]["document"]) == ("2500.00", "T001")
    out = io.StringIO()
    call_command("policy", "parameters", "--pack", "guangdong", stdout=out)
    assert [r["name"] for r in json.loads(out.getvalue())] == ["TRN-PAYEE.employer_trains_own_staff"]


@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_cli_exit_codes_with_a_pack() -> None:
    with pytest.raises(CommandError) as exc:
        call_command(
            "policy", "eval", "CMP-HOST", "--pack", "testcity", "--date", "2026-03-01", stdout=io.StringIO()
        )
    assert exc.value.returncode == 2 and "CMP-HOST" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("policy", "list", "--pack", "atlantis", stdout=io.StringIO())
    assert exc.value.returncode == 2 and "atlantis" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command(
            "policy",
            "eval",
            "TRN-PROJECT",
            "--pack",
            "testcity",
            "--date",
            "2025-03-01",
            "--facts",
            json.dumps(FACTS),
            stdout=io.StringIO(),
        )
    assert exc.value.returncode == 3


@pytest.mark.django_db
@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_api_evaluate_takes_an_optional_pack() -> None:
    client = Client()

    def post(body: dict[str, object]) -> tuple[int, dict[str, object]]:
        r = client.post("/api/v1/policy/evaluate", json.dumps(body), content_type="application/json")
        return r.status_code, r.json()

    status, outcome = post({"rule": "TRN-PROJECT", "date": "2026-03-01", "facts": FACTS, "pack": "testcity"})
    assert status == 200 and outcome["amount"] == "2500.00"
    status, outcome = post({"rule": "TRN-PROJECT", "date": "2024-03-01", "facts": FACTS})
    assert status == 200 and outcome["amount"] == "2800.00"  # no pack: the active one
    status, error = post({"rule": "TRN-PROJECT", "date": "2024-03-01", "facts": FACTS, "pack": "atlantis"})
    assert status == 422 and error["code"] == "unknown_pack" and "pack" in error["fields"]  # type: ignore[operator]
    status, error = post({"rule": "CMP-HOST", "date": "2026-03-01", "facts": {}, "pack": "testcity"})
    assert status == 422 and error["code"] == "unknown_rule"
    status, error = post({"rule": "TRN-PROJECT", "date": "2024-03-01", "facts": FACTS, "pack": "testcity"})
    assert status == 409
    rules = client.get("/api/v1/policy/rules?pack=testcity").json()
    assert len(rules) == 4


def test_packs_from_an_extra_folder_with_a_name_already_taken_are_refused(tmp_path: Path) -> None:
    clash = tmp_path / "elsewhere"
    clash.mkdir()
    (clash / "pack.yaml").write_text(
        (loader.SHIPPED / "guangdong" / "pack.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with override_settings(POLICY_PACK_DIRS=[str(tmp_path)]), pytest.raises(loader.PackError) as exc:
        P.parameters("guangdong")
    assert "elsewhere/pack.yaml:1: 政策包“guangdong”已由" in str(exc.value)


def test_the_system_check_names_an_unknown_or_broken_active_pack(tmp_path: Path) -> None:
    from skillcity.policy.apps import active_pack_check

    assert active_pack_check() == []
    with override_settings(POLICY_PACK="atlantis"):
        assert [e.id for e in active_pack_check()] == ["policy.E001"]
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text(
        "name: broken\njurisdiction: {code: '449904', name: 坏城}\nextra: 1\n", encoding="utf-8"
    )
    with override_settings(POLICY_PACK="broken", POLICY_PACK_DIRS=[str(tmp_path)]):
        errors = active_pack_check()
    assert [e.id for e in errors] == ["policy.E002"]
    assert "broken/pack.yaml:3: 未知的键“extra”" in errors[0].msg

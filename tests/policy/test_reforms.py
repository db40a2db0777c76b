"""Reforms side by side (issue 14 §4): a draft or a whole alternative pack as the what-if's scenario,
against what is in force, by town, rule and year, on the page, as .xlsx and from the command."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from skillcity.accounts.models import Role
from skillcity.policy import engine as E
from skillcity.policy import reforms as R
from skillcity.policy import simulate as S
from skillcity.policy.lifecycle import services
from skillcity.policy.lifecycle.preview import draft_parameter_set
from tests.factories import UserFactory
from tests.policy.drafting import continuation_draft

pytestmark = pytest.mark.django_db

TEST_PACKS = str(Path(__file__).resolve().parent.parent / "packs")
WITH_TEST_PACKS = override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
SPAN = (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))
D2026 = datetime.date(2026, 1, 1)

# (rule, date, town, facts) — 2025 under the shipped rules, 2026 when nothing shipped is in force.
CASES: list[tuple[str, str, str, dict[str, str]]] = [
    ("TRN-PROJECT", "2025-06-01", "长安镇", {"project_standard": "2800", "completed": "true"}),
    ("TRN-PROJECT", "2025-09-01", "虎门镇", {"project_standard": "3600", "completed": "true"}),
    ("TRN-PROJECT", "2026-03-01", "长安镇", {"project_standard": "2800", "completed": "true"}),
    ("TRN-PROJECT", "2026-05-01", "虎门镇", {"project_standard": "3600", "completed": "true"}),
    ("TRN-PROJECT", "2026-06-01", "虎门镇", {"project_standard": "3000", "completed": "false"}),
    (
        "TRN-UPSKILL",
        "2025-07-01",
        "长安镇",
        {"certificate_kind": "skill_level", "level": "4", "in_shortage_catalog": "false"},
    ),
    (
        "TRN-UPSKILL",
        "2026-07-01",
        "虎门镇",
        {"certificate_kind": "skill_level", "level": "4", "in_shortage_catalog": "false"},
    ),
    ("CMP-HOST", "2025-03-01", "长安镇", {"competition_level": "city_class1"}),
]
FACT_NAMES = sorted({name for *_, facts in CASES for name in facts})
TYPED = {"completed": lambda v: v == "true", "in_shortage_catalog": lambda v: v == "true", "level": int}


def _table(cases=CASES) -> pl.DataFrame:
    columns: dict[str, list[str | None]] = {"rule": [], "date": [], "town": [], **{f: [] for f in FACT_NAMES}}
    for rule, day, town, facts in cases:
        columns["rule"].append(rule)
        columns["date"].append(day)
        columns["town"].append(town)
        for name in FACT_NAMES:
            columns[name].append(facts.get(name))
    return pl.DataFrame(columns)


def _one_case(rule: str, day: str, facts: dict[str, str], **kw) -> Decimal:
    """What one case commits by the one-case engine: its amount, else its upper bound; 0 when not
    eligible, not in force, or not enabled."""
    typed = {k: TYPED.get(k, str)(v) for k, v in facts.items()}
    try:
        outcome = E.evaluate(rule, datetime.date.fromisoformat(day), typed, **kw)
    except (E.NotInForce, E.BadFacts):
        return Decimal("0.00")
    if not outcome.eligible:
        return Decimal("0.00")
    amount = outcome.amount if outcome.amount is not None else outcome.max
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def _sums(key, **kw) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for rule, day, town, facts in CASES:
        k = {"rule": rule, "town": town, "year": day[:4]}[key]
        sums[k] = sums.get(k, Decimal("0.00")) + _one_case(rule, day, facts, **kw)
    return sums


def _by(lines: list[S.Line]) -> dict[str, tuple[Decimal, Decimal]]:
    return {line.key: (line.baseline, line.scenario) for line in lines}


@pytest.fixture
def drafter(db):
    return UserFactory(username="officer_a", role=Role.BUREAU_OFFICER)


@pytest.fixture
def draft(drafter):
    """A continuation of the project cap at 3200 for 2026, as the bureau would draft it (not submitted)."""
    return continuation_draft(drafter, text="项目制培训补贴按每个项目每人最高3200元执行至2026年12月31日。")


# ---- a draft as the reform ----------------------------------------------------------------------------


def test_a_drafts_totals_are_the_one_case_engines_sums_by_rule_town_and_year(draft):
    result = R.run(_table(), R.resolve(draft=draft.pk), {}, *SPAN)
    scenario_set = draft_parameter_set(draft)
    for key, lines in (("rule", result.by_rule), ("town", result.by_town), ("year", result.by_year)):
        baseline = _sums(key)
        scenario = _sums(key, parameter_set=scenario_set)
        assert _by(lines) == {k: (baseline[k], scenario[k]) for k in baseline}, key
    # In 2026 only the draft's cap is in force: 2800 + min(3600, 3200); not completed: nothing.
    assert _by(result.by_year)["2026"] == (Decimal("0.00"), Decimal("6000.00"))
    # 2025 is the shipped rules on both sides: 2800 + 3000 + the level-4 1500 + CMP-HOST's cap.
    base_2025, scen_2025 = _by(result.by_year)["2025"]
    assert base_2025 == scen_2025 > Decimal("7300.00")
    assert result.total.difference == Decimal("6000.00")
    # Not in force on either side: only the 2026 level-4 certificate (the draft brings 2026's project cap).
    assert result.not_in_force == 1
    assert result.reform["kind"] == "draft" and str(draft.pk) in result.reform["label"]
    assert result.only_baseline == result.only_scenario == []


def test_overrides_lay_over_a_draft(draft):
    result = R.run(_table(), R.resolve(draft=draft.pk), {"TRN-PROJECT.cap": "2500"}, *SPAN)
    # The override replaces every version's value, the draft's 2026 one too: 2500 + 2500 in 2026.
    assert _by(result.by_year)["2026"] == (Decimal("0.00"), Decimal("5000.00"))


def test_a_withdrawn_or_unknown_draft_is_refused_naming_the_field(draft, drafter):
    with pytest.raises(S.SimulationError) as exc:
        R.resolve(draft="99999")
    assert exc.value.code == "unknown_draft" and "政策草案" in exc.value.fields["draft"]
    with pytest.raises(S.SimulationError) as exc:
        R.resolve(draft="abc")
    assert exc.value.code == "unknown_draft"
    services.draft_withdraw(draft=draft, actor=drafter)
    with pytest.raises(S.SimulationError) as exc:
        R.resolve(draft=draft.pk)
    assert exc.value.code == "withdrawn_draft" and "已撤回" in exc.value.fields["draft"]
    with pytest.raises(S.SimulationError) as exc:
        R.resolve(draft="1", pack="dongguan")
    assert exc.value.code == "two_reforms" and "pack" in exc.value.fields


# ---- a whole pack as the reform -------------------------------------------------------------------------


@WITH_TEST_PACKS
def test_another_pack_gives_the_differences_of_its_amounts():
    result = R.run(_table(), R.resolve(pack="testcity"), {}, *SPAN)
    years = _by(result.by_year)
    # 2026: nothing shipped is in force; 样例市 caps projects at 2500 (2 × 2500) and pays 1200 at level 4.
    assert years["2026"] == (Decimal("0.00"), Decimal("6200.00"))
    rules = _by(result.by_rule)
    # CMP-HOST is Dongguan's only: counted on the baseline side alone, and said so.
    assert result.only_baseline == ["CMP-HOST"] and result.only_scenario == []
    assert rules["CMP-HOST"][0] > 0 and rules["CMP-HOST"][1] == Decimal("0.00")
    # Every figure is the one-case engine's, under each pack.
    for key, lines in (("rule", result.by_rule), ("town", result.by_town), ("year", result.by_year)):
        baseline, scenario = _sums(key), _sums(key, pack="testcity")
        assert _by(lines) == {k: (baseline[k], scenario[k]) for k in baseline}, key
    assert result.reform == {"kind": "pack", "key": "testcity", "label": result.reform["label"]}


@override_settings(POLICY_PACK="testcity", POLICY_PACK_DIRS=[TEST_PACKS])
def test_a_rule_only_the_reform_enables_is_counted_on_its_side():
    result = R.run(_table(), R.resolve(pack="dongguan"), {}, *SPAN)
    assert result.only_scenario == ["CMP-HOST"] and result.only_baseline == []
    base, scen = _by(result.by_rule)["CMP-HOST"]
    assert base == Decimal("0.00") and scen > 0


def test_an_unknown_pack_is_refused_naming_the_field():
    with pytest.raises(S.SimulationError) as exc:
        R.resolve(pack="atlantis")
    assert exc.value.code == "unknown_pack"
    assert "政策包" in exc.value.fields["pack"] and "atlantis" in exc.value.fields["pack"]


def test_by_year_groups_without_a_reform_too():
    result = S.simulate(_table(), {"TRN-PROJECT.cap": "2500"}, *SPAN)
    assert [line.key for line in result.by_year] == ["2025", "2026"]
    assert _by(result.by_year)["2025"][1] - _by(result.by_year)["2025"][0] == Decimal("-800.00")
    assert sum(line.cases for line in result.by_year) == result.cases == len(CASES)


# ---- .xlsx ---------------------------------------------------------------------------------------------


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


@WITH_TEST_PACKS
def test_the_xlsx_has_the_same_figures_and_no_formula():
    result = R.run(_table(), R.resolve(pack="testcity"), {}, *SPAN)
    sheets = _sheets(R.result_xlsx(result))
    assert list(sheets) == ["汇总", "按镇街", "按规则", "按年度"]
    for title, lines in (("按镇街", result.by_town), ("按规则", result.by_rule), ("按年度", result.by_year)):
        rows = sheets[title][1:]
        expected = [
            (line.label, line.cases, float(line.baseline), float(line.scenario), float(line.difference))
            for line in [*lines, result.total]
        ]
        assert [(r[0], r[1], float(r[2]), float(r[3]), float(r[4])) for r in rows[:-1]] == expected[:-1]
        assert rows[-1][0] == "合计" and float(rows[-1][4]) == float(result.total.difference)
    for rows in sheets.values():
        for row in rows:
            assert not any(isinstance(v, str) and v.startswith("=") for v in row)
    assert ("仅现行政策启用的规则（只计入基线）", "CMP-HOST") in sheets["汇总"]


def test_a_town_named_like_a_formula_stays_text():
    cases = [
        ("TRN-PROJECT", "2025-06-01", '=HYPERLINK("x")', {"project_standard": "2800", "completed": "true"})
    ]
    result = S.simulate(_table(cases), {}, *SPAN)
    book = openpyxl.load_workbook(io.BytesIO(R.result_xlsx(result)))
    cell = book["按镇街"]["A2"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


# ---- the command ----------------------------------------------------------------------------------------


def _csv(tmp_path: Path) -> str:
    path = tmp_path / "cases.csv"
    _table().write_csv(path)
    return str(path)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("simulate", *args, stdout=out)
    return out.getvalue()


@WITH_TEST_PACKS
def test_the_command_takes_a_pack_and_prints_by_year(tmp_path):
    text = _run("--pack", "testcity", "--from", "2025-01-01", "--to", "2026-12-31", "--cases", _csv(tmp_path))
    assert "reform: pack testcity" in text and "By year" in text and "CMP-HOST" in text
    assert "Enabled only in the baseline (counted there alone): CMP-HOST" in text
    data = json.loads(
        _run(
            "--pack",
            "testcity",
            "--from",
            "2025-01-01",
            "--to",
            "2026-12-31",
            "--cases",
            _csv(tmp_path),
            "--json",
        )
    )
    assert {line["key"]: line["difference"] for line in data["by_year"]}["2026"] == "6200.00"


def test_the_command_takes_a_draft_and_writes_an_xlsx(draft, tmp_path):
    target = tmp_path / "out.xlsx"
    text = _run(
        "--draft", str(draft.pk), "--from", "2025-01-01", "--to", "2026-12-31", "--cases", _csv(tmp_path),
        "--xlsx", str(target),
    )  # fmt: skip
    assert f"reform: draft {draft.pk}" in text
    assert _sheets(target.read_bytes())["按年度"][2][4] == 6000


@WITH_TEST_PACKS
@pytest.mark.parametrize(
    ("args", "needle"),
    [(("--pack", "atlantis"), "atlantis"), (("--draft", "99999"), "99999"), (("--draft", "x"), "x")],
)
def test_the_command_exits_2_for_a_bad_pack_or_draft(args, needle, tmp_path):
    with pytest.raises(CommandError) as exc:
        _run(*args, "--from", "2025-01-01", "--to", "2026-12-31", "--cases", _csv(tmp_path))
    assert exc.value.returncode == 2 and needle in str(exc.value)


def test_the_command_refuses_a_draft_and_a_pack_together(tmp_path):
    with pytest.raises(CommandError) as exc:
        _run("--draft", "1", "--pack", "testcity", "--from", "2025-01-01", "--to", "2026-12-31")
    assert "not allowed with" in str(exc.value)


# ---- the page -------------------------------------------------------------------------------------------


def _post(user, **fields) -> Client:
    c = Client()
    c.force_login(user)
    upload = io.BytesIO()
    _table().write_csv(upload)
    data = {
        "date_from": "2025-01-01",
        "date_to": "2026-12-31",
        "source": "upload",
        "cases": SimpleUploadedFile("cases.csv", upload.getvalue(), content_type="text/csv"),
        **fields,
    }
    return c.post(reverse("policy:simulate"), data)


def test_the_page_runs_a_draft_with_charts_by_year(bureau_officer, draft):
    response = _post(bureau_officer, draft=str(draft.pk))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="reform-label"' in html
    assert '<div class="sc-stat" id="total-difference">6,000.00</div>' in html
    assert 'id="chart-by-year"' in html and 'id="by-year"' in html and 'data-key="2026"' in html
    assert "改革方案（元）" in html and "vendor/echarts.min.js" in html
    assert f'<option value="{draft.pk}" selected>' in html


@WITH_TEST_PACKS
def test_the_page_runs_a_pack_and_says_which_rules_one_side_has(bureau_officer):
    html = _post(bureau_officer, pack="testcity").content.decode()
    assert 'id="reform-one-side"' in html and "仅现行政策启用的规则：CMP-HOST" in html
    assert '<option value="testcity" selected>' in html


@WITH_TEST_PACKS
def test_the_page_downloads_the_xlsx(bureau_officer):
    response = _post(bureau_officer, pack="testcity", format="xlsx")
    assert response["Content-Type"] == R.XLSX_TYPE
    assert "what-if-pack-testcity-2025-01-01-2026-12-31.xlsx" in response["Content-Disposition"]
    assert _sheets(response.content)["按年度"][2][4] == 6200


def test_the_page_names_an_unknown_pack_and_a_withdrawn_draft_next_to_their_fields(
    bureau_officer, draft, drafter
):
    html = _post(bureau_officer, pack="atlantis").content.decode()
    assert 'id="error-pack"' in html and "政策包：未知的政策包“atlantis”" in html
    assert 'id="simulate-result"' not in html
    services.draft_withdraw(draft=draft, actor=drafter)
    html = _post(bureau_officer, draft=str(draft.pk)).content.decode()
    assert 'id="error-draft"' in html and "已撤回" in html


@WITH_TEST_PACKS
def test_the_page_reads_in_english(bureau_officer):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(bureau_officer)
    c.cookies["django_language"] = "en"
    upload = io.BytesIO()
    _table().write_csv(upload)
    html = c.post(
        reverse("policy:simulate"),
        {
            "date_from": "2025-01-01",
            "date_to": "2026-12-31",
            "source": "upload",
            "cases": SimpleUploadedFile("cases.csv", upload.getvalue(), content_type="text/csv"),
            "pack": "testcity",
        },
    ).content.decode()
    assert "Reform (yuan)" in html and "Rules enabled only in the policy in force: CMP-HOST" in html
    assert "Policy pack testcity" in html and "改革方案" not in html

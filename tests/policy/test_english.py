"""English mode (issue 13 item 11): the policy catalog's Chinese titles, labels and calculation steps
have English forms in the message catalog, so a rule added without them fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from skillcity.policy import params as P
from skillcity.policy.engine import load_rules

RULES_DIR = Path(__file__).resolve().parents[2] / "skillcity" / "policy" / "rules"


def _missing(texts: set[str]) -> list[str]:
    with translation.override("en"):
        return sorted(t for t in texts if translation.gettext(t) == t)


def test_every_rule_title_fact_label_and_choice_has_english():
    texts: set[str] = set()
    for rule in load_rules().values():
        texts.add(rule.title)
        for fact in rule.facts:
            texts.add(fact.label)
            texts |= {label for _code, label in fact.choices}
    assert not _missing(texts)


def test_every_parameter_title_has_english():
    assert not _missing({p.title for p in P.parameters().values()})


def test_every_fixed_calculation_step_has_english():
    steps = {
        m
        for path in RULES_DIR.glob("*.py")
        for m in re.findall(r'c\.step\(\s*N_\("([^"%]+)"\)', path.read_text())
    }
    assert len(steps) > 40
    assert not _missing(steps)


@pytest.mark.django_db
def test_the_calculator_lists_rules_and_labels_facts_in_english():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/policy/calculator/?rule=TRN-UPSKILL").content.decode()
    assert '<option value="TRN-PROJECT">Project-based training subsidy</option>' in html
    assert "Upskilling training subsidy" in html and "Certificate kind" in html
    assert "劳动力职业技能提升培训补贴" not in html and "证书类别" not in html


def test_every_rule_summary_has_english():
    summaries = {rule.summary for rule in load_rules().values() if rule.summary}
    assert len(summaries) > 30
    assert not _missing(summaries)


@pytest.mark.django_db
def test_summaries_with_a_percent_sign_read_in_english_on_the_calculator_and_the_rules_page(bureau_officer):
    client = Client()
    client.force_login(bureau_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    calculator = client.get("/policy/calculator/?rule=TRN-UPSKILL").content.decode()
    assert "for a shortage occupation at senior worker level or above it rises by 30%." in calculator
    assert "取得证书按级别给予补贴" not in calculator
    rules = client.get("/policy/rules/").content.decode()
    assert "Coaches receive 150% of the total prize awards" in rules
    assert ">教练按所带选手奖金总额的150%奖励。</p>" not in rules


def test_a_settlement_claims_facts_have_labels_in_both_languages():
    """A claim made by a settlement's approval holds facts no rule declares; they show by label."""
    from skillcity.policy.display import fact_label

    with translation.override("zh-hans"):
        assert [fact_label("TRN-PROJECT", k) for k in ("settlement_id", "period", "lines")] == [
            "结算单编号",
            "结算期",
            "结算明细笔数",
        ]
    with translation.override("en"):
        assert fact_label("TRN-PROJECT", "settlement_id") == "Statement number"
        assert fact_label("TRN-PROJECT", "lines") == "Statement lines"

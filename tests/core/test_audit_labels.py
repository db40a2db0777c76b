"""Every audit action the code writes, and every grant timeline action and review stage, has a label."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from skillcity.core.audit_labels import AUDIT_ACTION_LABELS, audit_action_label, audit_target_name
from skillcity.grants.labels import EVENT_ACTION_LABELS, STAGE_LABELS

SOURCE = Path(__file__).resolve().parents[2] / "skillcity"
# An audit action is written as a dotted lower-case string on a line that mentions an action.
ACTION = re.compile(r"\"([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+)\"")


def _audit_actions_in_code() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "action" in line.lower():
                found |= {a for a in ACTION.findall(line) if not a.startswith(("skillcity.", "api."))}
    return found


def test_every_audit_action_written_by_the_code_has_a_label():
    actions = _audit_actions_in_code()
    assert {"personal_data.export", "grants.payment.make", "voucher.redeem"} <= actions  # the scan works
    missing = sorted(actions - set(AUDIT_ACTION_LABELS))
    assert not missing, f"audit actions without a label in skillcity/core/audit_labels.py: {missing}"


def test_the_evaluator_review_decisions_have_their_audit_labels():
    from skillcity.certification.services import REVIEW_DECISIONS

    assert {f"evaluator.{d}" for d in REVIEW_DECISIONS} <= set(AUDIT_ACTION_LABELS)


def test_an_unknown_action_shows_as_a_label_not_its_code():
    assert audit_action_label("grants.payment.make") == "拨付补贴"
    assert audit_action_label("something.new") == "其他操作"


def test_a_record_is_named_by_its_type_and_name_not_its_code():
    assert audit_target_name("registry.workers", "list", "") == "劳动者名单"
    assert audit_target_name("training.enrolment", "7201", "10@121") == "报名 #7201"
    assert audit_target_name("registry.worker", "5", "张三") == "劳动者 #5 张三"


def test_every_timeline_action_and_review_stage_has_a_label():
    grants = SOURCE / "grants"
    recorded = set()
    for path in grants.rglob("*.py"):
        recorded |= set(
            re.findall(
                r"_event(?:_and_audit)?\([^)]*?action=\"([a-z_]+)\"", path.read_text(encoding="utf-8"), re.S
            )
        )
    recorded |= {"resubmit", "submit"}  # chosen by a conditional expression
    assert "review_pass" in recorded
    assert not recorded - set(EVENT_ACTION_LABELS)
    flows = yaml.safe_load((grants / "data" / "review_flows.yaml").read_text(encoding="utf-8"))["flows"]
    stages = {s["name"] for flow in flows.values() for s in flow}
    assert not stages - set(STAGE_LABELS)

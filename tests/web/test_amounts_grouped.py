"""Every money amount on a page is grouped by three (1,234,567.89) through the `yuan` filter; input
values stay unformatted, so that the form reads them back."""

from __future__ import annotations

import re
from pathlib import Path

from skillcity.web.templatetags.labels import yuan

TEMPLATES = Path(__file__).resolve().parents[2] / "skillcity"
# A shown value whose name says it is money: amount, face_value, total_amount, budget figures, the
# simulation's baseline / scenario / difference, an outcome's min / max.
MONEY = re.compile(
    r"\{\{ *([\w.]*(?:amount|face_value|committed|spent|remaining|baseline|scenario|difference"
    r"|outcome\.min|outcome\.max|\br\.min|\br\.max|\bc\.min|\bc\.max|\.total)\b[\w.]*)"
    r"( *\|[^}]*)? *\}\}"
)
NOT_MONEY = (
    "line_count",
    "rows_total",
    "member_total",
    "total_staff",
    "num_pages",
    "paginator",
    "total_display",
    "errors.",
)


# A name a {% blocktrans with name=…|yuan %} binds on the same line is already grouped.
BOUND_GROUPED = re.compile(r"(\w+)=[\w.]+\|yuan\b")


def test_every_amount_shown_in_a_template_goes_through_yuan():
    unformatted = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in MONEY.finditer(line):
                name, filters = match.group(1), match.group(2) or ""
                if any(word in name for word in NOT_MONEY) or "yuan" in filters:
                    continue
                if "blocktrans" in line and name in BOUND_GROUPED.findall(line):
                    continue
                if line[: match.start()].endswith('value="'):  # an input's value: kept as typed
                    continue
                if "alliances" in path.parts:  # the annexes' totals are counts of people, not money
                    continue
                unformatted.append(f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}")
    assert not unformatted, "amounts shown without |yuan:\n" + "\n".join(unformatted)


def test_yuan_groups_by_three_with_two_decimals():
    assert yuan("1234567.8") == "1,234,567.80"
    assert yuan(-2500) == "-2,500.00"
    assert yuan(None) == "" and yuan("") == ""

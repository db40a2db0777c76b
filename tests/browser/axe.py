"""axe-core (vendored from the npm registry, tests/browser/vendor/) run inside a Playwright page.

The script is evaluated through the DevTools protocol (page.evaluate), which the page's
Content-Security-Policy does not govern: add_script_tag(path=...) inserts an inline <script>, which the
CSP refuses. The page keeps its CSP, so the CSP watch of conftest.py still holds during the check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# WCAG 2.1 level A and AA (GB/T 37668-2019 follows WCAG 2.0 AA; 2.1 adds the mobile criteria).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every WCAG 2.1 AA violation axe-core finds on the page as it stands."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
             .then(r => r.violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})))""",
        WCAG_21_AA,
    )
    return list(result)


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    """One line per violation, then one indented line per element (the first ten)."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['impact']} {v['id']} ({v['help']}) on {len(v['nodes'])} element(s)")
        for node in v["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary[:240]}")
    return "\n".join(lines)

"""The training outcomes as an .xlsx (values only, never a live formula: core.spreadsheets)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from skillcity.core.exports import xlsx_response
from skillcity.core.spreadsheets import table_workbook
from skillcity.timeline.selectors.outcomes import OutcomeRow


def _pct(share: Any) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def outcomes_xlsx(rows: list[OutcomeRow], query: dict[str, Any]) -> HttpResponse:
    by_project = query["group"] == "project"
    header = [
        str(_("培训项目") if by_project else _("培训单位")),
        *([str(_("培训单位"))] if by_project else []),
        str(_("结业人数")),
        str(_("取证人数")),
        str(_("取证率")),
        str(_("就业人数")),
        str(_("就业率")),
        str(_("新就业人数")),
        str(_("新就业率")),
        str(_("观察期未满人数")),
    ]
    body = (
        [
            r.name,
            *([r.provider_name] if by_project else []),
            r.trainees,
            r.certified,
            _pct(r.certified_share),
            r.employed,
            _pct(r.employed_share),
            r.newly_employed,
            _pct(r.newly_employed_share),
            r.pending,
        ]
        for r in rows
    )
    title = str(_("培训成效"))
    name = f"training-outcomes-{query['year']}-{query['months']}m-{query['group']}.xlsx"
    return xlsx_response(table_workbook(title, header, body), name)

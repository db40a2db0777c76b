"""Labels for the grant timeline: every event action and every review stage, in one table each.

The timeline stores codes (`review_pass`, `bureau`); pages show these labels. A test checks that every
action the services record and every stage of review_flows.yaml has one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EVENT_ACTION_LABELS: dict[str, Any] = {
    "create": _("创建"),
    "submit": _("提交"),
    "resubmit": _("重新提交"),
    "withdraw": _("撤回"),
    "review_pass": _("审核通过"),
    "return": _("退回修改"),
    "reject": _("不予通过"),
    "notice_start": _("开始公示"),
    "objection_lodge": _("提出异议"),
    "objection_resolve": _("处理异议"),
    "objection_dismiss_spam": _("驳回垃圾异议"),
    "approve": _("核准"),
    "cancel_approval": _("撤销核准"),
    "pay": _("拨付"),
    "recover": _("追回资金"),
}

STAGE_LABELS: dict[str, Any] = {
    "town": _("镇街审核"),
    "bureau": _("市人社局审核"),
    "finance": _("财务复核"),
}


def event_action_label(action: str) -> str:
    label = EVENT_ACTION_LABELS.get(action)
    return str(label) if label is not None else gettext("其他操作")


def stage_label(stage: str) -> str:
    label = STAGE_LABELS.get(stage)
    return str(label) if label is not None else gettext("审核")

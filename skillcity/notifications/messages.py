"""What each kind of notification says, rendered in the reader's language when it is shown."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from skillcity.notifications.models import NotificationKind as K
from skillcity.web.templatetags.labels import yuan


def rule_title(rule_id: str) -> str:
    from skillcity.policy.engine import get_rule

    try:
        return _(get_rule(rule_id).title)
    except Exception:  # a rule no longer in the pack: its ID is the best name left
        return rule_id


def notification_title(kind: str, params: dict[str, Any]) -> str:
    titles = {
        K.APPLICATION_RETURNED: _("补贴申请被退回修改"),
        K.APPLICATION_APPROVED: _("补贴申请已核准"),
        K.APPLICATION_PAID: _("补贴已拨付"),
        K.VOUCHER_EXPIRING: _("培训券即将到期"),
        K.POLICY_EXPIRING: _("政策即将到期"),
        K.APPLICATION_MADE: _("已为您生成补贴申请"),
        K.TITLE_AWARDED: _("您获授称号"),
        K.TITLE_REVOKED: _("您的称号被撤销"),
        K.TALENT_CARD_REVOKED: _("优才卡已撤销"),
        K.RENT_SCHEDULE_ENDED: _("租房补贴停发"),
    }
    return titles.get(kind, _("消息通知"))  # type: ignore[call-overload]


def notification_text(kind: str, params: dict[str, Any]) -> str:
    p = dict(params)
    if "rule" in p:
        p["rule"] = rule_title(str(p["rule"]))
    if p.get("amount") not in (None, ""):
        p["amount"] = yuan(p["amount"])  # 1,234,567.89, as every amount on a page
    if kind == K.APPLICATION_RETURNED:
        return _("您的申请“%(rule)s”（编号 %(id)s）被退回修改，原因：%(reason)s。请修改后重新提交。") % p
    if kind == K.APPLICATION_APPROVED:
        return _("您的申请“%(rule)s”（编号 %(id)s）已核准，核定金额 %(amount)s 元。") % p
    if kind == K.APPLICATION_PAID:
        return _("您的申请“%(rule)s”（编号 %(id)s）已拨付 %(amount)s 元。") % p
    if kind == K.APPLICATION_MADE:
        return _("已根据平台记录为您生成申请“%(rule)s”（编号 %(id)s）并提交审核，无需另行申报。") % p
    if kind == K.VOUCHER_EXPIRING:
        return (
            _("您的培训券“%(batch)s”（券码 %(code)s，面值 %(amount)s 元）将于 %(date)s 到期，请尽快使用。")
            % p
        )
    if kind == K.POLICY_EXPIRING:
        if p.get("kind") == "document":
            return _("政策文件 %(key)s《%(title)s》将于 %(date)s 到期，请及时发布延续执行或后续政策。") % p
        return _("规则 %(key)s“%(title)s”的最后一个版本将于 %(date)s 到期，请及时发布后续版本。") % p
    if kind in (K.TITLE_AWARDED, K.TITLE_REVOKED):
        from skillcity.registry.models import SkillRecord

        p["honour"] = str(dict(SkillRecord.Honour.choices).get(str(p.get("honour", "")), p.get("honour", "")))
        if kind == K.TITLE_AWARDED:
            return (
                _(
                    "您在“%(competition)s”中获授“%(honour)s”称号（编号 %(number)s），可在“我的称号”中查看和出示。"
                )
                % p
            )
        return _("您的“%(honour)s”称号（编号 %(number)s）已被撤销，原因：%(reason)s。") % p
    if kind == K.TALENT_CARD_REVOKED:
        return _("您的东莞市优才卡（卡号 %(number)s）已撤销，原因：%(reason)s。") % p
    if kind == K.RENT_SCHEDULE_ENDED:
        return _("您的购房补贴已核准，租房补贴按月发放已于 %(date)s 终止（原因：已购房）。") % p
    return ""

"""What the audit page shows for an audit row: the action's label and a readable name for its record.

Every action string the code writes has a label here (tests/core/test_audit_labels.py checks the code
against this table); a record is named by its type's label (the model's verbose name, or the table
below for records that are not one model row) and the name it was recorded under.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

AUDIT_ACTION_LABELS: dict[str, Any] = {
    # Accounts and sign-in
    "user.create": _("创建用户"),
    "api_token.create": _("创建 API 令牌"),
    "api_token.revoke": _("吊销 API 令牌"),
    "login.failure": _("登录失败"),
    "login.failure.unknown_user": _("登录失败（用户名不存在）"),
    "user.large_type": _("切换长辈模式"),
    # The audit log itself and personal data
    "audit.verify": _("验证审计日志完整性"),
    "personal_data.view": _("查看完整个人信息"),
    "personal_data.export": _("导出含完整个人信息的名单"),
    # Registry
    "registry.generate": _("生成演示城市数据"),
    "registry.export.request": _("申请后台导出名单"),
    "registry.export.download": _("下载后台导出的名单"),
    "export.request": _("申请后台导出名单"),
    "export.download": _("下载后台导出的名单"),
    "training.demo_load": _("载入演示培训花名册与签到"),
    "voucher.redemption_reverse": _("撤回培训券核销"),
    "reference.load": _("载入基础代码表"),
    "reference.update": _("更新基础代码表"),
    "worker.create": _("登记劳动者"),
    "worker.update": _("修改劳动者信息"),
    "worker.import": _("导入劳动者"),
    "organisation.create": _("登记单位"),
    "organisation.update": _("修改单位信息"),
    "organisation.import": _("导入单位"),
    "skill_record.add": _("添加技能记录"),
    # Training
    "training_project.create": _("创建培训项目"),
    "training_class.create": _("创建培训班"),
    "enrolment.create": _("报名"),
    "enrolment.complete": _("结业"),
    "attendance.sign_in": _("考勤签到"),
    "shortage_catalog.import": _("导入紧缺急需工种目录"),
    "voucher_batch.issue": _("批量发放培训券"),
    "voucher.redeem": _("核销培训券"),
    "voucher.revoke": _("作废培训券"),
    "voucher.expire": _("培训券过期"),
    "settlement.start": _("发起结算"),
    "settlement.calculate": _("计算结算"),
    "settlement.rows_refused": _("结算中剔除不合规记录"),
    "settlement.approve": _("审核通过结算"),
    "settlement.pay": _("拨付结算款"),
    # Certification
    "evaluator.file": _("评价机构备案申请"),
    "evaluator.approve": _("评价机构备案通过"),
    "evaluator.return": _("评价机构备案退回"),
    "evaluator.reject": _("评价机构不予备案"),
    "evaluator.suspend": _("暂停评价机构"),
    "certification_session.create": _("创建考核批次"),
    "certification_candidate.add": _("添加考生"),
    "certification_result.record": _("录入考核成绩"),
    "certification_result.import": _("导入考核成绩"),
    "certificate.issue": _("发放证书"),
    "certificate.revoke": _("撤销证书"),
    "certification.demo_load": _("载入认定演示数据"),
    # Grants
    "grants.application.create": _("创建补贴申请"),
    "grants.application.update": _("修改补贴申请"),
    "grants.application.submit": _("提交补贴申请"),
    "grants.application.withdraw": _("撤回补贴申请"),
    "grants.application.review_pass": _("审核通过"),
    "grants.application.return": _("退回修改"),
    "grants.application.reject": _("不予通过"),
    "grants.application.approve": _("核准"),
    "grants.application.cancel_approval": _("撤销核准"),
    "grants.evidence.add": _("上传证明材料"),
    "grants.notice.start": _("开始公示"),
    "grants.objection.lodge": _("提出异议"),
    "grants.objection.resolve": _("处理异议"),
    "grants.objection.dismiss_spam": _("驳回垃圾异议"),
    "grants.payment.make": _("拨付补贴"),
    "grants.payment.batch": _("批量拨付补贴"),
    "grants.fund.create": _("创建资金额度"),
    # Training alliances
    "alliance.create": _("创建联盟"),
    "alliance.update": _("修改联盟信息"),
    "alliance.file": _("提交联盟备案"),
    "alliance.accept": _("联盟备案通过"),
    "alliance.return": _("联盟备案退回"),
    "alliance.dissolve": _("解散联盟"),
    "alliance.set_lead": _("设定承担主体"),
    "alliance.member_add": _("加入成员单位"),
    "alliance.member_leave": _("成员单位退出"),
    "alliance.member_remove": _("移除成员单位"),
    "alliance.document_upload": _("上传联盟材料"),
    "alliance.annex1": _("填写附件1"),
    "alliance.report_create": _("创建半年度报告"),
    "alliance.report_annex3": _("填写附件3"),
    "alliance.report_submit": _("提交半年度报告"),
    "alliance.report_accept": _("半年度报告通过"),
    "alliance.report_return": _("半年度报告退回"),
    "alliance.remind": _("发送提醒"),
    # Policy lifecycle
    "policy.document.register": _("登记政策文件"),
    "policy.draft.create": _("新建政策草案"),
    "policy.draft.continuation_create": _("起草延续执行"),
    "policy.draft.version_add": _("加入参数版本"),
    "policy.draft.version_remove": _("移除参数版本"),
    "policy.draft.submit": _("提交复核"),
    "policy.draft.approve": _("复核通过并发布"),
    "policy.draft.return": _("退回政策草案"),
    "policy.draft.withdraw": _("撤回政策草案"),
    # Grants from a programme's records; competitions' awards, imported results and camps
    "grants.application.from_records": _("由记录生成并提交补贴申请"),
    "competitions.awards.generate": _("生成竞赛补贴申请"),
    "competitions.result.import": _("导入竞赛成绩"),
    "competitions.camp.record": _("登记集训"),
    "competitions.camp.complete": _("确认集训任务完成"),
    # Competitions and talents (issues 15 and 16)
    "card_service.create": _("新增优才卡服务项目"),
    "card_service.update": _("修改优才卡服务项目"),
    "competition.create": _("创建职业技能竞赛"),
    "competition.entry_register": _("竞赛报名"),
    "competition.judge_assign": _("指派裁判"),
    "competition.mark_correct": _("更正评分"),
    "competition.mark_save": _("暂存评分"),
    "competition.mark_submit": _("提交评分"),
    "competition.project_create": _("创建竞赛项目"),
    "competition.publish": _("发布竞赛"),
    "competition.results_compute": _("计算竞赛成绩"),
    "competition.results_confirm": _("裁判长确认并公布成绩"),
    "competition.scheme_import": _("导入评分方案"),
    "competition.scheme_set": _("设置评分方案"),
    "grants.application.instalment_approve": _("核准按月发放的补贴"),
    "honour_list.import": _("导入荣誉获得者名单"),
    "promotion.issue": _("按竞赛成绩颁发或晋升职业技能等级"),
    "studio_lead.import": _("导入技能大师工作室领办人"),
    "talent_card.grounds_update": _("更新优才卡依据"),
    "talent_card.issue": _("签发优才卡"),
    "talent_card.issue_demo": _("签发演示优才卡"),
    "talent_card.revoke": _("撤销优才卡"),
    "talent_title.import": _("导入莞邑工匠、首席技师称号"),
    "talents.exceptional.apply": _("申请破格晋升"),
    "talents.exceptional.place": _("破格晋升考生编入考核批次"),
    "talents.exceptional.review": _("审核破格晋升申请"),
    "talents.leading.employer_reward": _("申请引进技能领军人才单位奖励"),
    "talents.leading.formal_check": _("技能领军人才申请形式审查"),
    "talents.leading.home_purchase": _("申请技能领军人才购房补贴"),
    "talents.leading.not_shortlisted": _("技能领军人才申请未入围"),
    "talents.leading.recognise": _("认定技能领军人才"),
    "talents.leading.shortlist": _("技能领军人才入围"),
    "talents.leading.submit": _("提交技能领军人才申请"),
    "talents.leading_call.create": _("发布技能领军人才年度申报"),
    "talents.panel.add": _("增加评审专家"),
    "talents.panel.assign": _("分配评审申请"),
    "talents.panel.score": _("专家评分"),
    "talents.rent.create": _("设立租房补贴按月发放计划"),
    "talents.rent.end": _("终止租房补贴发放计划"),
    "talents.rent.pause": _("暂停租房补贴发放计划"),
    "talents.rent.resume": _("恢复租房补贴发放计划"),
    "title.award": _("授予“东莞市技术能手”称号"),
    "title.import": _("导入省级、国家级称号"),
    "title.import_file": _("导入称号文件"),
    "title.revoke": _("撤销称号"),
    # The expert pool (issue 17 §5)
    "platforms.expert.import": _("导入专家库"),
    "platforms.expert.conflict_declare": _("申报回避单位"),
    "platforms.expert.conflict_withdraw": _("撤回回避单位"),
    "platforms.expert.draw": _("从专家库抽取专家"),
    "platforms.expert.decline": _("专家谢绝抽取并递补"),
    "competition.judge_withdraw": _("裁判退出竞赛项目"),
    "talents.panel.withdraw": _("评审专家退出评审组"),
    # Public training sub-bases (issue 17 §2)
    "platforms.subbase.apply": _("申请认定公共实训分基地"),
    "platforms.subbase.recognise": _("认定公共实训分基地"),
    "platforms.subbase.reject": _("不予认定公共实训分基地"),
    "platforms.subbase.revoke": _("撤销公共实训分基地认定"),
    "platforms.subbase_report.submit": _("提交分基地年度报告"),
    "platforms.subbase_report.evaluate": _("考核分基地年度报告"),
    "platforms.subbase_centre.set": _("设定公共实训中心"),
    "platforms.subbase_quota.set": _("设定课程购买年度名额"),
    "platforms.subbase_allocation.create": _("分配课程购买名额"),
    "platforms.subbase_allocation.cancel": _("取消购买课程"),
    "platforms.subbase_allocation.link_class": _("购买课程关联培训班"),
    "platforms.subbase_allocation.accept": _("购买课程通过验收"),
    "platforms.subbase_allocation.fail": _("购买课程未通过验收"),
    "platforms.subbase_allocation.grant_apply": _("生成分基地课程购买费用申请"),
    # Platforms: school–enterprise bases and standards (issue 17)
    "platforms.base.apply": _("申报校企合作基地"),
    "platforms.base.review": _("审核校企合作基地申报"),
    "platforms.base.recognise": _("认定校企合作基地"),
    "platforms.standard.file": _("申报培训评价标准开发项目"),
    "platforms.standard.submit": _("提交培训评价标准验收"),
    "platforms.standard.accept": _("验收培训评价标准"),
    "platforms.standard.panel_add": _("增加标准认定专家"),
    "platforms.standard.panel_withdraw": _("标准认定专家退出专家组"),
    "talents.evidence.download": _("下载技能领军人才申报材料"),
    "talents.panel.unassign": _("取消分配评审专家"),
    "talents.rent.refused": _("租房补贴当月拨付被拒"),
    "platforms.standard.panel_score": _("录入标准认定专家评分"),
    "platforms.standard.certify": _("认定培训评价标准"),
    # Schools (issue 17 §6)
    "schools.school.register": _("登记院校"),
    "schools.school.update": _("修改院校办学性质"),
    "schools.major.create": _("添加院校专业"),
    "schools.major.update": _("修改院校专业"),
    "schools.major.demonstration": _("认定或取消示范性专业"),
    "schools.rolls.import": _("导入院校在校生名册"),
    "schools.intl_class.create": _("添加国际课程班"),
    "schools.intl_student.add": _("国际课程班添加学生"),
    "schools.intl_student.certificate": _("记录国际职业技能证书"),
    "schools.graduation.record": _("记录技工院校毕业生"),
    "schools.social_report.file": _("填报社会化培训年度报告"),
    "schools.grant.demo_major": _("按记录申请示范性专业建设经费"),
    "schools.grant.intl_class": _("按记录申请国际课程班生均经费"),
    "schools.grant.major_build": _("按记录申请专业建设经费"),
    "schools.grant.intl_cert": _("按记录申请国际职业技能证书考证补贴"),
    "schools.grant.social_training": _("按记录申请社会化培训收入提取绩效工资"),
    "schools.grant.grad_retention": _("按记录申请毕业生留莞就业奖励"),
    "employment.contributions.import": _("导入社保缴费记录"),
    "employment.contributions.adapter": _("从社保系统接口拉取缴费记录"),
    "supervision.run": _("运行监管核查"),
    # Supervision checks A (issue 20 §1): the registry's dated statuses SUP-GHOST reads
    "worker_status.record": _("登记劳动者身份状态（退休、全日制在校、死亡）"),
    # Supervision: the alert workflow and its money actions (issue 20, part "workflow")
    "supervision.alert.assigned": _("分派监管预警"),
    "supervision.alert.investigating": _("开始核查监管预警"),
    "supervision.alert.confirmed": _("确认监管预警违规"),
    "supervision.alert.dismissed": _("排除监管预警"),
    "supervision.alert.recovery": _("监管预警追回资金"),
    "supervision.alert.referral": _("移送监管预警案件"),
    "supervision.hold.place": _("暂停单位补贴拨付"),
    "supervision.hold.release": _("解除暂停补贴拨付"),
    "supervision.run.request": _("发起全量监管核查"),
    "grants.recovery.record": _("记录追回补贴资金"),
    # Supervision, planted fraud (issue 20 §4, part "planted")
    "supervision.plant": _("植入监管演练案例"),
    # Apprenticeship (issue 19 §1)
    "apprenticeship.enrol": _("登记新型学徒"),
    "apprenticeship.progress": _("记录学徒培训进度"),
    "apprenticeship.assess": _("学徒报名考核"),
    "apprenticeship.leave": _("学徒退出"),
    "apprenticeship.import": _("导入新型学徒"),
    "apprenticeship_class.create": _("开设校企双制班"),
    "schools.demo": _("生成院校演示数据"),
    # Issue 17: master studios (platforms/studios)
    "platforms.studio.apply": _("申报技能大师工作室"),
    "platforms.studio.review": _("审查技能大师工作室申报"),
    "platforms.studio.recognise": _("认定市级技能大师工作室"),
    "platforms.studio.upgrade": _("登记技能大师工作室省级、国家级认定"),
    "platforms.studio.close": _("关闭技能大师工作室"),
    "platforms.studio.fail": _("技能大师工作室评估不合格撤销"),
    "platforms.studio.report": _("报送技能大师工作室年度报告"),
    "platforms.studio.evaluate": _("评估技能大师工作室年度报告"),
    # Online learning (issue 18): the catalogue, the review, enrolment
    "learning.course.create": _("创建在线课程"),
    "learning.course.update": _("修改在线课程"),
    "learning.course.submit": _("提交在线课程审核"),
    "learning.course.return": _("退回在线课程"),
    "learning.course.publish": _("发布在线课程"),
    "learning.course.unpublish": _("下架在线课程"),
    "learning.lesson.add": _("添加课时"),
    "learning.lesson.update": _("修改课时"),
    "learning.lesson.remove": _("删除课时"),
    "learning.enrolment.create": _("报名在线课程"),
    "learning.completion": _("完成在线课程（生成学习记录）"),
    "learning.progress_rebuild": _("按学习语句重算学习进度"),
    "learning.statements_export": _("导出学习语句"),
}

# Records that are not one model row, or whose model has no Chinese name of its own.
TARGET_TYPE_LABELS: dict[str, Any] = {
    "registry.workers": _("劳动者名单"),
    "registry.organisations": _("单位名单"),
    "registry.reference": _("基础代码表"),
    "registry.export": _("导出"),  # rows written before exports moved to core
    "registry.city": _("演示城市"),
    "accounts.login_address": _("登录地址"),
    "accounts.loginfailure": _("登录失败记录"),
    "training.shortagecatalog": _("紧缺急需工种目录"),
    "grants.evidence": _("证明材料"),
    "grants.fund": _("资金额度"),
    "grants.publicnotice": _("公示"),
    "grants.objection": _("异议"),
    "grants.payment": _("拨付"),
    "grants.payment_batch": _("拨付批次"),
    "training.redemption": _("核销记录"),
}


def audit_action_label(action: str) -> str:
    """The action's label; an action missing from the table shows as 其他操作, never as its code."""
    label = AUDIT_ACTION_LABELS.get(action)
    return str(label) if label is not None else gettext("其他操作")


def target_type_label(target_type: str) -> str:
    if target_type in TARGET_TYPE_LABELS:
        return str(TARGET_TYPE_LABELS[target_type])
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return gettext("记录")
    return str(model._meta.verbose_name)


def audit_target_name(target_type: str, target_id: str, target_label: str) -> str:
    """A readable name for the record: its type's label and the name it was recorded under.

    Some models' recorded names are bare ids ("10@121" for an enrolment, "list" for a whole list); the
    type label and the record number say more than those, so a name of digits and signs is left out."""
    kind = target_type_label(target_type)
    name = target_label.strip()
    if name and not any(ch.isalpha() for ch in name):
        name = ""
    number = f"#{target_id}" if target_id and target_id.isdigit() else ""
    return " ".join(part for part in (kind, number, name) if part)

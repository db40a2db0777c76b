"""Jobs and matching (issue 19 §4; D002 item 18).

- `JobNeed` (用工需求): an enterprise's skilled-job need: occupation, level, town, head count, wage
  range and start; open, filled or closed. A need posted for a job fair is one of its vacancies.
- `SeekerNeed` (求职意向): a worker's job need: occupation and the towns they would work in. The level
  is never typed: it is read from the worker's certificates and skill records.
- `Match`: a need and a worker the matching proposed; the worker accepts or declines. Until the worker
  accepts, the enterprise sees the worker's name, phone and ID number masked.
- `Hire`: an enterprise took a worker on (from a match, at a fair or directly); confirmed by the
  employment records when the contributions start (services.hires_confirm).
- `Assignment` and `FollowUp`: an employment service officer's enterprises and job seekers, and the
  follow-ups recorded on them.
- `JobFair` and `FairEnterprise`: 春风行动 and other fairs, and the enterprises taking part.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Occupation, Organisation, SkillLevel, Town, Worker

HEAD_COUNT_MAX = 9999
WAGE_MAX_DIGITS = 8  # up to 999,999.99 yuan a month


class JobFair(models.Model):
    class Kind(models.TextChoices):
        SPRING_BREEZE = "spring_breeze", _("春风行动招聘会")
        EMPLOYMENT_DAY = "employment_day", _("就日服务日招聘会")
        CAMPUS = "campus", _("校园招聘会")
        OTHER = "other", _("其他招聘会")

    name = models.CharField(_("招聘会名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("举办镇街"))
    venue = models.CharField(_("举办地点"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "town"

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("招聘会")
        verbose_name_plural = _("招聘会")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="matching_fair_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class FairEnterprise(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="enterprises")
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("参会企业")
    )
    booth = models.CharField(_("展位"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fair", "booth", "id"]
        verbose_name = _("参会企业")
        verbose_name_plural = _("参会企业")
        constraints = [
            models.UniqueConstraint(fields=["fair", "enterprise"], name="matching_fair_enterprise_once")
        ]

    def __str__(self) -> str:
        return f"{self.fair_id} {self.enterprise_id}"


class JobNeed(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("招聘中")
        FILLED = "filled", _("已招满")
        CLOSED = "closed", _("已关闭")

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="job_needs", verbose_name=_("用工企业")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业（工种）")
    )
    # The lowest level the job asks for: a worker holding this level or a higher one (a smaller
    # number) qualifies.
    level = models.PositiveSmallIntegerField(_("技能等级要求"), choices=SkillLevel.choices)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("工作镇街"))
    head_count = models.PositiveIntegerField(_("招聘人数"))
    wage_min = models.DecimalField(_("月工资下限（元）"), max_digits=WAGE_MAX_DIGITS, decimal_places=2)
    wage_max = models.DecimalField(_("月工资上限（元）"), max_digits=WAGE_MAX_DIGITS, decimal_places=2)
    start = models.DateField(_("到岗日期"))
    description = models.CharField(_("岗位说明"), max_length=500, blank=True)
    fair = models.ForeignKey(
        JobFair,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("招聘会"),
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "enterprise"
    WORKER_FIELD = None

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("用工需求")
        verbose_name_plural = _("用工需求")
        indexes = [models.Index(fields=["occupation", "state"]), models.Index(fields=["town", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(wage_min__gte=0), name="matching_need_wage_min"),
            models.CheckConstraint(condition=Q(wage_min__lte=F("wage_max")), name="matching_need_wage_range"),
            models.CheckConstraint(
                condition=Q(head_count__gt=0, head_count__lte=HEAD_COUNT_MAX), name="matching_need_head_count"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="matching_need_level"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.occupation_id} L{self.level}"


class SeekerNeed(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("求职中")
        WITHDRAWN = "withdrawn", _("已撤回")

    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="seeker_needs", verbose_name=_("劳动者")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("意向职业（工种）")
    )
    towns = models.ManyToManyField(Town, related_name="+", verbose_name=_("意向镇街"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = None
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("求职意向")
        verbose_name_plural = _("求职意向")
        constraints = [
            models.UniqueConstraint(fields=["worker", "occupation"], name="matching_seeker_need_once")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.occupation_id}"


class Match(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("待劳动者回复")
        ACCEPTED = "accepted", _("劳动者已接受")
        DECLINED = "declined", _("劳动者已谢绝")
        HIRED = "hired", _("已录用")

    need = models.ForeignKey(JobNeed, on_delete=models.CASCADE, related_name="matches")
    seeker_need = models.ForeignKey(SeekerNeed, on_delete=models.CASCADE, related_name="matches")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PROPOSED)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("匹配时间"), auto_now_add=True)

    TOWN_FIELD = "need__town"
    ORGANISATION_FIELD = "need__enterprise"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("岗位匹配")
        verbose_name_plural = _("岗位匹配")
        constraints = [models.UniqueConstraint(fields=["need", "worker"], name="matching_match_once")]

    def __str__(self) -> str:
        return f"{self.need_id} {self.worker_id}"

    @property
    def contact_open(self) -> bool:
        """The worker accepted: the enterprise may see who they are and how to reach them."""
        return self.state in (self.State.ACCEPTED, self.State.HIRED)


class Hire(models.Model):
    class Source(models.TextChoices):
        MATCH = "match", _("岗位匹配")
        FAIR = "fair", _("招聘会")

    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        UNCONFIRMED = "unconfirmed", _("未确认")

    class Why(models.TextChoices):
        """Why a hire stayed unconfirmed once its window closed."""

        NO_RECORD = "no_record", _("确认期内没有任何社保缴费记录")
        OTHER_EMPLOYER = "other_employer", _("确认期内仅由其他单位参保缴费")
        LATE = "late", _("该单位的社保缴费晚于确认期才开始")
        ALREADY_EMPLOYED = "already_employed", _("入职前已由该单位参保")

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("用人单位")
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+", verbose_name=_("劳动者"))
    need = models.ForeignKey(JobNeed, null=True, blank=True, on_delete=models.PROTECT, related_name="hires")
    match = models.OneToOneField(Match, null=True, blank=True, on_delete=models.PROTECT, related_name="hire")
    fair = models.ForeignKey(JobFair, null=True, blank=True, on_delete=models.PROTECT, related_name="hires")
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    start_month = models.DateField(_("入职月份"))
    state = models.CharField(_("确认状态"), max_length=12, choices=State.choices, default=State.PENDING)
    confirmed_month = models.DateField(_("首次缴费月份"), null=True, blank=True)
    why = models.CharField(_("未确认原因"), max_length=20, choices=Why.choices, blank=True)
    late_month = models.DateField(_("该单位首次缴费月份"), null=True, blank=True)
    checked_at = models.DateTimeField(_("最近核对时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    TOWN_FIELD = "enterprise__town"
    ORGANISATION_FIELD = "enterprise"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("录用")
        verbose_name_plural = _("录用")
        indexes = [models.Index(fields=["state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "worker", "start_month"], name="matching_hire_once"
            ),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_month__isnull=False),
                name="matching_hire_confirmed_month",
            ),
            models.CheckConstraint(
                condition=~Q(state="unconfirmed") | ~Q(why=""), name="matching_hire_unconfirmed_why"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.worker_id} {self.start_month:%Y-%m}"


class Assignment(models.Model):
    """An enterprise or a job seeker in an employment service officer's care (D002 item 18)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="matching_assignments",
        verbose_name=_("就业服务专员"),
    )
    enterprise = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("企业"),
    )
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("求职者")
    )
    # The town of the enterprise or the job seeker, so a town officer's scope is one column.
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("服务中"), default=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    TOWN_FIELD = "town"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("服务对象分配")
        verbose_name_plural = _("服务对象分配")
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=True, worker__isnull=False)
                | Q(enterprise__isnull=False, worker__isnull=True),
                name="matching_assignment_one_subject",
            ),
            models.UniqueConstraint(
                fields=["officer", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="matching_assignment_enterprise_once",
            ),
            models.UniqueConstraint(
                fields=["officer", "worker"],
                condition=Q(worker__isnull=False),
                name="matching_assignment_worker_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.enterprise_id or ''}{self.worker_id or ''}"


class FollowUp(models.Model):
    class Way(models.TextChoices):
        PHONE = "phone", _("电话")
        VISIT = "visit", _("上门走访")
        ONLINE = "online", _("线上沟通")
        FAIR = "fair", _("招聘会现场")
        OTHER = "other", _("其他")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("跟进日期"))
    way = models.CharField(_("跟进方式"), max_length=10, choices=Way.choices)
    done = models.CharField(_("跟进内容"), max_length=500)
    next_step = models.CharField(_("下一步"), max_length=500, blank=True)
    next_date = models.DateField(_("下次跟进日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "assignment__town"

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_date__isnull=True) | Q(next_date__gte=F("date")),
                name="matching_follow_up_next_after",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.date}"

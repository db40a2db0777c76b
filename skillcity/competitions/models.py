"""Competitions (职业技能竞赛): competitions, contest projects, entries, marking, results, camps, titles.

Catalog §3 (CMP-*), D002 items 10–14, D003 §一(五). The WorldSkills Competition Information System is the
anchor for marking: a scheme of sections and aspects, measurement marked once, judgement scored 0–3 by
three judges; results follow from the marks and are published only after the chief judge confirms them.
The money (CMP-HOST, CMP-PRIZE-CITY, CMP-TEAM, CMP-CAMP, CMP-MATCH, CMP-WORLDSKILLS, CMP-WS-BASE) is
never paid here: each award becomes a grants application (grants.Application.source_key names it).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Occupation, Organisation, SkillLevel, SkillRecord, Worker

MARK_MAX = Decimal("100")  # an aspect's maximum; a project's total is at most 100 in practice
TOTAL_MAX_DIGITS = 7  # a total up to 99,999.99 (never reached; 100 per project is the custom)
JUDGEMENT_MAX_SCORE = 3  # WorldSkills: each of three judges scores a judgement aspect 0–3
JUDGEMENT_JUDGES = 3
SPREAD_FLAG = 1  # judges more than one point apart are flagged for the chief judge


class Level(models.TextChoices):
    """Catalog §3's eight levels, plus `town` (D002 item 14: every town at least one contest a year)."""

    CITY_CLASS1 = "city_class1", _("市级一类")
    CITY_CLASS2 = "city_class2", _("市级二类")
    CITY_SELECTION = "city_selection", _("省级以上竞赛东莞市选拔赛")
    PROVINCIAL_CLASS1 = "provincial_class1", _("省级一类")
    PROVINCIAL_CLASS2 = "provincial_class2", _("省级二类")
    NATIONAL_CLASS1 = "national_class1", _("国家级一类")
    NATIONAL_CLASS2 = "national_class2", _("国家级二类")
    WORLDSKILLS = "worldskills", _("世界技能大赛")
    TOWN = "town", _("镇街竞赛")


CITY_LEVELS = (Level.CITY_CLASS1, Level.CITY_CLASS2, Level.CITY_SELECTION)
PROVINCIAL_OR_HIGHER = (
    Level.PROVINCIAL_CLASS1,
    Level.PROVINCIAL_CLASS2,
    Level.NATIONAL_CLASS1,
    Level.NATIONAL_CLASS2,
    Level.WORLDSKILLS,
)


class Award(models.TextChoices):
    GOLD = "gold", _("金奖")
    SILVER = "silver", _("银奖")
    BRONZE = "bronze", _("铜奖")
    EXCELLENCE = "excellence", _("优胜奖")
    NONE = "", _("未获奖")


class Competition(models.Model):
    """One competition (a city's yearly contest, a town contest, or a provincial/national one whose
    Dongguan results are imported: `external`)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已结束")

    name = models.CharField(_("竞赛名称"), max_length=200)
    level = models.CharField(_("竞赛级别"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    organiser = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competitions_organised",
        verbose_name=_("主办单位"),
    )
    # A provincial or national contest's organiser is not in Dongguan's registry: its name as printed.
    organiser_name = models.CharField(_("主办单位名称"), max_length=200, blank=True)
    town = models.ForeignKey(
        "registry.Town",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("镇街"),
    )
    # city_selection: the provincial-or-higher competition this selection feeds.
    feeds = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="selections",
        verbose_name=_("选拔输送的竞赛"),
    )
    external = models.BooleanField(_("外部竞赛（成绩导入）"), default=False)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    # The award scheme, the same for each project of the competition (its parameters, set by the organiser).
    gold_places = models.PositiveSmallIntegerField(_("金奖名额"), default=1)
    silver_places = models.PositiveSmallIntegerField(_("银奖名额"), default=2)
    bronze_places = models.PositiveSmallIntegerField(_("铜奖名额"), default=3)
    excellence_places = models.PositiveSmallIntegerField(_("优胜奖名额"), default=4)
    pass_mark = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=2, default=Decimal("60"))
    # CMP-TITLE: how many winners per project are named 东莞市技术能手 (null: the policy pack's default).
    title_quota = models.PositiveSmallIntegerField(_("技术能手称号名额（每项目）"), null=True, blank=True)
    # D002 item 11: which places are promoted to which level, and what the pass mark grants
    # ({"bands": [{"from": 1, "to": 3, "level": 2}, …], "pass_level": 4}); see docs/competitions.md.
    promotion_rule = models.JSONField(_("晋升等级规则"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "organiser"
    WORKER_FIELD = None

    class Meta:
        ordering = ["-year", "-starts_on", "-id"]
        verbose_name = _("职业技能竞赛")
        verbose_name_plural = _("职业技能竞赛")
        indexes = [models.Index(fields=["level", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="cmp_year_bounds"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cmp_dates_order"),
            models.CheckConstraint(
                condition=~Q(level="town") | Q(town__isnull=False), name="cmp_town_has_town"
            ),
            models.CheckConstraint(
                condition=Q(organiser__isnull=False) | ~Q(organiser_name=""), name="cmp_has_organiser"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=100), name="cmp_pass_mark_bounds"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organiser_label(self) -> str:
        return self.organiser.name if self.organiser is not None else self.organiser_name


class ContestProject(models.Model):
    """竞赛项目: one event of a competition, in one occupation (and 工种), marked at one standard level."""

    class State(models.TextChoices):
        SETUP = "setup", _("准备中")
        MARKING = "marking", _("评分中")
        CONFIRMED = "confirmed", _("成绩已确认公布")

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="projects", verbose_name=_("竞赛")
    )
    name = models.CharField(_("项目名称"), max_length=200)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业（工种）")
    )
    direction = models.CharField(_("工种/方向"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("对应标准等级"), choices=SkillLevel.choices)
    host_unit = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_projects_hosted",
        verbose_name=_("承办单位"),
    )
    starts_on = models.DateField(_("比赛开始日期"))
    ends_on = models.DateField(_("比赛结束日期"))
    venue = models.CharField(_("比赛地点"), max_length=200, blank=True)
    team_size = models.PositiveSmallIntegerField(_("每队人数"), default=1)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.SETUP)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    TOWN_FIELD = "competition__town"
    ORGANISATION_FIELD = "competition__organiser"
    WORKER_FIELD = None

    class Meta:
        ordering = ["competition", "starts_on", "id"]
        verbose_name = _("竞赛项目")
        verbose_name_plural = _("竞赛项目")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="cmp_project_level_1_to_5"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cmp_project_dates"),
            models.CheckConstraint(condition=Q(team_size__gte=1, team_size__lte=10), name="cmp_team_size"),
        ]

    def __str__(self) -> str:
        return f"{self.competition.name} · {self.name}"


class Entry(models.Model):
    """参赛报名: a unit's player, or team of players, in one project, with its coach."""

    project = models.ForeignKey(
        ContestProject, on_delete=models.PROTECT, related_name="entries", verbose_name=_("竞赛项目")
    )
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contest_entries", verbose_name=_("报名单位")
    )
    team_name = models.CharField(_("队名"), max_length=100, blank=True)
    # The coach: a worker in the registry when known (CMP-WORLDSKILLS-COACH pays them), else a name.
    coach = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("教练")
    )
    coach_name = models.CharField(_("教练姓名"), max_length=50, blank=True)
    bib = models.CharField(_("参赛编号"), max_length=20, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "unit__town"
    ORGANISATION_FIELD = "unit"
    WORKER_FIELD = "players__worker"

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("参赛报名")
        verbose_name_plural = _("参赛报名")

    def __str__(self) -> str:
        return self.team_name or ", ".join(p.worker.name for p in self.players.all())

    @property
    def coach_label(self) -> str:
        return self.coach.name if self.coach is not None else self.coach_name


class EntryPlayer(models.Model):
    """A player of an entry. A worker is in one entry per project (`project` is kept for the constraint)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="players", verbose_name=_("报名"))
    project = models.ForeignKey(ContestProject, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="contest_entries", verbose_name=_("选手")
    )

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "entry__unit"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("参赛选手")
        verbose_name_plural = _("参赛选手")
        constraints = [
            models.UniqueConstraint(fields=["project", "worker"], name="cmp_player_once_per_project")
        ]

    def __str__(self) -> str:
        return self.worker.name


class Section(models.Model):
    """A section of a project's marking scheme (评分方案的模块)."""

    project = models.ForeignKey(
        ContestProject, on_delete=models.CASCADE, related_name="sections", verbose_name=_("竞赛项目")
    )
    code = models.CharField(_("模块代码"), max_length=10)
    name = models.CharField(_("模块名称"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "order", "code"]
        verbose_name = _("评分模块")
        verbose_name_plural = _("评分模块")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="cmp_section_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Aspect(models.Model):
    """An aspect marked: measurement (one mark, 0 to the maximum) or judgement (three judges, 0–3 each)."""

    class Kind(models.TextChoices):
        MEASUREMENT = "measurement", _("测量评分")
        JUDGEMENT = "judgement", _("评价评分")

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="aspects", verbose_name=_("模块")
    )
    code = models.CharField(_("评分项代码"), max_length=12)
    description = models.CharField(_("评分项描述"), max_length=500)
    kind = models.CharField(_("评分方式"), max_length=16, choices=Kind.choices)
    max_mark = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "order", "code"]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="cmp_aspect_code_unique"),
            models.CheckConstraint(
                condition=Q(max_mark__gt=0, max_mark__lte=100), name="cmp_aspect_max_bounds"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Judge(models.Model):
    """A judge of one project: a person in the registry; their unit is their employer when assigned."""

    project = models.ForeignKey(
        ContestProject, on_delete=models.PROTECT, related_name="judges", verbose_name=_("竞赛项目")
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="judging", verbose_name=_("裁判")
    )
    unit = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所在单位"),
    )
    is_chief = models.BooleanField(_("裁判长"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "project__competition__town"
    ORGANISATION_FIELD = "project__competition__organiser"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["project", "-is_chief", "id"]
        verbose_name = _("裁判")
        verbose_name_plural = _("裁判")
        constraints = [
            models.UniqueConstraint(fields=["project", "worker"], name="cmp_judge_once_per_project"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_chief=True), name="cmp_one_chief_per_project"
            ),
        ]

    def __str__(self) -> str:
        return self.worker.name


class Mark(models.Model):
    """One judge's mark for one entry on one aspect. A ledger: a submitted mark is never edited; a
    correction is a new row that `corrects` it, with its reason. The standing mark of (entry, aspect,
    judge) is the newest row."""

    class State(models.TextChoices):
        DRAFT = "draft", _("暂存")
        SUBMITTED = "submitted", _("已提交")

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="marks", verbose_name=_("报名"))
    aspect = models.ForeignKey(
        Aspect, on_delete=models.PROTECT, related_name="marks", verbose_name=_("评分项")
    )
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="marks", verbose_name=_("裁判"))
    score = models.DecimalField(_("分数"), max_digits=5, decimal_places=2)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    reason = models.CharField(_("更正原因"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["entry", "aspect", "judge", "id"]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        indexes = [models.Index(fields=["entry", "aspect", "judge"])]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="cmp_mark_bounds"),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""), name="cmp_correction_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.aspect_id}/{self.judge_id}: {self.score}"


class Result(models.Model):
    """An entry's result in its project: computed from the marks (or, for an external competition,
    imported with its prize money). Frozen once the chief judge confirms the project's results."""

    project = models.ForeignKey(
        ContestProject, on_delete=models.PROTECT, related_name="results", verbose_name=_("竞赛项目")
    )
    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="result", verbose_name=_("报名")
    )
    total = models.DecimalField(
        _("总分"), max_digits=TOTAL_MAX_DIGITS, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    award = models.CharField(_("奖项"), max_length=12, choices=Award.choices, blank=True)
    passed = models.BooleanField(_("成绩合格"), default=False)
    prize_money = models.DecimalField(
        _("竞赛发放奖金（元）"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    computed_at = models.DateTimeField(auto_now=True)

    TOWN_FIELD = "entry__unit__town"
    ORGANISATION_FIELD = "entry__unit"
    WORKER_FIELD = "entry__players__worker"

    class Meta:
        ordering = ["project", "rank", "id"]
        verbose_name = _("竞赛成绩")
        verbose_name_plural = _("竞赛成绩")
        constraints = [
            models.CheckConstraint(condition=Q(prize_money__gte=0), name="cmp_prize_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} #{self.rank}"


class TrainingCamp(models.Model):
    """集训: a unit's training camp for a provincial-or-higher project (CMP-CAMP), or a WorldSkills
    selection training at a level (CMP-WS-BASE, `selection_level`)."""

    class SelectionLevel(models.TextChoices):
        NONE = "", _("非世赛选拔集训")
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")

    project = models.ForeignKey(
        ContestProject, on_delete=models.PROTECT, related_name="camps", verbose_name=_("竞赛项目")
    )
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contest_camps", verbose_name=_("集训单位")
    )
    selection_level = models.CharField(
        _("世赛选拔集训级别"), max_length=12, choices=SelectionLevel.choices, blank=True
    )
    starts_on = models.DateField(_("集训开始日期"))
    ends_on = models.DateField(_("集训结束日期"))
    completed = models.BooleanField(_("已完成集训任务"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "unit__town"
    ORGANISATION_FIELD = "unit"
    WORKER_FIELD = "trainees__worker"

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("集训")
        verbose_name_plural = _("集训")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cmp_camp_dates"),
            models.UniqueConstraint(
                fields=["project", "unit", "selection_level"], name="cmp_camp_once_per_unit_and_project"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.project.name}"


class CampTrainee(models.Model):
    """A Dongguan trainee of a camp and the months they trained (the monthly allowance is per month)."""

    camp = models.ForeignKey(TrainingCamp, on_delete=models.CASCADE, related_name="trainees")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+", verbose_name=_("集训选手"))
    months = models.PositiveSmallIntegerField(_("集训月数"))

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "camp__unit"
    WORKER_FIELD = "worker"

    class Meta:
        verbose_name = _("集训选手")
        verbose_name_plural = _("集训选手")
        constraints = [
            models.UniqueConstraint(fields=["camp", "worker"], name="cmp_trainee_once_per_camp"),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=36), name="cmp_camp_months_bounds"),
        ]

    def __str__(self) -> str:
        return self.worker.name


class Title(models.Model):
    """A title held: 东莞市技术能手 issued from a city competition's results (signed, like certificates),
    or a provincial/national title recorded from an import with the document that granted it."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")

    number = models.CharField(_("称号证书编号"), max_length=32, unique=True)
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="titles", verbose_name=_("获得者")
    )
    honour = models.CharField(_("称号"), max_length=40, choices=SkillRecord.Honour.choices)
    holder_name = models.CharField(_("姓名"), max_length=50)
    awarded_on = models.DateField(_("授予日期"), db_index=True)
    # Issued from a result of a city competition, or recorded from an import with its granting document.
    result = models.ForeignKey(
        Result,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="titles",
        verbose_name=_("竞赛成绩"),
    )
    document = models.CharField(_("授予文件"), max_length=200, blank=True)
    skill_record = models.OneToOneField(
        SkillRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="title"
    )
    qr_token = models.TextField(_("二维码内容"), blank=True)
    key_id = models.CharField(_("签名密钥标识"), max_length=16, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.VALID)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "worker__employer"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-awarded_on", "-id"]
        verbose_name = _("称号")
        verbose_name_plural = _("称号")
        constraints = [
            # Once per result and player: a team's result names each of its players.
            models.UniqueConstraint(
                fields=["result", "worker", "honour"],
                condition=Q(result__isnull=False),
                name="cmp_title_once_per_result",
            ),
            models.CheckConstraint(
                condition=Q(result__isnull=False) | ~Q(document=""), name="cmp_title_has_basis"
            ),
            models.CheckConstraint(
                condition=Q(status="valid") | (Q(revoked_on__isnull=False) & ~Q(revoked_reason="")),
                name="cmp_title_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Promotion(models.Model):
    """A skill level granted or promoted from a competition result (D002 item 11), issued as a
    certificate in certification (the organiser is the evaluator)."""

    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="promotions")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("晋升等级"), choices=SkillLevel.choices)
    certificate = models.OneToOneField(
        "certification.Certificate", on_delete=models.PROTECT, related_name="competition_promotion"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("竞赛晋级")
        verbose_name_plural = _("竞赛晋级")
        constraints = [
            models.UniqueConstraint(fields=["result", "worker"], name="cmp_promotion_once"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="cmp_promotion_level"),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} → {self.level}"

"""The registry: towns, industries, occupations, organisations, workers and the skills they hold."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from skillcity.core.masking import mask_id_number, mask_phone


class Town(models.Model):
    """One of Dongguan's 33 towns, sub-districts and parks (镇街（园区）); data is scoped by town."""

    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("街道")
        TOWN = "town", _("镇")
        PARK = "park", _("园区")

    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("镇街")
        verbose_name_plural = _("镇街")

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """Guangdong's strategic pillar and emerging industry clusters, with Dongguan's groupings."""

    class Kind(models.TextChoices):
        PILLAR = "pillar", _("战略性支柱产业集群")
        EMERGING = "emerging", _("战略性新兴产业集群")

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    dongguan_group = models.CharField(_("东莞产业分组"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")

    def __str__(self) -> str:
        return self.name


class Occupation(models.Model):
    """An occupation (职业/工种) of the national occupation classification (2022 edition)."""

    class Programme(models.TextChoices):
        MANUFACTURING = "manufacturing", _("制造业技能")
        CANTONESE_CHEF = "cantonese_chef", _("粤菜师傅")
        NANYUE_HOUSEKEEPING = "nanyue_housekeeping", _("南粤家政")
        DIGITAL = "digital", _("数字新职业")
        SERVICES = "services", _("其他服务业")

    code = models.CharField(_("职业编码"), max_length=20, unique=True)
    name = models.CharField(_("职业名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    programme = models.CharField(_("所属工程"), max_length=32, choices=Programme.choices)
    has_levels = models.BooleanField(_("设有技能等级"), default=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("职业（工种）")
        verbose_name_plural = _("职业（工种）")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OrganisationCategory(models.TextChoices):
    """D000 Annex 2's seven categories, in the official order."""

    ENTERPRISE = "enterprise", _("企业")
    VOCATIONAL_COLLEGE = "vocational_college", _("职业院校")
    TECHNICAL_SCHOOL = "technical_school", _("技工院校")
    TRAINING_INSTITUTION = "training_institution", _("职业培训机构")
    RESEARCH_INSTITUTE = "research_institute", _("科研机构")
    INDUSTRY_ASSOCIATION = "industry_association", _("行业协会")
    OTHER = "other", _("其他")


# Annex 1's staff counts, in the form's order. Each group of parts must not exceed total_staff.
STAFF_TITLE_FIELDS = ["title_senior", "title_intermediate", "title_junior"]
STAFF_LEVEL_FIELDS = [
    "level1_count",
    "level2_count",
    "level3_count",
    "level4_count",
    "level5_count",
    "special_ability_count",
]
STAFF_COUNT_FIELDS = ["total_staff", "managers", *STAFF_TITLE_FIELDS, *STAFF_LEVEL_FIELDS, "general_workers"]


class Organisation(models.Model):
    category = models.CharField(_("单位类别"), max_length=32, choices=OrganisationCategory.choices)
    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("所在镇街")
    )
    industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("所属产业"),
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮编"), max_length=6, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    office_phone = models.CharField(_("办公电话"), max_length=20, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True)
    fax = models.CharField(_("传真"), max_length=20, blank=True)
    # Annex 1 (职业培训联盟成员单位登记表) staff counts
    total_staff = models.PositiveIntegerField(_("职工总数"), default=0)
    managers = models.PositiveIntegerField(_("其中管理人员"), default=0)
    title_senior = models.PositiveIntegerField(_("高级职称"), default=0)
    title_intermediate = models.PositiveIntegerField(_("中级职称"), default=0)
    title_junior = models.PositiveIntegerField(_("初级职称"), default=0)
    level1_count = models.PositiveIntegerField(_("高级技师"), default=0)
    level2_count = models.PositiveIntegerField(_("技师"), default=0)
    level3_count = models.PositiveIntegerField(_("高级工"), default=0)
    level4_count = models.PositiveIntegerField(_("中级工"), default=0)
    level5_count = models.PositiveIntegerField(_("初级工"), default=0)
    special_ability_count = models.PositiveIntegerField(_("专项能力"), default=0)
    general_workers = models.PositiveIntegerField(_("普工"), default=0)
    profile = models.TextField(_("单位简介"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Access: which field places a record in a town / an organisation (skillcity.core.access).
    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "pk"
    WORKER_FIELD = None

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        indexes = [models.Index(fields=["town", "category"]), models.Index(fields=["industry"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(managers__lte=F("total_staff")), name="org_managers_within_total"
            ),
            models.CheckConstraint(
                condition=Q(total_staff__gte=F("title_senior") + F("title_intermediate") + F("title_junior")),
                name="org_titles_within_total",
            ),
            models.CheckConstraint(
                condition=Q(
                    total_staff__gte=F("level1_count")
                    + F("level2_count")
                    + F("level3_count")
                    + F("level4_count")
                    + F("level5_count")
                    + F("special_ability_count")
                    + F("general_workers")
                ),
                name="org_levels_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class SkillLevel(models.IntegerChoices):
    """职业技能等级, 1 highest; '高技能人才' is level 3 or higher (numbers 1–3)."""

    LEVEL1 = 1, _("一级/高级技师")
    LEVEL2 = 2, _("二级/技师")
    LEVEL3 = 3, _("三级/高级工")
    LEVEL4 = 4, _("四级/中级工")
    LEVEL5 = 5, _("五级/初级工")


class Worker(models.Model):
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    # Unique through a named constraint; on SQLite Django still writes it into the table definition,
    # so a bulk load keeps that index up to date row by row (it cannot be dropped and rebuilt).
    id_number = models.CharField(_("身份证号码"), max_length=18)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    # db_index=False: the (town, highest_level) index below serves every town lookup.
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="workers", verbose_name=_("所在镇街"), db_index=False
    )
    employer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
        verbose_name=_("工作单位"),
    )
    # The highest skill level held, kept in step with the worker's skill records by the services:
    # lists filter and count on it for 1.4 million workers without a join.
    highest_level = models.PositiveSmallIntegerField(
        _("最高技能等级"), null=True, blank=True, choices=SkillLevel.choices
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "employer"
    WORKER_FIELD = "pk"

    class Meta:
        ordering = ["id"]
        verbose_name = _("劳动者")
        verbose_name_plural = _("劳动者")
        indexes = [models.Index(fields=["town", "highest_level"], name="worker_town_level_idx")]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="worker_id_number_unique"),
            models.CheckConstraint(
                condition=Q(highest_level__isnull=True) | Q(highest_level__gte=1, highest_level__lte=5),
                name="worker_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_high_skilled(self) -> bool:
        return self.highest_level is not None and self.highest_level <= 3


class SkillRecord(models.Model):
    """A skill level, special ability, special-operation permit, professional title or honour a worker holds."""

    class Kind(models.TextChoices):
        SKILL_LEVEL = "skill_level", _("职业技能等级")
        SPECIAL_ABILITY = "special_ability", _("专项职业能力")
        SPECIAL_OPERATION = "special_operation", _("特种作业操作证")
        PROFESSIONAL_TITLE = "professional_title", _("专业技术职称")
        HONOUR = "honour", _("荣誉称号")

    class TitleGrade(models.TextChoices):
        SENIOR = "senior", _("高级")
        INTERMEDIATE = "intermediate", _("中级")
        JUNIOR = "junior", _("初级")

    class Honour(models.TextChoices):
        """Title codes of policy-catalog §13 (TAL-CARD)."""

        CHINA_SKILLS_AWARD = "china_skills_award", _("中华技能大奖")
        NATIONAL_TECHNICAL_EXPERT = "national_technical_expert", _("全国技术能手")
        NANYUE_TECHNICAL_EXPERT = "nanyue_technical_expert", _("南粤技术能手")
        GUANGDONG_TECHNICAL_EXPERT = "guangdong_technical_expert", _("广东省技术能手")
        DONGGUAN_TECHNICAL_EXPERT = "dongguan_technical_expert", _("东莞市技术能手")
        DONGGUAN_LEADING_TALENT = "dongguan_leading_talent", _("东莞市技能领军人才")
        DONGGUAN_CRAFTSMAN = "dongguan_craftsman", _("莞邑工匠")
        CHIEF_TECHNICIAN = "chief_technician", _("首席技师")

    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="skill_records", verbose_name=_("劳动者")
    )
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("职业（工种）"),
    )
    level = models.PositiveSmallIntegerField(_("等级"), null=True, blank=True, choices=SkillLevel.choices)
    title_grade = models.CharField(_("职称级别"), max_length=16, blank=True, choices=TitleGrade.choices)
    honour = models.CharField(_("称号"), max_length=40, blank=True, choices=Honour.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    obtained_on = models.DateField(_("取得日期"))
    certificate_number = models.CharField(_("证书编号"), max_length=32, blank=True)

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "worker__employer"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-obtained_on", "id"]
        verbose_name = _("技能记录")
        verbose_name_plural = _("技能记录")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="skill_level") | Q(level__gte=1, level__lte=5),
                name="skill_record_level_required",
            ),
            models.CheckConstraint(
                condition=~Q(kind="professional_title") | ~Q(title_grade=""),
                name="skill_record_title_grade_required",
            ),
            models.CheckConstraint(
                condition=~Q(kind="honour") | ~Q(honour=""), name="skill_record_honour_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name or self.get_level_display() or ''}"


class WorkerStatusKind(models.TextChoices):
    """A status that takes a person out of the labour force (issue 20, SUP-GHOST)."""

    RETIRED = "retired", _("已退休")
    FULL_TIME_STUDENT = "full_time_student", _("全日制在校学生")
    DECEASED = "deceased", _("已死亡")


class WorkerStatus(models.Model):
    """A dated status from another register (retirement, full-time study, death): supervision reads it
    to find trainees, certificate holders and payees who could not have been what the records say."""

    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="statuses", verbose_name=_("劳动者")
    )
    kind = models.CharField(_("状态"), max_length=24, choices=WorkerStatusKind.choices)
    valid_from = models.DateField(_("起始日期"))
    # Open-ended when blank: retirement and death have no end; a student's study ends on graduation.
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    source = models.CharField(_("信息来源"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "worker__employer"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["worker", "valid_from", "id"]
        verbose_name = _("劳动者身份状态")
        verbose_name_plural = _("劳动者身份状态")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="worker_status_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.get_kind_display()}"

"""Records of the new-style enterprise apprenticeship (企业新型学徒制) and 校企双制 classes (issue 19 §1).

An enterprise and a school (or training institution) enrol an employee as an apprentice: the
apprenticeship contract, the school registration (non-full-time, at least one year: D001 三(三)3), two
mentors (an enterprise mentor who is a worker of the enterprise, and a school teacher), the training
plan (an occupation and a level), progress entries and the final assessment — a candidacy in a
certification session, added through the certification services. Whether the apprentice is certified
is read from that candidacy's certificate, never typed.

A 校企双制 class ("招生即招工", D004 二(三)) is a school class whose students are the enterprise's
employees: each student is an apprenticeship of the class, so the class roster and the enterprise's
apprentice roster are one set of rows; enrolling a student also hires them (the registry's employer),
and a student leaving leaves both (services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Occupation, Organisation, SkillLevel, Worker

# D003: "累计培训中国特色企业新型学徒制备案技术工人 19936 人" — the baseline the statistics count toward.
BASELINE = 19_936


class StudyMode(models.TextChoices):
    NON_FULL_TIME = "non_full_time", _("非全日制")
    FULL_TIME = "full_time", _("全日制")


class Status(models.TextChoices):
    """Read from the records (selectors.with_status), never stored."""

    TRAINING = "training", _("培训中")
    DUE = "due", _("期满待考核")
    ASSESSING = "assessing", _("考核中")
    PASSED = "passed", _("考核合格待发证")
    FAILED = "failed", _("考核未通过")
    CERTIFIED = "certified", _("已取证")
    LEFT = "left", _("已退出")


class DualClass(models.Model):
    """A 校企双制 class: a school's class whose students are also the enterprise's employees."""

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="dual_classes_taught", verbose_name=_("院校")
    )
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="dual_classes_hired", verbose_name=_("合作企业")
    )
    name = models.CharField(_("班级名称"), max_length=100)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("培养职业（工种）")
    )
    level = models.PositiveSmallIntegerField(_("目标等级"), choices=SkillLevel.choices)
    start = models.DateField(_("开班日期"))
    end = models.DateField(_("结业日期"))
    school_mentor = models.CharField(_("学校导师"), max_length=50)
    enterprise_mentor = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业导师")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "enterprise__town"
    ORGANISATION_FIELD = "enterprise"
    WORKER_FIELD = None

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("校企双制班")
        verbose_name_plural = _("校企双制班")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="apprenticeship_class_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="apprenticeship_class_level"
            ),
            models.UniqueConstraint(fields=["school", "name"], name="apprenticeship_class_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Apprenticeship(models.Model):
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="apprenticeships", verbose_name=_("学徒")
    )
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="apprentices", verbose_name=_("企业")
    )
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="apprentice_students",
        verbose_name=_("院校或培训机构"),
    )
    dual_class = models.ForeignKey(
        DualClass,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="apprenticeships",
        verbose_name=_("校企双制班"),
    )
    contract_start = models.DateField(_("学徒合同开始日期"))
    contract_end = models.DateField(_("学徒合同结束日期"))
    registration_number = models.CharField(_("学籍号"), max_length=40)
    study_mode = models.CharField(
        _("学习形式"), max_length=16, choices=StudyMode.choices, default=StudyMode.NON_FULL_TIME
    )
    registration_start = models.DateField(_("学籍注册开始日期"))
    registration_end = models.DateField(_("学籍注册结束日期"))
    enterprise_mentor = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="mentored_apprentices", verbose_name=_("企业导师")
    )
    school_mentor = models.CharField(_("学校导师"), max_length=50)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("培养职业（工种）")
    )
    level = models.PositiveSmallIntegerField(_("目标等级"), choices=SkillLevel.choices)
    # The final assessment: the apprentice's candidacy in a certification session (certification
    # services add it); the certificate hangs off the candidacy.
    candidate = models.OneToOneField(
        "certification.Candidate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="apprenticeship",
        verbose_name=_("考核"),
    )
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    leave_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The enterprise's town places an apprenticeship (a town officer sees the apprentices of the
    # enterprises in their town); organisation users are scoped by selectors (enterprise or school).
    TOWN_FIELD = "enterprise__town"
    ORGANISATION_FIELD = "enterprise"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-contract_start", "-id"]
        verbose_name = _("新型学徒")
        verbose_name_plural = _("新型学徒")
        indexes = [
            models.Index(fields=["enterprise", "contract_start"]),
            models.Index(fields=["school", "contract_start"]),
            models.Index(fields=["occupation", "level"]),
        ]
        constraints = [
            # The one-year minimums (D001 三(三)3) are checked by the services; the database keeps the
            # order of the dates and the non-full-time registration.
            models.CheckConstraint(
                condition=Q(contract_end__gt=F("contract_start")), name="apprenticeship_contract_dates"
            ),
            models.CheckConstraint(
                condition=Q(registration_end__gt=F("registration_start")),
                name="apprenticeship_registration_dates",
            ),
            models.CheckConstraint(
                condition=Q(study_mode="non_full_time"), name="apprenticeship_non_full_time"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="apprenticeship_level"),
            models.CheckConstraint(
                condition=~Q(enterprise_mentor=F("worker")), name="apprenticeship_mentor_not_self"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | ~Q(leave_reason=""), name="apprenticeship_left_has_reason"
            ),
            # One running apprenticeship a worker at an enterprise.
            models.UniqueConstraint(
                fields=["worker", "enterprise"],
                condition=Q(left_on__isnull=True, candidate__isnull=True),
                name="apprenticeship_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} @ {self.enterprise.name}"

    @property
    def status_label(self) -> str:
        """The status read by selectors.with_status (an annotation), as shown."""
        code = getattr(self, "status", "")
        return str(Status(code).label) if code in Status.values else ""


class Progress(models.Model):
    """A progress entry: what the apprentice learned, where and for how long."""

    class Place(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业岗位")
        SCHOOL = "school", _("院校")

    apprenticeship = models.ForeignKey(
        Apprenticeship, on_delete=models.PROTECT, related_name="progress", verbose_name=_("学徒")
    )
    date = models.DateField(_("日期"))
    place = models.CharField(_("培训地点"), max_length=16, choices=Place.choices)
    hours = models.PositiveSmallIntegerField(_("学时"))
    content = models.CharField(_("培训内容"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "apprenticeship__enterprise__town"
    ORGANISATION_FIELD = "apprenticeship__enterprise"
    WORKER_FIELD = "apprenticeship__worker"

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("学徒培训进度")
        verbose_name_plural = _("学徒培训进度")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=24), name="apprenticeship_progress_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.apprenticeship_id} {self.date}"

"""Schools, majors, students and graduates: the records behind the EDU rules (catalog §2, issue 17 §6).

A school is a registry Organisation (技工院校 or 职业院校) with its kind and ownership. Its majors carry
the industry fit (EDU-MAJOR-BUILD), the demonstration flag (EDU-DEMO-MAJOR) and whether they train with
enterprises (T-TECH-SCHOOLS). Students are counted per year, major, year of study and class kind, from
the school's rolls import; international course classes name their students (registry Workers) and the
international certificates they hold; graduation records name the worker and the class (EDU-EQUIV); a
public school files its yearly social-training income and costs (EDU-SOCIAL-TRAINING).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Organisation, Worker

YEAR_OF_STUDY_MAX = 5


class SchoolKind(models.TextChoices):
    TECHNICAL = "technical", _("技工院校")
    VOCATIONAL = "vocational", _("职业院校")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


class IndustryFit(models.TextChoices):
    """EDU-MAJOR-BUILD's industry_fit choices (policy/rules/education.py INDUSTRY_FIT)."""

    STRATEGIC_EMERGING = "strategic_emerging", _("符合市战略性新兴产业需求")
    FIVE_PILLARS = "five_pillars_four_specialties", _("符合“五支四特”产业需求")
    NONE = "none", _("均不符合")


class ClassKind(models.TextChoices):
    INTERMEDIATE = "intermediate", _("中级工班")
    ADVANCED = "advanced", _("高级工班")
    PREPARATORY = "preparatory_technician", _("预备技师（技师）班")
    # EDU-DEMO-MAJOR leaves these out of its count ("招收高中阶段毕业生的高级工班及以上").
    HS_ADVANCED = "hs_advanced", _("高级工班及以上（招收高中毕业生）")


ADVANCED_OR_ABOVE = (ClassKind.ADVANCED, ClassKind.PREPARATORY, ClassKind.HS_ADVANCED)
# EDU-EQUIV's class_type for a graduation class: an advanced class recruited from high-school graduates
# graduates as an advanced class (高级工班).
EQUIV_CLASS = {
    ClassKind.INTERMEDIATE: "intermediate",
    ClassKind.ADVANCED: "advanced",
    ClassKind.PREPARATORY: "preparatory_technician",
    ClassKind.HS_ADVANCED: "advanced",
}


class School(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="school", verbose_name=_("单位")
    )
    kind = models.CharField(_("院校类型"), max_length=16, choices=SchoolKind.choices)
    ownership = models.CharField(_("办学性质"), max_length=16, choices=Ownership.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "organisation__town"
    ORGANISATION_FIELD = "organisation"
    WORKER_FIELD = None

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("院校")
        verbose_name_plural = _("院校")

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def is_private(self) -> bool:
        return self.ownership == Ownership.PRIVATE


class Major(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="majors", verbose_name=_("院校")
    )
    code = models.CharField(_("专业代码"), max_length=20, blank=True)
    name = models.CharField(_("专业名称"), max_length=100)
    industry_fit = models.CharField(_("对接产业"), max_length=40, choices=IndustryFit.choices)
    demonstration = models.BooleanField(_("入选示范性专业"), default=False)
    enterprise_training = models.BooleanField(_("开展校企合作培养"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "school__organisation__town"
    ORGANISATION_FIELD = "school__organisation"
    WORKER_FIELD = None
    ORGANISATION_WRITES = True

    class Meta:
        ordering = ["school", "name", "id"]
        verbose_name = _("专业")
        verbose_name_plural = _("专业")
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="schools_major_name_once")]

    def __str__(self) -> str:
        return self.name


class RollImport(models.Model):
    """One import of a school's rolls for a year: it replaces that year's counts, all rows or none."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="roll_imports")
    year = models.PositiveSmallIntegerField(_("统计年度"))
    filename = models.CharField(_("文件名"), max_length=200)
    rows = models.PositiveIntegerField(_("行数"))
    students = models.PositiveIntegerField(_("在校生人数"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "school__organisation__town"
    ORGANISATION_FIELD = "school__organisation"
    WORKER_FIELD = None

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.filename}"


class RollCount(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="roll_counts")
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="roll_counts")
    roll_import = models.ForeignKey(RollImport, on_delete=models.PROTECT, related_name="counts")
    year = models.PositiveSmallIntegerField(_("统计年度"))
    year_of_study = models.PositiveSmallIntegerField(_("年级"))
    class_kind = models.CharField(_("班级类型"), max_length=32, choices=ClassKind.choices)
    students = models.PositiveIntegerField(_("在校生人数"))

    TOWN_FIELD = "school__organisation__town"
    ORGANISATION_FIELD = "school__organisation"
    WORKER_FIELD = None

    class Meta:
        verbose_name = _("在校生人数")
        verbose_name_plural = _("在校生人数")
        ordering = ["major", "year_of_study", "class_kind"]
        indexes = [models.Index(fields=["school", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["major", "year", "year_of_study", "class_kind"], name="schools_roll_count_once"
            ),
            models.CheckConstraint(
                condition=Q(year_of_study__gte=1) & Q(year_of_study__lte=YEAR_OF_STUDY_MAX),
                name="schools_roll_year_of_study_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.year_of_study} {self.class_kind} {self.students}"


class InternationalClass(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="international_classes")
    major = models.ForeignKey(
        Major, on_delete=models.PROTECT, related_name="international_classes", verbose_name=_("专业")
    )
    name = models.CharField(_("班级名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    curriculum = models.CharField(_("国际课程体系"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "school__organisation__town"
    ORGANISATION_FIELD = "school__organisation"
    WORKER_FIELD = None

    class Meta:
        verbose_name = _("国际课程班")
        verbose_name_plural = _("国际课程班")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "name"], name="schools_intl_class_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class InternationalStudent(models.Model):
    """A student (a registry Worker) of an international course class, with the international
    certificate they obtained, if any (EDU-INTL-CERT)."""

    intl_class = models.ForeignKey(InternationalClass, on_delete=models.PROTECT, related_name="students")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="international_studies")
    certificate_name = models.CharField(_("国际职业技能证书名称"), max_length=100, blank=True)
    certificate_number = models.CharField(_("证书编号"), max_length=60, blank=True)
    certificate_date = models.DateField(_("取证日期"), null=True, blank=True)

    TOWN_FIELD = "intl_class__school__organisation__town"
    ORGANISATION_FIELD = "intl_class__school__organisation"
    WORKER_FIELD = "worker"

    class Meta:
        verbose_name = _("国际课程班学生")
        verbose_name_plural = _("国际课程班学生")
        ordering = ["intl_class", "id"]
        constraints = [
            models.UniqueConstraint(fields=["intl_class", "worker"], name="schools_intl_student_once")
        ]

    def __str__(self) -> str:
        return f"{self.intl_class} {self.worker}"

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_number and self.certificate_date)


class Graduation(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="graduations")
    major = models.ForeignKey(
        Major, on_delete=models.PROTECT, related_name="graduations", verbose_name=_("专业")
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="graduations")
    class_kind = models.CharField(_("毕业班级"), max_length=32, choices=ClassKind.choices)
    graduated_on = models.DateField(_("毕业日期"))
    certificate_number = models.CharField(_("毕业证书编号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "school__organisation__town"
    ORGANISATION_FIELD = "school__organisation"
    WORKER_FIELD = "worker"

    class Meta:
        verbose_name = _("毕业记录")
        verbose_name_plural = _("毕业记录")
        ordering = ["-graduated_on", "-id"]
        indexes = [models.Index(fields=["school", "graduated_on"])]
        constraints = [
            models.UniqueConstraint(fields=["school", "worker", "class_kind"], name="schools_graduation_once")
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.graduated_on}"

    @property
    def equiv_class(self) -> str:
        return EQUIV_CLASS[ClassKind(self.class_kind)]


class SocialTrainingReport(models.Model):
    """A public school's yearly social-training report: income, reasonable costs (EDU-SOCIAL-TRAINING)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="social_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    income = models.DecimalField(_("社会化培训收入（元）"), max_digits=14, decimal_places=2)
    costs = models.DecimalField(_("合理成本（元）"), max_digits=14, decimal_places=2)
    person_times = models.PositiveIntegerField(_("培训人次"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now=True)

    TOWN_FIELD = "school__organisation__town"
    ORGANISATION_FIELD = "school__organisation"
    WORKER_FIELD = None

    class Meta:
        verbose_name = _("社会化培训年度报告")
        verbose_name_plural = _("社会化培训年度报告")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="schools_social_report_once")]

    def __str__(self) -> str:
        return f"{self.school} {self.year}"

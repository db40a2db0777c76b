"""Online learning (issue 18; D002 item 9, D003 §四(三)一): the course catalogue, enrolments, the
append-only log of xAPI-shaped statements, the progress derived from it, completions as training
records, and the signals kept for supervision.

The log (`Statement`) is the record: rows are only ever inserted, one per client-made UUID, and
never edited. Everything else about a learner's progress (`LessonProgress`, `Enrolment.progress`,
`Completion`) is derived from the log in the background, after `AggregationCursor` (the last
statement folded in), so it can always be rebuilt from the log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Industry, Occupation, Organisation, SkillLevel, Worker

# Bounds that fit the columns and the courses of the documents.
LESSON_SECONDS_MAX = 36_000  # ten hours in one lesson
LESSONS_PER_COURSE_MAX = 200
POSITION_MAX = LESSON_SECONDS_MAX  # a position inside a lesson, in seconds
SCORE_MAX = 100
COMPLETION_SHARE_MIN = 50  # percent of each lesson that must be watched
COMPLETION_SHARE_MAX = 100
QUIZ_QUESTIONS_MAX = 50
QUIZ_OPTIONS_MIN = 2
QUIZ_OPTIONS_MAX = 6
QUIZ_TEXT_MAX = 300  # a question's or an option's text, in characters


class Category(models.TextChoices):
    """D002 一(二): non-full-time secondary vocational education, skills training, general training."""

    DIPLOMA = "diploma", _("学历")
    SKILL = "skill", _("技能")
    GENERAL = "general", _("素质")


class CourseState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已发布")
    UNPUBLISHED = "unpublished", _("已下架")


class Course(models.Model):
    code = models.CharField(_("课程编号"), max_length=20, unique=True)
    title = models.CharField(_("课程名称"), max_length=100)
    summary = models.TextField(_("课程简介"), max_length=2000, blank=True)
    category = models.CharField(_("课程类别"), max_length=16, choices=Category.choices)
    occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("职业（工种）"),
    )
    level = models.PositiveSmallIntegerField(_("等级"), null=True, blank=True, choices=SkillLevel.choices)
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="courses", verbose_name=_("战略性产业")
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="courses", verbose_name=_("课程提供单位")
    )
    state = models.CharField(_("状态"), max_length=16, choices=CourseState.choices, default=CourseState.DRAFT)
    completion_share = models.PositiveSmallIntegerField(
        _("每节观看比例（%）"),
        default=90,
        validators=[MinValueValidator(COMPLETION_SHARE_MIN), MaxValueValidator(COMPLETION_SHARE_MAX)],
        help_text=_("每节视频至少观看该比例、每节测验通过，课程即完成"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    unpublished_reason = models.CharField(_("下架原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    TOWN_FIELD = "provider__town"
    ORGANISATION_FIELD = "provider"

    class Meta:
        ordering = ["code"]
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        indexes = [models.Index(fields=["state", "category"], name="learning_course_state_cat")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    completion_share__gte=COMPLETION_SHARE_MIN, completion_share__lte=COMPLETION_SHARE_MAX
                ),
                name="learning_course_completion_share_range",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="learning_course_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CourseDecision(models.Model):
    """One step of a course's review: submitted, returned, published, unpublished (a ledger)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交审核")
        RETURN = "return", _("退回修改")
        PUBLISH = "publish", _("审核发布")
        UNPUBLISH = "unpublish", _("下架")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("课程")
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("课程审核记录")
        verbose_name_plural = _("课程审核记录")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.course_id}"


class LessonKind(models.TextChoices):
    VIDEO = "video", _("视频")
    DOCUMENT = "document", _("文档")
    QUIZ = "quiz", _("测验")


def validate_questions(value: Any) -> None:
    """A quiz's questions: a bounded list of {"text", "options": [...], "answer": index}. The answer
    stays on the server: the player shows the text and options only and the server grades."""
    if not isinstance(value, list) or len(value) > QUIZ_QUESTIONS_MAX:
        raise ValidationError(_("测验题目应为不超过%(n)s道题的列表") % {"n": QUIZ_QUESTIONS_MAX})
    for number, question in enumerate(value, start=1):
        options = question.get("options") if isinstance(question, dict) else None
        text = question.get("text") if isinstance(question, dict) else None
        answer = question.get("answer") if isinstance(question, dict) else None
        if (
            not isinstance(text, str)
            or not 0 < len(text) <= QUIZ_TEXT_MAX
            or not isinstance(options, list)
            or not QUIZ_OPTIONS_MIN <= len(options) <= QUIZ_OPTIONS_MAX
            or not all(isinstance(o, str) and 0 < len(o) <= QUIZ_TEXT_MAX for o in options)
            or not isinstance(answer, int)
            or isinstance(answer, bool)
            or not 0 <= answer < len(options)
        ):
            raise ValidationError(
                _("第%(n)s题应有题干、%(lo)s至%(hi)s个选项和正确选项的序号")
                % {"n": number, "lo": QUIZ_OPTIONS_MIN, "hi": QUIZ_OPTIONS_MAX}
            )


def lesson_media_path(lesson: Lesson, filename: str) -> str:
    return f"learning/{lesson.course_id}/{filename}"


class Lesson(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("课程")
    )
    position = models.PositiveSmallIntegerField(
        _("序号"), validators=[MinValueValidator(1), MaxValueValidator(LESSONS_PER_COURSE_MAX)]
    )
    title = models.CharField(_("课时名称"), max_length=100)
    kind = models.CharField(_("课时类型"), max_length=16, choices=LessonKind.choices)
    duration_seconds = models.PositiveIntegerField(
        _("时长（秒）"), validators=[MinValueValidator(1), MaxValueValidator(LESSON_SECONDS_MAX)]
    )
    media = models.FileField(_("课时内容"), upload_to=lesson_media_path, max_length=200, blank=True)
    media_type = models.CharField(_("内容类型"), max_length=100, blank=True)
    pass_score = models.PositiveSmallIntegerField(
        _("测验合格分"), null=True, blank=True, validators=[MaxValueValidator(SCORE_MAX)]
    )
    questions = models.JSONField(_("测验题目"), default=list, blank=True, validators=[validate_questions])

    class Meta:
        ordering = ["course", "position"]
        verbose_name = _("课时")
        verbose_name_plural = _("课时")
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="learning_lesson_position_unique"),
            models.CheckConstraint(
                condition=Q(duration_seconds__gte=1, duration_seconds__lte=LESSON_SECONDS_MAX),
                name="learning_lesson_duration_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="quiz") | Q(pass_score__isnull=False, pass_score__lte=SCORE_MAX),
                name="learning_quiz_has_pass_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class EnrolmentState(models.TextChoices):
    LEARNING = "learning", _("学习中")
    COMPLETED = "completed", _("已完成")


class Enrolment(models.Model):
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="course_enrolments", verbose_name=_("学员")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("课程")
    )
    enrolled_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    state = models.CharField(
        _("学习状态"), max_length=16, choices=EnrolmentState.choices, default=EnrolmentState.LEARNING
    )
    progress = models.PositiveSmallIntegerField(
        _("学习进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    watched_seconds = models.PositiveIntegerField(_("有效学习时长（秒）"), default=0)
    last_active_at = models.DateTimeField(_("最近学习时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    WORKER_FIELD = "worker"
    TOWN_FIELD = "worker__town"

    class Meta:
        ordering = ["-enrolled_at", "id"]
        verbose_name = _("选课")
        verbose_name_plural = _("选课")
        constraints = [
            models.UniqueConstraint(fields=["worker", "course"], name="learning_enrolment_once"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="learning_enrolment_progress_range"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} → {self.course_id}"


class Verb(models.TextChoices):
    """The xAPI verbs the player sends (ADL vocabulary, http://adlnet.gov/expapi/verbs/<code>)."""

    INITIALIZED = "initialized", _("开始")
    PROGRESSED = "progressed", _("学习中")
    COMPLETED = "completed", _("完成")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    TERMINATED = "terminated", _("结束")


class Statement(models.Model):
    """One xAPI-shaped statement, as received: inserted once per UUID, never edited.

    `stored` is the server's clock when it was written; progress credits watched time by it, not by
    the client's `timestamp`, so a client cannot earn time it did not spend."""

    id = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(_("语句标识"), unique=True)
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+", verbose_name=_("学员"))
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+", verbose_name=_("课时"))
    verb = models.CharField(_("动作"), max_length=16, choices=Verb.choices)
    position = models.DecimalField(_("播放位置（秒）"), max_digits=8, decimal_places=2, null=True, blank=True)
    duration = models.DecimalField(_("本段时长（秒）"), max_digits=8, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    timestamp = models.DateTimeField(_("客户端时间"))
    stored = models.DateTimeField(_("服务器接收时间"))
    event = models.CharField(_("触发"), max_length=16, blank=True)  # heartbeat, pause, seek, hidden, close

    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["id"]
        verbose_name = _("学习语句")
        verbose_name_plural = _("学习语句")
        indexes = [models.Index(fields=["worker", "stored"], name="learning_stmt_worker_stored")]

    def __str__(self) -> str:
        return str(self.uuid)


class LessonProgress(models.Model):
    """A learner's progress in one lesson, derived from the log."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("选课")
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+", verbose_name=_("课时"))
    watched_seconds = models.PositiveIntegerField(_("有效观看时长（秒）"), default=0)
    last_position = models.DecimalField(_("上次播放位置（秒）"), max_digits=8, decimal_places=2, default=0)
    last_stored = models.DateTimeField(_("上次语句时间"), null=True, blank=True)
    best_score = models.DecimalField(_("最高得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    completed = models.BooleanField(_("已完成"), default=False)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The aggregator's state between two statements (docs/learning.md "Progress and completion"):
    # the exact credit (watched_seconds is its whole seconds), the real time not yet credited (at
    # most a few seconds, so network jitter between beats costs nothing and a pause earns nothing),
    # the last statement's verb and trigger, and when the current unbroken run of heartbeats began.
    watched_exact = models.DecimalField(
        _("有效观看时长（精确，秒）"), max_digits=10, decimal_places=2, default=0
    )
    spare_seconds = models.DecimalField(
        _("未计入的真实时间（秒）"), max_digits=6, decimal_places=2, default=0
    )
    last_verb = models.CharField(_("上次动作"), max_length=16, blank=True)
    last_event = models.CharField(_("上次触发"), max_length=16, blank=True)
    run_started_at = models.DateTimeField(_("本次连续播放开始时间"), null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "lesson__position"]
        verbose_name = _("课时进度")
        verbose_name_plural = _("课时进度")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="learning_lesson_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id}"


class AggregationCursor(models.Model):
    """The last statement folded into progress (one row per aggregator)."""

    name = models.CharField(max_length=32, unique=True)
    last_statement_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_statement_id}"


class Completion(models.Model):
    """A completed course as a training record of the worker (学习记录): counts toward T-COURSES and
    T-UPSKILLED, proven by its PDF certificate, and a condition a training project may require."""

    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="course_completions", verbose_name=_("学员")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="completions", verbose_name=_("课程")
    )
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="completion", verbose_name=_("选课")
    )
    number = models.CharField(_("结业证明编号"), max_length=32, unique=True)
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    completed_on = models.DateField(_("完成日期"))

    WORKER_FIELD = "worker"
    TOWN_FIELD = "worker__town"

    class Meta:
        ordering = ["-completed_on", "id"]
        verbose_name = _("在线学习记录")
        verbose_name_plural = _("在线学习记录")
        constraints = [models.UniqueConstraint(fields=["worker", "course"], name="learning_completion_once")]

    def __str__(self) -> str:
        return self.number


class SignalKind(models.TextChoices):
    """Recorded for supervision (issue 20), not acted on here."""

    CONCURRENT_PLAY = "concurrent_play", _("同一学员同时播放两节课")
    FASTER_THAN_REAL_TIME = "faster_than_real_time", _("进度快于真实时间")
    UNBROKEN_PLAY = "unbroken_play", _("长时间连续播放无互动")


class Signal(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+", verbose_name=_("学员"))
    kind = models.CharField(_("类型"), max_length=32, choices=SignalKind.choices)
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+", verbose_name=_("课时"))
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="+", verbose_name=_("学习语句")
    )
    detail = models.CharField(_("说明"), max_length=300)
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    WORKER_FIELD = "worker"
    TOWN_FIELD = "worker__town"

    class Meta:
        ordering = ["-detected_at", "id"]
        verbose_name = _("学习异常信号")
        verbose_name_plural = _("学习异常信号")
        constraints = [models.UniqueConstraint(fields=["kind", "statement"], name="learning_signal_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.worker_id}"

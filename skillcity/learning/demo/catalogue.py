"""The demo catalogue: its sizes and word lists, the two shared lesson files, the courses and their lessons."""

from __future__ import annotations

import datetime
import io
import random
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from skillcity.learning.demo.accounts import _provider_account, _user

COURSES = 1000
STRATEGIC = 125
CATEGORY_COUNTS = (("diploma", 200), ("skill", 550), ("general", 250))
# Beyond the 1,000 published: what the bureau's review pages show.
UNDER_REVIEW = (("submitted", 6), ("returned", 3), ("unpublished", 3), ("draft", 3))
LEARNERS = 120
LEARNER_COURSES = 40  # the published courses the demo learners take (the most popular)

VIDEO_SECONDS = 6  # the committed demo video's length: its lessons can be completed by playing it
DOCUMENT_SECONDS = 60
QUIZ_SECONDS = 120
VIDEO_NAME = "learning/demo/lesson.mp4"
HANDOUT_NAME = "learning/demo/handout.pdf"
VIDEO_SOURCE = Path(__file__).resolve().parent.parent / "demo_media" / "lesson.mp4"

DIPLOMA_MAJORS = [
    "机电技术应用",
    "数控技术应用",
    "电子技术应用",
    "计算机应用",
    "会计事务",
    "电子商务",
    "物流服务与管理",
    "模具制造技术",
    "服装制作与生产管理",
    "汽车运用与维修",
]
DIPLOMA_SUBJECTS = ["专业基础", "专业核心课", "实训指导", "职业素养", "语文", "数学", "英语", "信息技术"]
GENERAL_TOPICS = [
    "安全生产常识",
    "职业道德与职业规范",
    "劳动者权益保护",
    "数字素养入门",
    "沟通与团队协作",
    "普通话与职场表达",
    "心理健康与压力管理",
    "创业基础",
    "消防安全与应急救护",
    "个人理财与社保常识",
    "质量意识与精益生产",
    "职场礼仪",
]
SKILL_KINDS = ["基础", "提升", "实操", "考前辅导", "新技术"]
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
QUESTIONS = [
    {
        "text": "发现生产设备异常时，首先应当怎么做？",
        "options": ["继续作业", "停机并报告", "自行拆修"],
        "answer": 1,
    },
    {"text": "劳动合同应当采用哪种形式订立？", "options": ["口头", "书面", "任意形式"], "answer": 1},
    {"text": "职业技能等级分为几个等级？", "options": ["三个", "五个", "八个"], "answer": 1},
    {"text": "进入车间前必须佩戴的是？", "options": ["规定的劳动防护用品", "手表", "耳机"], "answer": 0},
    {"text": "在线学习进度按什么统计？", "options": ["学习记录", "页面停留次数", "点赞数"], "answer": 0},
]


# --- media ------------------------------------------------------------------------------------------


def handout_pdf() -> bytes:
    """A one-page handout, the demo's document lessons (made at demo time, not committed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from skillcity.learning.certificate import FONT

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setTitle("课程讲义（演示）")
    pdf.setFont(FONT, 20)
    pdf.drawCentredString(width / 2, height - 40 * mm, "课程讲义（演示）")
    pdf.setFont(FONT, 12)
    lines = [
        "本讲义为演示数据，由平台在生成演示数据时制作。",
        "1. 学习前请阅读本节要点，学习中可随时暂停。",
        "2. 页面打开期间计入学习时长，按真实经过的时间统计。",
        "3. 完成全部课时并通过测验后，可下载结业证明。",
    ]
    y = height - 60 * mm
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 10 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _media_ensure() -> None:
    """The shared files under MEDIA_ROOT, written once (every demo lesson names one of them)."""
    if not default_storage.exists(VIDEO_NAME):
        default_storage.save(VIDEO_NAME, ContentFile(VIDEO_SOURCE.read_bytes()))
    if not default_storage.exists(HANDOUT_NAME):
        default_storage.save(HANDOUT_NAME, ContentFile(handout_pdf()))


# --- courses ------------------------------------------------------------------------------------------


def _providers() -> list[Any]:
    from skillcity.registry.models import Organisation, OrganisationCategory

    kinds = [
        OrganisationCategory.TRAINING_INSTITUTION,
        OrganisationCategory.VOCATIONAL_COLLEGE,
        OrganisationCategory.TECHNICAL_SCHOOL,
    ]
    found = list(Organisation.objects.filter(category__in=kinds).order_by("id")[:40])
    return found or list(Organisation.objects.order_by("id")[:40])


def _courses(rng: random.Random) -> list[Any]:
    from skillcity.learning.models import Course, CourseDecision, CourseState
    from skillcity.registry.models import Industry, Occupation

    providers = _providers()
    occupations = list(Occupation.objects.filter(active=True, has_levels=True).order_by("code"))
    industries = list(Industry.objects.order_by("sort_order", "code"))
    bureau = _user("bureau")
    provider_user = _provider_account(providers[0])
    now = timezone.now()
    plan: list[tuple[str, str]] = []
    for category, count in CATEGORY_COUNTS:
        plan += [(category, CourseState.PUBLISHED)] * count
    for state, count in UNDER_REVIEW:
        plan += [(rng.choice(["skill", "general"]), state)] * count
    # The strategic-industry courses: 125 of the published skills courses, spread through them.
    skill_published = [i for i, (c, s) in enumerate(plan) if c == "skill" and s == CourseState.PUBLISHED]
    strategic = set(rng.sample(skill_published, STRATEGIC)) if industries else set()
    rows = []
    for i, (category, state) in enumerate(plan):
        occupation, level = None, None
        if category == "skill" and occupations:
            occupation = occupations[i % len(occupations)]
            level = rng.choice([3, 4, 5, 2])
            title = f"{occupation.name}（{LEVEL_NAMES[level]}）{SKILL_KINDS[i % len(SKILL_KINDS)]}"
        elif category == "diploma":
            title = f"{DIPLOMA_MAJORS[i % len(DIPLOMA_MAJORS)]}·{DIPLOMA_SUBJECTS[(i // 10) % len(DIPLOMA_SUBJECTS)]}"
        else:
            title = f"{GENERAL_TOPICS[i % len(GENERAL_TOPICS)]}（第{i // len(GENERAL_TOPICS) + 1}讲）"
        if i in strategic:
            title = f"{title}（产业专题）"
        submitted = now - datetime.timedelta(days=rng.randint(20, 400))
        rows.append(
            Course(
                code=f"KC{i + 1:05d}",
                title=title[:100],
                summary=f"{title}：免费在线课程（演示数据），按课时学习，完成全部课时并通过测验即可获得结业证明。",
                category=category,
                occupation=occupation,
                level=level,
                provider=providers[i % len(providers)],
                state=state,
                completion_share=90,
                submitted_at=submitted if state != CourseState.DRAFT else None,
                published_at=submitted + datetime.timedelta(days=3)
                if state in (CourseState.PUBLISHED, CourseState.UNPUBLISHED)
                else None,
                unpublished_reason="内容与课程简介不符，待提供单位修改"
                if state == CourseState.UNPUBLISHED
                else "",
            )
        )
    courses = Course.objects.bulk_create(rows, batch_size=500)
    links = []
    for i in sorted(strategic):
        for industry in rng.sample(industries, min(len(industries), rng.choice([1, 1, 2]))):
            links.append(Course.industries.through(course_id=courses[i].pk, industry_id=industry.pk))
    Course.industries.through.objects.bulk_create(links, batch_size=1000)
    decisions = []
    actions: dict[str, list[Any]] = {
        CourseState.SUBMITTED: [CourseDecision.Action.SUBMIT],
        CourseState.RETURNED: [CourseDecision.Action.SUBMIT, CourseDecision.Action.RETURN],
        CourseState.PUBLISHED: [CourseDecision.Action.SUBMIT, CourseDecision.Action.PUBLISH],
        CourseState.UNPUBLISHED: [
            CourseDecision.Action.SUBMIT,
            CourseDecision.Action.PUBLISH,
            CourseDecision.Action.UNPUBLISH,
        ],
    }
    reasons = {
        CourseDecision.Action.RETURN: "课时时长与课程简介不一致，请补充说明",
        CourseDecision.Action.UNPUBLISH: "内容与课程简介不符，待提供单位修改",
    }
    for course in courses:
        for action in actions.get(course.state, []):
            actor = provider_user if action == CourseDecision.Action.SUBMIT and provider_user else bureau
            decisions.append(
                CourseDecision(course=course, action=action, reason=reasons.get(action, ""), actor=actor)
            )
    if bureau is not None:
        CourseDecision.objects.bulk_create(decisions, batch_size=1000)
    return courses


def _lessons(rng: random.Random, courses: list[Any]) -> None:
    from skillcity.learning.models import Lesson, LessonKind

    rows = []
    for course in courses:
        videos = rng.randint(2, 4)
        plan = [LessonKind.VIDEO] * videos + [LessonKind.DOCUMENT] + [LessonKind.QUIZ]
        for position, kind in enumerate(plan, start=1):
            if kind == LessonKind.VIDEO:
                title, seconds, media, media_type = (
                    f"第{position}讲 视频",
                    VIDEO_SECONDS,
                    VIDEO_NAME,
                    "video/mp4",
                )
            elif kind == LessonKind.DOCUMENT:
                title, seconds, media, media_type = (
                    "课程讲义",
                    DOCUMENT_SECONDS,
                    HANDOUT_NAME,
                    "application/pdf",
                )
            else:
                title, seconds, media, media_type = "课后测验", QUIZ_SECONDS, "", ""
            rows.append(
                Lesson(
                    course=course,
                    position=position,
                    title=title,
                    kind=kind,
                    duration_seconds=seconds,
                    media=media,
                    media_type=media_type,
                    pass_score=60 if kind == LessonKind.QUIZ else None,
                    questions=rng.sample(QUESTIONS, 3) if kind == LessonKind.QUIZ else [],
                )
            )
    Lesson.objects.bulk_create(rows, batch_size=1000)


# --- accounts -----------------------------------------------------------------------------------------

"""Demo data of online learning (issue 18 §5): 1,000 published courses in the three categories (学历,
技能, 素质), 125 of them tagged with strategic industries, from the city's training institutions and
schools; a few more submitted, returned, unpublished and in draft for the review pages; lessons that
share two small files (a 6-second video committed under demo_media/, a handout PDF made here); learners
in every state, their progress made the way real progress is — statements through the log
(`statements_store`), then `progress_aggregate` — so the log and the derived progress agree.

Accounts (password as the other demo accounts): `learner`, a worker with courses in progress, done (with
its certificate) and a failed quiz; `provider`, a user of the first provider.

Deterministic from the seed; rows are written with bulk_create (the demo build is long already).
"""

from __future__ import annotations

import datetime
import io
import random
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

COURSES = 1000
STRATEGIC = 125
CATEGORY_COUNTS = (("diploma", 200), ("skill", 550), ("general", 250))
# Beyond the 1,000 published: what the bureau's review pages show.
UNDER_REVIEW = (("submitted", 6), ("returned", 3), ("unpublished", 3), ("draft", 3))
LEARNERS = 120
LEARNER_COURSES = 40  # the published courses the demo learners take (the most popular)
LEARNER_USERNAME = "learner"
PROVIDER_USERNAME = "provider"

VIDEO_SECONDS = 6  # the committed demo video's length: its lessons can be completed by playing it
DOCUMENT_SECONDS = 60
QUIZ_SECONDS = 120
VIDEO_NAME = "learning/demo/lesson.mp4"
HANDOUT_NAME = "learning/demo/handout.pdf"
VIDEO_SOURCE = Path(__file__).resolve().parent / "demo_media" / "lesson.mp4"

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


def learning_demo(seed: int, stdout: Any) -> None:
    from skillcity.learning.models import Course

    if Course.objects.exists():
        return
    rng = random.Random(f"learning-{seed}")
    _media_ensure()
    with transaction.atomic():
        courses = _courses(rng)
        _lessons(rng, courses)
    stdout.write(f"  {len(courses)} courses")
    learners = _learners(rng, courses)
    stdout.write(f"  {learners} learners with progress")


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


def _user(username: str) -> Any:
    from skillcity.accounts.models import User

    return User.objects.filter(username=username).first()


def _provider_account(organisation: Any) -> Any:
    from skillcity.accounts.models import Role
    from skillcity.accounts.services import user_create
    from skillcity.demo import DEMO_PASSWORD

    found = _user(PROVIDER_USERNAME)
    if found is not None:
        return found
    return user_create(
        username=PROVIDER_USERNAME,
        password=DEMO_PASSWORD,
        role=Role.ORGANISATION_USER,
        actor="demo",
        display_name="课程提供单位 演示经办人",
        organisation=organisation,
    )


def _learner_account(worker: Any) -> Any:
    from skillcity.accounts.models import Role
    from skillcity.accounts.services import user_create
    from skillcity.demo import DEMO_PASSWORD

    found = _user(LEARNER_USERNAME)
    if found is not None:
        return found
    return user_create(
        username=LEARNER_USERNAME,
        password=DEMO_PASSWORD,
        role=Role.WORKER,
        actor="demo",
        display_name=worker.name,
        worker=worker,
    )


# --- learners and their progress ------------------------------------------------------------------------

NOT_STARTED, IN_PROGRESS, COMPLETED, QUIZ_FAILED = "not_started", "in_progress", "completed", "quiz_failed"
STATES = (NOT_STARTED, IN_PROGRESS, COMPLETED, QUIZ_FAILED)
STATE_WEIGHTS = (25, 35, 30, 10)


def _learners(rng: random.Random, courses: list[Any]) -> int:
    from skillcity.accounts.models import User
    from skillcity.learning.models import Enrolment, Lesson
    from skillcity.learning.services.progress import progress_aggregate
    from skillcity.registry.models import Worker

    published = [c for c in courses if c.state == "published"]
    popular = rng.sample(published, min(LEARNER_COURSES, len(published)))
    taken = set(User.objects.filter(worker__isnull=False).values_list("worker_id", flat=True))
    candidates = list(
        Worker.objects.exclude(phone="")
        .exclude(pk__in=taken)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    if not candidates or not popular:
        return 0
    learner_ids = rng.sample(candidates, min(LEARNERS, len(candidates)))
    # The demo account first: one course in each state, and one more in progress.
    learner_worker = Worker.objects.get(pk=learner_ids[0])
    _learner_account(learner_worker)
    lessons: dict[int, list[Any]] = {}
    for lesson in Lesson.objects.filter(course__in=popular).order_by("position"):
        lessons.setdefault(lesson.course_id, []).append(lesson)
    plan: list[tuple[int, Any, str]] = []
    for n, worker_id in enumerate(learner_ids):
        if n == 0:
            chosen = popular[:5]
            states = [IN_PROGRESS, COMPLETED, NOT_STARTED, QUIZ_FAILED, IN_PROGRESS]
        else:
            chosen = rng.sample(popular, rng.randint(1, 4))
            states = [rng.choices(STATES, STATE_WEIGHTS)[0] for _ in chosen]
            if n <= len(STATES):  # every state at least once beyond the demo account
                states[0] = STATES[n - 1]
        plan += [(worker_id, course, state) for course, state in zip(chosen, states, strict=True)]
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [Enrolment(worker_id=w, course=c) for w, c, _s in plan], batch_size=1000, ignore_conflicts=True
    )
    for worker_id, course, state in plan:
        # Each learner's activity starts on a day of the last four weeks, one lesson after another.
        start = now - datetime.timedelta(days=rng.randint(1, 28), minutes=rng.randint(0, 600))
        Enrolment.objects.filter(worker_id=worker_id, course=course).update(
            enrolled_at=start - datetime.timedelta(hours=1)
        )
        _progress_make(rng, worker_id, lessons.get(course.pk, []), state, start)
    progress_aggregate(now=now)
    return len(learner_ids)


def _progress_make(rng: random.Random, worker_id: int, lessons: list[Any], state: str, start: Any) -> None:
    """Statements as the player and the quiz would send them, stored at the times they would arrive."""
    from skillcity.learning.models import LessonKind
    from skillcity.learning.services.quizzes import quiz_grade

    if state == NOT_STARTED:
        return
    at = start
    media = [lesson for lesson in lessons if lesson.kind != LessonKind.QUIZ]
    quiz = next((lesson for lesson in lessons if lesson.kind == LessonKind.QUIZ), None)
    done = len(media) if state in (COMPLETED, QUIZ_FAILED) else rng.randint(0, len(media) - 1)
    for index, lesson in enumerate(media):
        if index < done:
            at = _lesson_play(worker_id, lesson, at, lesson.duration_seconds)
        elif index == done and state == IN_PROGRESS:
            at = _lesson_play(worker_id, lesson, at, max(1, lesson.duration_seconds // 2), finished=False)
            break
    if quiz is not None and state in (COMPLETED, QUIZ_FAILED):
        right = state == COMPLETED
        answers: list[int | None] = [
            q["answer"] if right else (q["answer"] + 1) % len(q["options"]) for q in quiz.questions
        ]
        quiz_grade(worker_id=worker_id, lesson=quiz, answers=answers, now=at + datetime.timedelta(seconds=60))


def _lesson_play(worker_id: int, lesson: Any, at: Any, seconds: int, *, finished: bool = True) -> Any:
    """initialized, a heartbeat every 30 s, then completed (or a pause), each stored when it would be."""
    from skillcity.learning.services.quizzes import VERB_IRI, lesson_iri
    from skillcity.learning.services.statements import statements_store

    def one(verb: str, position: int, when: Any, event: str = "", duration: int = 0) -> None:
        statement: dict[str, Any] = {
            "id": str(_uuid(worker_id, lesson.pk, verb, position)),
            "verb": {"id": VERB_IRI + verb},
            "object": {"objectType": "Activity", "id": lesson_iri(lesson.pk)},
            "result": {"extensions": {"https://w3id.org/xapi/video/extensions/time": position}},
            "timestamp": when.isoformat(),
        }
        if duration:
            statement["result"]["duration"] = f"PT{duration}S"
        if event:
            statement["context"] = {"extensions": {"https://w3id.org/xapi/video/extensions/event": event}}
        statements_store(worker_id=worker_id, statements=[statement], now=when)

    one("initialized", 0, at)
    position = 0
    while seconds - position > 30:
        position += 30
        one("progressed", position, at + datetime.timedelta(seconds=position), "heartbeat", 30)
    end = at + datetime.timedelta(seconds=seconds)
    if finished:
        one("completed", seconds, end, "", seconds - position)
    else:
        one("progressed", seconds, end, "pause", seconds - position)
    one("terminated", seconds, end + datetime.timedelta(seconds=1), "close")
    return end + datetime.timedelta(seconds=5)


def _uuid(*parts: Any) -> Any:
    """A statement id fixed by what it is about: the demo's log is the same from one build to the next."""
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_URL, "skillcity-demo-learning:" + ":".join(map(str, parts)))

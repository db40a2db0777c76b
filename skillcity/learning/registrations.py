"""What learning registers with other apps (periodic jobs, hot routes, fact providers): one import per
part, each part's module registering its own."""

from __future__ import annotations

from skillcity.jobs.schedule import PeriodicJob, register_periodic_job
from skillcity.learning.services.courses import media as _course_media  # noqa: F401  (larger uploads)

# The statement log's part: progress folded from the log every minute.
register_periodic_job(
    PeriodicJob(
        name="learning.progress_aggregate",
        period="minutely",
        task="skillcity.learning.tasks.progress_aggregate_task",
        reason="学习进度由学习语句日志在后台汇总：每分钟将新到的语句计入课时进度、课程进度与结业记录（docs/learning.md）",
    )
)

# The public catalogue's cached results: a course, lesson or enrolment changed gives them a new version.
from skillcity.learning.views import catalogue_cache as _catalogue_cache  # noqa: E402, F401

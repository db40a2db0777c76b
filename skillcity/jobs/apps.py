from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "skillcity.jobs"
    label = "jobs"
    verbose_name = _("后台作业")

    def ready(self) -> None:
        from skillcity.jobs.schedule import PeriodicJob, register_periodic_job

        register_periodic_job(
            PeriodicJob(
                name="jobs.task_results_prune",
                period="daily",
                task="skillcity.jobs.tasks.task_results_prune_task",
                reason="已完成的后台任务记录保留 14 天后删除，任务表不无限增长",
            )
        )

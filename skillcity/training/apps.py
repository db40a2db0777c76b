from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "skillcity.training"
    label = "training"
    verbose_name = "职业培训"

    def ready(self) -> None:
        from skillcity.training import events

        events.register()  # stored enrolments for the policy what-if simulation

        from skillcity.jobs.schedule import PeriodicJob, register_periodic_job, the_day

        register_periodic_job(
            PeriodicJob(
                name="training.vouchers_expire",
                period="daily",
                task="skillcity.training.tasks.vouchers_expire_task",
                reason="培训券过有效期即失效：每天将有效期已过的已发放培训券置为已过期（docs/training.md）",
                arguments=the_day,
            )
        )

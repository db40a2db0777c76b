from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "skillcity.talents"
    label = "talents"
    verbose_name = "技能人才"

    def ready(self) -> None:
        from skillcity.grants.flows import register_source_describer
        from skillcity.jobs.schedule import PeriodicJob, register_periodic_job, the_day
        from skillcity.talents.services.leading import describe_source

        register_source_describer("talents.", describe_source)
        register_periodic_job(
            PeriodicJob(
                name="talents.rent_pay",
                period="daily",
                task="skillcity.talents.tasks.rent_pay_task",
                reason="技能领军人才租房补贴按月发放：每个发放计划每月拨付一次（幂等键 rent:<计划>:<年月>），期满自动终止（docs/talents.md）",
                arguments=the_day,
            )
        )

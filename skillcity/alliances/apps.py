from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "skillcity.alliances"
    label = "alliances"
    verbose_name = "职业培训联盟"

    def ready(self) -> None:
        from skillcity.jobs.schedule import PeriodicJob, register_periodic_job, the_day

        register_periodic_job(
            PeriodicJob(
                name="alliances.reminders",
                period="daily",
                task="skillcity.alliances.tasks.alliance_reminders_task",
                reason="半年度报告（D000 二(七)）到期前和逾期后每天提醒牵头单位；报送期限为平台设定（docs/alliances.md）",
                arguments=the_day,
            )
        )

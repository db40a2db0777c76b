from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "skillcity.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from skillcity.jobs.schedule import PeriodicJob, register_periodic_job

        # Rows written since the last seal can be cut off unseen; an hourly seal bounds that window
        # even where no write has sealed lately (docs/operator-guide.md, "The audit log").
        register_periodic_job(
            PeriodicJob(
                name="core.audit_seal",
                period="hourly",
                task="skillcity.core.tasks.audit_seal_task",
                reason="审计日志防截断：每小时将哈希链的链头签名写入链外锚点文件",
            )
        )

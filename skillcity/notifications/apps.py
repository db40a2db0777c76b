from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "skillcity.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from skillcity.jobs.schedule import PeriodicJob, register_periodic_job, the_day

        register_periodic_job(
            PeriodicJob(
                name="notifications.vouchers_expiring",
                period="daily",
                task="skillcity.notifications.tasks.vouchers_expiring_notify_task",
                reason="培训券到期前提醒持券人（SKILLCITY_VOUCHER_EXPIRY_NOTICE_DAYS 天内到期，每张券只提醒一次）",
                arguments=the_day,
            )
        )

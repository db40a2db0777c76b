"""`skillcity vouchers expire [--today YYYY-MM-DD] [--enqueue]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from skillcity.core.bounds import option_date
from skillcity.training import services


class Command(BaseCommand):
    help = "培训券作业：expire 将过期的培训券置为已过期"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["expire"])
        parser.add_argument("--today", type=option_date, help="按此日期判断（默认今天）")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        if options["enqueue"]:
            from skillcity.training.tasks import vouchers_expire_task

            self.stdout.write(f"enqueued {vouchers_expire_task.enqueue(today.isoformat()).id}")
            return
        self.stdout.write(f"expired {services.vouchers_expire(today=today)} vouchers")

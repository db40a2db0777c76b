"""`skillcity settle --provider <id|USCC> --period 2025H1 [--enqueue] [--chunk-size N]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.core.bounds import option_int
from skillcity.core.periods import HalfYear
from skillcity.registry.models import Organisation
from skillcity.training import selectors, services


class Command(BaseCommand):
    help = "结算培训单位某半年度的培训补贴（分块、可续跑）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", required=True, help="培训单位 id 或统一社会信用代码")
        parser.add_argument("--period", required=True, help="半年度，如 2025H1")
        parser.add_argument("--chunk-size", type=option_int(1, 1_000_000), default=50_000)
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = HalfYear.parse(options["period"])
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        key = options["provider"]
        provider = Organisation.objects.filter(uscc=key).first() or (
            Organisation.objects.filter(pk=int(key)).first() if key.isdigit() else None
        )
        if provider is None:
            raise CommandError(f"provider {key!r} not found", returncode=2)
        if options["enqueue"]:
            from skillcity.training.tasks import settlement_run_task

            result = settlement_run_task.enqueue(provider.pk, str(period))
            self.stdout.write(f"enqueued {result.id}")
            return
        settlement = services.settlement_run(
            provider=provider, period=period, chunk_size=options["chunk_size"]
        )
        self.stdout.write(
            f"{provider.name} {period}: {settlement.line_count} lines, total {settlement.total_amount}, "
            f"status {settlement.status}"
        )
        for row in selectors.settlement_refused(settlement=settlement):
            self.stdout.write(f"  ! 报名 {row['enrolment_id']} {row['rule']}：{row['error']}")

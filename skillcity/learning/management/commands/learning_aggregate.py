"""`skillcity learning_aggregate [--limit N] [--rebuild]`: fold the statement log into progress once
(what the minutely job does), or clear the derived progress and replay the whole log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skillcity.core.bounds import option_int
from skillcity.learning.services.progress import progress_aggregate, progress_rebuild
from skillcity.learning.tasks import AGGREGATE_LIMIT


class Command(BaseCommand):
    help = "将学习语句日志汇总为学习进度（一次）；--rebuild 清空进度后重放全部日志"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=option_int(1, 10**9), default=AGGREGATE_LIMIT)
        parser.add_argument(
            "--rebuild", action="store_true", help="清空派生的学习进度（已发结业记录保留）后重放全部日志"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            folded = progress_rebuild()
            self.stdout.write(f"rebuilt: {folded} statements folded")
            return
        folded = progress_aggregate(limit=options["limit"])
        self.stdout.write(f"{folded} statements folded")

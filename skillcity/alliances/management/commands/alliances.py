"""skillcity alliances remind [--date YYYY-MM-DD] [--days N] — record reminder notices for half-year
reports due within N days or overdue (idempotent per report per day); skillcity alliances status."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.alliances import schedule
from skillcity.alliances.models import Alliance
from skillcity.alliances.services import reminders_send
from skillcity.core.bounds import option_date, option_int


class Command(BaseCommand):
    help = "Training alliances: `remind` records report reminders; `overdue` lists missing half-year reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="record reminders for reports due within N days or overdue")
        remind.add_argument("--date", type=option_date, help="the day to remind as of (default: today)")
        remind.add_argument(
            "--days",
            type=option_int(0, 366),
            default=None,
            help="remind this many days before the due date (default: SKILLCITY_ALLIANCE_REMIND_DAYS)",
        )
        overdue = sub.add_parser("overdue", help="list alliances with missing half-year reports")
        overdue.add_argument("--date", type=option_date, help="as of this day (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = options.get("date") or schedule.today()
        if options["action"] == "remind":
            days = options.get("days")
            if days is not None and days < 0:
                raise CommandError("--days must be 0 or more", returncode=2)
            run = reminders_send(actor="skillcity alliances remind", on=on, days=days)
            for notice in run.created:
                self.stdout.write(f"{notice.get_kind_display()}  {notice.message}")
            self.stdout.write(
                f"{on.isoformat()}: {len(run.created)} reminders recorded for {run.alliances} alliances, "
                f"{run.already} already recorded today"
            )
            return
        count = 0
        for alliance in (
            Alliance.objects.select_related("industry").prefetch_related("reports").order_by("name")
        ):
            missing = [
                str(s.period)
                for s in schedule.period_states(alliance, alliance.reports.all(), on)
                if s.missing
            ]
            if missing:
                count += 1
                self.stdout.write(f"{alliance.name}: missing {', '.join(missing)}")
        self.stdout.write(f"{on.isoformat()}: {count} alliances with missing reports")

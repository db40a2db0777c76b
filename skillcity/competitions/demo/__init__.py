"""Demo step: competitions 2021–2025 at the city's volumes (issue 15 item 6), built through the services.

Catalog §11's baselines: 34 city contests since 2021 and 278 东莞市技术能手. So: 34 city contests
(class 1, class 2, and one provincial selection a year) with 11–12 projects a year (T-COMPETITIONS:
≥ 10), one town contest per town per year (D002 item 14), the provincial and national results of
Dongguan players (imported), and one WorldSkills medal with its coach and its base (a completed national
selection camp). Every city and town result is computed from marks the judges entered (marks_save →
results_compute → the chief judge's results_confirm); no total is typed. Titles through the titles
service, money through the awards service into grants. Idempotent: nothing happens once a competition
exists.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.db import transaction


def competitions_demo(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.competitions.demo import contests, external, money
    from skillcity.competitions.demo.base import YEARS, demo_context
    from skillcity.competitions.models import Competition

    if Competition.objects.exists():
        return
    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        return
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
        started = time.perf_counter()

    with transaction.atomic():
        demo = demo_context(random.Random(seed + 15), bureau)
        fed = external.external_results(demo)
        lap("external")
        plans = {year: contests.city_plans(year) for year in YEARS}
        last = [p for p in plans[YEARS[-1]] if p.quota is not None][-1]
        for year in YEARS:
            for plan in plans[year]:
                # The last contest to name 技术能手 takes what is left of the 278, so a tie at a quota's
                # boundary elsewhere (two players sharing the last titled place) does not move the total.
                quota = min(contests.title_quota_left(demo), plan.entries) if plan is last else None
                contests.city_contest(demo, year, plan, feeds=fed.get(year), quota=quota)
            lap("city")
            contests.town_contests(demo, year)
            lap("town")
        money.competition_money(demo)
        lap("money")
    c = demo.counts
    stdout.write(
        f"  competitions: {c.get('city', 0)} city contests ({c.get('city_projects', 0)} projects), "
        f"{c.get('town', 0)} town contests, {c.get('external_results', 0)} provincial/national/WorldSkills "
        f"results, {c.get('titles', 0)} 东莞市技术能手, {c.get('applications', 0)} grants applications "
        f"({c.get('paid', 0)} paid), {c.get('marks', 0)} mark sheets; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
    )

"""Command-line options are bounded like every other input: a bad date or number exits 2 naming the
option (argparse's usage error), before the command does anything."""

from __future__ import annotations

import subprocess

import pytest
from django.core.management import CommandError, call_command

from tests.console import skillcity_command


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["vouchers", "expire", "--today", "20240501"], "--today"),
        (["vouchers", "expire", "--today", "2024-W18-3"], "--today"),
        (["alliances", "remind", "--date", "2099-13-01"], "--date"),
        (["alliances", "remind", "--days", "1e3"], "--days"),
        (["alliances", "overdue", "--date", "20240501"], "--date"),
        (["settle", "--provider", "1", "--period", "2025H1", "--chunk-size", "-5"], "--chunk-size"),
        (["serve", "--workers", "0"], "--workers"),
        (["worker", "--max-tasks", "-1"], "--max-tasks"),
        (["generate", "--seed", "1" + "0" * 30, "--scale", "demo"], "--seed"),
        (["demo", "--seed", "-1"], "--seed"),
    ],
)
def test_a_bad_option_is_refused_naming_it(args, option):
    with pytest.raises(CommandError, match=option):
        call_command(*args)


def test_from_the_console_a_bad_option_exits_2_with_the_reason(tmp_path):
    done = subprocess.run(
        [*skillcity_command(), "vouchers", "expire", "--today", "20240501"],
        capture_output=True,
        text=True,
        env={"SKILLCITY_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 2
    assert "--today" in done.stderr and "YYYY-MM-DD" in done.stderr


@pytest.mark.django_db
def test_a_good_date_still_runs():
    call_command("vouchers", "expire", "--today", "2024-05-01")
